// The contact policy (consent, do-not-contact, frequency cap) and the sequence
// (tier spacing, preferred hour, weekends, the cap, the runner-up channel).
import { describe, expect, it } from 'vitest';
import { contactPolicy, earliestUnderCap, fitsUnderCap, FREQUENCY_CAP, type ContactHistory } from '../../src/agents/engagement/contact-policy.js';
import { followUpActions, planSequence, slotAtOrAfter, type SequenceInput } from '../../src/agents/engagement/plan.js';
import { DEFAULT_SEND_HOUR_UTC } from '../../src/agents/engagement/playbook.js';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2025-03-03T09:00:00.000Z'); // a Monday
const days = (n: number, from = NOW) => new Date(from.getTime() + n * DAY);
const NONE: ContactHistory = { touches: [], unsubscribedAt: null };
const OK = { consent: true, doNotContact: false };

describe('contactPolicy', () => {
  it('allows a lead without a profile or with consent and no flag', () => {
    expect(contactPolicy(null, NONE, NOW)).toEqual({ allowed: true });
    expect(contactPolicy(OK, { touches: [days(-6), days(-1)], unsubscribedAt: null }, NOW)).toEqual({ allowed: true });
  });

  it('refuses outright when consent is withdrawn or an unsubscribe is on record', () => {
    const noConsent = contactPolicy({ consent: false, doNotContact: false }, NONE, NOW);
    expect(noConsent.allowed).toBe(false);
    expect(noConsent.reason).toMatch(/^Consent withdrawn/);
    expect(noConsent.earliest).toBeUndefined();
    const unsubscribed = contactPolicy(OK, { touches: [], unsubscribedAt: days(-2) }, NOW);
    expect(unsubscribed).toEqual({ allowed: false, reason: 'Consent withdrawn: the lead unsubscribed on 2025-03-01T09:00:00.000Z.' });
  });

  it('refuses outright a lead flagged do-not-contact (consent is named first when both apply)', () => {
    expect(contactPolicy({ consent: true, doNotContact: true }, NONE, NOW)).toEqual({
      allowed: false,
      reason: "Do not contact: the lead's profile is flagged do-not-contact.",
    });
    expect(contactPolicy({ consent: false, doNotContact: true }, NONE, NOW).reason).toMatch(/^Consent withdrawn/);
  });

  it('caps at 3 touchpoints in any 7 days and gives the earliest time the cap allows', () => {
    const decision = contactPolicy(OK, { touches: [days(-6), days(-3), days(-1)], unsubscribedAt: null }, NOW);
    expect(decision.allowed).toBe(false);
    expect(decision.earliest).toEqual(days(1)); // the touch of 6 days ago leaves the window
    expect(decision.reason).toBe(
      'Frequency cap: at most 3 touchpoints in any 7 days, and 3 are within 7 days of 2025-03-03T09:00:00.000Z; the earliest allowed time is 2025-03-04T09:00:00.000Z.',
    );
    expect(FREQUENCY_CAP).toEqual({ maxTouchpoints: 3, windowMs: 7 * DAY });
  });

  it('counts scheduled (future) messages too', () => {
    const scheduled = [days(1), days(2), days(3)];
    expect(fitsUnderCap(NOW, scheduled)).toBe(false);
    expect(earliestUnderCap(scheduled, NOW)).toEqual(days(8));
    expect(fitsUnderCap(days(4), scheduled)).toBe(false);
  });

  it('lets a touch fall out of the window exactly 7 days later', () => {
    const touches = [days(-7), days(-5), days(-2)];
    expect(fitsUnderCap(NOW, touches)).toBe(true);
    expect(fitsUnderCap(new Date(NOW.getTime() - 1), touches)).toBe(false);
  });
});

const lead = { industry: 'TECHNOLOGY', persona: 'DECISION_MAKER', phone: null } as const;
const person = { firstName: 'Jane', lastName: null, company: 'Acme Corp', title: null };

function plan(overrides: Partial<SequenceInput> = {}) {
  return planSequence({
    lead,
    category: 'CAMPAIGN_QUALIFIED',
    person,
    knowledge: { painPoint: 'Pipeline Growth', theme: 'ROI' },
    first: { channel: 'EMAIL', template: 'premium-business-case-email-a', variant: 'a' },
    alternate: { channel: 'LINKEDIN', template: 'premium-business-case-linkedin-b', variant: 'b' },
    now: NOW,
    preferredHour: null,
    ...overrides,
  });
}

const dayGaps = (steps: { sendAt: Date }[]) =>
  steps.map((step) =>
    Math.round(
      (Date.UTC(step.sendAt.getUTCFullYear(), step.sendAt.getUTCMonth(), step.sendAt.getUTCDate()) -
        Date.UTC(steps[0]!.sendAt.getUTCFullYear(), steps[0]!.sendAt.getUTCMonth(), steps[0]!.sendAt.getUTCDate())) /
        DAY,
    ),
  );

