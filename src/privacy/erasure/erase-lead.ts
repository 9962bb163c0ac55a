// Erasure of one person (issue 16, "right to be forgotten"): `erase(leadId)`
// removes the lead from every tier and says what went, per tier.
//
//   PostgreSQL  the lead and everything hanging off it, in one transaction: its
//               flows, handoffs and their events, conversation, interactions,
//               profile (long-term memory), episode (episodic memory), outbox
//               messages and their delivery events, manager notices about it,
//               and queued jobs that name any of them; a tombstone keyed by the
//               blind index of the email (./tombstones.ts) takes its place.
//   short-term  the conversation contexts of the lead (Redis or in-process).
//   semantic    nodes that stand for the lead (PostgreSQL tables or Neo4j).
//   replays     Idempotency-Key responses about the lead (Redis or in-process).
//
// The other tiers are cleared before the SQL transaction, so that should Redis
// or Neo4j not answer the request fails (503) with the lead still whole, and a
// retry erases it; and again after the commit, for what a worker still running
// for the lead wrote in between (it then finds the lead gone: every row of it
// references "Lead", so nothing of it can be stored again).
// What the agents learned in aggregate (triage model versions, segment facts,
// campaign metrics and optimization runs) names no one and stays.
import type { Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import { NotFoundError } from '../../errors.js';
import type { SemanticMemory } from '../../memory/semantic/semantic-memory.js';
import type { ShortTermMemory } from '../../memory/short-term/short-term-memory.js';
import type { Logger } from '../../logger.js';
import type { PersonalDataCipher } from '../personal-data-cipher.js';
import { layTombstone } from './tombstones.js';

/** How many records of the person each tier held, now gone. */
export interface ErasureReport {
  leadId: string;
  erasedAt: Date;
  /** False when the lead had no email: nothing keys a tombstone, so re-ingestion cannot be caught. */
  tombstoned: boolean;
  relational: RelationalErasure;
  shortTermContexts: number;
  knowledgeNodes: number;
  idempotencyReplays: number;
}

export interface RelationalErasure {
  leads: number;
  flows: number;
  handoffs: number;
  handoffEvents: number;
  conversations: number;
  interactions: number;
  profiles: number;
  episodes: number;
  outboundMessages: number;
  deliveryEvents: number;
  queuedJobs: number;
}

export interface LeadEraser {
  /** NotFoundError for an unknown lead; nothing is changed then. */
  erase(leadId: string): Promise<ErasureReport>;
}

export interface LeadEraserDependencies {
  prisma: PrismaClient;
  cipher: Pick<PersonalDataCipher, 'openOptional' | 'blindIndex'>;
  shortTerm: Pick<ShortTermMemory, 'updatedSince' | 'forget'>;
  semantic: Pick<SemanticMemory, 'forgetLead'>;
  /** Where REST keeps Idempotency-Key replays; absent in a process without the API doors. */
  idempotency?: { forgetLead(leadId: string): Promise<number> } | undefined;
  /** Told when the sweep after the commit fails (the first one succeeded; only a late write can remain, and it expires). */
  logger?: Pick<Logger, 'warn'> | undefined;
  now?: () => Date;
}

/** Waiting for a pooled connection under load is normal; give it time before failing. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

/** Short-term contexts read per page while looking for the lead's. */
const CONTEXT_PAGE = 500;

export function createLeadEraser(deps: LeadEraserDependencies): LeadEraser {
  const now = deps.now ?? (() => new Date());

  return {
    async erase(leadId) {
      const erasedAt = now();
      const known = await deps.prisma.lead.findUnique({ where: { id: leadId }, select: { conversation: { select: { id: true } } } });
      if (!known) throw new NotFoundError('Lead', leadId);
      const first = await forgetOutsidePostgres(deps, leadId, known.conversation ? [known.conversation.id] : []);
      const sql = await deps.prisma.$transaction(async (tx) => {
        const [lead] = await tx.$queryRaw<{ id: string; email: string | null }[]>`
          SELECT "id", "email" FROM "Lead" WHERE "id" = ${leadId} FOR UPDATE`;
        if (!lead) throw new NotFoundError('Lead', leadId);
        const email = deps.cipher.openOptional(lead.email);
        const { relational, conversationIds } = await eraseRows(tx, leadId);
        if (email) await layTombstone(tx, deps.cipher, email, erasedAt);
        return { relational, conversationIds, tombstoned: Boolean(email) };
      }, TRANSACTION_OPTIONS);

      const late = await forgetOutsidePostgres(deps, leadId, sql.conversationIds).catch((error: unknown) => {
        deps.logger?.warn({ err: error, lead_id: leadId }, 'erasure: the sweep after the commit failed; late short-term writes expire with their TTL');
        return NOTHING_OUTSIDE;
      });
      return {
        leadId,
        erasedAt,
        tombstoned: sql.tombstoned,
        relational: sql.relational,
        shortTermContexts: first.shortTermContexts + late.shortTermContexts,
        knowledgeNodes: first.knowledgeNodes + late.knowledgeNodes,
        idempotencyReplays: first.idempotencyReplays + late.idempotencyReplays,
      };
    },
  };
}

type OutsidePostgres = Pick<ErasureReport, 'shortTermContexts' | 'knowledgeNodes' | 'idempotencyReplays'>;

const NOTHING_OUTSIDE: OutsidePostgres = { shortTermContexts: 0, knowledgeNodes: 0, idempotencyReplays: 0 };

async function forgetOutsidePostgres(deps: LeadEraserDependencies, leadId: string, conversationIds: readonly string[]): Promise<OutsidePostgres> {
  return {
    shortTermContexts: await forgetContexts(deps.shortTerm, leadId, new Set(conversationIds)),
    knowledgeNodes: await deps.semantic.forgetLead(leadId),
    idempotencyReplays: (await deps.idempotency?.forgetLead(leadId)) ?? 0,
  };
}

/** Children before parents, so the counts are exact and nothing waits on a cascade. */
async function eraseRows(tx: Prisma.TransactionClient, leadId: string): Promise<{ relational: RelationalErasure; conversationIds: string[] }> {
  const flowIds = (await tx.leadFlow.findMany({ where: { leadId }, select: { id: true } })).map(({ id }) => id);
  const handoffIds = (
    await tx.handoff.findMany({ where: { OR: [{ leadId }, ...(flowIds.length > 0 ? [{ flowId: { in: flowIds } }] : [])] }, select: { id: true } })
  ).map(({ id }) => id);
  const messageIds = (
    await tx.$queryRaw<{ id: string }[]>`
      SELECT "id"::text AS "id" FROM "OutboundMessage"
      WHERE "leadId" = ${leadId} OR ("leadId" IS NULL AND "metadata"->>'leadId' = ${leadId})`
  ).map(({ id }) => id);
  const conversationIds = (await tx.conversation.findMany({ where: { leadId }, select: { id: true } })).map(({ id }) => id);

  const queuedJobs = await forgetJobs(tx, [leadId, ...flowIds, ...handoffIds, ...messageIds, ...conversationIds]);
  const deliveryEvents = (await tx.deliveryEvent.deleteMany({ where: { messageId: { in: messageIds } } })).count;
  const outboundMessages = (await tx.outboundMessage.deleteMany({ where: { id: { in: messageIds } } })).count;
  const handoffEvents = (await tx.handoffEvent.deleteMany({ where: { handoffId: { in: handoffIds } } })).count;
  const handoffs = (await tx.handoff.deleteMany({ where: { id: { in: handoffIds } } })).count;
  const interactions = (await tx.interaction.deleteMany({ where: { leadId } })).count;
  const conversations = (await tx.conversation.deleteMany({ where: { leadId } })).count;
  const profiles = (await tx.leadProfile.deleteMany({ where: { leadId } })).count;
  const episodes = (await tx.episode.deleteMany({ where: { leadId } })).count;
  const flows = (await tx.leadFlow.deleteMany({ where: { leadId } })).count;
  const leads = (await tx.lead.deleteMany({ where: { id: leadId } })).count;
  return {
    relational: { leads, flows, handoffs, handoffEvents, conversations, interactions, profiles, episodes, outboundMessages, deliveryEvents, queuedJobs },
    conversationIds,
  };
}

/**
 * Pending jobs whose payload names the lead or one of its rows (a triage job
 * names the lead and flow, an engagement job the handoff, a delivery job the
 * message): the embedded queue's rows, and graphile-worker's on PostgreSQL
 * through its own complete_jobs (which leaves a job a worker holds alone).
 */
async function forgetJobs(tx: Prisma.TransactionClient, ids: readonly string[]): Promise<number> {
  const embedded = await tx.$executeRaw`
    DELETE FROM "QueuedJob" q
    WHERE q."lockedAt" IS NULL
      AND jsonb_typeof(q."payload") = 'object'
      AND EXISTS (SELECT 1 FROM jsonb_each_text(q."payload") AS p WHERE p.value = ANY(${ids}::text[]))`;
  const [graphile] = await tx.$queryRaw<{ present: boolean }[]>`SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS "present"`;
  if (!graphile?.present) return embedded;
  const [completed] = await tx.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS "count" FROM graphile_worker.complete_jobs(array(
      SELECT j.id FROM graphile_worker._private_jobs j
      WHERE j.locked_at IS NULL
        AND json_typeof(j.payload) = 'object'
        AND EXISTS (SELECT 1 FROM json_each_text(j.payload) AS p WHERE p.value = ANY(${ids}::text[]))))`;
  return embedded + (completed?.count ?? 0);
}

/** The lead's live contexts: those that name it, and those of its conversations (or named by its id). Also retention's (./retention.ts). */
export async function forgetContexts(shortTerm: LeadEraserDependencies['shortTerm'], leadId: string, conversationIds: ReadonlySet<string>): Promise<number> {
  const doomed = new Set<string>();
  let cursor = new Date(0);
  const seen = new Set<string>();
  for (;;) {
    const page = await shortTerm.updatedSince(cursor, CONTEXT_PAGE);
    let fresh = 0;
    for (const context of page) {
      if (seen.has(context.conversationId)) continue;
      seen.add(context.conversationId);
      fresh += 1;
      if (context.leadId === leadId || context.conversationId === leadId || conversationIds.has(context.conversationId)) doomed.add(context.conversationId);
    }
    // Pages overlap at equal timestamps (updatedSince is "at or after"): stop when one brings nothing new.
    if (page.length < CONTEXT_PAGE || fresh === 0) break;
    cursor = page.at(-1)!.updatedAt;
  }
  // Contexts of its conversations that `updatedSince` could not decode are named by id all the same.
  for (const id of conversationIds) doomed.add(id);
  doomed.add(leadId);
  let forgotten = 0;
  for (const id of doomed) if (await shortTerm.forget(id)) forgotten += 1;
  return forgotten;
}
