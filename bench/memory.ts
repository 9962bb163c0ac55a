// `npx tsx bench/memory.ts`: retrieval latency of each memory tier at the scale
// of a busy deployment (10,000 leads with profiles, 100,000 episodes, 10,000
// live conversation contexts, the seed knowledge graph plus ~3,000 facts), and
// the duration of consolidation. Memory is built from configuration exactly as
// the server builds it (loadConfig → openDatabase → createMemory), on embedded
// PGlite and/or a throw-away PostgreSQL database. Short-term memory is measured
// in-process and on Redis. Prints markdown tables next to the specification's
// targets and writes bench/results/memory-<target>-<timestamp>.json. A baseline:
// it reports, it never fails because a target is missed. See bench/README.md.
//
// Environment:
//   BENCH_TARGET        pglite | postgres | both (default both; PostgreSQL is
//                       skipped with the reason when it cannot be reached)
//   BENCH_DATABASE_URL / DATABASE_URL  PostgreSQL server to create the scratch
//                       database on (default postgresql://postgres@127.0.0.1:5432/postgres)
//   BENCH_REDIS_URL / REDIS_URL        Redis for the second short-term row
//                       (default redis://127.0.0.1:6379; skipped when unreachable)
//   BENCH_CALLS         measured calls per row (default 2000)
//   BENCH_WARMUP_CALLS  unmeasured calls before each row (default 200)
//   BENCH_ROW_SECONDS   time budget per row; a slower row stops early, after at
//                       least 200 calls (default 15)
//   BENCH_LEADS / BENCH_EPISODES / BENCH_CONTEXTS  scale (default 10000 / 100000 / 10000)
//   BENCH_ANALYZE       1: run ANALYZE after loading (default 0: the planner
//                       statistics are whatever the database gathered itself)
import { resolveKeyRing } from '../src/privacy/development-key.js';
import { openPersonalDataCipher } from '../src/privacy/personal-data-cipher.js';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { databaseTarget, openDatabase, type Database } from '../src/db/database.js';
import { createLogger, type Logger } from '../src/logger.js';
import type { ConsolidationReport } from '../src/memory/consolidation/consolidation.js';
import type { Situation } from '../src/memory/episodic/episode-store.js';
import { createMemory, type Memory } from '../src/memory/memory.js';
import { CHANNELS, INDUSTRIES, PERSONAS } from '../src/memory/semantic/seed-knowledge.js';
import { channelId, RESPONDS_ON, segmentId } from '../src/memory/semantic/vocabulary.js';
import type { ShortTermMemory } from '../src/memory/short-term/short-term-memory.js';
import { openSharedStores } from '../src/app/stores.js';
import { generatePopulation, mulberry32 } from '../tests/support/synthetic-population.js';
import { Cleanup, cleanUpOnSignals, InterruptedError } from './cleanup.js';
import { sampleMachineBusy, watchCpu } from './cpu.js';
import { createPgliteDatabase, createPostgresDatabase, postgresAdminUrl, redactUrl, type BenchDatabase, type DatabaseKind } from './databases.js';
import { formatMs, markdownTable, timeCalls, writeResults, type LatencyStats } from './latency.js';
import {
  allSituations,
  buildWorld,
  conversationRows,
  extraFacts,
  leadRows,
  outcomeInteractions,
  profileRows,
  segmentKey,
  situationKey,
  situationOf,
  type World,
} from './memory-population.js';
import { machineInfo } from './report.js';
import { REPO_ROOT } from './targets.js';

const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const SEED = 20_261_127;
/** Outcomes recorded before the measured consolidation run (the issue's figure). */
const OUTCOME_LEADS = 2_000;
const MIN_CALLS = 200;
const BUSY_MACHINE = 0.2;

/** The specification's retrieval targets per tier, compared with p95. */
const TARGET_MS = { 'short-term': 10, 'long-term': 50, episodic: 100, semantic: 150 } as const;
type Tier = keyof typeof TARGET_MS;

