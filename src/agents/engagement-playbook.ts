// What the Engagement agent says, as data: the angle per industry, the offer per
// persona, the tone and cadence per triage tier. Copy lives here, logic in
// engagement.ts.
import type { TriageCategory } from '../db/generated/prisma/enums.js';
import type { Industry, Persona } from './lead.js';

export interface IndustryAngle {
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
}

export const PERSONA_OFFERS: Record<Persona | 'UNKNOWN', PersonaOffer> = {
  DECISION_MAKER: {
    templateKey: 'business-case',
    offer: 'a one-page business case with the return you can expect',
    callToAction: 'Would a 20-minute call this week work?',
  },
  INFLUENCER: {
    templateKey: 'evaluation-guide',
    offer: 'our evaluation guide and a side-by-side comparison',
    callToAction: 'Shall I send the guide over?',
  },
  END_USER: {
    templateKey: 'hands-on',
    offer: 'a hands-on walkthrough of the features you would use every day',
    callToAction: 'Would a link to the sandbox help?',
  },
  UNKNOWN: {
    templateKey: 'intro',
    offer: 'a short overview of how similar teams use our platform',
    callToAction: 'Is this on your radar this quarter?',
  },
};

export type EngagementTier = 'premium' | 'standard' | 'nurture';

export interface TierPlay {
  tier: EngagementTier;
  opener: string;
  /** Days until the follow-up touchpoint: hot leads are chased sooner. */
  followUpDays: number;
}

export const TIER_PLAYS: Record<TriageCategory, TierPlay> = {
  CAMPAIGN_QUALIFIED: { tier: 'premium', opener: 'Thanks for your interest: I wanted to reach out personally.', followUpDays: 2 },
  GENERAL_INQUIRY: { tier: 'standard', opener: 'Thanks for getting in touch.', followUpDays: 4 },
  COLD_LEAD: { tier: 'nurture', opener: 'I thought this might be useful to you.', followUpDays: 7 },
};

/** Mailbox providers, by registered name (gmail.com, yahoo.co.uk, gmx.de): their domain says nothing about the lead's company. */
export const MAIL_PROVIDERS = new Set([
  'gmail', 'googlemail', 'yahoo', 'ymail', 'outlook', 'hotmail', 'live', 'msn', 'icloud', 'me', 'mac',
  'aol', 'proton', 'protonmail', 'gmx', 'mail', 'yandex', 'zoho', 'fastmail', 'web', 'qq', '163',
]);

/** Words of role mailboxes (info@, no-reply@, customer.service@): such a mailbox does not name a person. */
export const ROLE_MAILBOX_WORDS = new Set([
  'info', 'sales', 'contact', 'hello', 'admin', 'support', 'office', 'team', 'marketing', 'no', 'noreply', 'reply',
  'customer', 'service', 'billing', 'accounts', 'help', 'jobs', 'careers', 'hr', 'press', 'enquiries', 'inquiries',
  'webmaster', 'postmaster', 'mailer', 'daemon',
]);
