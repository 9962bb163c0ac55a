// Engagement copy: who a message addresses (profile slots, else the email
// address), what it says (knowledge facts, else the playbook's angle), per
// channel and copy variant.
// Expected copy is assembled by hand from src/agents/engagement/playbook.ts.
import { describe, expect, it } from 'vitest';
import { composeMessage, inSentence, personalization, recipient, type MessageContext, type Personalization } from '../../src/agents/engagement/message.js';

const EMAIL = 'jane.doe@acme-corp.com';
const PHONE = '+1 415 555 0100';
const NOBODY: Personalization = { firstName: null, lastName: null, company: null, title: null };
const JANE: Personalization = { firstName: 'Jane', lastName: 'Doe', company: 'Acme Corp', title: 'VP Sales' };
const FACTS = { painPoint: 'Pipeline Growth', theme: 'ROI' };
const NO_FACTS = { painPoint: null, theme: null };

function message(overrides: Partial<MessageContext>) {
  return composeMessage({
    lead: { industry: 'TECHNOLOGY', persona: 'DECISION_MAKER', phone: PHONE },
    category: 'CAMPAIGN_QUALIFIED',
    channel: 'EMAIL',
    variant: 'a',
    person: JANE,
    knowledge: FACTS,
    step: 1,
    ...overrides,
  });
}

describe('recipient', () => {
  it('reads first name and company from a first.last address at a company domain', () => {
    expect(recipient('jane.doe@acme-corp.com')).toEqual({ firstName: 'Jane', company: 'Acme Corp' });
  });

  it('does not take a role mailbox for a name', () => {
    expect(recipient('info@acme.com')).toEqual({ firstName: null, company: 'Acme' });
    expect(recipient('sales.team@acme.com')).toEqual({ firstName: null, company: 'Acme' });
    expect(recipient('no-reply@acme.com')).toEqual({ firstName: null, company: 'Acme' });
    expect(recipient('customer.service@acme.com')).toEqual({ firstName: null, company: 'Acme' });
  });

  it('does not guess a name from a run-together mailbox nor a company from a mailbox provider', () => {
    expect(recipient('jsmith@gmail.com')).toEqual({ firstName: null, company: null });
    expect(recipient('jane.doe@yahoo.co.uk')).toEqual({ firstName: 'Jane', company: null });
    expect(recipient('jane.doe@hotmail.fr')).toEqual({ firstName: 'Jane', company: null });
    expect(recipient('jane.doe@gmx.de')).toEqual({ firstName: 'Jane', company: null });
  });

  it('finds the registered label under a second-level country suffix and ignores subdomains', () => {
    // "a" is a single letter: not a first name.
    expect(recipient('a.b@mail.acme.co.uk')).toEqual({ firstName: null, company: 'Acme' });
    expect(recipient('john_smith@eu.globex.com')).toEqual({ firstName: 'John', company: 'Globex' });
  });

  it('is case-insensitive and knows nothing without an address', () => {
    expect(recipient('Jane.Doe@Acme-Corp.COM')).toEqual({ firstName: 'Jane', company: 'Acme Corp' });
    expect(recipient(null)).toEqual({ firstName: null, company: null });
    expect(recipient(undefined)).toEqual({ firstName: null, company: null });
    expect(recipient('')).toEqual({ firstName: null, company: null });
  });
});