describe('planSequence', () => {
  it.each([
    ['CAMPAIGN_QUALIFIED', '2025-03-05T10:30:00.000Z', [0, 2, 5, 9]], // from a Wednesday: no weekend on the way
    ['GENERAL_INQUIRY', '2025-03-03T10:30:00.000Z', [0, 4, 9, 16]],
    ['COLD_LEAD', '2025-03-03T10:30:00.000Z', [0, 7, 21]],
  ] as const)('spaces %s follow-ups at its tier’s days after the first touchpoint', (category, now, gaps) => {
    const steps = plan({ category, now: new Date(now) });
    expect(steps.map((step) => step.step)).toEqual(gaps.map((_, index) => index + 1));
    expect(dayGaps(steps)).toEqual(gaps);
    expect(steps[0]!.sendAt.toISOString()).toBe(now);
    for (const step of steps.slice(1)) expect(step.sendAt.getUTCHours()).toBe(DEFAULT_SEND_HOUR_UTC);
    expect(steps.every((step) => step.note === null || step.step === steps.length)).toBe(true);
  });

  it('chases premium leads faster than nurture leads', () => {
    const premium = plan({ category: 'CAMPAIGN_QUALIFIED' });
    const nurture = plan({ category: 'COLD_LEAD' });
    expect(premium[1]!.sendAt.getTime()).toBeLessThan(nurture[1]!.sendAt.getTime());
    expect(premium).toHaveLength(4);
    expect(nurture).toHaveLength(3);
  });

  it("sends follow-ups at the profile's preferred hour (UTC), the first touchpoint now", () => {
    const steps = plan({ preferredHour: 7 });
    expect(steps[0]!.sendAt).toEqual(NOW);
    expect(steps.slice(1).map((step) => step.sendAt.toISOString())).toEqual([
      '2025-03-05T07:00:00.000Z',
      '2025-03-10T07:00:00.000Z', // day 5 is a Saturday: Monday
      '2025-03-12T07:00:00.000Z',
    ]);
    expect(plan({ preferredHour: 25 })[1]!.sendAt.getUTCHours()).toBe(DEFAULT_SEND_HOUR_UTC);
  });

  it('rolls weekend slots over to Monday', () => {
    expect(slotAtOrAfter(new Date('2025-03-08T10:00:00.000Z'), 9).toISOString()).toBe('2025-03-10T09:00:00.000Z');
    expect(slotAtOrAfter(new Date('2025-03-07T16:00:00.000Z'), 15).toISOString()).toBe('2025-03-10T15:00:00.000Z');
    expect(slotAtOrAfter(new Date('2025-03-07T14:00:00.000Z'), 15).toISOString()).toBe('2025-03-07T15:00:00.000Z');
  });

  it('writes every step in full, templates per step, the last on the runner-up channel', () => {
    const steps = plan();
    expect(steps.map((step) => [step.channel, step.template])).toEqual([
      ['EMAIL', 'premium-business-case-email-a'],
      ['EMAIL', 'premium-business-case-email-a-followup-1'],
      ['EMAIL', 'premium-business-case-email-a-followup-2'],
      ['LINKEDIN', 'premium-business-case-linkedin-b-followup-3'],
    ]);
    expect(steps.map((step) => step.subject === null)).toEqual([false, false, false, true]);
    for (const step of steps) expect(step.body.length).toBeGreaterThan(20);
    expect(steps[3]!.note).toBe('The last step switches to LinkedIn, the runner-up channel.');
    expect(plan({ alternate: null }).every((step) => step.channel === 'EMAIL')).toBe(true);
  });

  it('defers the first touchpoint to the first send slot the frequency cap allows, and says so', () => {
    const booked = [days(-6), days(-3), days(-1)];
    const steps = plan({ booked, preferredHour: 11 });
    // The cap allows 2025-03-04T09:00; the first 11:00 slot from then.
    expect(steps[0]!.sendAt.toISOString()).toBe('2025-03-04T11:00:00.000Z');
    expect(steps[0]!.note).toBe(
      'Deferred by the frequency cap (at most 3 touchpoints in any 7 days): planned for 2025-03-03T09:00:00.000Z, ' +
        'allowed from 2025-03-04T09:00:00.000Z, scheduled at the first send slot from then, 2025-03-04T11:00:00.000Z.',
    );
    // No 7-day window ever holds more than 3 touchpoints, the plan's own included.
    const all = [...booked, ...steps.map((step) => step.sendAt)].map((d) => d.getTime());
    for (const start of all) expect(all.filter((t) => t >= start && t < start + 7 * DAY).length).toBeLessThanOrEqual(3);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.sendAt.getTime()).toBeGreaterThan(steps[i - 1]!.sendAt.getTime());
  });

  it('is deterministic', () => {
    expect(plan({ booked: [days(-1)] })).toEqual(plan({ booked: [days(-1)] }));
  });
});

describe('followUpActions', () => {
  it('gives one follow_up per step after the first, due when the step is queued', () => {
    const steps = plan();
    const actions = followUpActions(steps, 'engagement-premium-001');
    expect(actions).toHaveLength(3);
    expect(actions.map((action) => action.dueAt)).toEqual(steps.slice(1).map((step) => step.sendAt));
    expect(actions[2]).toEqual({
      action: 'follow_up',
      agent: 'engagement-premium-001',
      channel: 'LINKEDIN',
      dueAt: steps[3]!.sendAt,
      description:
        'Step 4: follow up on "premium-business-case-email-a" by LinkedIn with "premium-business-case-linkedin-b-followup-3" ' +
        'unless the lead has replied (queued in the outbox for 2025-03-12T15:00:00.000Z)',
    });
    expect(followUpActions([], 'x')).toEqual([]);
  });
});
