// Engagement agent: channel, template, personalization and follow-up cadence.
// Expected copy is assembled by hand from src/agents/engagement-playbook.ts.
import { describe, expect, it } from 'vitest';
import type { TriageCategory } from '../../src/db/generated/prisma/enums.js';
import { chooseChannel, planEngagement, recipient, type EngagementTriage } from '../../src/agents/engagement.js';
import type { LeadInput } from '../../src/agents/lead.js';

const NOW = new Date('2025-03-03T09:00:00.000Z');

const triage = {
  CAMPAIGN_QUALIFIED: { category: 'CAMPAIGN_QUALIFIED', assignedAgent: 'engagement-premium-001' },
  GENERAL_INQUIRY: { category: 'GENERAL_INQUIRY', assignedAgent: 'engagement-standard-001' },
  COLD_LEAD: { category: 'COLD_LEAD', assignedAgent: 'engagement-nurture-001' },
} satisfies Record<TriageCategory, EngagementTriage>;

const base: LeadInput = { leadId: 'lead-001', industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'organic' };
const EMAIL = 'jane.doe@acme-corp.com';
const PHONE = '+1 415 555 0100';

describe('chooseChannel', () => {
  it('emails whenever there is an address, whatever the category', () => {
    for (const category of ['CAMPAIGN_QUALIFIED', 'GENERAL_INQUIRY', 'COLD_LEAD'] as const) {
      expect(chooseChannel({ ...base, email: EMAIL }, category)).toBe('EMAIL');
      expect(chooseChannel({ ...base, email: EMAIL, phone: PHONE }, category)).toBe('EMAIL');
    }
  });

  it('calls a qualified lead that gave only a phone', () => {
    expect(chooseChannel({ ...base, phone: PHONE }, 'CAMPAIGN_QUALIFIED')).toBe('CALL');
  });

  it('texts other leads that gave only a phone', () => {
    expect(chooseChannel({ ...base, phone: PHONE }, 'GENERAL_INQUIRY')).toBe('SMS');
    expect(chooseChannel({ ...base, phone: PHONE }, 'COLD_LEAD')).toBe('SMS');
  });

  it('falls back to LinkedIn without email or phone (null, undefined or empty)', () => {
    expect(chooseChannel(base, 'CAMPAIGN_QUALIFIED')).toBe('LINKEDIN');
    expect(chooseChannel({ ...base, email: null, phone: null }, 'GENERAL_INQUIRY')).toBe('LINKEDIN');
    expect(chooseChannel({ ...base, email: '', phone: '' }, 'COLD_LEAD')).toBe('LINKEDIN');
  });
});

describe('template naming', () => {
  it('is tier-templateKey-channel', () => {
    const cases: [LeadInput, EngagementTriage, string][] = [
      [{ ...base, persona: 'DECISION_MAKER', email: EMAIL }, triage.CAMPAIGN_QUALIFIED, 'premium-business-case-email'],
      [{ ...base, persona: 'END_USER', phone: PHONE }, triage.CAMPAIGN_QUALIFIED, 'premium-hands-on-call'],
      [{ ...base, persona: 'INFLUENCER', phone: PHONE }, triage.GENERAL_INQUIRY, 'standard-evaluation-guide-sms'],
      [{ ...base, persona: null }, triage.COLD_LEAD, 'nurture-intro-linkedin'],
      [{ ...base, email: EMAIL }, triage.COLD_LEAD, 'nurture-intro-email'],
    ];
    for (const [lead, verdict, template] of cases) {
      expect(planEngagement(lead, verdict, NOW).firstTouchpoint.template).toBe(template);
    }
  });
});