interface Parameters {
  targets: DatabaseKind[];
  leads: number;
  episodes: number;
  contexts: number;
  calls: number;
  warmupCalls: number;
  rowSeconds: number;
  analyze: boolean;
  postgres: { url: string; source: string };
  redis: { url: string; source: string };
}

function readParameters(env: NodeJS.ProcessEnv = process.env): Parameters {
  const target = env.BENCH_TARGET ?? 'both';
  if (!['pglite', 'postgres', 'both'].includes(target)) throw new Error(`BENCH_TARGET must be pglite, postgres or both, got "${target}"`);
  const redis = env.BENCH_REDIS_URL
    ? { url: env.BENCH_REDIS_URL, source: 'BENCH_REDIS_URL' }
    : env.REDIS_URL
      ? { url: env.REDIS_URL, source: 'REDIS_URL' }
      : { url: DEFAULT_REDIS_URL, source: 'default' };
  return {
    targets: target === 'both' ? ['pglite', 'postgres'] : [target as DatabaseKind],
    leads: whole(env, 'BENCH_LEADS', 10_000),
    episodes: whole(env, 'BENCH_EPISODES', 100_000),
    contexts: whole(env, 'BENCH_CONTEXTS', 10_000),
    calls: whole(env, 'BENCH_CALLS', 2_000),
    warmupCalls: whole(env, 'BENCH_WARMUP_CALLS', 200, 0),
    rowSeconds: whole(env, 'BENCH_ROW_SECONDS', 15),
    analyze: env.BENCH_ANALYZE === '1',
    postgres: postgresAdminUrl(env),
    redis,
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

// ── Results ─────────────────────────────────────────────────────────────────

interface PopulationStep {
  step: string;
  rows: number;
  seconds: number;
}

interface Row {
  tier: Tier;
  operation: string;
  store: string;
  keys: string;
  stats: LatencyStats;
  targetMs: number;
  /** p95 under the target. */
  met: boolean;
  /** Mean number of items a call returned (contexts, facts, paths, nodes, episodes). */
  meanResultSize: number | null;
  /** Episodic only: share of measured calls that read past the exact matches (stage 2) and past the segment (stage 3). */
  stages: { pastExact: number; pastSegment: number } | null;
  /** Cores used during the row (1 = one core): this process (PGlite runs in it), every postgres process, everything else. */
  cpu: { bench: number; postgres: number | undefined; other: number | undefined };
}

interface ConsolidationRow {
  run: string;
  wallMs: number;
  report: ConsolidationReport;
}

interface TargetResult {
  target: DatabaseKind;
  location: string;
  population: PopulationStep[];
  analyzed: boolean;
  rows: Row[];
  consolidation: ConsolidationRow[];
  counts: Awaited<ReturnType<Memory['stats']>>;
  omissions: { what: string; reason: string }[];
}

// ── The run ─────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
  const startedAt = new Date();
  const parameters = readParameters();
  const cleanup = new Cleanup();
  cleanUpOnSignals(cleanup);
  progress(
    `Baton memory benchmark: ${parameters.leads} leads, ${parameters.episodes} episodes, ${parameters.contexts} contexts; ` +
      `${parameters.warmupCalls} warm-up + up to ${parameters.calls} calls (≤ ${parameters.rowSeconds} s) per row`,
  );
  const busyBeforeStart = await sampleMachineBusy(1000);
  progress(`  machine before start: ${Math.round(busyBeforeStart * 100)} % of all cores busy`);

  const results: TargetResult[] = [];
  const omissions: { target: string; outcome: 'skipped' | 'failed'; reason: string }[] = [];
  let interrupted = false;
  try {
    for (const kind of parameters.targets) {
      if (cleanup.signal.aborted) break;
      try {
        const database = kind === 'pglite' ? await createPgliteDatabase(cleanup) : await createPostgresDatabase(cleanup, parameters.postgres.url);
        if ('skipped' in database) {
          omissions.push({ target: kind, outcome: 'skipped', reason: database.skipped });
          progress(`\n▸ ${kind}: skipped: ${database.skipped}`);
          continue;
        }
        const result = await benchmarkTarget(database, parameters, cleanup);
        results.push(result);
        const path = await writeResults(
          RESULTS_DIR,
          `memory-${kind}`,
          {
            kind: 'baton-memory-benchmark',
            startedAt: startedAt.toISOString(),
            finishedAt: new Date().toISOString(),
            machine: { ...machineInfo(), busyBeforeStart },
            parameters: {
              ...parameters,
              postgres: { ...parameters.postgres, url: redactUrl(parameters.postgres.url) },
              redis: { ...parameters.redis, url: redactUrl(parameters.redis.url) },
            },
            targetsMs: TARGET_MS,
            result,
          },
          startedAt,
        );
        console.log(`\n${formatTarget(result)}\n\nJSON: ${path}`);
      } catch (error) {
        if (error instanceof InterruptedError || cleanup.signal.aborted) break;
        const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
        omissions.push({ target: kind, outcome: 'failed', reason });
        progress(`\n✗ ${kind} failed: ${reason}`);
      }
    }
  } finally {
    interrupted = cleanup.signal.aborted;
    await cleanup.runAll();
  }
  if (interrupted) return 130;

  const machine = machineInfo();
  console.log(`\nMachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}`);
  if (busyBeforeStart > BUSY_MACHINE) console.log(`⚠ The machine was ${Math.round(busyBeforeStart * 100)} % busy before the run started.`);
  for (const { target, outcome, reason } of omissions) console.log(`${target}: ${outcome}: ${reason}`);
  return omissions.some((o) => o.outcome === 'failed') ? 1 : 0;
}

async function benchmarkTarget(database: BenchDatabase, parameters: Parameters, cleanup: Cleanup): Promise<TargetResult> {
  progress(`\n▸ ${database.kind} (${database.location})`);
  try {
    const config = loadConfig({ ...database.env, CONSOLIDATION_INTERVAL_S: '0', LOG_LEVEL: 'silent', SERVER_ID: `bench-memory-${database.kind}` });
    const logger = createLogger(config.logLevel, config.serverId);
    const db = await openDatabase(databaseTarget(config));
    const closeDatabase = cleanup.defer(`close ${database.kind}`, () => db.close());
    try {
      const stores = openSharedStores({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger });
      const shortTerm = stores.shortTermMemory({ defaultTtlSeconds: config.shortTermTtlSeconds, maxEntries: config.shortTermMaxEntries });
      const memory = await createMemory(
        config,
        { prisma: db.prisma, shortTerm, cipher: await openPersonalDataCipher(db.prisma, await resolveKeyRing(config)) },
        logger,
      );
      const closeMemory = cleanup.defer('close memory', async () => {
        await memory.close();
        await stores.close();
      });
      try {
        const omissions: TargetResult['omissions'] = [];
        const redis = await openRedisShortTerm(cleanup, parameters.redis.url, logger);
        if ('skipped' in redis) {
          omissions.push({ what: 'short-term on Redis', reason: redis.skipped });
          progress(`  Redis: skipped: ${redis.skipped}`);
        }
        try {
          const redisStore = 'skipped' in redis ? null : redis.store;
          const world = buildWorld({ leads: parameters.leads, episodes: parameters.episodes, contexts: parameters.contexts, seed: SEED });
          const population = await populate(db, memory, redisStore, world);
          if (parameters.analyze) {
            const started = performance.now();
            await db.prisma.$executeRawUnsafe('ANALYZE');
            population.push({ step: 'ANALYZE', rows: 0, seconds: seconds(started) });
          }
          const rows = await measureRows(db, memory, redisStore, world, parameters, cleanup.signal);
          // What the retrieval rows read; consolidation adds episodes after this.
          const counts = await memory.stats();
          const consolidation = await measureConsolidation(memory, world);
          return { target: database.kind, location: database.location, population, analyzed: parameters.analyze, rows, consolidation, counts, omissions };
        } finally {
          if (!('skipped' in redis)) await redis.drop();
        }
      } finally {
        await closeMemory();
      }
    } finally {
      await closeDatabase();
    }
  } finally {
    await database.drop();
  }
}

/** A short-term memory on Redis under a key prefix of its own; `drop` deletes every key under it. */
async function openRedisShortTerm(
  cleanup: Cleanup,
  url: string,
  logger: Logger,
): Promise<{ store: ShortTermMemory; drop: () => Promise<void> } | { skipped: string }> {
  const admin = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  admin.on('error', () => {});
  try {
    await admin.connect();
    await admin.ping();
  } catch (error) {
    admin.disconnect();
    return { skipped: `${redactUrl(url)} is not usable: ${(error as Error).message}` };
  }
  const prefix = `baton-bench-${randomBytes(6).toString('hex')}:`;
  // Read with Baton's own parser, as the server would.
  const config = loadConfig({ REDIS_URL: url, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'silent' });
  const stores = openSharedStores({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger });
  const store = stores.shortTermMemory({ defaultTtlSeconds: config.shortTermTtlSeconds, maxEntries: config.shortTermMaxEntries });
  const drop = cleanup.defer(`delete Redis keys ${prefix}*`, async () => {
    await store.close();
    await stores.close();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
        if (keys.length > 0) await admin.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      admin.disconnect();
    }
  });
  return { store, drop };
}

