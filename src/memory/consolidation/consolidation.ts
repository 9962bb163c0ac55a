// Memory consolidation, as in the specification's flow: what short-term memory
// and the interaction log taught is moved into the lasting tiers. Profiles get
// their behavioural aggregates and the slots learned in conversation; conversations
// that reached an outcome become episodes; segments' response rates re-weight
// the knowledge graph; the triage model is refitted when outcomes changed.
//
// Incremental: a run reads only what was recorded since the previous run's
// watermark (minus an overlap, so a transaction that committed late is not
// missed). Idempotent: everything it writes is recomputed from the full history
// of the leads it touches (absolute values, upserts keyed by lead), so a second
// run over the same data changes nothing. Exactly once across replicas: a run
// holds a PostgreSQL advisory lock for its transaction.
//
// One bad record never stops a run: a short-term context PostgreSQL could not
// store (NUL or an unpaired surrogate in its lead id or slots: written before the
// input rules, by an older version, or by hand in Redis), or one that is no
// JSON at all, is skipped and reported
// (`onSkippedRecord`, a warning naming its key, never its values), and the rest
// is consolidated. Otherwise the same record would fail every run until it expired.
import { randomUUID } from 'node:crypto';
import { encodingReason, jsonProblemsAt, type UnstorableReason } from '../../domain/input-rules.js';
import type { Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import type { TriageDriftState } from '../triage-model/triage-drift.js';
import type { TriageModelStore } from '../triage-model/triage-model-store.js';
import type { Logger } from '../../logger.js';
import type { EpisodeStore } from '../episodic/episode-store.js';
import type { JsonValue } from '../json.js';
import type { LeadProfileStore } from '../long-term/lead-profile-store.js';
import type { SemanticMemory } from '../semantic/semantic-memory.js';
import type { ShortTermMemory } from '../short-term/short-term-memory.js';
import { behaviourAggregates } from './behaviour-aggregates.js';
import { deriveEpisode } from './episode-derivation.js';
import { segmentResponseFacts, type Segment } from './segment-response-rates.js';

export interface ConsolidationReport {
  runId: string;
  /** True when another replica held the lock (only scheduled runs skip; on-demand runs wait). */
  skipped: boolean;
  startedAt: Date;
  durationMs: number;
  /** This run read what was recorded from here on (null: from the beginning). */
  since: Date | null;
  /** The next run starts here (minus the overlap). */
  watermark: Date;
  shortTerm: { contextsRead: number };
  longTerm: { profilesUpdated: number };
  episodic: { episodesWritten: number };
  semantic: { factsReweighted: number };
  triageModel: ConsolidatedTriageModel;
}

/** What a run did to the triage model: the version scoring leads after it, and the fit and drift check it ran. */
export interface ConsolidatedTriageModel {
  /** The version in use after the run (the newest promoted one). */
  version: string;
  /** A new version was fitted (outcomes changed since the last fit). */
  retrained: boolean;
  outcomes: number;
  /** The version fitted by this run, and whether it was promoted; null when nothing was fitted. */
  fitted: { version: string; promoted: boolean } | null;
  /** The drift check run with the fit (null when nothing was fitted). */
  drift: { state: TriageDriftState; detected: boolean; recovered: boolean; pValue: number | null } | null;
}

export interface ConsolidatorDependencies {
  prisma: PrismaClient;
  shortTerm: ShortTermMemory;
  profiles: LeadProfileStore;
  episodes: EpisodeStore;
  semantic: SemanticMemory;
  triageModels: TriageModelStore;
  serverId: string;
  logger: Logger;
  /** A touchpoint unanswered this long becomes an IGNORED episode. */
  ignoredAfterMs: number;
  now?: () => Date;
  /** Told of each record a run skipped because it cannot be stored (the server counts them in /metrics). */
  onSkippedRecord?: (skipped: SkippedRecord) => void;
  /** Told of each run's report once it is committed (the server publishes triage model events and gauges from it). */
  onReport?: (report: ConsolidationReport) => void;
}

/** A record consolidation left out: which tier, its key, and why (a bounded label). */
export interface SkippedRecord {
  tier: 'short_term';
  key: string;
  field: string;
  reason: UnstorableReason;
}

export interface Consolidator {
  /** `wait`: queue behind a run in progress elsewhere (on demand) instead of skipping (scheduled). */
  run(options?: { wait?: boolean }): Promise<ConsolidationReport>;
  /** Waits for the runs this process started. */
  stop(): Promise<void>;
  lastReport(): Promise<ConsolidationReport | null>;
  /** The runs kept (the last RUNS_KEPT), newest first, at most `limit`. */
  recentReports(limit: number): Promise<ConsolidationReport[]>;
}

/** Any 64-bit constant works; this one spells "baton-consolidate" to whoever reads pg_locks. */
export const CONSOLIDATION_LOCK_KEY = 0x62746e636f6e73n;
/** Re-read this much before the watermark: covers transactions that committed after a run started. */
const OVERLAP_MS = 60_000;
const LEAD_BATCH = 500;
const CONTEXT_PAGE = 1_000;
const RUNS_KEPT = 1_000;
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 300_000 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createConsolidator(deps: ConsolidatorDependencies): Consolidator {
  const now = deps.now ?? (() => new Date());
  const inFlight = new Set<Promise<unknown>>();

  function run(options: { wait?: boolean } = {}): Promise<ConsolidationReport> {
    const running = consolidate(options);
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running)).catch(() => {});
    return running;
  }

  async function consolidate({ wait = true }: { wait?: boolean }): Promise<ConsolidationReport> {
    const started = performance.now();
    const startedAt = now();
    const runId = randomUUID();

    const locked = await deps.prisma.$transaction(async (tx) => {
      if (!(await acquireLock(tx, wait))) return null;
      const previous = await tx.consolidationRun.findFirst({ orderBy: { finishedAt: 'desc' }, select: { watermark: true } });
      const since = previous ? new Date(previous.watermark.getTime() - OVERLAP_MS) : null;

      const { contextsRead, learned } = await readShortTerm(tx, since);
      const leadIds = await affectedLeads(tx, since, startedAt, learned);
      const { profilesUpdated, episodesWritten, segments } = await consolidateLeads(tx, leadIds, learned, startedAt);
      const facts = await segmentResponseFacts(tx, segments);
      const retrain = await deps.triageModels.retrain(tx);
      const report: ConsolidationReport = {
        runId,
        skipped: false,
        startedAt,
        durationMs: 0,
        since,
        watermark: startedAt,
        shortTerm: { contextsRead },
        longTerm: { profilesUpdated },
        episodic: { episodesWritten },
        semantic: { factsReweighted: 0 },
        triageModel: {
          version: retrain.model.version,
          retrained: retrain.fitted !== null,
          outcomes: retrain.model.evidence.outcomes,
          fitted: retrain.fitted && { version: retrain.fitted.version, promoted: retrain.fitted.promoted },
          drift: retrain.drift && {
            state: retrain.drift.state,
            detected: retrain.drift.detected,
            recovered: retrain.drift.recovered,
            pValue: retrain.drift.test?.pValue ?? null,
          },
        },
      };
      return { report, facts };
    }, TRANSACTION_OPTIONS);

    if (!locked) return skippedReport(runId, startedAt, started);
    // The graph may live in Neo4j, outside the relational transaction; its weights
    // are absolute, so a run that fails here is repaired by the next one.
    const report = locked.report;
    report.semantic.factsReweighted = await deps.semantic.upsertFacts(locked.facts);
    report.durationMs = Math.round(performance.now() - started);
    await recordRun(report);
    deps.onReport?.(report);
    deps.logger.info({ consolidation: summary(report) }, 'memory consolidated');
    return report;
  }

  async function acquireLock(tx: Prisma.TransactionClient, wait: boolean): Promise<boolean> {
    if (wait) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CONSOLIDATION_LOCK_KEY})`;
      return true;
    }
    const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${CONSOLIDATION_LOCK_KEY}) AS "locked"`;
    return row?.locked === true;
  }

  /** Slots extracted in conversation, per lead, oldest first so later ones win. */
  async function readShortTerm(tx: Prisma.TransactionClient, since: Date | null) {
    const contexts = new Map<string, Awaited<ReturnType<ShortTermMemory['updatedSince']>>[number]>();
    let cursor = since ?? new Date(0);
    for (;;) {
      const page = await deps.shortTerm.updatedSince(cursor, CONTEXT_PAGE);
      for (const context of page) {
        const unstorable = unstorableContext(context);
        if (unstorable) skip({ tier: 'short_term', key: context.conversationId, ...unstorable });
        else contexts.set(context.conversationId, context);
      }
      const last = page.at(-1);
      if (page.length < CONTEXT_PAGE || !last || last.updatedAt.getTime() === cursor.getTime()) break;
      cursor = last.updatedAt;
    }
    const ordered = [...contexts.values()].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
    const unlinked = ordered.filter((c) => !c.leadId && UUID.test(c.conversationId)).map((c) => c.conversationId);
    const conversations = unlinked.length ? await tx.conversation.findMany({ where: { id: { in: unlinked } }, select: { id: true, leadId: true } }) : [];
    const leadOfConversation = new Map(conversations.map((c) => [c.id, c.leadId]));

    const learned = new Map<string, Record<string, JsonValue>>();
    for (const context of ordered) {
      const leadId = context.leadId ?? leadOfConversation.get(context.conversationId);
      if (!leadId || Object.keys(context.extractedSlots).length === 0) continue;
      learned.set(leadId, { ...learned.get(leadId), ...context.extractedSlots });
    }
    return { contextsRead: contexts.size, learned };
  }

  function skip(record: SkippedRecord): void {
    deps.onSkippedRecord?.(record);
    // The key and the field name, never the value: slots hold what leads said.
    deps.logger.warn(
      { consolidation: { skipped: { tier: record.tier, key: record.key, field: record.field, reason: record.reason } } },
      'consolidation skipped a record that cannot be stored',
    );
  }

  async function affectedLeads(tx: Prisma.TransactionClient, since: Date | null, runStart: Date, learned: Map<string, unknown>): Promise<string[]> {
    const from = since ?? new Date(0);
    const windowFrom = new Date(from.getTime() - deps.ignoredAfterMs);
    const windowTo = new Date(runStart.getTime() - deps.ignoredAfterMs);
    const rows = await tx.$queryRaw<{ leadId: string }[]>`
      SELECT "leadId" FROM "Interaction" WHERE "createdAt" >= ${from}
      UNION
      SELECT "leadId" FROM "Interaction"
      WHERE "type" = 'TOUCHPOINT_SENT' AND "occurredAt" >= ${windowFrom} AND "occurredAt" < ${windowTo}`;
    const ids = new Set(rows.map((row) => row.leadId));
    if (learned.size > 0) {
      const known = await tx.lead.findMany({ where: { id: { in: [...learned.keys()] } }, select: { id: true } });
      for (const { id } of known) ids.add(id);
    }
    return [...ids].sort();
  }

  async function consolidateLeads(tx: Prisma.TransactionClient, leadIds: string[], learned: Map<string, Record<string, JsonValue>>, runStart: Date) {
    let profilesUpdated = 0;
    let episodesWritten = 0;
    const segments = new Map<string, Segment>();
    for (let i = 0; i < leadIds.length; i += LEAD_BATCH) {
      const batch = leadIds.slice(i, i + LEAD_BATCH);
      // Locked before they are read: a score appended or an unsubscribe recorded
      // meanwhile waits for this transaction instead of being overwritten by it.
      await deps.profiles.lock(tx, batch);
      const leads = await tx.lead.findMany({
        where: { id: { in: batch } },
        include: { interactions: { select: { type: true, channel: true, template: true, occurredAt: true } }, profile: true, episode: true },
      });
      const episodes = [];
      for (const lead of leads) {
        const aggregates = behaviourAggregates(lead.interactions);
        if (await deps.profiles.consolidate(tx, lead.id, aggregates, learned.get(lead.id) ?? {}, lead.profile)) profilesUpdated++;
        const episode = deriveEpisode(lead, lead.interactions, runStart, deps.ignoredAfterMs);
        if (episode) episodes.push({ episode, existing: lead.episode });
        if (lead.persona && lead.interactions.some((i) => i.type === 'TOUCHPOINT_SENT')) {
          segments.set(`${lead.industry}/${lead.persona}`, { industry: lead.industry, persona: lead.persona });
        }
      }
      episodesWritten += await deps.episodes.writeForLeads(tx, episodes);
    }
    return { profilesUpdated, episodesWritten, segments: [...segments.values()] };
  }

  async function recordRun(report: ConsolidationReport): Promise<void> {
    await deps.prisma.consolidationRun.create({
      data: {
        id: report.runId,
        startedAt: report.startedAt,
        finishedAt: now(),
        watermark: report.watermark,
        report: JSON.parse(JSON.stringify(report)) as Prisma.InputJsonValue,
        serverId: deps.serverId,
      },
    });
    await deps.prisma.$executeRaw`
      DELETE FROM "ConsolidationRun" WHERE "finishedAt" < (
        SELECT "finishedAt" FROM "ConsolidationRun" ORDER BY "finishedAt" DESC OFFSET ${RUNS_KEPT} LIMIT 1)`;
  }

  function skippedReport(runId: string, startedAt: Date, started: number): ConsolidationReport {
    return {
      runId,
      skipped: true,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      since: null,
      watermark: startedAt,
      shortTerm: { contextsRead: 0 },
      longTerm: { profilesUpdated: 0 },
      episodic: { episodesWritten: 0 },
      semantic: { factsReweighted: 0 },
      triageModel: { version: '', retrained: false, outcomes: 0, fitted: null, drift: null },
    };
  }

  return {
    run,
    async stop() {
      await Promise.allSettled([...inFlight]);
    },
    async lastReport() {
      const last = await deps.prisma.consolidationRun.findFirst({ orderBy: { finishedAt: 'desc' }, select: { report: true } });
      return last ? reviveReport(last.report) : null;
    },
    async recentReports(limit) {
      const runs = await deps.prisma.consolidationRun.findMany({ orderBy: { finishedAt: 'desc' }, take: limit, select: { report: true } });
      return runs.map((run) => reviveReport(run.report));
    },
  };
}

