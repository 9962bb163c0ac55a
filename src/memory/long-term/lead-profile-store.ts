// Long-term memory: one profile per lead in PostgreSQL. Agents and callers write
// attributes and contact preferences; behavioural aggregates are derived from the
// interaction log by consolidation (never incremented in place, so recomputing
// them is idempotent); triage appends to the score history as it scores.
// Attributes are people's data (a name, an address, a number learned in
// conversation): stored sealed (cipher.sealJson: values under personal keys, and
// strings quoting an address or a number), opened by every read here; merging
// and change detection work on the opened values.
import type { Channel, LeadProfile, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import { NotFoundError } from '../../errors.js';
import { sameJson, type JsonValue } from '../json.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';

export interface ScoreHistoryEntry {
  score: number;
  modelVersion: string;
  at: string;
}

/** What a caller may change; omitted fields keep their stored value. */
export interface LeadProfilePatch {
  /** Merged key by key into the stored attributes; a key set to null is removed. */
  attributes?: Record<string, JsonValue>;
  consent?: boolean;
  doNotContact?: boolean;
}

/** The behavioural aggregates consolidation derives from a lead's interactions. */
export interface BehaviourAggregates {
  touches: number;
  opens: number;
  clicks: number;
  replies: number;
  lastActivityAt: Date | null;
  preferredChannel: Channel | null;
  preferredHour: number | null;
  /** An unsubscribe withdraws consent for good; nothing else changes consent. */
  unsubscribed: boolean;
}

/** Kept per lead; older entries are compacted away by consolidation. */
export const SCORE_HISTORY_LIMIT = 20;

type Db = PrismaClient | Prisma.TransactionClient;

export interface LeadProfileStore {
  retrieve(leadId: string): Promise<LeadProfile | null>;
  /** Creates the profile on first write. Throws NotFoundError for an unknown lead. */
  store(leadId: string, patch: LeadProfilePatch): Promise<LeadProfile>;
  /** Appends each lead's new scores, in order: one statement for all of them, inside the caller's transaction (triage's). */
  appendScores(db: Db, scores: readonly { leadId: string; entry: ScoreHistoryEntry }[]): Promise<void>;
  /**
   * Creates the leads' missing profiles and locks all of them until the caller's
   * transaction ends, so a read-merge-write cannot lose a concurrent write (an
   * appended score, an unsubscribe). Leads must exist.
   */
  lock(db: Db, leadIds: readonly string[]): Promise<void>;
  /**
   * Sets aggregates (absolute values), merges slots learned in conversation, trims
   * the score history; true when anything changed. Pass `existing` when it was
   * loaded after `lock` in the same transaction (consolidation loads in batches).
   */
  consolidate(
    db: Db,
    leadId: string,
    aggregates: BehaviourAggregates,
    learnedAttributes: Record<string, JsonValue>,
    existing?: LeadProfile | null,
  ): Promise<boolean>;
  count(): Promise<number>;
}

export function createLeadProfileStore(prisma: PrismaClient, cipher: PersonalDataCipher): LeadProfileStore {
  const opened = <P extends LeadProfile | null>(profile: P): P => profile && { ...profile, attributes: cipher.openJson(profile.attributes) };
  const sealed = (attributes: Record<string, JsonValue>) => cipher.sealJson(attributes) as Prisma.InputJsonValue;

  async function lock(db: Db, leadIds: readonly string[]): Promise<void> {
    if (leadIds.length === 0) return;
    const ids = [...leadIds];
    await db.$executeRaw`
      INSERT INTO "LeadProfile" ("leadId", "updatedAt") SELECT id, now() FROM unnest(${ids}::text[]) AS id
      ON CONFLICT ("leadId") DO NOTHING`;
    await db.$queryRaw`SELECT 1 FROM "LeadProfile" WHERE "leadId" = ANY(${ids}::text[]) ORDER BY "leadId" FOR UPDATE`;
  }

  return {
    lock,
    retrieve: async (leadId) => opened(await prisma.leadProfile.findUnique({ where: { leadId } })),

    async store(leadId, patch) {
      return prisma.$transaction(async (tx) => {
        const lead = await tx.lead.findUnique({ where: { id: leadId }, select: { id: true } });
        if (!lead) throw new NotFoundError('Lead', leadId);
        await lock(tx, [leadId]);
        const existing = opened(await tx.leadProfile.findUniqueOrThrow({ where: { leadId } }));
        const updated = await tx.leadProfile.update({
          where: { leadId },
          data: {
            attributes: sealed(mergeAttributes(asRecord(existing.attributes), patch.attributes ?? {})),
            ...(patch.consent === undefined ? {} : { consent: patch.consent }),
            ...(patch.doNotContact === undefined ? {} : { doNotContact: patch.doNotContact }),
          },
        });
        return opened(updated);
      });
    },

    async appendScores(db, scores) {
      const byLead = new Map<string, ScoreHistoryEntry[]>();
      for (const { leadId, entry } of scores) byLead.set(leadId, [...(byLead.get(leadId) ?? []), entry]);
      if (byLead.size === 0) return;
      const rows = [...byLead].map(([leadId, entries]) => ({ leadId, entries }));
      await db.$executeRaw`
        INSERT INTO "LeadProfile" ("leadId", "scoreHistory", "updatedAt")
        SELECT s."leadId", s."entries", now() FROM json_to_recordset(${JSON.stringify(rows)}::json) AS s("leadId" text, "entries" jsonb)
        ON CONFLICT ("leadId") DO UPDATE
        SET "scoreHistory" = "LeadProfile"."scoreHistory" || EXCLUDED."scoreHistory", "updatedAt" = now()`;
    },

    async consolidate(db, leadId, aggregates, learnedAttributes, loaded) {
      let existing = loaded === undefined ? undefined : opened(loaded);
      if (existing === undefined) {
        await lock(db, [leadId]);
        existing = opened(await db.leadProfile.findUnique({ where: { leadId } }));
      }
      const attributes = mergeAttributes(asRecord(existing?.attributes), learnedAttributes);
      const history = Array.isArray(existing?.scoreHistory) ? existing.scoreHistory : [];
      const next = {
        touches: aggregates.touches,
        opens: aggregates.opens,
        clicks: aggregates.clicks,
        replies: aggregates.replies,
        lastActivityAt: aggregates.lastActivityAt,
        preferredChannel: aggregates.preferredChannel,
        preferredHour: aggregates.preferredHour,
        consent: aggregates.unsubscribed ? false : (existing?.consent ?? true),
        attributes,
        scoreHistory: history.slice(-SCORE_HISTORY_LIMIT),
      };
      if (existing && unchanged(existing, next)) return false;
      const data = { ...next, attributes: sealed(next.attributes), scoreHistory: next.scoreHistory as Prisma.InputJsonValue };
      await db.leadProfile.upsert({ where: { leadId }, create: { leadId, ...data }, update: data });
      return true;
    },

    count: () => prisma.leadProfile.count(),
  };
}

function mergeAttributes(stored: Record<string, JsonValue>, patch: Record<string, JsonValue>): Record<string, JsonValue> {
  const merged = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function asRecord(value: unknown): Record<string, JsonValue> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, JsonValue>) : {};
}

function unchanged(existing: LeadProfile, next: Omit<LeadProfile, 'leadId' | 'updatedAt' | 'doNotContact'>): boolean {
  return (
    existing.touches === next.touches &&
    existing.opens === next.opens &&
    existing.clicks === next.clicks &&
    existing.replies === next.replies &&
    (existing.lastActivityAt?.getTime() ?? null) === (next.lastActivityAt?.getTime() ?? null) &&
    existing.preferredChannel === next.preferredChannel &&
    existing.preferredHour === next.preferredHour &&
    existing.consent === next.consent &&
    sameJson(existing.attributes, next.attributes) &&
    sameJson(existing.scoreHistory, next.scoreHistory)
  );
}