// ── Loading ─────────────────────────────────────────────────────────────────

const CHUNK = 2_000;

async function populate(db: Database, memory: Memory, redis: ShortTermMemory | null, world: World): Promise<PopulationStep[]> {
  const steps: PopulationStep[] = [];
  const step = async (name: string, work: () => Promise<number>) => {
    const started = performance.now();
    const rows = await work();
    steps.push({ step: name, rows, seconds: seconds(started) });
    progress(`  loaded ${name}: ${rows} in ${seconds(started)} s`);
  };
  const { prisma } = db;
  await step('leads (prisma.lead.createMany)', () => inChunks(leadRows(world), (data) => prisma.lead.createMany({ data }).then((r) => r.count)));
  await step('conversations (createMany)', () => inChunks(conversationRows(world), (data) => prisma.conversation.createMany({ data }).then((r) => r.count)));
  await step('lead profiles (createMany)', () =>
    inChunks(profileRows(world, SEED + 2), (data) => prisma.leadProfile.createMany({ data }).then((r) => r.count)),
  );
  await step('episodes (episodes.importMany)', () =>
    inChunks([...world.leadEpisodes.values(), ...world.importedEpisodes], (chunk) => memory.episodes.importMany(chunk)),
  );
  await step('short-term contexts, in-process (shortTerm.store)', async () => {
    for (const { conversationId, patch } of world.contexts) await memory.shortTerm.store(conversationId, patch);
    return world.contexts.length;
  });
  if (redis) {
    await step('short-term contexts, Redis (shortTerm.store, 50 at a time)', async () => {
      for (let i = 0; i < world.contexts.length; i += 50) {
        await Promise.all(world.contexts.slice(i, i + 50).map(({ conversationId, patch }) => redis.store(conversationId, patch)));
      }
      return world.contexts.length;
    });
  }
  await step('extra facts (semantic.upsertFacts)', () => inChunks(extraFacts(SEED + 3), (chunk) => memory.semantic.upsertFacts(chunk), 1_000));
  return steps;
}

