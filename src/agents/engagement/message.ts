// The words of a touchpoint: who it addresses (slots learned about the lead, else
// what its email address tells), what it talks about (the industry's top pain
// point and the segment's favourite theme from the knowledge base, else the
// playbook's angle) and how (channel, copy variant, first touch or follow-up).
// Pure and deterministic: the same inputs always give the same words.
import type { Channel, TriageCategory } from '../../db/generated/prisma/enums.js';
import { INDUSTRY_LABELS } from '../../domain/labels.js';
import type { LeadInput } from '../../domain/lead.js';
import {
  FOLLOW_UP_LINES,
  INDUSTRY_ANGLES,
  LAST_FOLLOW_UP_LINE,
  MAIL_PROVIDERS,
  PERSONA_OFFERS,
  ROLE_MAILBOX_WORDS,
  TIER_PLAYS,
  type CopyVariant,
} from './playbook.js';

/** What we may call the lead by. */
export interface Personalization {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
}

/** Facts from the knowledge base, as their node names ("Pipeline Growth", "ROI"). */
export interface MessageKnowledge {
  /** The lead's industry's most prevalent pain point (HAS_PAIN_POINT). */
  painPoint: string | null;
  /** The theme the lead's segment (or persona, or company size) responds to most (RESPONDS_TO). */
  theme: string | null;
}

export interface MessageContext {
  lead: Pick<LeadInput, 'industry' | 'persona' | 'phone'>;
  category: TriageCategory;
  channel: Channel;
  variant: CopyVariant;
  person: Personalization;
  knowledge: MessageKnowledge;
  /** 1 for the first touchpoint; later steps are follow-ups. */
  step: number;
  /** True for the sequence's last step. */
  last?: boolean;
  /** The triage score, for a caller's notes. */
  score?: number | null;
}

export interface Message {
  /** Email only. */
  subject: string | null;
  body: string;
}

/**
 * Profile attribute keys read for each slot, in order of preference (the caller's
 * own camelCase first, then snake_case). A full `name` gives the first name when
 * no first name was learned.
 */
export const PROFILE_SLOTS = {
  firstName: ['firstName', 'first_name', 'givenName', 'given_name'],
  lastName: ['lastName', 'last_name', 'familyName', 'family_name'],
  fullName: ['name', 'fullName', 'full_name'],
  company: ['company', 'companyName', 'company_name', 'organization'],
  title: ['title', 'jobTitle', 'job_title', 'role'],
} as const;

/** Longer slot values are not names but notes: they are not put in a message. */
const SLOT_MAX_LENGTH = 60;

/** Slots learned about the lead (profile attributes) win over what its email address suggests. */
export function personalization(lead: Pick<LeadInput, 'email'>, attributes: unknown): Personalization {
  const slots = attributes && typeof attributes === 'object' && !Array.isArray(attributes) ? (attributes as Record<string, unknown>) : {};
  const slot = (keys: readonly string[]): string | null => {
    for (const key of keys) {
      const value = cleanSlot(slots[key]);
      if (value) return value;
    }
    return null;
  };
  const fromEmail = recipient(lead.email);
  const fullName = slot(PROFILE_SLOTS.fullName);
  const [fullFirst, ...fullRest] = fullName?.split(' ') ?? [];
  return {
    firstName: slot(PROFILE_SLOTS.firstName) ?? fullFirst ?? fromEmail.firstName,
    lastName: slot(PROFILE_SLOTS.lastName) ?? (fullRest.length > 0 ? fullRest.join(' ') : null),
    company: slot(PROFILE_SLOTS.company) ?? fromEmail.company,
    title: slot(PROFILE_SLOTS.title),
  };
}

function cleanSlot(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value
    // biome-ignore lint/suspicious/noControlCharactersInRegex: on purpose: the C0 controls and DEL a slot may hold become spaces (\p{Cc} would take the C1 controls too).
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 0 && text.length <= SLOT_MAX_LENGTH ? text : null;
}

export function composeMessage(context: MessageContext): Message {
  return context.step <= 1 ? firstTouch(context) : followUp(context);
}

function firstTouch(context: MessageContext): Message {
  const { lead, category, channel, variant, person } = context;
  const play = TIER_PLAYS[category];
  const angle = INDUSTRY_ANGLES[lead.industry];
  const offer = PERSONA_OFFERS[lead.persona ?? 'UNKNOWN'];
  const industry = INDUSTRY_LABELS[lead.industry];
  const pain = painPhrase(context);
  const theme = themePhrase(context);
  const greeting = `Hi ${person.firstName ?? 'there'},`;
  const team = person.company ? `the team at ${person.company}` : `${industry} teams like yours`;
  const opener = play.openers[variant];
  const focus = themeSentence(context);

  switch (channel) {
    case 'EMAIL':
      return {
        subject:
          variant === 'a'
            ? person.company
              ? `${person.company}: ${pain}`
              : capitalize(pain)
            : `${person.firstName ? `${person.firstName}, a` : 'A'} question about ${theme ?? pain}`,
        body: [
          greeting,
          '',
          opener,
          variant === 'a'
            ? `Many ${industry} teams tell us their hardest problem is ${pain}. ${angle.proof}`
            : `Is ${pain} on the agenda for ${team} this quarter? ${angle.proof}`,
          ...(focus ? [focus] : []),
          '',
          variant === 'a' ? `I can share ${offer.offer} for ${team}. ${offer.callToAction}` : `I can share ${offer.offer}. ${offer.callToAction}`,
        ].join('\n'),
      };
    case 'SMS':
      return {
        subject: null,
        body:
          variant === 'a'
            ? `${greeting} ${continued(opener)} We help ${industry} teams with ${pain}. ${offer.callToAction} Reply STOP to opt out.`
            : `${greeting} ${continued(opener)} Is ${pain} a priority${person.company ? ` at ${person.company}` : ''} right now? ${offer.callToAction} Reply STOP to opt out.`,
      };
    case 'CALL':
      return {
        subject: null,
        body: [
          callHeader(context, 'Call'),
          variant === 'a'
            ? `Open with: ${pain}. Proof point: ${angle.proof}`
            : `Open with a question: is ${pain} on the agenda this quarter? Proof point: ${angle.proof}`,
          ...(theme ? [`Keep the conversation on ${theme}: ${lowerFirst(audienceOf(context))} care most about it.`] : []),
          `Offer ${offer.offer}. Close with: ${offer.callToAction}`,
        ].join('\n'),
      };
    case 'LINKEDIN':
      return {
        subject: null,
        body:
          variant === 'a'
            ? `${greeting} I work with ${industry} teams on ${pain}. Happy to share ${offer.offer} if useful.`
            : `${greeting} quick question: how are you approaching ${theme ?? pain}${person.company ? ` at ${person.company}` : ''}? ` +
              `I work with ${industry} teams on ${pain} and am happy to share ${offer.offer}.`,
      };
  }
}

