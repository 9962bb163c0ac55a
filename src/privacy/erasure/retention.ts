// Retention (RETENTION_DAYS): leads with no activity for that long are made
// anonymous. Unlike erasure (./erase-lead.ts) the lead row stays, with what
// aggregates read (industry, size, persona, source, campaign, triage verdict,
// outcome), as do its interactions' types, channels and times, its handoffs'
// types and timings, its flows and its episode; every personal value goes:
//
//   Lead             email, phone
//   LeadProfile      attributes (what was learned about the person)
//   Handoff          context, result, failure reason, resolution note
//   HandoffEvent     detail (free text that may quote the person)
//   Interaction      subject, body, metadata
//   OutboundMessage  recipient, subject, body, metadata; a message still waiting is cancelled
//   LeadFlow         the digest of the lead's data
//   short-term, graph nodes, Idempotency-Key replays: as erasure clears them
//
// No tombstone: the person was not asked to be forgotten, only kept too long.
// Activity is the newest of the lead's own update, an interaction, a handoff's
// update and a submission. A lead counts as holding personal data while it has
// an email, a phone or profile attributes, so a run never takes a lead twice.
import { erasureRecord, type AuditLog } from '../../audit/audit-log.js';
import type { Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import type { SemanticMemory } from '../../memory/semantic/semantic-memory.js';
import type { ShortTermMemory } from '../../memory/short-term/short-term-memory.js';
import { forgetContexts } from './erase-lead.js';

export interface RetentionDependencies {
  prisma: PrismaClient;
  shortTerm: Pick<ShortTermMemory, 'updatedSince' | 'forget'>;
  semantic: Pick<SemanticMemory, 'forgetLead'>;
  idempotency?: { forgetLead(leadId: string): Promise<number> } | undefined;
  /** Each run's anonymized leads are recorded as an ERASE by `retention`. */
  audit: Pick<AuditLog, 'record'>;
  /** RETENTION_DAYS: a lead quiet for longer is anonymized. */
  retentionDays: number;
  now?: () => Date;
}

export interface RetentionReport {
  /** Leads made anonymous by this run. */
  anonymized: number;
}

const RETENTION_CALLER = { subject: 'retention', roles: [] };

/** Leads anonymized per transaction. */
const BATCH = 50;

const DAY_MS = 86_400_000;

export function createRetention(deps: RetentionDependencies): { run(): Promise<RetentionReport> } {
  const now = deps.now ?? (() => new Date());
  return {
    async run() {
      const cutoff = new Date(now().getTime() - deps.retentionDays * DAY_MS);
      let anonymized = 0;
      for (;;) {
        const batch = await deps.prisma.$transaction(async (tx) => {
          const leadIds = await inactiveLeads(tx, cutoff);
          for (const leadId of leadIds) await anonymizeRows(tx, leadId);
          return leadIds;
        });
        // The audit log's record of it: a job, not a caller, so the door is `internal`.
        if (batch.length > 0) await deps.audit.record(erasureRecord(RETENTION_CALLER, batch, { door: 'internal', operation: 'retention' }));
        for (const leadId of batch) {
          const conversations = await deps.prisma.conversation.findMany({ where: { leadId }, select: { id: true } });
          await forgetContexts(deps.shortTerm, leadId, new Set(conversations.map(({ id }) => id)));
          await deps.semantic.forgetLead(leadId);
          await deps.idempotency?.forgetLead(leadId);
        }
        anonymized += batch.length;
        if (batch.length < BATCH) return { anonymized };
      }
    },
  };
}

/** Quiet since before `cutoff`, and still holding personal data. */
async function inactiveLeads(tx: Prisma.TransactionClient, cutoff: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT l."id" FROM "Lead" l
    LEFT JOIN "LeadProfile" p ON p."leadId" = l."id"
    WHERE (l."email" IS NOT NULL OR l."phone" IS NOT NULL OR (p."attributes" IS NOT NULL AND p."attributes" <> '{}'::jsonb))
      AND l."updatedAt" < ${cutoff}
      AND NOT EXISTS (SELECT 1 FROM "Interaction" i WHERE i."leadId" = l."id" AND (i."createdAt" >= ${cutoff} OR i."occurredAt" >= ${cutoff}))
      AND NOT EXISTS (SELECT 1 FROM "Handoff" h WHERE h."leadId" = l."id" AND h."updatedAt" >= ${cutoff})
      AND NOT EXISTS (SELECT 1 FROM "LeadFlow" f WHERE f."leadId" = l."id" AND f."submittedAt" >= ${cutoff})
    ORDER BY l."id"
    LIMIT ${BATCH}
    FOR UPDATE OF l SKIP LOCKED`;
  return rows.map(({ id }) => id);
}

async function anonymizeRows(tx: Prisma.TransactionClient, leadId: string): Promise<void> {
  await tx.lead.update({ where: { id: leadId }, data: { email: null, phone: null, emailIndex: null } });
  await tx.leadProfile.updateMany({ where: { leadId }, data: { attributes: {} } });
  await tx.$executeRaw`
    UPDATE "HandoffEvent" SET "detail" = NULL
    WHERE "handoffId" IN (SELECT "id" FROM "Handoff" WHERE "leadId" = ${leadId})`;
  await tx.$executeRaw`
    UPDATE "Handoff" SET "context" = '{}'::jsonb, "result" = NULL, "failureReason" = NULL, "resolutionNote" = NULL
    WHERE "leadId" = ${leadId}`;
  await tx.$executeRaw`UPDATE "Interaction" SET "subject" = NULL, "body" = NULL, "metadata" = NULL WHERE "leadId" = ${leadId}`;
  await tx.$executeRaw`
    UPDATE "OutboundMessage"
    SET "recipient" = '', "subject" = NULL, "body" = '', "metadata" = NULL,
        "status" = CASE WHEN "status" = 'SCHEDULED' THEN 'CANCELLED'::"OutboundStatus" ELSE "status" END
    WHERE "leadId" = ${leadId} OR ("leadId" IS NULL AND "metadata"->>'leadId' = ${leadId})`;
  await tx.leadFlow.updateMany({ where: { leadId }, data: { inputDigest: null } });
}
