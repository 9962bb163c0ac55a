// What consolidation derives from a lead's interaction log, as pure functions:
// the behavioural aggregates of its long-term profile, and its episode.
import { describe, expect, it } from 'vitest';
import type { Channel, Interaction, InteractionType, Lead } from '../../src/db/generated/prisma/client.js';
import { behaviourAggregates, RESPONSE_TYPES } from '../../src/memory/consolidation/behaviour-aggregates.js';
import { deriveEpisode } from '../../src/memory/consolidation/episode-derivation.js';

type Logged = Pick<Interaction, 'type' | 'channel' | 'template' | 'occurredAt'>;
type LeadFacts = Pick<Lead, 'id' | 'industry' | 'companySize' | 'persona' | 'source' | 'outcome' | 'outcomeAt'>;

const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REPLY_WINDOW_MS = 14 * DAY;
/** `days` after T0, at `hour` UTC. */
const at = (days: number, hour = 0) => new Date(T0 + days * DAY + hour * HOUR);

function logged(type: InteractionType, occurredAt: Date, channel: Channel | null = null, template: string | null = null): Logged {
  return { type, channel, template, occurredAt };
}

const lead: LeadFacts = {
  id: 'lead-42',
  industry: 'TECHNOLOGY',
  companySize: 'ENTERPRISE',
  persona: 'DECISION_MAKER',
  source: 'Paid Search',
  outcome: null,
  outcomeAt: null,
};