function summary(report: ConsolidationReport) {
  return {
    durationMs: report.durationMs,
    contexts: report.shortTerm.contextsRead,
    profiles: report.longTerm.profilesUpdated,
    episodes: report.episodic.episodesWritten,
    facts: report.semantic.factsReweighted,
    model: report.triageModel.version,
  };
}

function reviveReport(stored: unknown): ConsolidationReport {
  const report = stored as ConsolidationReport & { startedAt: string; since: string | null; watermark: string };
  return { ...report, startedAt: new Date(report.startedAt), since: report.since ? new Date(report.since) : null, watermark: new Date(report.watermark) };
}

/** The first field of a context PostgreSQL could not store, and why; undefined when it can be consolidated. */
function unstorableContext(context: {
  conversationId: string;
  leadId: string | null;
  extractedSlots: Record<string, JsonValue>;
  unreadable?: true;
}): Omit<SkippedRecord, 'tier' | 'key'> | undefined {
  if (context.unreadable) return { field: '(record)', reason: 'unreadable' };
  for (const [field, value] of [
    ['conversationId', context.conversationId],
    ['leadId', context.leadId],
  ] as const) {
    const reason = value === null ? undefined : encodingReason(value);
    if (reason) return { field, reason };
  }
  const [problem] = jsonProblemsAt(context.extractedSlots).filter((found) => found.reason !== 'too_long');
  return problem ? { field: 'extractedSlots', reason: problem.reason as UnstorableReason } : undefined;
}