async function inChunks<T>(items: readonly T[], write: (chunk: T[]) => Promise<number>, size = CHUNK): Promise<number> {
  let written = 0;
  for (let i = 0; i < items.length; i += size) written += await write(items.slice(i, i + size));
  return written;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function seconds(started: number): number {
  return Math.round((performance.now() - started) / 100) / 10;
}

// ── Measuring ───────────────────────────────────────────────────────────────

interface RowSpec {
  tier: Tier;
  operation: string;
  store: string;
  keys: string;
  /** One call with the i-th key; returns how many items came back. */
  call: (i: number) => Promise<number>;
  /** Episodic rows: which stage the i-th call's key needs (1 exact, 2 segment, 3 everything). */
  stageOf?: (i: number) => 1 | 2 | 3;
}

/** Exact-match and segment counts of the stored episodes, for telling which retrieval stage a situation reaches. */
interface EpisodeCounts {
  exact: Map<string, { total: number; terminal: number }>;
  segment: Map<string, { total: number; terminal: number }>;
  sources: (string | null)[];
}

async function episodeCounts(db: Database): Promise<EpisodeCounts> {
  const groups = await db.prisma.$queryRaw<
    { industry: string; companySize: string; persona: string | null; source: string | null; total: number; terminal: number }[]
  >`
    SELECT "industry"::text, "companySize"::text, "persona"::text, "source", count(*)::int AS "total",
           (count(*) FILTER (WHERE "outcome" IN ('CONVERTED', 'LOST')))::int AS "terminal"
    FROM "Episode" GROUP BY 1, 2, 3, 4`;
  const exact = new Map<string, { total: number; terminal: number }>();
  const segment = new Map<string, { total: number; terminal: number }>();
  const sources = new Set<string | null>([null]);
  for (const g of groups) {
    const situation = { industry: g.industry, companySize: g.companySize, persona: g.persona, source: g.source } as Situation;
    exact.set(situationKey(situation), { total: Number(g.total), terminal: Number(g.terminal) });
    const seg = segment.get(segmentKey(situation)) ?? { total: 0, terminal: 0 };
    segment.set(segmentKey(situation), { total: seg.total + Number(g.total), terminal: seg.terminal + Number(g.terminal) });
    sources.add(g.source);
  }
  return { exact, segment, sources: [...sources] };
}

function stageFor(counts: EpisodeCounts, situation: Situation, k: number, terminalOnly: boolean): 1 | 2 | 3 {
  const pick = (c: { total: number; terminal: number } | undefined) => (c ? (terminalOnly ? c.terminal : c.total) : 0);
  if (pick(counts.exact.get(situationKey(situation))) >= k) return 1;
  return pick(counts.segment.get(segmentKey(situation))) >= k ? 2 : 3;
}

async function measureRows(
  db: Database,
  memory: Memory,
  redis: ShortTermMemory | null,
  world: World,
  parameters: Parameters,
  signal: AbortSignal,
): Promise<Row[]> {
  const kind = db.kind;
  const totalCalls = parameters.warmupCalls + parameters.calls;
  const conversationIds = world.contexts.map((c) => c.conversationId);
  const leadIds = world.leads.map(({ lead }) => lead.leadId);
  const counts = await episodeCounts(db);
  const nodes = await memory.semantic.findNodes({ limit: 10_000 });
  const subjects = (await db.prisma.$queryRaw<{ id: string }[]>`SELECT DISTINCT "subjectId" AS id FROM "SemanticEdge" ORDER BY 1`).map((r) => r.id);
  const segments = INDUSTRIES.flatMap((industry) => PERSONAS.map((persona) => segmentId(industry, persona)));
  const hubs = CHANNELS.map(channelId);

  // Situations: drawn from the leads' own distribution (typical), or chosen among the
  // combinations with fewer exact matches than the call asks for (rare: stage 2), or
  // with a source no episode has (unseen: everything from stage 2).
  const typical = generatePopulation({ size: totalCalls, seed: SEED + 7, idPrefix: 'probe' }).map(({ lead }) => situationOf(lead));
  const everySituation = allSituations(counts.sources);
  const rare = (k: number, terminalOnly: boolean) => {
    const n = (s: Situation) => {
      const c = counts.exact.get(situationKey(s));
      return c ? (terminalOnly ? c.terminal : c.total) : 0;
    };
    let chosen = everySituation.filter((s) => n(s) >= 1 && n(s) < k);
    if (chosen.length === 0)
      chosen = everySituation
        .filter((s) => n(s) >= 1)
        .sort((a, b) => n(a) - n(b))
        .slice(0, 20);
    const sizes = chosen.map(n);
    return { situations: chosen, label: `${chosen.length} rare combinations, ${Math.min(...sizes)}–${Math.max(...sizes)} exact matches` };
  };
  const unseen = allSituations(['tiktok']);

  const draw = <T>(values: readonly T[], seed: number) => {
    const random = mulberry32(seed);
    const drawn = Array.from({ length: totalCalls }, () => values[Math.floor(random() * values.length)]!);
    return (i: number) => drawn[i]!;
  };

  const episodic = (
    operation: string,
    keys: string,
    situations: (i: number) => Situation,
    k: number,
    terminalOnly: boolean,
    call: (s: Situation) => Promise<number>,
  ): RowSpec => ({
    tier: 'episodic',
    operation,
    store: kind,
    keys,
    call: (i) => call(situations(i)),
    stageOf: (i) => stageFor(counts, situations(i), k, terminalOnly),
  });
  const typicalAt = (i: number) => typical[i]!;
  const rare10 = rare(10, false);
  const rare50 = rare(50, true);
  const rare10At = draw(rare10.situations, SEED + 11);
  const rare50At = draw(rare50.situations, SEED + 12);
  const unseenAt = draw(unseen, SEED + 13);
  const similar10 = (s: Situation) => memory.episodes.similar(s, { k: 10 }).then((r) => r.length);
  const similar50 = (s: Situation) => memory.episodes.similar(s, { k: 50, terminalOnly: true }).then((r) => r.length);
  const evidence = (s: Situation) => memory.episodes.conversionEvidence(s).then((r) => r.considered);

  const conversationAt = draw(conversationIds, SEED + 1);
  const leadAt = draw(leadIds, SEED + 2);
  const nodeAt = draw(
    nodes.map((n) => n.id),
    SEED + 3,
  );
  const segmentAt = draw(segments, SEED + 4);
  const subjectAt = draw(subjects, SEED + 5);
  const hubAt = draw(hubs, SEED + 6);

  const specs: RowSpec[] = [
    {
      tier: 'short-term',
      operation: 'shortTerm.retrieve(conversationId)',
      store: 'in-process',
      keys: `random of ${conversationIds.length} live contexts`,
      call: (i) => memory.shortTerm.retrieve(conversationAt(i)).then((c) => (c ? 1 : 0)),
    },
    ...(redis
      ? [
          {
            tier: 'short-term',
            operation: 'shortTerm.retrieve(conversationId)',
            store: 'redis',
            keys: `random of ${conversationIds.length} live contexts`,
            call: (i: number) => redis.retrieve(conversationAt(i)).then((c) => (c ? 1 : 0)),
          } satisfies RowSpec,
        ]
      : []),
    {
      tier: 'long-term',
      operation: 'profiles.retrieve(leadId)',
      store: kind,
      keys: `random of ${leadIds.length} leads`,
      call: (i) => memory.profiles.retrieve(leadAt(i)).then((p) => (p ? 1 : 0)),
    },
    episodic('episodes.similar(s, { k: 10 })', 'typical: lead distribution', typicalAt, 10, false, similar10),
    episodic('episodes.similar(s, { k: 10 })', `rare: ${rare10.label}`, rare10At, 10, false, similar10),
    episodic('episodes.similar(s, { k: 50, terminalOnly })', 'typical: lead distribution', typicalAt, 50, true, similar50),
    episodic('episodes.similar(s, { k: 50, terminalOnly })', `rare: ${rare50.label}`, rare50At, 50, true, similar50),
    episodic('episodes.conversionEvidence(s)', 'typical: lead distribution', typicalAt, 50, true, evidence),
    episodic('episodes.conversionEvidence(s)', `rare: ${rare50.label}`, rare50At, 50, true, evidence),
    episodic('episodes.conversionEvidence(s)', 'unseen source (0 exact matches)', unseenAt, 50, true, evidence),
    {
      tier: 'semantic',
      operation: 'semantic.neighbours(id)',
      store: kind,
      keys: `random of ${nodes.length} nodes`,
      call: (i) => memory.semantic.neighbours(nodeAt(i)).then((f) => f.length),
    },
    {
      tier: 'semantic',
      operation: "semantic.topObjects(segment, 'RESPONDS_ON')",
      store: kind,
      keys: `random of ${segments.length} segments`,
      call: (i) => memory.semantic.topObjects(segmentAt(i), RESPONDS_ON).then((f) => f.length),
    },
    {
      tier: 'semantic',
      operation: 'semantic.paths(from, { maxDepth: 3 })',
      store: kind,
      keys: `random of ${subjects.length} nodes with outgoing facts`,
      call: (i) => memory.semantic.paths(subjectAt(i), { maxDepth: 3 }).then((p) => p.length),
    },
    {
      tier: 'semantic',
      operation: 'semantic.subgraph(id, 2)',
      store: kind,
      keys: `random of ${nodes.length} nodes`,
      call: (i) => memory.semantic.subgraph(nodeAt(i), 2).then((g) => g.nodes.length),
    },
    {
      tier: 'semantic',
      operation: 'semantic.subgraph(id, 2)',
      store: kind,
      keys: 'hub: one of the 4 channel nodes',
      call: (i) => memory.semantic.subgraph(hubAt(i), 2).then((g) => g.nodes.length),
    },
    {
      tier: 'semantic',
      operation: "semantic.factsByPredicate('RESPONDS_ON')",
      store: kind,
      keys: 'the one predicate',
      call: () => memory.semantic.factsByPredicate(RESPONDS_ON).then((f) => f.length),
    },
  ];

  const rows: Row[] = [];
  for (const spec of specs) {
    const sizes: number[] = [];
    const stages = { pastExact: 0, pastSegment: 0, measured: 0 };
    const cpu = watchCpu([process.pid]);
    const stats = await timeCalls(
      { warmup: parameters.warmupCalls, calls: parameters.calls, budgetSeconds: parameters.rowSeconds, minCalls: MIN_CALLS, signal },
      async (i) => {
        const size = await spec.call(i);
        if (i < parameters.warmupCalls) return;
        sizes.push(size);
        if (spec.stageOf) {
          const stage = spec.stageOf(i);
          stages.measured++;
          if (stage >= 2) stages.pastExact++;
          if (stage >= 3) stages.pastSegment++;
        }
      },
    );
    const shares = cpu.stop();
    const targetMs = TARGET_MS[spec.tier];
    const row: Row = {
      tier: spec.tier,
      operation: spec.operation,
      store: spec.store,
      keys: spec.keys,
      stats,
      targetMs,
      met: stats.p95 < targetMs,
      meanResultSize: sizes.length ? Math.round((sizes.reduce((a, b) => a + b, 0) / sizes.length) * 10) / 10 : null,
      stages: spec.stageOf ? { pastExact: stages.pastExact / stages.measured, pastSegment: stages.pastSegment / stages.measured } : null,
      cpu: {
        bench: round2(shares.loadGenerator),
        postgres: shares.postgres === undefined ? undefined : round2(shares.postgres),
        other: shares.other === undefined ? undefined : round2(shares.other),
      },
    };
    rows.push(row);
    progress(`  ${spec.operation} [${spec.store}; ${spec.keys}]: p50 ${formatMs(stats.p50)} ms, p95 ${formatMs(stats.p95)} ms over ${stats.calls} calls`);
  }
  return rows;
}

/**
 * Consolidation as the server runs it: first what was pending (the live contexts'
 * learned slots, the history's outcomes), then after outcomes were recorded for
 * OUTCOME_LEADS open leads, then once more with nothing new.
 */
async function measureConsolidation(memory: Memory, world: World): Promise<ConsolidationRow[]> {
  const rows: ConsolidationRow[] = [];
  const run = async (name: string) => {
    const started = performance.now();
    const report = await memory.consolidator.run();
    const wallMs = Math.round(performance.now() - started);
    rows.push({ run: name, wallMs, report });
    progress(
      `  consolidation (${name}): ${report.durationMs} ms; contexts ${report.shortTerm.contextsRead}, profiles ${report.longTerm.profilesUpdated}, ` +
        `episodes ${report.episodic.episodesWritten}, facts ${report.semantic.factsReweighted}, model ${report.triageModel.version}${report.triageModel.retrained ? ' (retrained)' : ''}`,
    );
  };
  await run('1: pending work (live contexts, no run before)');
  const outcomeLeads = world.openLeadIds.slice(0, OUTCOME_LEADS);
  const interactions = outcomeInteractions(world, outcomeLeads, SEED + 9);
  const started = performance.now();
  await inChunks(interactions, (chunk) => memory.interactions.recordMany(chunk), 2_000);
  progress(`  recorded ${interactions.length} interactions (touchpoints, opens, replies, outcomes) of ${outcomeLeads.length} leads in ${seconds(started)} s`);
  await run(`2: after outcomes of ${outcomeLeads.length} leads`);
  await run('3: again, nothing new');
  return rows;
}

// ── Output ──────────────────────────────────────────────────────────────────

function formatTarget(result: TargetResult): string {
  const latency = markdownTable(
    [
      'Tier',
      'Operation',
      'Store',
      'Keys',
      'Calls',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'mean ms',
      'ops/s',
      'Items',
      'Past exact',
      'Target (p95)',
      'CPU bench/pg/other',
    ],
    result.rows.map((row) => [
      row.tier,
      `\`${row.operation}\``,
      row.store,
      row.keys,
      String(row.stats.calls),
      formatMs(row.stats.p50),
      formatMs(row.stats.p95),
      formatMs(row.stats.p99),
      formatMs(row.stats.mean),
      row.stats.opsPerSecond.toFixed(0),
      row.meanResultSize === null ? '—' : String(row.meanResultSize),
      row.stages
        ? `${Math.round(row.stages.pastExact * 100)} %${row.stages.pastSegment > 0 ? ` (${Math.round(row.stages.pastSegment * 100)} % all)` : ''}`
        : '—',
      `< ${row.targetMs} ms ${row.met ? '✓' : '✗'}`,
      `${[row.cpu.bench, row.cpu.postgres, row.cpu.other].map((cores) => (cores === undefined ? 'n/a' : `${Math.round(cores * 100)}`)).join('/')} %`,
    ]),
    ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'right'],
  );
  const consolidation = markdownTable(
    ['Consolidation run', 'Duration ms', 'Contexts read', 'Profiles updated', 'Episodes written', 'Facts re-weighted', 'Triage model'],
    result.consolidation.map(({ run, report }) => [
      run,
      String(report.durationMs),
      String(report.shortTerm.contextsRead),
      String(report.longTerm.profilesUpdated),
      String(report.episodic.episodesWritten),
      String(report.semantic.factsReweighted),
      `${report.triageModel.version}${report.triageModel.retrained ? ` (retrained on ${report.triageModel.outcomes} outcomes)` : ' (unchanged)'}`,
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  const loading = markdownTable(
    ['Loading step', 'Rows', 'Seconds'],
    result.population.map((s) => [s.step, String(s.rows), s.seconds.toFixed(1)]),
    ['left', 'right', 'right'],
  );
  const { counts } = result;
  const held =
    `Held: ${counts.longTerm.profiles} profiles, ${counts.episodic.episodes} episodes ` +
    `(${Object.entries(counts.episodic.byOutcome)
      .map(([o, n]) => `${o.toLowerCase()} ${n}`)
      .join(', ')}), ` +
    `${counts.semantic.nodes} knowledge nodes / ${counts.semantic.facts} facts, ${counts.shortTerm.activeContexts} live contexts (in-process).`;
  const notes = result.omissions.map((o) => `${o.what}: skipped: ${o.reason}`);
  return [
    `## Memory tiers on ${result.target}${result.analyzed ? ' (after ANALYZE)' : ''}`,
    '',
    held,
    '',
    latency,
    '',
    '"Items": mean results per call (contexts, profiles, episodes, weighted episodes considered, facts, paths, nodes). ' +
      '"Past exact": share of calls whose situation has fewer exact matches than asked for, so the episode store reads its second stage ' +
      '(same industry and company size); "all": its third (every episode). ' +
      '"CPU": average use during the row in % of one core: this process (Baton\'s memory, and PGlite inside it), every postgres process on the machine, everything else.',
    '',
    consolidation,
    '',
    loading,
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

process.exitCode = await main().catch((error: unknown) => {
  progress(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
