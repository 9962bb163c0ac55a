// A handoff's status history: events recorded in the order they happen, written
// in the transaction that makes them true, and published only after it commits
// (so a subscriber never sees a state that was rolled back).
import { randomUUID } from 'node:crypto';
import type { Handoff, HandoffEvent, Prisma } from '../../db/generated/prisma/client.js';
import type { HandoffStatus } from '../../db/generated/prisma/enums.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import { handoffProgressEvent } from '../../events/handoff-progress.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import { sealHandoffText } from './sealed-handoff.js';

export type RecordedHandoff = Handoff & { events: HandoffEvent[] };

/** Events to publish once the transaction that wrote them has committed: a handoff with only its new events. */
export type HandoffNews = Pick<Handoff, 'id' | 'leadId' | 'campaignId' | 'type'> & { events: HandoffEvent[] };

/** The status changes one step of a handoff adds, in the order they happened. */
export class EventLog {
  readonly entries: { sequence: number; status: HandoffStatus; detail: string; qualityScore: number | null; occurredAt: Date }[] = [];
  private next: number;

  constructor(
    private readonly now: () => Date,
    firstSequence = 1,
  ) {
    this.next = firstSequence;
  }

  record(status: HandoffStatus, detail: string, qualityScore: number | null = null): void {
    this.entries.push({ sequence: this.next++, status, detail, qualityScore, occurredAt: this.now() });
  }

  get last(): HandoffStatus {
    const last = this.entries.at(-1);
    if (!last) throw new Error('EventLog is empty');
    return last.status;
  }
}

/**
 * Writes each log's events for its handoff, all in one INSERT, and returns each
 * handoff's new events as stored: their details sealed (a reason may quote a
 * person's address or a manager's note), so the event bus carries them sealed too
 * and GraphQL opens them as it answers. Raw SQL: Prisma's createMany compiled its
 * query anew for every call, a measurable share of a lead's cost under load.
 */
export async function writeEvents(
  tx: Prisma.TransactionClient,
  cipher: PersonalDataCipher,
  logs: readonly { handoffId: string; log: EventLog }[],
): Promise<HandoffEvent[][]> {
  const written = logs.map(({ handoffId, log }) =>
    log.entries.map((entry) => ({ ...entry, detail: sealHandoffText(cipher, entry.detail), id: randomUUID(), handoffId })),
  );
  const events = written.flat();
  if (events.length === 0) return written;
  const column = <K extends keyof HandoffEvent>(key: K) => events.map((event) => event[key]);
  await tx.$executeRaw`
    INSERT INTO "HandoffEvent" ("id", "handoffId", "sequence", "status", "detail", "qualityScore", "occurredAt")
    SELECT id, handoff, sequence, status::"HandoffStatus", detail, quality, at
    FROM unnest(${column('id')}::uuid[], ${column('handoffId')}::uuid[], ${column('sequence')}::int[], ${column('status')}::text[],
                ${column('detail')}::text[], ${column('qualityScore')}::float8[], ${column('occurredAt')}::timestamp(3)[])
         AS e(id, handoff, sequence, status, detail, quality, at)`;
  return written;
}

/** Publishes every event of the given handoffs, in order; call after the transaction committed. */
export async function publishHandoffs(pubsub: BatonPubSub, handoffs: readonly (HandoffNews | null)[]): Promise<void> {
  for (const handoff of handoffs) {
    if (!handoff) continue;
    for (const event of handoff.events) await pubsub.publish('handoff:progress', handoffProgressEvent(handoff, event));
  }
}