describe('personalization', () => {
  it('prefers slots learned in conversation over what the email address suggests', () => {
    expect(personalization({ email: EMAIL }, { firstName: 'Janet', company: 'Acme Corporation', jobTitle: 'VP Sales', last_name: 'Doe' })).toEqual({
      firstName: 'Janet',
      lastName: 'Doe',
      company: 'Acme Corporation',
      title: 'VP Sales',
    });
  });

  it('falls back to the email address slot by slot', () => {
    expect(personalization({ email: EMAIL }, { title: 'CTO' })).toEqual({ firstName: 'Jane', lastName: null, company: 'Acme Corp', title: 'CTO' });
    expect(personalization({ email: EMAIL }, null)).toEqual({ firstName: 'Jane', lastName: null, company: 'Acme Corp', title: null });
    expect(personalization({ email: null }, undefined)).toEqual(NOBODY);
  });

  it('splits a full name when no first name was learned', () => {
    expect(personalization({ email: null }, { name: 'Maria  de la Cruz' })).toMatchObject({ firstName: 'Maria', lastName: 'de la Cruz' });
  });

  it('ignores slots that are not short strings, and cleans control characters', () => {
    const attributes = { firstName: 42, first_name: '   ', company: 'x'.repeat(61), title: 'Head of\nGrowth', givenName: ['Jane'] };
    expect(personalization({ email: null }, attributes)).toEqual({ firstName: null, lastName: null, company: null, title: 'Head of Growth' });
    expect(personalization({ email: null }, ['not', 'an', 'object'])).toEqual(NOBODY);
  });
});

describe('inSentence', () => {
  it('lower-cases title-case words and keeps acronyms', () => {
    expect(inSentence('Pipeline Growth')).toBe('pipeline growth');
    expect(inSentence('EHR Integration')).toBe('EHR integration');
    expect(inSentence('ROI')).toBe('ROI');
    expect(inSentence('Security & Compliance')).toBe('security & compliance');
  });
});

