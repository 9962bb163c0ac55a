// One handoff status change as subscribers and history readers see it: the same
// shape whether it comes live from the pub/sub or from the stored history.
import type { Handoff, HandoffEvent } from '../db/generated/prisma/client.js';
import type { HandoffProgressEvent } from './event-bus.js';

export function handoffProgressEvent(
  handoff: Pick<Handoff, 'id' | 'leadId' | 'campaignId' | 'type'>,
  event: Pick<HandoffEvent, 'id' | 'sequence' | 'status' | 'qualityScore' | 'detail' | 'occurredAt'>,
): HandoffProgressEvent {
  return {
    id: event.id,
    handoffId: handoff.id,
    leadId: handoff.leadId,
    campaignId: handoff.campaignId,
    handoffType: handoff.type,
    sequence: event.sequence,
    status: event.status,
    qualityScore: event.qualityScore,
    detail: event.detail,
    occurredAt: event.occurredAt.toISOString(),
  };
}