describe('recipient', () => {
  it('reads first name and company from a first.last address at a company domain', () => {
    expect(recipient('jane.doe@acme-corp.com')).toEqual({ firstName: 'Jane', company: 'Acme Corp' });
  });

  it('does not take a role mailbox for a name', () => {
    expect(recipient('info@acme.com')).toEqual({ firstName: null, company: 'Acme' });
    expect(recipient('sales.team@acme.com')).toEqual({ firstName: null, company: 'Acme' });
  });

  it('does not guess a name from a run-together mailbox nor a company from a mailbox provider', () => {
    expect(recipient('jsmith@gmail.com')).toEqual({ firstName: null, company: null });
  });

  it('recognizes mailbox providers under any country domain', () => {
    expect(recipient('jane.doe@yahoo.co.uk')).toEqual({ firstName: 'Jane', company: null });
    expect(recipient('jane.doe@hotmail.fr')).toEqual({ firstName: 'Jane', company: null });
    expect(recipient('jane.doe@gmx.de')).toEqual({ firstName: 'Jane', company: null });
  });

  it('does not take any word of a role mailbox for a name', () => {
    expect(recipient('no-reply@acme.com')).toEqual({ firstName: null, company: 'Acme' });
    expect(recipient('customer.service@acme.com')).toEqual({ firstName: null, company: 'Acme' });
  });

  it('finds the registered label under a second-level country suffix and ignores subdomains', () => {
    // "a" is a single letter: not a first name.
    expect(recipient('a.b@mail.acme.co.uk')).toEqual({ firstName: null, company: 'Acme' });
    expect(recipient('john_smith@eu.globex.com')).toEqual({ firstName: 'John', company: 'Globex' });
  });

  it('is case-insensitive', () => {
    expect(recipient('Jane.Doe@Acme-Corp.COM')).toEqual({ firstName: 'Jane', company: 'Acme Corp' });
  });

  it('knows nothing without an address', () => {
    expect(recipient(null)).toEqual({ firstName: null, company: null });
    expect(recipient(undefined)).toEqual({ firstName: null, company: null });
    expect(recipient('')).toEqual({ firstName: null, company: null });
  });
});

describe('first touchpoint copy', () => {
  it('writes a personal premium email naming the industry pain point and the persona offer', () => {
    const plan = planEngagement({ ...base, persona: 'DECISION_MAKER', email: EMAIL }, triage.CAMPAIGN_QUALIFIED, NOW);
    expect(plan.agent).toBe('engagement-premium-001');
    expect(plan.firstTouchpoint).toEqual({
      channel: 'EMAIL',
      template: 'premium-business-case-email',
      subject: 'Acme Corp: keeping pipeline growing as fast as the product ships',
      body: [
        'Hi Jane,',
        '',
        'Thanks for your interest: I wanted to reach out personally.',
        'Many Technology teams tell us their hardest problem is keeping pipeline growing as fast as the product ships. ' +
          'Teams like yours answer new leads in minutes instead of days.',
        '',
        'I can share a one-page business case with the return you can expect for the team at Acme Corp. ' +
          'Would a 20-minute call this week work?',
      ].join('\n'),
      sendAt: NOW,
    });
  });

  it('writes a generic email when the address names neither person nor company', () => {
    const { firstTouchpoint } = planEngagement(
      { ...base, industry: 'HEALTHCARE', persona: 'INFLUENCER', email: 'jsmith@gmail.com' },
      triage.GENERAL_INQUIRY,
      NOW,
    );
    expect(firstTouchpoint.subject).toBe('Reaching patients and providers without putting HIPAA compliance at risk');
    expect(firstTouchpoint.body.startsWith('Hi there,\n\nThanks for getting in touch.\n')).toBe(true);
    expect(firstTouchpoint.body).toContain(
      'Many Healthcare teams tell us their hardest problem is reaching patients and providers without putting HIPAA compliance at risk.',
    );
    expect(firstTouchpoint.body).toContain(
      'I can share our evaluation guide and a side-by-side comparison for Healthcare teams like yours. Shall I send the guide over?',
    );
  });

  it('writes call notes for a qualified lead with only a phone, without a subject', () => {
    const { firstTouchpoint } = planEngagement({ ...base, industry: 'FINANCE', persona: 'DECISION_MAKER', phone: PHONE }, triage.CAMPAIGN_QUALIFIED, NOW);
    expect(firstTouchpoint.channel).toBe('CALL');
    expect(firstTouchpoint.subject).toBeNull();
    expect(firstTouchpoint.body).toBe(
      [
        'Call +1 415 555 0100: premium lead in Finance.',
        'Open with: personalizing outreach while staying inside regulatory and data-privacy rules. ' +
          'Proof point: Every message is archived and every claim traceable for review.',
        'Offer a one-page business case with the return you can expect. Close with: Would a 20-minute call this week work?',
      ].join('\n'),
    );
  });

  it('writes a short text with an opt-out for a non-qualified lead with only a phone', () => {
    const { firstTouchpoint } = planEngagement({ ...base, industry: 'MANUFACTURING', persona: 'END_USER', phone: PHONE }, triage.COLD_LEAD, NOW);
    expect(firstTouchpoint.channel).toBe('SMS');
    expect(firstTouchpoint.subject).toBeNull();
    expect(firstTouchpoint.body).toBe(
      'Hi there, I thought this might be useful to you. We help with turning long, multi-stakeholder buying cycles into a predictable pipeline. ' +
        'Would a link to the sandbox help? Reply STOP to opt out.',
    );
  });

  it('writes a LinkedIn note when there is no contact data', () => {
    const { firstTouchpoint } = planEngagement(base, triage.GENERAL_INQUIRY, NOW);
    expect(firstTouchpoint.channel).toBe('LINKEDIN');
    expect(firstTouchpoint.subject).toBeNull();
    expect(firstTouchpoint.body).toBe(
      'Hi there, I work with Technology teams on keeping pipeline growing as fast as the product ships. ' +
        'Happy to share a short overview of how similar teams use our platform if useful.',
    );
  });
});

