// A lead's behaviour, summarized from its interaction log for its long-term profile.
import type { Channel, Interaction, InteractionType } from '../../db/generated/prisma/client.js';
import type { BehaviourAggregates } from '../long-term/lead-profile-store.js';

/** Signals that show the lead engaging (as opposed to Baton reaching out). */
export const RESPONSE_TYPES: readonly InteractionType[] = ['EMAIL_OPEN', 'CLICK', 'REPLY', 'MEETING_BOOKED', 'CONVERTED'];

type Logged = Pick<Interaction, 'type' | 'channel' | 'occurredAt'>;

export function behaviourAggregates(interactions: readonly Logged[]): BehaviourAggregates {
  const count = (type: InteractionType) => interactions.filter((interaction) => interaction.type === type).length;
  const responses = interactions.filter((interaction) => RESPONSE_TYPES.includes(interaction.type));
  const lastActivity = responses.reduce<Date | null>((latest, r) => (!latest || r.occurredAt > latest ? r.occurredAt : latest), null);
  return {
    touches: count('TOUCHPOINT_SENT'),
    opens: count('EMAIL_OPEN'),
    clicks: count('CLICK'),
    replies: count('REPLY'),
    lastActivityAt: lastActivity,
    preferredChannel: mode(responses.flatMap((r) => (r.channel ? [r.channel] : []))) as Channel | null,
    // Hours are UTC: the profile has no time zone to localize them with.
    preferredHour: mode(responses.map((r) => r.occurredAt.getUTCHours())),
    unsubscribed: count('UNSUBSCRIBED') > 0,
  };
}

/** The most frequent value; ties go to the smallest, so the result is deterministic. */
function mode<T extends string | number>(values: readonly T[]): T | null {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: T | null = null;
  let bestCount = 0;
  for (const [value, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== null && value < best)) {
      best = value;
      bestCount = n;
    }
  }
  return best;
}
