// The campaign plan's rules on their own: which optimization targets engagement
// understands, what a pause removes, and how the approved split spreads sequences.
import { describe, expect, it } from 'vitest';
import { isPaused, nextChannel, pauseTarget, withChanges } from '../../src/agents/engagement/campaign-plan.js';
import { engagementChanges } from '../../src/agents/optimization/engagement-changes.js';
import { segmentArms } from '../../src/agents/engagement/variants.js';

describe('campaign plan', () => {
  it('understands the channels and variants engagement sends, and nothing else', () => {
    expect(pauseTarget('channel:Email')).toBe('channel:email');
    expect(pauseTarget('channel:search')).toBeNull();
    expect(pauseTarget('variant:B')).toBe('variant:b');
    expect(pauseTarget('variant:control')).toBeNull();
    expect(pauseTarget('variant:premium-business-case-email-a')).toBe('variant:premium-business-case-email-a');
    expect(pauseTarget('campaign')).toBe('campaign');
  });

  it('a pause removes exactly the arms it names', () => {
    const arms = segmentArms({ persona: 'DECISION_MAKER', email: 'a@b.co', phone: '+1555' }, 'CAMPAIGN_QUALIFIED');
    const open = (paused: string[]) => arms.filter((arm) => !isPaused(arm, paused)).map((arm) => arm.id);
    expect(open(['variant:b']).every((id) => id.endsWith('-a'))).toBe(true);
    expect(open(['channel:sms']).some((id) => id.includes('-sms-'))).toBe(false);
    expect(open([`variant:${arms[0]!.template}`])).toEqual(arms.slice(1).map((arm) => arm.id));
    expect(open(['campaign'])).toEqual([]);
  });

  it('spreads sequences by largest deficit, exactly in proportion', () => {
    const shares = { EMAIL: 0.6, CALL: 0.4 };
    const starts: Record<string, number> = {};
    const order = Array.from({ length: 10 }, () => {
      const channel = nextChannel(['EMAIL', 'CALL'], shares, starts);
      starts[channel] = (starts[channel] ?? 0) + 1;
      return channel;
    });
    expect(order.slice(0, 5)).toEqual(['EMAIL', 'CALL', 'EMAIL', 'CALL', 'EMAIL']);
    expect(starts).toEqual({ EMAIL: 6, CALL: 4 });
  });

  it('pauses add up; a new split replaces the old one and restarts its counts', () => {
    const plan = { campaignId: 'c', paused: ['variant:b'], channelShares: { EMAIL: 1 }, channelStarts: { EMAIL: 7 } };
    const next = withChanges(plan, [
      { kind: 'pause', target: 'channel:sms', reason: '' },
      { kind: 'pause', target: 'variant:b', reason: '' },
      { kind: 'channel_shares', shares: { EMAIL: 0.5, SMS: 0.5 }, reason: '' },
    ]);
    expect(next).toEqual({ campaignId: 'c', paused: ['channel:sms', 'variant:b'], channelShares: { EMAIL: 0.5, SMS: 0.5 }, channelStarts: {} });
  });

  it('turns recommendations into changes, saying why the rest change nothing', () => {
    const { changes, unchanged } = engagementChanges([
      { type: 'pause', target: 'channel:search', summary: 'x', confidence: 1, evidence: {} },
      { type: 'variant_winner', target: 'variant:A', summary: 'A wins', confidence: 1, evidence: { control: 'A', variant: 'B' } },
      {
        type: 'budget_reallocation',
        target: 'channels',
        summary: 'move',
        confidence: 1,
        evidence: { 'channel.email.proposed_spend_usd': 300, 'channel.sms.proposed_spend_usd': 100, 'channel.search.proposed_spend_usd': 600 },
      },
      { type: 'scale', target: 'channel:email', summary: 'more', confidence: 1, evidence: {} },
    ]);
    expect(changes).toEqual([
      { kind: 'pause', target: 'variant:b', reason: 'A wins' },
      { kind: 'channel_shares', shares: { EMAIL: 0.75, SMS: 0.25 }, reason: 'move' },
    ]);
    expect(unchanged.map((u) => u.target)).toEqual(['channel:search', 'channel:email']);
  });
});