describe('follow-up', () => {
  it.each([
    ['CAMPAIGN_QUALIFIED', 2, '2025-03-05T09:00:00.000Z'],
    ['GENERAL_INQUIRY', 4, '2025-03-07T09:00:00.000Z'],
    ['COLD_LEAD', 7, '2025-03-10T09:00:00.000Z'],
  ] as const)('for %s is due %i days after the first touchpoint', (category, days, due) => {
    const verdict = triage[category];
    const plan = planEngagement({ ...base, email: EMAIL }, verdict, NOW);
    expect(plan.firstTouchpoint.sendAt).toEqual(NOW);
    expect(plan.nextActions).toHaveLength(1);
    const next = plan.nextActions[0]!;
    expect(next.dueAt.toISOString()).toBe(due);
    expect(next.dueAt.getTime() - NOW.getTime()).toBe(days * 24 * 3600 * 1000);
    expect(next.action).toBe('follow_up');
    expect(next.agent).toBe(verdict.assignedAgent);
    expect(next.channel).toBe('EMAIL');
    expect(next.description).toBe(
      `Follow up on "${plan.firstTouchpoint.template}" if there is no reply within ${days} days`,
    );
  });

  it('follows a qualified lead with email and phone up by email (email wins the first touch too)', () => {
    const plan = planEngagement({ ...base, email: EMAIL, phone: PHONE }, triage.CAMPAIGN_QUALIFIED, NOW);
    expect(plan.firstTouchpoint.channel).toBe('EMAIL');
    expect(plan.nextActions[0]?.channel).toBe('EMAIL');
  });

  it('follows a call up with another call when there is no email to fall back to', () => {
    const plan = planEngagement({ ...base, phone: PHONE }, triage.CAMPAIGN_QUALIFIED, NOW);
    expect(plan.firstTouchpoint.channel).toBe('CALL');
    expect(plan.nextActions[0]?.channel).toBe('CALL');
  });

  it('keeps the first channel for SMS and LinkedIn follow-ups', () => {
    expect(planEngagement({ ...base, phone: PHONE }, triage.GENERAL_INQUIRY, NOW).nextActions[0]?.channel).toBe('SMS');
    expect(planEngagement(base, triage.COLD_LEAD, NOW).nextActions[0]?.channel).toBe('LINKEDIN');
  });
});

describe('determinism', () => {
  it('plans the same engagement for the same lead, verdict and time', () => {
    const lead: LeadInput = { ...base, persona: 'INFLUENCER', email: EMAIL, phone: PHONE };
    const first = planEngagement(lead, triage.GENERAL_INQUIRY, NOW);
    const second = planEngagement({ ...lead }, { ...triage.GENERAL_INQUIRY }, new Date(NOW.getTime()));
    expect(second).toEqual(first);
  });

  it('does not share the caller’s Date for the follow-up', () => {
    const now = new Date(NOW.getTime());
    const plan = planEngagement(base, triage.COLD_LEAD, now);
    expect(plan.nextActions[0]?.dueAt).not.toBe(now);
  });
});
