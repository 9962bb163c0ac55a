// `npm run bench`: throughput, latency and the flows' own times of Baton's lead
// intake and lead lookup, on embedded PGlite and (when reachable) PostgreSQL,
// next to a bare node:http server as the ceiling of this machine. The working
// tree runs compiled, as production does, in one process and (PostgreSQL) as an
// API process plus agent worker processes; with BENCH_BASELINE_REF an older
// commit runs the same scenarios in the same run, each target on a fresh
// database of the same kind, and the table gives the ratio. Prints the tables
// and writes bench/results/baseline-<timestamp>.json. See bench/README.md.
//
// Environment: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 3),
// BENCH_CONNECTIONS (default 50), BENCH_DATABASE_URL / DATABASE_URL (PostgreSQL
// server to create the benchmark databases on; default the local one),
// BENCH_DATABASES (default pglite,postgres), BENCH_BASELINE_REF (a git ref to
// compare with), BENCH_WORKERS (agent roles of each worker process of the split
// configuration, default triage,engagement,optimization; none: no split row),
// BENCH_REDIS_URL / REDIS_URL (Redis of the split configuration; none: without).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTokenService } from '../src/auth/jwt.js';
import { loadConfig } from '../src/config.js';
import { prepareBaseline, prepareCurrent, type BatonBuild } from './builds.js';
import { Cleanup, cleanUpOnSignals, InterruptedError } from './cleanup.js';
import { sampleMachineBusy } from './cpu.js';
import { createPgliteDatabase, createPostgresDatabase, postgresAdminUrl, redactUrl, type BenchDatabase, type DatabaseKind } from './databases.js';
import { isFlowTimes, readFlowTimes } from './flows.js';
import { runLoad, type LoadResult } from './load.js';
import { deleteKeysAfterwards, probeRedis, redisUrl } from './redis.js';
import {
  assessGoal,
  formatDisturbances,
  formatFlowTable,
  formatGoal,
  formatServerLogs,
  formatTable,
  machineInfo,
  writeJsonReport,
  type GoalAssessment,
  type Measurement,
  type Omission,
  type Parameters,
} from './report.js';
import {
  bareScenario,
  jsonRpcTriageScenario,
  leadBody,
  leadQueryScenario,
  LeadIds,
  processLeadMutationScenario,
  processLeadScenario,
  type Scenario,
} from './scenarios.js';
import { REPO_ROOT, startBareServer, startBaton, waitUntilIdle, type Target } from './targets.js';

const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
/** Above this busy share before the run, the report warns that the machine was not quiet. */
const BUSY_MACHINE = 0.2;
const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];
const DEFAULT_WORKERS = 'triage,engagement,optimization';
const NONE = 'none';

function readParameters(env: NodeJS.ProcessEnv = process.env): Parameters {
  return {
    durationSeconds: positiveNumber(env, 'BENCH_DURATION', 10),
    warmupSeconds: positiveNumber(env, 'BENCH_WARMUP', 3),
    connections: positiveNumber(env, 'BENCH_CONNECTIONS', 50),
    pipelining: 1,
    serverLogLevel: 'warn',
    // Passed through to Baton unchanged; read with Baton's own parser so the default is Baton's.
    databasePoolSize: loadConfig({ DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE }).databasePoolSize,
    postgres: (({ url, source }) => ({ url: redactUrl(url), source }))(postgresAdminUrl(env)),
    databases: databaseKinds(env.BENCH_DATABASES),
    baselineRef: env.BENCH_BASELINE_REF || null,
    workers: workerRoles(env.BENCH_WORKERS),
    splitRedis: null,
  };
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function databaseKinds(raw: string | undefined): DatabaseKind[] {
  if (!raw) return DATABASE_KINDS;
  const kinds = raw.split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !DATABASE_KINDS.includes(kind as DatabaseKind));
  if (unknown.length > 0 || kinds.length === 0) throw new Error(`BENCH_DATABASES must list ${DATABASE_KINDS.join(' and/or ')}, got "${raw}"`);
  return DATABASE_KINDS.filter((kind) => kinds.includes(kind));
}

/** `triage;engagement,optimization`: a process per `;`-separated group, each with its comma-separated roles (Baton checks the names). */
function workerRoles(raw: string | undefined): string[][] {
  const value = raw || DEFAULT_WORKERS;
  if (value === NONE) return [];
  const groups = value.split(';').map((group) => group.split(',').map((role) => role.trim()));
  if (groups.some((group) => group.some((role) => role === '' || role === 'api'))) {
    throw new Error(`BENCH_WORKERS must be agent roles, comma-separated within a process and ; between processes (or ${NONE}), got "${raw}"`);
  }
  return groups;
}

