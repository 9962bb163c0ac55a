// Turns one conversation's history into its episode: the situation, the action
// Baton took last before the outcome, and the outcome. Pure and deterministic,
// so a consolidation run that sees the same history writes the same episode.
import type { Interaction, Lead } from '../../db/generated/prisma/client.js';
import { type EpisodeInput, situationOf } from '../episodic/episode-store.js';

type Logged = Pick<Interaction, 'type' | 'channel' | 'template' | 'occurredAt'>;
type LeadFacts = Pick<Lead, 'id' | 'industry' | 'companySize' | 'persona' | 'source' | 'outcome' | 'outcomeAt'>;

/**
 * The outcome a conversation reached, strongest first: a recorded outcome
 * (CONVERTED / LOST; an unsubscribe counts as LOST), else a reply or a booked
 * meeting (REPLIED), else silence for `ignoredAfterMs` after the last touchpoint
 * (IGNORED). A conversation still inside its reply window has no episode yet.
 */
export function deriveEpisode(lead: LeadFacts, interactions: readonly Logged[], now: Date, ignoredAfterMs: number): (EpisodeInput & { leadId: string }) | null {
  const sorted = [...interactions].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const outcome = outcomeOf(lead, sorted, now, ignoredAfterMs);
  if (!outcome) return null;
  const touchpoint = sorted.filter((i) => i.type === 'TOUCHPOINT_SENT' && i.occurredAt <= outcome.at).at(-1) ?? null;
  return {
    leadId: lead.id,
    ...situationOf(lead),
    channel: touchpoint?.channel ?? null,
    template: touchpoint?.template ?? null,
    sentHour: touchpoint ? touchpoint.occurredAt.getUTCHours() : null,
    action: touchpoint ? `touchpoint:${(touchpoint.channel ?? 'unknown').toLowerCase()}:${touchpoint.template ?? 'none'}` : 'none',
    outcome: outcome.kind,
    occurredAt: outcome.at,
  };
}

function outcomeOf(lead: LeadFacts, sorted: readonly Logged[], now: Date, ignoredAfterMs: number) {
  if (lead.outcome && lead.outcomeAt) return { kind: lead.outcome, at: lead.outcomeAt };
  const unsubscribed = sorted.find((i) => i.type === 'UNSUBSCRIBED');
  if (unsubscribed) return { kind: 'LOST' as const, at: unsubscribed.occurredAt };
  const replied = sorted.find((i) => i.type === 'REPLY' || i.type === 'MEETING_BOOKED');
  if (replied) return { kind: 'REPLIED' as const, at: replied.occurredAt };
  const lastTouch = sorted.filter((i) => i.type === 'TOUCHPOINT_SENT').at(-1);
  if (lastTouch) {
    const windowClosed = new Date(lastTouch.occurredAt.getTime() + ignoredAfterMs);
    if (windowClosed <= now) return { kind: 'IGNORED' as const, at: windowClosed };
  }
  return null;
}