describe('composeMessage: first touchpoint', () => {
  it('writes a pain-led email (variant a) from the profile and the knowledge facts', () => {
    expect(message({})).toEqual({
      subject: 'Acme Corp: pipeline growth',
      body: [
        'Hi Jane,',
        '',
        'Thanks for your interest: I wanted to reach out personally.',
        'Many Technology teams tell us their hardest problem is pipeline growth. Teams like yours answer new leads in minutes instead of days.',
        'As VP Sales, you will want to see ROI first, so that is where I will start.',
        '',
        'I can share a one-page business case with the return you can expect for the team at Acme Corp. Would a 20-minute call this week work?',
      ].join('\n'),
    });
  });

  it('writes a question-led email (variant b): another subject and opening', () => {
    const b = message({ variant: 'b' });
    expect(b.subject).toBe('Jane, a question about ROI');
    expect(b.body.split('\n').slice(0, 4)).toEqual([
      'Hi Jane,',
      '',
      'You asked about us, so I will get straight to the point.',
      'Is pipeline growth on the agenda for the team at Acme Corp this quarter? Teams like yours answer new leads in minutes instead of days.',
    ]);
    expect(b.subject).not.toBe(message({}).subject);
  });

  it('speaks of what the persona values when the title is unknown', () => {
    const { body } = message({
      person: { ...JANE, title: null },
      lead: { industry: 'HEALTHCARE', persona: 'END_USER' },
      knowledge: { painPoint: 'Patient Data Privacy', theme: 'Ease of Use' },
    });
    expect(body).toContain('Many Healthcare teams tell us their hardest problem is patient data privacy.');
    expect(body).toContain('People who use tools like ours every day tell us they want to see ease of use first, so that is where I will start.');
  });

  it("falls back to the playbook's angle without knowledge facts, and to generic words without a name or company", () => {
    const { subject, body } = message({
      person: NOBODY,
      knowledge: NO_FACTS,
      category: 'GENERAL_INQUIRY',
      lead: { industry: 'HEALTHCARE', persona: 'INFLUENCER' },
    });
    expect(subject).toBe('Reaching patients and providers without putting HIPAA compliance at risk');
    expect(body).toBe(
      [
        'Hi there,',
        '',
        'Thanks for getting in touch.',
        'Many Healthcare teams tell us their hardest problem is reaching patients and providers without putting HIPAA compliance at risk. ' +
          'Every touchpoint is consent-checked and audit-logged.',
        '',
        'I can share our evaluation guide and a side-by-side comparison for Healthcare teams like yours. Shall I send the guide over?',
      ].join('\n'),
    );
    expect(message({ variant: 'b', person: NOBODY, knowledge: NO_FACTS }).subject).toBe(
      'A question about keeping pipeline growing as fast as the product ships',
    );
  });

  it('writes a call script for a person: number, who to ask for, score, angle, theme, offer', () => {
    expect(message({ channel: 'CALL', score: 82 })).toEqual({
      subject: null,
      body: [
        'Call +1 415 555 0100 and ask for Jane Doe: premium lead in Technology, VP Sales at Acme Corp (score 82).',
        'Open with: pipeline growth. Proof point: Teams like yours answer new leads in minutes instead of days.',
        'Keep the conversation on ROI: leaders in your position care most about it.',
        'Offer a one-page business case with the return you can expect. Close with: Would a 20-minute call this week work?',
      ].join('\n'),
    });
    expect(message({ channel: 'CALL', variant: 'b' }).body).toContain('Open with a question: is pipeline growth on the agenda this quarter?');
  });

  it('writes a short text with an opt-out, continuing the greeting in lower case', () => {
    expect(
      message({ channel: 'SMS', category: 'COLD_LEAD', lead: { industry: 'MANUFACTURING', persona: 'END_USER' }, person: NOBODY, knowledge: NO_FACTS }),
    ).toEqual({
      subject: null,
      body:
        'Hi there, I thought this might be useful to you. We help Manufacturing teams with turning long, multi-stakeholder buying cycles into a predictable pipeline. ' +
        'Would a link to the sandbox help? Reply STOP to opt out.',
    });
    expect(message({ channel: 'SMS', variant: 'b' }).body).toBe(
      'Hi Jane, you asked about us, so I will get straight to the point. Is pipeline growth a priority at Acme Corp right now? ' +
        'Would a 20-minute call this week work? Reply STOP to opt out.',
    );
  });

  it('writes LinkedIn notes in both variants', () => {
    expect(
      message({ channel: 'LINKEDIN', lead: { industry: 'TECHNOLOGY', persona: null }, person: NOBODY, knowledge: NO_FACTS, category: 'GENERAL_INQUIRY' }).body,
    ).toBe(
      'Hi there, I work with Technology teams on keeping pipeline growing as fast as the product ships. ' +
        'Happy to share a short overview of how similar teams use our platform if useful.',
    );
    expect(message({ channel: 'LINKEDIN', variant: 'b' }).body).toBe(
      'Hi Jane, quick question: how are you approaching ROI at Acme Corp? I work with Technology teams on pipeline growth ' +
        'and am happy to share a one-page business case with the return you can expect.',
    );
  });

  it('is deterministic', () => {
    expect(message({ variant: 'b', channel: 'CALL' })).toEqual(message({ variant: 'b', channel: 'CALL' }));
  });
});

describe('composeMessage: follow-ups', () => {
  it('writes shorter reminders that alternate proof and theme, and a last note', () => {
    const second = message({ step: 2 });
    expect(second.subject).toBe('Following up: pipeline growth');
    expect(second.body).toBe(
      [
        'Hi Jane,',
        '',
        'Following up on my last note in case it got buried.',
        'Teams like yours answer new leads in minutes instead of days.',
        '',
        'A one-page business case with the return you can expect is ready whenever you are. Would a 20-minute call this week work?',
      ].join('\n'),
    );
    expect(message({ step: 3 }).body).toContain('ROI comes first in what I would share: it is what matters most in your role as VP Sales.');
    expect(message({ step: 4, last: true, channel: 'LINKEDIN' }).body).toBe(
      'Hi Jane, last note from me on this: if now is not the right time, no problem. Happy to share a one-page business case with the return you can expect if useful.',
    );
    expect(message({ step: 2, channel: 'CALL' }).body.split('\n')[0]).toBe(
      'Follow-up call 1 to +1 415 555 0100 and ask for Jane Doe: premium lead in Technology, VP Sales at Acme Corp.',
    );
  });
});
