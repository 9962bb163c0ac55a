// What the Engagement agent says and when, as data: the angle per industry, the
// offer per persona, the tone, channels and cadence per triage tier, and the two
// copy variants it tests against each other. Copy lives here; message.ts assembles
// it, plan.ts schedules it.
import type { Channel, TriageCategory } from '../../db/generated/prisma/enums.js';
import type { Industry, Persona } from '../../domain/lead.js';

export interface IndustryAngle {
  /** Said when the knowledge base names no pain point for the industry. */
  painPoint: string;
  proof: string;
}

export const INDUSTRY_ANGLES: Record<Industry, IndustryAngle> = {
  TECHNOLOGY: {
    painPoint: 'keeping pipeline growing as fast as the product ships',
    proof: 'Teams like yours answer new leads in minutes instead of days.',
  },
  HEALTHCARE: {
    painPoint: 'reaching patients and providers without putting HIPAA compliance at risk',
    proof: 'Every touchpoint is consent-checked and audit-logged.',
  },
  FINANCE: {
    painPoint: 'personalizing outreach while staying inside regulatory and data-privacy rules',
    proof: 'Every message is archived and every claim traceable for review.',
  },
  MANUFACTURING: {
    painPoint: 'turning long, multi-stakeholder buying cycles into a predictable pipeline',
    proof: 'Each stakeholder gets the message that matters to their role.',
  },
};

export interface PersonaOffer {
  templateKey: string;
  offer: string;
  callToAction: string;
  /** Who "tells us" what matters, when the lead's own title is unknown. */
  audience: string;
}

export const PERSONA_OFFERS: Record<Persona | 'UNKNOWN', PersonaOffer> = {
  DECISION_MAKER: {
    templateKey: 'business-case',
    offer: 'a one-page business case with the return you can expect',
    callToAction: 'Would a 20-minute call this week work?',
    audience: 'Leaders in your position',
  },
  INFLUENCER: {
    templateKey: 'evaluation-guide',
    offer: 'our evaluation guide and a side-by-side comparison',
    callToAction: 'Shall I send the guide over?',
    audience: 'People who evaluate tools like ours',
  },
  END_USER: {
    templateKey: 'hands-on',
    offer: 'a hands-on walkthrough of the features you would use every day',
    callToAction: 'Would a link to the sandbox help?',
    audience: 'People who use tools like ours every day',
  },
  UNKNOWN: {
    templateKey: 'intro',
    offer: 'a short overview of how similar teams use our platform',
    callToAction: 'Is this on your radar this quarter?',
    audience: 'Teams like yours',
  },
};

export type EngagementTier = 'premium' | 'standard' | 'nurture';

/**
 * Two copy variants per channel and tier, tested against each other:
 * - a, pain-led: the subject names the industry's pain point, the message opens on it;
 * - b, question-led: the subject asks about the segment's favourite theme, the message opens with a question.
 */
export type CopyVariant = 'a' | 'b';
export const COPY_VARIANTS: readonly CopyVariant[] = ['a', 'b'];

export interface TierPlay {
  tier: EngagementTier;
  /** The first line of a first touchpoint, per copy variant. */
  openers: Record<CopyVariant, string>;
  /**
   * The channels the tier may use, in the order of the old fixed rule (email,
   * then phone, then LinkedIn). A call takes a person's time: premium leads only.
   */
  channels: readonly Channel[];
  /** Days after the first touchpoint of each follow-up: hot leads are chased sooner. */
  followUpDays: readonly number[];
}

export const TIER_PLAYS: Record<TriageCategory, TierPlay> = {
  CAMPAIGN_QUALIFIED: {
    tier: 'premium',
    openers: { a: 'Thanks for your interest: I wanted to reach out personally.', b: 'You asked about us, so I will get straight to the point.' },
    channels: ['EMAIL', 'CALL', 'LINKEDIN', 'SMS'],
    followUpDays: [2, 5, 9],
  },
  GENERAL_INQUIRY: {
    tier: 'standard',
    openers: { a: 'Thanks for getting in touch.', b: 'Thanks for reaching out: one quick question first.' },
    channels: ['EMAIL', 'SMS', 'LINKEDIN'],
    followUpDays: [4, 9, 16],
  },
  COLD_LEAD: {
    tier: 'nurture',
    openers: { a: 'I thought this might be useful to you.', b: 'A quick question, and no need to reply if the timing is wrong.' },
    channels: ['EMAIL', 'SMS', 'LINKEDIN'],
    followUpDays: [7, 21],
  },
};

/** The first line of the follow-ups before the last one, in turn. */
export const FOLLOW_UP_LINES: readonly string[] = ['Following up on my last note in case it got buried.', 'One more thought, then I will give you some room.'];
/** The first line of the last follow-up. */
export const LAST_FOLLOW_UP_LINE = 'Last note from me on this: if now is not the right time, no problem.';

/**
 * Follow-ups go out at this hour (UTC) when the profile has no preferred hour:
 * 10:00 in New York, 15:00 in London, 16:00 in Berlin, business hours on both
 * sides of the Atlantic. Weekends roll over to Monday.
 */
export const DEFAULT_SEND_HOUR_UTC = 15;

/** Mailbox providers, by registered name (gmail.com, yahoo.co.uk, gmx.de): their domain says nothing about the lead's company. */
export const MAIL_PROVIDERS = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'ymail',
  'outlook',
  'hotmail',
  'live',
  'msn',
  'icloud',
  'me',
  'mac',
  'aol',
  'proton',
  'protonmail',
  'gmx',
  'mail',
  'yandex',
  'zoho',
  'fastmail',
  'web',
  'qq',
  '163',
]);

/** Words of role mailboxes (info@, no-reply@, customer.service@): such a mailbox does not name a person. */
export const ROLE_MAILBOX_WORDS = new Set([
  'info',
  'sales',
  'contact',
  'hello',
  'admin',
  'support',
  'office',
  'team',
  'marketing',
  'no',
  'noreply',
  'reply',
  'customer',
  'service',
  'billing',
  'accounts',
  'help',
  'jobs',
  'careers',
  'hr',
  'press',
  'enquiries',
  'inquiries',
  'webmaster',
  'postmaster',
  'mailer',
  'daemon',
]);