/** Everything one run shares: cleanup, parameters, and a JWT secret known to both sides. */
interface Run {
  id: string;
  cleanup: Cleanup;
  parameters: Parameters;
  jwtSecret: string;
}

/** One way of running Baton: which code, and as one process or as API + worker processes. */
interface Variant {
  code: 'baseline' | 'current';
  /** The table's label. */
  target: string;
  /** A short key for lead ids and Redis prefixes. */
  key: string;
  build: BatonBuild;
  workers: string[][];
  /** The split configuration's Redis, when it has one. */
  redisUrl: string | null;
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const run: Run = {
    id: randomBytes(4).toString('hex'),
    cleanup: new Cleanup(),
    parameters: readParameters(),
    jwtSecret: randomBytes(32).toString('hex'),
  };
  cleanUpOnSignals(run.cleanup);
  const { durationSeconds, warmupSeconds, connections, baselineRef } = run.parameters;
  progress(`Baton benchmark: ${connections} connections, ${warmupSeconds} s warm-up + ${durationSeconds} s per scenario`);

  const measurements: Measurement[] = [];
  const omissions: Omission[] = [];
  const variants: Variant[] = [];
  let busyBeforeStart = 0;
  let interrupted = false;
  try {
    // Builds first: they take CPU, and the machine is sampled for quiet after them.
    progress("▸ building the working tree (its start script's build step)…");
    const current = await prepareCurrent(REPO_ROOT);
    const baseline = baselineRef ? await prepareBaseline(run.cleanup, REPO_ROOT, baselineRef, progress) : null;
    variants.push(...(await listVariants(run, current, baseline)));
    for (const { target, build } of variants) progress(`  ${target}: ${build.description}; started with ${build.start}`);
    for (const problem of baseline?.packageProblems ?? []) progress(`  ⚠ baseline on today's packages: ${problem}`);

    busyBeforeStart = await sampleMachineBusy(1000);
    progress(`  machine before start: ${Math.round(busyBeforeStart * 100)} % of all cores busy\n`);

    await attempt(run, 'bare node:http', omissions, async () => measurements.push(...(await measureBare(run))));
    for (const kind of run.parameters.databases) {
      for (const variant of variants.filter((v) => kind === 'postgres' || v.workers.length === 0)) {
        const target = `${kind}, ${variant.target}`;
        const skipped = omissions.some((o) => o.outcome === 'skipped' && o.target.startsWith(kind));
        if (skipped) continue;
        await attempt(run, target, omissions, async () => {
          const database = kind === 'pglite' ? await createPgliteDatabase(run.cleanup) : await createPostgresDatabase(run.cleanup, postgresAdminUrl().url);
          if ('skipped' in database) {
            omissions.push({ target, outcome: 'skipped', reason: database.skipped });
            progress(`\n▸ PostgreSQL: skipped: ${database.skipped}`);
            return;
          }
          measurements.push(...(await measureBaton(run, variant, database)));
        });
      }
    }
  } catch (error) {
    // A build that failed: nothing to measure.
    if (!(error instanceof InterruptedError || run.cleanup.signal.aborted)) throw error;
  } finally {
    // Aborted before our own cleanup means a signal came: its handler is
    // cleaning up too and will exit; no half report.
    interrupted = run.cleanup.signal.aborted;
    await run.cleanup.runAll();
  }
  if (interrupted) return 130;

  const goal = assessGoal(measurements);
  printReport(run, variants, measurements, omissions, goal, busyBeforeStart);
  const path = await writeJsonReport(
    RESULTS_DIR,
    {
      kind: 'baton-benchmark-baseline',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...machineInfo(), busyBeforeStart },
      parameters: run.parameters,
      builds: variants.map(({ target, code, workers, redisUrl, build }) => ({
        target,
        code,
        description: build.description,
        commit: build.commit,
        start: build.start,
        processes: workers.length > 0 ? ['api', ...workers.map((roles) => roles.join(','))] : ['all roles'],
        redis: redisUrl ? redactUrl(redisUrl) : null,
        packageProblems: build.packageProblems,
      })),
      goal,
      results: measurements,
      omissions,
    },
    startedAt,
  );
  console.log(`\nJSON: ${path}`);
  return omissions.some((o) => o.outcome === 'failed') ? 1 : 0;
}

/**
 * Baseline (when asked for), then the current code in one process, then the
 * current code as separate processes (PostgreSQL only: PGlite is one
 * process's database) with Redis when it answers.
 */