/** Deterministic permutation, so order-independence is tested on more than one order. */
function shuffled<T>(values: readonly T[], seed: number): T[] {
  const result = [...values];
  let state = seed;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

describe('behaviourAggregates', () => {
  it('is empty for no interactions', () => {
    expect(behaviourAggregates([])).toEqual({
      touches: 0,
      opens: 0,
      clicks: 0,
      replies: 0,
      lastActivityAt: null,
      preferredChannel: null,
      preferredHour: null,
      unsubscribed: false,
    });
  });

  it('counts touchpoints sent, opens, clicks and replies', () => {
    const aggregates = behaviourAggregates([
      logged('TOUCHPOINT_SENT', at(0, 9), 'EMAIL'),
      logged('TOUCHPOINT_SENT', at(1, 9), 'EMAIL'),
      logged('TOUCHPOINT_SENT', at(2, 9), 'SMS'),
      logged('EMAIL_OPEN', at(0, 10), 'EMAIL'),
      logged('EMAIL_OPEN', at(1, 10), 'EMAIL'),
      logged('CLICK', at(1, 11), 'EMAIL'),
      logged('REPLY', at(2, 12), 'SMS'),
      logged('MEETING_BOOKED', at(3, 12), 'CALL'),
      logged('CONVERTED', at(4, 12)),
    ]);
    expect(aggregates).toMatchObject({ touches: 3, opens: 2, clicks: 1, replies: 1, unsubscribed: false });
  });

  it('takes the last activity from the lead’s responses only', () => {
    expect(RESPONSE_TYPES).toEqual(['EMAIL_OPEN', 'CLICK', 'REPLY', 'MEETING_BOOKED', 'CONVERTED']);
    const interactions = [
      logged('EMAIL_OPEN', at(1, 8), 'EMAIL'),
      logged('CLICK', at(3, 8), 'EMAIL'), // the latest response
      logged('EMAIL_OPEN', at(2, 8), 'EMAIL'),
      // Later, but not the lead engaging: Baton's touchpoint, a loss, an unsubscribe.
      logged('TOUCHPOINT_SENT', at(5, 8), 'EMAIL'),
      logged('LOST', at(6, 8)),
      logged('UNSUBSCRIBED', at(7, 8), 'EMAIL'),
    ];
    expect(behaviourAggregates(interactions).lastActivityAt).toEqual(at(3, 8));
    expect(behaviourAggregates(shuffled(interactions, 3)).lastActivityAt).toEqual(at(3, 8));
    // No response at all: no activity, no preferences, however many touchpoints.
    expect(behaviourAggregates([logged('TOUCHPOINT_SENT', at(0, 9), 'EMAIL'), logged('TOUCHPOINT_SENT', at(1, 9), 'SMS')])).toMatchObject({
      touches: 2,
      lastActivityAt: null,
      preferredChannel: null,
      preferredHour: null,
    });
  });

  it('prefers the channel and the UTC hour the lead responds on most', () => {
    const aggregates = behaviourAggregates([
      // Baton mostly texts, but the lead answers by email: touchpoints do not count.
      logged('TOUCHPOINT_SENT', at(0, 14), 'SMS'),
      logged('TOUCHPOINT_SENT', at(1, 14), 'SMS'),
      logged('TOUCHPOINT_SENT', at(2, 14), 'SMS'),
      logged('EMAIL_OPEN', at(0, 9), 'EMAIL'),
      logged('CLICK', at(0, 9), 'EMAIL'),
      logged('REPLY', at(1, 16), 'SMS'),
      logged('MEETING_BOOKED', at(2, 9), null), // a response without a channel: counts for the hour only
      logged('CONVERTED', at(3, 16), null),
    ]);
    expect(aggregates.preferredChannel).toBe('EMAIL'); // EMAIL 2, SMS 1
    expect(aggregates.preferredHour).toBe(9); // 09h three times, 16h twice
  });

  it('uses UTC hours', () => {
    const aggregates = behaviourAggregates([logged('REPLY', new Date('2026-03-02T23:30:00-05:00'), 'EMAIL')]);
    expect(aggregates.preferredHour).toBe(4);
  });

  it('breaks ties toward the smallest channel name and the earliest hour, whatever the order', () => {
    const interactions = [
      logged('REPLY', at(0, 14), 'SMS'),
      logged('REPLY', at(1, 14), 'SMS'),
      logged('CLICK', at(2, 9), 'LINKEDIN'),
      logged('CLICK', at(3, 9), 'LINKEDIN'),
      logged('EMAIL_OPEN', at(4, 20), 'EMAIL'),
    ];
    for (const seed of [1, 2, 3, 4, 5]) {
      const aggregates = behaviourAggregates(shuffled(interactions, seed));
      expect(aggregates.preferredChannel).toBe('LINKEDIN'); // LINKEDIN 2 = SMS 2 > EMAIL 1
      expect(aggregates.preferredHour).toBe(9); // 9 and 14 twice each: 9, compared as numbers (not '14' < '9')
    }
    expect(behaviourAggregates([logged('CLICK', at(0, 1), 'EMAIL'), logged('CLICK', at(0, 2), 'CALL')]).preferredChannel).toBe('CALL');
  });

  it('notes an unsubscribe', () => {
    expect(behaviourAggregates([logged('UNSUBSCRIBED', at(0), 'EMAIL')]).unsubscribed).toBe(true);
    expect(behaviourAggregates([logged('LOST', at(0))]).unsubscribed).toBe(false);
  });

  it('does not mutate its input', () => {
    const interactions = [logged('CLICK', at(2, 9), 'EMAIL'), logged('REPLY', at(1, 9), 'SMS')];
    const copy = structuredClone(interactions);
    behaviourAggregates(interactions);
    expect(interactions).toEqual(copy);
  });
});

describe('deriveEpisode', () => {
  const welcome = logged('TOUCHPOINT_SENT', at(0, 9), 'EMAIL', 'welcome');
  const followUp = logged('TOUCHPOINT_SENT', at(2, 15), 'SMS', 'follow-up');
  const late = logged('TOUCHPOINT_SENT', at(20, 11), 'LINKEDIN', 'late');

  describe('outcome precedence', () => {
    it('takes a recorded outcome over everything else, at its time', () => {
      const converted = { ...lead, outcome: 'CONVERTED' as const, outcomeAt: at(5, 12) };
      const interactions = [welcome, logged('REPLY', at(1), 'EMAIL'), logged('UNSUBSCRIBED', at(3), 'EMAIL'), followUp];
      expect(deriveEpisode(converted, interactions, at(100), REPLY_WINDOW_MS)).toMatchObject({ outcome: 'CONVERTED', occurredAt: at(5, 12) });
      const lost = { ...lead, outcome: 'LOST' as const, outcomeAt: at(6) };
      expect(deriveEpisode(lost, [welcome, logged('MEETING_BOOKED', at(1), 'CALL')], at(100), REPLY_WINDOW_MS)).toMatchObject({
        outcome: 'LOST',
        occurredAt: at(6),
      });
    });

    it('counts an unsubscribe as LOST, over an earlier reply, at the first unsubscribe', () => {
      const interactions = [welcome, logged('REPLY', at(1), 'EMAIL'), logged('UNSUBSCRIBED', at(4), 'EMAIL'), logged('UNSUBSCRIBED', at(3), 'SMS')];
      expect(deriveEpisode(lead, interactions, at(100), REPLY_WINDOW_MS)).toMatchObject({ outcome: 'LOST', occurredAt: at(3) });
    });

    it('counts the first reply or booked meeting as REPLIED', () => {
      const reply = deriveEpisode(lead, [welcome, logged('REPLY', at(3), 'EMAIL'), logged('REPLY', at(1, 7), 'EMAIL')], at(100), REPLY_WINDOW_MS);
      expect(reply).toMatchObject({ outcome: 'REPLIED', occurredAt: at(1, 7) });
      const meeting = deriveEpisode(lead, [welcome, logged('MEETING_BOOKED', at(2), 'CALL'), logged('REPLY', at(4), 'EMAIL')], at(100), REPLY_WINDOW_MS);
      expect(meeting).toMatchObject({ outcome: 'REPLIED', occurredAt: at(2) });
      // Replied even inside the reply window: there is nothing left to wait for.
      expect(deriveEpisode(lead, [welcome, logged('REPLY', at(1), 'EMAIL')], at(1, 1), REPLY_WINDOW_MS)).toMatchObject({ outcome: 'REPLIED' });
    });

    it('calls silence IGNORED once the reply window after the last touchpoint has closed, dated at its close', () => {
      // Opens and clicks are interest, not an answer.
      const interactions = [welcome, logged('EMAIL_OPEN', at(0, 10), 'EMAIL'), logged('CLICK', at(0, 11), 'EMAIL'), followUp];
      const closes = new Date(followUp.occurredAt.getTime() + REPLY_WINDOW_MS);
      expect(deriveEpisode(lead, interactions, closes, REPLY_WINDOW_MS)).toMatchObject({ outcome: 'IGNORED', occurredAt: closes });
      expect(deriveEpisode(lead, interactions, at(100), REPLY_WINDOW_MS)).toMatchObject({ outcome: 'IGNORED', occurredAt: closes });
    });

    it('has no episode while the reply window is open, nor for a lead never touched', () => {
      const justBefore = new Date(followUp.occurredAt.getTime() + REPLY_WINDOW_MS - 1);
      expect(deriveEpisode(lead, [welcome, followUp], justBefore, REPLY_WINDOW_MS)).toBeNull();
      // The window runs from the last touchpoint: the first one's has closed, but that is not enough.
      expect(deriveEpisode(lead, [welcome, followUp], new Date(welcome.occurredAt.getTime() + REPLY_WINDOW_MS), REPLY_WINDOW_MS)).toBeNull();
      expect(deriveEpisode(lead, [], at(100), REPLY_WINDOW_MS)).toBeNull();
      expect(deriveEpisode(lead, [logged('EMAIL_OPEN', at(0), 'EMAIL')], at(100), REPLY_WINDOW_MS)).toBeNull();
    });
  });

  describe('situation and action', () => {
    it('takes the channel, template and UTC hour of the last touchpoint at or before the outcome', () => {
      const converted = { ...lead, outcome: 'CONVERTED' as const, outcomeAt: at(5, 12) };
      const episode = deriveEpisode(converted, [late, followUp, welcome], at(100), REPLY_WINDOW_MS);
      expect(episode).toEqual({
        leadId: 'lead-42',
        industry: 'TECHNOLOGY',
        companySize: 'ENTERPRISE',
        persona: 'DECISION_MAKER',
        source: 'paid_search',
        channel: 'SMS',
        template: 'follow-up',
        sentHour: 15,
        action: 'touchpoint:sms:follow-up',
        outcome: 'CONVERTED',
        occurredAt: at(5, 12),
      });
      // A touchpoint at the very instant of the outcome counts as before it.
      const sameInstant = logged('TOUCHPOINT_SENT', at(5, 12), 'CALL', 'closing-call');
      expect(deriveEpisode(converted, [welcome, sameInstant], at(100), REPLY_WINDOW_MS)).toMatchObject({
        channel: 'CALL',
        action: 'touchpoint:call:closing-call',
        sentHour: 12,
      });
    });

    it('uses the touchpoint before a reply, and the last touchpoint for IGNORED', () => {
      const replied = deriveEpisode(lead, [welcome, logged('REPLY', at(1), 'EMAIL'), followUp], at(100), REPLY_WINDOW_MS);
      expect(replied).toMatchObject({ outcome: 'REPLIED', channel: 'EMAIL', template: 'welcome', sentHour: 9, action: 'touchpoint:email:welcome' });
      const ignored = deriveEpisode(lead, [followUp, welcome], at(100), REPLY_WINDOW_MS);
      expect(ignored).toMatchObject({ outcome: 'IGNORED', channel: 'SMS', template: 'follow-up', action: 'touchpoint:sms:follow-up' });
    });

    it('records action "none" when the outcome came before any touchpoint', () => {
      const converted = { ...lead, outcome: 'CONVERTED' as const, outcomeAt: at(1) };
      expect(deriveEpisode(converted, [followUp], at(100), REPLY_WINDOW_MS)).toMatchObject({
        channel: null,
        template: null,
        sentHour: null,
        action: 'none',
      });
      expect(deriveEpisode(converted, [], at(100), REPLY_WINDOW_MS)).toMatchObject({ action: 'none', outcome: 'CONVERTED' });
    });

    it('names a missing channel "unknown" and a missing template "none" in the action', () => {
      const bare = logged('TOUCHPOINT_SENT', at(0, 6), null, null);
      expect(deriveEpisode(lead, [bare], at(100), REPLY_WINDOW_MS)).toMatchObject({
        channel: null,
        template: null,
        sentHour: 6,
        action: 'touchpoint:unknown:none',
      });
      const untemplated = logged('TOUCHPOINT_SENT', at(0, 6), 'LINKEDIN', null);
      expect(deriveEpisode(lead, [untemplated], at(100), REPLY_WINDOW_MS)?.action).toBe('touchpoint:linkedin:none');
    });

    it('normalizes the source and keeps a missing persona or source as null', () => {
      const converted = { ...lead, outcome: 'LOST' as const, outcomeAt: at(1) };
      expect(deriveEpisode({ ...converted, source: '  Demo-Request ' }, [], at(100), REPLY_WINDOW_MS)?.source).toBe('demo_request');
      expect(deriveEpisode({ ...converted, source: null, persona: null }, [], at(100), REPLY_WINDOW_MS)).toMatchObject({
        source: null,
        persona: null,
      });
    });
  });

  describe('determinism', () => {
    it('derives the same episode from the same history in any order, without mutating it', () => {
      const interactions = [
        welcome,
        logged('EMAIL_OPEN', at(0, 10), 'EMAIL'),
        followUp,
        logged('CLICK', at(2, 16), 'SMS'),
        logged('MEETING_BOOKED', at(3, 10), 'CALL'),
        late,
      ];
      const copy = structuredClone(interactions);
      const expected = deriveEpisode(lead, interactions, at(100), REPLY_WINDOW_MS);
      expect(expected).toMatchObject({ outcome: 'REPLIED', occurredAt: at(3, 10), template: 'follow-up' });
      for (const seed of [1, 2, 3, 4, 5, 6]) expect(deriveEpisode(lead, shuffled(interactions, seed), at(100), REPLY_WINDOW_MS)).toEqual(expected);
      expect(interactions).toEqual(copy);
      expect(deriveEpisode({ ...lead }, structuredClone(interactions), new Date(at(100).getTime()), REPLY_WINDOW_MS)).toEqual(expected);
    });
  });
});
