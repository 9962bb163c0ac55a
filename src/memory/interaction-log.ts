// The interaction log: every touchpoint Baton sent and every signal a lead gave,
// including the outcome that teaches triage. Consolidation turns it into profiles,
// episodes and knowledge; nothing here derives anything, so recording stays one
// short transaction.
import type { Channel, Interaction, InteractionType, LeadOutcome, Prisma, PrismaClient } from '../db/generated/prisma/client.js';
import { InputError, NotFoundError } from '../errors.js';
import type { JsonValue } from './json.js';

export interface InteractionInput {
  /** Given when the caller links to it in the same transaction (a delivery event); a new UUID otherwise. */
  id?: string;
  leadId: string;
  /** The conversation it belongs to; the lead's own conversation when omitted. */
  conversationId?: string | null;
  type: InteractionType;
  channel?: Channel | null;
  template?: string | null;
  /** When it happened; now when omitted. Never in the future. */
  occurredAt?: Date;
  metadata?: Record<string, JsonValue>;
}

/** Interaction types that settle a lead's outcome. */
const OUTCOME_OF: Partial<Record<InteractionType, LeadOutcome>> = { CONVERTED: 'CONVERTED', LOST: 'LOST' };

/** Metadata is context for analysts, not a document store. */
export const INTERACTION_METADATA_MAX_BYTES = 8_192;

const BULK_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 120_000 };

/** Clocks disagree a little; an event "from the future" beyond this is a caller's mistake. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface InteractionLog {
  /** Records a signal; CONVERTED and LOST also settle the lead's outcome, UNSUBSCRIBED withdraws consent at once. */
  record(input: InteractionInput): Promise<Interaction>;
  /** The outcome of a lead, recorded as its CONVERTED or LOST interaction. */
  recordOutcome(leadId: string, outcome: LeadOutcome, occurredAt?: Date): Promise<Interaction>;
  /** Many at once, all or nothing (a CRM history import); the same rules as `record`. Returns how many were recorded. */
  recordMany(inputs: readonly InteractionInput[]): Promise<number>;
}

/** What a signal changes beyond the log: an outcome settles the lead; an unsubscribe withdraws consent at once. */
async function applyConsequences(tx: Prisma.TransactionClient, rows: readonly (InteractionInput & { occurredAt: Date })[]): Promise<void> {
  // The last outcome recorded for a lead wins; leads settled alike at the same instant share one UPDATE.
  const settled = new Map<string, { outcome: LeadOutcome; at: Date }>();
  for (const row of rows) {
    const outcome = OUTCOME_OF[row.type];
    if (outcome) settled.set(row.leadId, { outcome, at: row.occurredAt });
  }
  const groups = new Map<string, { outcome: LeadOutcome; at: Date; leadIds: string[] }>();
  for (const [leadId, { outcome, at }] of settled) {
    const key = `${outcome}@${at.toISOString()}`;
    const group = groups.get(key) ?? { outcome, at, leadIds: [] };
    group.leadIds.push(leadId);
    groups.set(key, group);
  }
  for (const { outcome, at, leadIds } of groups.values()) {
    await tx.lead.updateMany({ where: { id: { in: leadIds } }, data: { outcome, outcomeAt: at } });
  }
  const unsubscribed = new Set(rows.filter((row) => row.type === 'UNSUBSCRIBED').map((row) => row.leadId));
  for (const leadId of unsubscribed) {
    await tx.leadProfile.upsert({ where: { leadId }, create: { leadId, consent: false }, update: { consent: false } });
  }
}

/**
 * Records interactions (their `occurredAt` already checked) and their consequences
 * as part of `tx`, for a caller whose other writes must commit with them (the
 * delivery events of src/delivery/inbound). NotFoundError names an unknown lead.
 */
export async function recordInteractionsIn(tx: Prisma.TransactionClient, rows: readonly (InteractionInput & { occurredAt: Date })[]): Promise<number> {
  if (rows.length === 0) return 0;
  const leadIds = [...new Set(rows.map((row) => row.leadId))];
  const leads = await tx.lead.findMany({ where: { id: { in: leadIds } }, select: { id: true, conversation: { select: { id: true } } } });
  const conversationOf = new Map(leads.map((lead) => [lead.id, lead.conversation?.id ?? null]));
  const unknown = leadIds.filter((id) => !conversationOf.has(id));
  if (unknown.length > 0) throw new NotFoundError('Lead', unknown[0]!, `Unknown leads: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''}`);
  const { count } = await tx.interaction.createMany({
    data: rows.map((row) => ({
      leadId: row.leadId,
      ...(row.id ? { id: row.id } : {}),
      conversationId: row.conversationId === undefined ? (conversationOf.get(row.leadId) ?? null) : row.conversationId,
      type: row.type,
      channel: row.channel ?? null,
      template: row.template ?? null,
      occurredAt: row.occurredAt,
      ...(row.metadata ? { metadata: row.metadata as Prisma.InputJsonValue } : {}),
    })),
  });
  await applyConsequences(tx, rows);
  return count;
}

export function createInteractionLog(prisma: PrismaClient, now: () => Date = () => new Date()): InteractionLog {
  function occurredAtOf(input: InteractionInput, path: string): Date {
    const occurredAt = input.occurredAt ?? now();
    if (occurredAt.getTime() > now().getTime() + CLOCK_SKEW_MS) throw new InputError([{ path, message: 'must not be in the future' }]);
    return occurredAt;
  }

  async function recordMany(inputs: readonly InteractionInput[]): Promise<number> {
    const rows = inputs.map((input, i) => ({ ...input, occurredAt: occurredAtOf(input, `${i}.occurredAt`) }));
    return prisma.$transaction((tx) => recordInteractionsIn(tx, rows), BULK_TRANSACTION_OPTIONS);
  }

  async function record(input: InteractionInput): Promise<Interaction> {
    const occurredAt = occurredAtOf(input, 'occurredAt');
    return prisma.$transaction(async (tx) => {
      const lead = await tx.lead.findUnique({ where: { id: input.leadId }, select: { id: true, conversation: { select: { id: true } } } });
      if (!lead) throw new NotFoundError('Lead', input.leadId);
      const interaction = await tx.interaction.create({
        data: {
          ...(input.id ? { id: input.id } : {}),
          leadId: input.leadId,
          conversationId: input.conversationId === undefined ? (lead.conversation?.id ?? null) : input.conversationId,
          type: input.type,
          channel: input.channel ?? null,
          template: input.template ?? null,
          occurredAt,
          ...(input.metadata ? { metadata: input.metadata as Prisma.InputJsonValue } : {}),
        },
      });
      await applyConsequences(tx, [{ ...input, occurredAt }]);
      return interaction;
    });
  }

  return {
    record,
    recordMany,
    recordOutcome: (leadId, outcome, occurredAt) => record({ leadId, type: outcome, ...(occurredAt ? { occurredAt } : {}) }),
  };
}