function followUp(context: MessageContext): Message {
  const { lead, channel, person, step } = context;
  const angle = INDUSTRY_ANGLES[lead.industry];
  const offer = PERSONA_OFFERS[lead.persona ?? 'UNKNOWN'];
  const pain = painPhrase(context);
  const greeting = `Hi ${person.firstName ?? 'there'},`;
  const line = context.last ? LAST_FOLLOW_UP_LINE : (FOLLOW_UP_LINES[(step - 2) % FOLLOW_UP_LINES.length] ?? LAST_FOLLOW_UP_LINE);
  // Alternate what the follow-ups lean on: the proof, then the theme.
  const argument = step % 2 === 0 ? angle.proof : (followUpThemeSentence(context) ?? angle.proof);

  switch (channel) {
    case 'EMAIL':
      return {
        subject: `Following up: ${pain}`,
        body: [greeting, '', line, argument, '', `${capitalize(offer.offer)} is ready whenever you are. ${offer.callToAction}`].join('\n'),
      };
    case 'SMS':
      return { subject: null, body: `${greeting} ${continued(line)} ${offer.callToAction} Reply STOP to opt out.` };
    case 'CALL':
      return {
        subject: null,
        body: [
          callHeader(context, `Follow-up call ${step - 1} to`),
          'No reply to the earlier touchpoints yet.',
          `Open with: ${pain}. Proof point: ${angle.proof}`,
          `Offer ${offer.offer}. Close with: ${offer.callToAction}`,
        ].join('\n'),
      };
    case 'LINKEDIN':
      return { subject: null, body: `${greeting} ${continued(line)} Happy to share ${offer.offer} if useful.` };
  }
}

function callHeader({ lead, category, person, score }: MessageContext, what: string): string {
  const tier = TIER_PLAYS[category].tier;
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  const who = [person.title, person.company ? `at ${person.company}` : null].filter(Boolean).join(' ');
  return (
    `${what} ${lead.phone ?? 'the lead'}${name ? ` and ask for ${name}` : ''}: ` +
    `${tier} lead in ${INDUSTRY_LABELS[lead.industry]}${who ? `, ${who}` : ''}${score === null || score === undefined ? '' : ` (score ${score})`}.`
  );
}

/** "As VP Sales, you will want to see ROI first, …", or what the persona's peers want; null without a theme. */
function themeSentence(context: MessageContext): string | null {
  const theme = themePhrase(context);
  if (!theme) return null;
  return context.person.title
    ? `As ${context.person.title}, you will want to see ${theme} first, so that is where I will start.`
    : `${audienceOf(context)} tell us they want to see ${theme} first, so that is where I will start.`;
}

/** A follow-up's reminder of the theme: "ROI comes first in what I would share: …"; null without a theme. */
function followUpThemeSentence(context: MessageContext): string | null {
  const theme = themePhrase(context);
  if (!theme) return null;
  return context.person.title
    ? `${capitalize(theme)} comes first in what I would share: it is what matters most in your role as ${context.person.title}.`
    : `${capitalize(theme)} comes first in what I would share: ${lowerFirst(audienceOf(context))} tell us it matters most.`;
}

function audienceOf(context: MessageContext): string {
  return PERSONA_OFFERS[context.lead.persona ?? 'UNKNOWN'].audience;
}

function painPhrase(context: MessageContext): string {
  return context.knowledge.painPoint ? inSentence(context.knowledge.painPoint) : INDUSTRY_ANGLES[context.lead.industry].painPoint;
}

function themePhrase(context: MessageContext): string | null {
  return context.knowledge.theme ? inSentence(context.knowledge.theme) : null;
}

/** A node name inside a sentence: "Pipeline Growth" → "pipeline growth"; acronyms stay ("EHR Integration" → "EHR integration", "ROI"). */
export function inSentence(name: string): string {
  return name
    .split(' ')
    .map((word) => (/^[A-Z][a-z]+$/.test(word) ? word.toLowerCase() : word))
    .join(' ');
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

/** A sentence that continues a short greeting ("Hi Jane, thanks for …"): lower-cased, except for "I". */
function continued(sentence: string): string {
  return /^I\b/.test(sentence) ? sentence : lowerFirst(sentence);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