async function listVariants(run: Run, current: BatonBuild, baseline: BatonBuild | null): Promise<Variant[]> {
  const variants: Variant[] = [];
  if (baseline) variants.push({ code: 'baseline', target: `baseline ${baseline.commit}`, key: 'baseline', build: baseline, workers: [], redisUrl: null });
  variants.push({ code: 'current', target: 'current', key: 'current', build: current, workers: [], redisUrl: null });
  const { workers, databases } = run.parameters;
  if (workers.length === 0 || !databases.includes('postgres')) return variants;
  const url = redisUrl();
  const probe = url ? await probeRedis(url) : { unusable: 'BENCH_REDIS_URL=none' };
  if ('unusable' in probe) progress(`  split configuration without Redis (${probe.unusable}): events over PostgreSQL LISTEN/NOTIFY`);
  const redis = 'ok' in probe ? url : null;
  run.parameters.splitRedis = redis ? redactUrl(redis) : null;
  const processes = 1 + workers.length;
  variants.push({ code: 'current', target: `current, ${processes} processes`, key: 'split', build: current, workers, redisUrl: redis });
  return variants;
}

/** One target failing (it would not start, it crashed) is reported; the other targets still run. */
async function attempt(run: Run, target: string, omissions: Omission[], work: () => Promise<unknown>): Promise<void> {
  if (run.cleanup.signal.aborted) return;
  try {
    await work();
  } catch (error) {
    // Interrupted: whatever broke, broke because we are stopping it.
    if (error instanceof InterruptedError || run.cleanup.signal.aborted) return;
    const reason = error instanceof Error ? error.message : String(error);
    omissions.push({ target, outcome: 'failed', reason });
    progress(`\n✗ ${target} failed: ${reason}`);
  }
}

async function measureBare(run: Run): Promise<Measurement[]> {
  progress('▸ bare node:http: starting…');
  const server = await startBareServer(run.cleanup);
  try {
    const scenario = bareScenario(new LeadIds(`bench-${run.id}-bare`));
    return [{ scenario: scenario.name, database: 'none', code: 'none', target: '—', result: await measure(run, server, scenario) }];
  } finally {
    await server.stop();
  }
}

/**
 * One variant of Baton on a fresh database: lead intake over REST and GraphQL,
 * triage over JSON-RPC, then lookups of a lead stored during warm-up. The flows'
 * times are read once the servers have stopped (PGlite is theirs until then).
 */
async function measureBaton(run: Run, variant: Variant, database: BenchDatabase): Promise<Measurement[]> {
  try {
    const processes = variant.workers.length > 0 ? `: api | ${variant.workers.map((roles) => roles.join(',')).join(' | ')}` : '';
    progress(`\n▸ ${variant.target} on ${database.kind} (${database.location})${processes}: starting…`);
    const env: Record<string, string> = { ...database.env, JWT_SECRET: run.jwtSecret };
    if (variant.redisUrl) {
      const prefix = `baton-bench-${run.id}-${variant.key}:`;
      Object.assign(env, { REDIS_URL: variant.redisUrl, REDIS_KEY_PREFIX: prefix });
      deleteKeysAfterwards(run.cleanup, variant.redisUrl, prefix);
    }
    const server = await startBaton(run.cleanup, variant.build, env, variant.workers);
    const measured: (Measurement & { startsFlows: boolean })[] = [];
    try {
      const token = await createTokenService(run.jwtSecret).sign({ subject: 'bench', roles: ['admin'] });
      const ids = new LeadIds(`bench-${run.id}-${database.kind}-${variant.key}`);
      const intake = processLeadScenario(token, ids);
      const row = (scenario: Scenario, result: LoadResult) => ({
        scenario: scenario.name,
        database: database.kind,
        code: variant.code,
        target: variant.target,
        result,
        startsFlows: scenario.startsFlows ?? false,
      });

      // A single checked request first (it is the warm-up's first lead): a
      // wrong token or a broken pipeline is reported as such, not as a table
      // full of non-2xx.
      const firstLeadId = ids.issue();
      await expectSuccess(server, { ...intake, body: leadBody(firstLeadId) });
      measured.push(row(intake, await measure(run, server, intake)));
      for (const scenario of [processLeadMutationScenario(token, ids), jsonRpcTriageScenario(token, ids), leadQueryScenario(token, firstLeadId)]) {
        await settle(server);
        await expectSuccess(server, scenario);
        measured.push(row(scenario, await measure(run, server, scenario)));
      }
      // The last scenario's flows run out before the servers stop.
      await settle(server);
    } finally {
      await server.stop();
    }
    return await withFlowTimes(database, measured);
  } finally {
    await database.drop();
  }
}

