// Engagement agent: choose the channel and message for a triaged lead, write it
// for that lead, and schedule the follow-up. Pure and deterministic: the caller
// records the touchpoint.
import type { Channel, TriageCategory } from '../db/generated/prisma/enums.js';
import { INDUSTRY_ANGLES, MAIL_PROVIDERS, PERSONA_OFFERS, ROLE_MAILBOX_WORDS, TIER_PLAYS } from './engagement-playbook.js';
import { INDUSTRY_LABELS } from './labels.js';
import type { LeadInput } from './lead.js';

export interface EngagementTriage {
  category: TriageCategory;
  assignedAgent: string;
}

export interface Touchpoint {
  channel: Channel;
  template: string;
  /** Email only. */
  subject: string | null;
  body: string;
  sendAt: Date;
}

export interface NextAction {
  action: 'follow_up';
  agent: string;
  channel: Channel;
  dueAt: Date;
  description: string;
}

export interface EngagementPlan {
  agent: string;
  firstTouchpoint: Touchpoint;
  nextActions: NextAction[];
}

const DAY_MS = 24 * 3600 * 1000;

export function planEngagement(lead: LeadInput, triage: EngagementTriage, now: Date): EngagementPlan {
  const play = TIER_PLAYS[triage.category];
  const offer = PERSONA_OFFERS[lead.persona ?? 'UNKNOWN'];
  const channel = chooseChannel(lead, triage.category);
  const template = `${play.tier}-${offer.templateKey}-${channel.toLowerCase()}`;
  const message = compose(lead, triage.category, channel);
  return {
    agent: triage.assignedAgent,
    firstTouchpoint: { channel, template, ...message, sendAt: now },
    nextActions: [
      {
        action: 'follow_up',
        agent: triage.assignedAgent,
        channel,
        dueAt: new Date(now.getTime() + play.followUpDays * DAY_MS),
        description: `Follow up on "${template}" if there is no reply within ${play.followUpDays} days`,
      },
    ],
  };
}

/**
 * Email when there is an address; otherwise the phone (a sales call for
 * qualified leads, a text for the rest); otherwise a LinkedIn connection note.
 */
export function chooseChannel(lead: LeadInput, category: TriageCategory): Channel {
  if (lead.email) return 'EMAIL';
  if (lead.phone) return category === 'CAMPAIGN_QUALIFIED' ? 'CALL' : 'SMS';
  return 'LINKEDIN';
}

function compose(lead: LeadInput, category: TriageCategory, channel: Channel): { subject: string | null; body: string } {
  const play = TIER_PLAYS[category];
  const angle = INDUSTRY_ANGLES[lead.industry];
  const offer = PERSONA_OFFERS[lead.persona ?? 'UNKNOWN'];
  const { firstName, company } = recipient(lead.email);
  const greeting = `Hi ${firstName ?? 'there'},`;
  const team = company ? `the team at ${company}` : `${INDUSTRY_LABELS[lead.industry]} teams like yours`;

  switch (channel) {
    case 'EMAIL':
      return {
        subject: company ? `${company}: ${angle.painPoint}` : capitalize(angle.painPoint),
        body: [
          greeting,
          '',
          play.opener,
          `Many ${INDUSTRY_LABELS[lead.industry]} teams tell us their hardest problem is ${angle.painPoint}. ${angle.proof}`,
          '',
          `I can share ${offer.offer} for ${team}. ${offer.callToAction}`,
        ].join('\n'),
      };
    case 'SMS':
      return {
        subject: null,
        body: `${greeting} ${play.opener} We help with ${angle.painPoint}. ${offer.callToAction} Reply STOP to opt out.`,
      };
    case 'CALL':
      return {
        subject: null,
        body: [
          `Call ${lead.phone}: ${play.tier} lead in ${INDUSTRY_LABELS[lead.industry]}.`,
          `Open with: ${angle.painPoint}. Proof point: ${angle.proof}`,
          `Offer ${offer.offer}. Close with: ${offer.callToAction}`,
        ].join('\n'),
      };
    case 'LINKEDIN':
      return {
        subject: null,
        body: `${greeting} I work with ${INDUSTRY_LABELS[lead.industry]} teams on ${angle.painPoint}. Happy to share ${offer.offer} if useful.`,
      };
  }
}

/** What an email address tells about its owner, without guessing beyond it. */
export function recipient(email: string | null | undefined): { firstName: string | null; company: string | null } {
  if (!email) return { firstName: null, company: null };
  const [local = '', domain = ''] = email.toLowerCase().split('@');
  const words = local.split(/[._+-]/);
  const firstWord = words[0] ?? '';
  // Only "first.last"-style mailboxes name a person; "jsmith", "info" or "no-reply" do not.
  const namesPerson = words.length > 1 && /^[a-z]{2,}$/.test(firstWord) && !words.some((word) => ROLE_MAILBOX_WORDS.has(word));
  const registered = registrableLabel(domain);
  const organization = registered && !MAIL_PROVIDERS.has(registered) ? registered : undefined;
  return {
    firstName: namesPerson ? capitalize(firstWord) : null,
    company: organization ? organization.split('-').filter(Boolean).map(capitalize).join(' ') : null,
  };
}

const SECOND_LEVEL_SUFFIXES = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu']);

/** "mail.acme-corp.co.uk" → "acme-corp": the label an organization registered. */
function registrableLabel(domain: string): string | undefined {
  const labels = domain.split('.').slice(0, -1);
  if (labels.length > 1 && SECOND_LEVEL_SUFFIXES.has(labels.at(-1)!)) labels.pop();
  return labels.at(-1);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