/** Reads the flow and queue times of the scenarios that start flows, by their measured windows. */
async function withFlowTimes(database: BenchDatabase, measured: (Measurement & { startsFlows: boolean })[]): Promise<Measurement[]> {
  if (!measured.some((m) => m.startsFlows)) return measured.map(({ startsFlows: _, ...m }) => m);
  const sql = await database.open();
  try {
    const results: Measurement[] = [];
    for (const { startsFlows, ...measurement } of measured) {
      if (!startsFlows) {
        results.push(measurement);
        continue;
      }
      const flows = await readFlowTimes(sql, measurement.result.window);
      results.push({ ...measurement, flows });
      const summary = isFlowTimes(flows)
        ? `${flows.submitted} flows submitted in the window, ${flows.submitted - (flows.statuses.IN_PROGRESS ?? 0)} settled, end to end p95 ${flows.endToEndMs?.p95.toFixed(1) ?? '—'} ms`
        : flows.unavailable;
      progress(`  ${measurement.scenario} flows: ${summary}`);
    }
    return results;
  } finally {
    await sql.close();
  }
}

/** Warm-up then measurement, in one load run (see load.ts for why). */
async function measure(run: Run, target: Target, scenario: Scenario): Promise<LoadResult> {
  const { cleanup, parameters } = run;
  const { warmupSeconds, durationSeconds, connections } = parameters;
  progress(`  ${scenario.name}: ${warmupSeconds} s warm-up + ${durationSeconds} s measured…`);
  const result = await runLoad(target, scenario, { warmupSeconds, seconds: durationSeconds, connections, signal: cleanup.signal });
  progress(
    `    ${result.requestsPerSecond.toFixed(1)} req/s, p95 ${result.latencyMs.p95.toFixed(1)} ms, ` + `${result.non2xx} non-2xx, ${result.errors} errors`,
  );
  return result;
}

/** The previous scenario's abandoned requests must not run into the next one. */
async function settle(target: Target): Promise<void> {
  if (!(await waitUntilIdle(target))) progress('  (the server was still busy a minute after the previous scenario; measuring anyway)');
}

async function expectSuccess(target: Target, scenario: Scenario): Promise<void> {
  const response = await fetch(target.url + scenario.path, {
    method: scenario.method,
    headers: scenario.headers,
    body: typeof scenario.body === 'function' ? scenario.body() : scenario.body,
  });
  const text = await response.text();
  if (response.status !== 200 || (scenario.verifyBody && !scenario.verifyBody(text))) {
    throw new Error(`${scenario.name} answered ${response.status} to a single request: ${text.slice(0, 500)}`);
  }
}

function printReport(run: Run, variants: Variant[], measurements: Measurement[], omissions: Omission[], goal: GoalAssessment, busyBeforeStart: number): void {
  const machine = machineInfo();
  console.log(`\nResults: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ${machine.os}`);
  for (const { target, build, workers, redisUrl } of variants) {
    const processes =
      workers.length > 0
        ? `; BATON_ROLES=api | ${workers.map((roles) => roles.join(',')).join(' | ')}, events over ${redisUrl ? `Redis (${redactUrl(redisUrl)})` : 'PostgreSQL LISTEN/NOTIFY'}`
        : '';
    console.log(`  ${target}: ${build.description}; ${build.start}${processes}`);
  }
  for (const problem of variants.flatMap((v) => v.build.packageProblems)) console.log(`  ⚠ baseline on today's packages: ${problem}`);
  console.log(
    [
      "Latency is the load generator's (send to last byte); flow p50/p95: request to first outcome from the database (LeadFlow submittedAt → settledAt),",
      'n/a where the code has no flows (before the queues the flow ran inside the request).',
      ...(variants.some((v) => v.code === 'baseline') ? ['× base: current over baseline, same scenario and database.'] : []),
      'CPU columns: average use during the measured window in % of one core; server = every process of the target, pg = all postgres processes, other = everything else.\n',
    ].join('\n'),
  );
  console.log(formatTable(measurements));
  const flows = formatFlowTable(measurements);
  if (flows)
    console.log(
      `\nFlows and queues, ms (from the database, flows submitted during the measured window; wait: due → taken by a worker, work: the agent's time on it):\n${flows}`,
    );
  if (busyBeforeStart > BUSY_MACHINE) {
    console.log(`\n⚠ The machine was ${Math.round(busyBeforeStart * 100)} % busy before the run started.`);
  }
  const disturbances = formatDisturbances(measurements);
  if (disturbances) console.log(`\n${disturbances}`);
  for (const { target, outcome, reason } of omissions) console.log(`\n${target}: ${outcome}: ${reason}`);
  const logs = formatServerLogs(measurements);
  if (logs) console.log(`\n${logs}`);
  console.log(`\n${formatGoal(goal, omissions, run.parameters.connections)}`);
}

process.exitCode = await main().catch((error: unknown) => {
  progress(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
