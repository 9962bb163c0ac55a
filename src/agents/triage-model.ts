// The triage model: additive contributions on the log-odds scale of "this lead
// converts". A model is data, so a learned model (fitted to recorded outcomes)
// can replace the cold-start one without touching `triageLead`.
import type { CompanySize, Industry, Persona } from './lead.js';

export interface TriageModel {
  /** Stored with every score, so a score can say which model produced it. */
  version: string;
  intercept: number;
  industry: Record<Industry, number>;
  companySize: Record<CompanySize, number>;
  /** `UNKNOWN` when the lead did not say. */
  persona: Record<Persona | 'UNKNOWN', number>;
  /** Keyed by normalized source (see `normalizeSource`); unlisted sources contribute 0. */
  source: Record<string, number>;
  /** Reachability: a lead Baton can actually contact is worth more. */
  hasEmail: number;
  hasPhone: number;
}

/**
 * Cold-start weights, before any outcome has been recorded. They encode common
 * B2B marketing priors; each is a log-odds shift (+0.69 doubles the odds).
 *
 * - intercept -1.0: a lead with no informative attribute converts at about 27 %.
 * - industry: Technology buys fastest (+0.6); Finance (+0.4) and Healthcare (+0.2)
 *   have budget but slower, compliance-bound cycles; Manufacturing (-0.1) is the
 *   slowest adopter.
 * - company size: larger companies have budget and a real need for the product:
 *   Enterprise +1.0, Mid-Market +0.6, SMB +0.1; Startups rarely buy (-0.3).
 * - persona: a Decision Maker signs (+0.9); an Influencer shapes the choice (+0.4);
 *   an End User rarely controls budget (-0.2); unknown persona is neutral.
 * - source: intent is strongest when the lead asked (demo request +1.4, referral
 *   +1.0), good for engaged audiences (event +0.6, webinar +0.5, organic +0.4,
 *   content download +0.3), weak for paid reach (paid search / email campaign +0.2,
 *   social 0) and negative for leads Baton went after (cold outreach -0.5,
 *   purchased list -0.8).
 * - reachability: an email (+0.3) or phone (+0.2) makes follow-up possible.
 *
 * With these, the specification's example lead (Technology, Enterprise, organic)
 * scores 73: Campaign Qualified.
 */
export const COLD_START_MODEL: TriageModel = {
  version: 'cold-start-v1',
  intercept: -1.0,
  industry: { TECHNOLOGY: 0.6, FINANCE: 0.4, HEALTHCARE: 0.2, MANUFACTURING: -0.1 },
  companySize: { ENTERPRISE: 1.0, MID_MARKET: 0.6, SMB: 0.1, STARTUP: -0.3 },
  persona: { DECISION_MAKER: 0.9, INFLUENCER: 0.4, END_USER: -0.2, UNKNOWN: 0 },
  source: {
    demo_request: 1.4,
    referral: 1.0,
    event: 0.6,
    webinar: 0.5,
    organic: 0.4,
    content_download: 0.3,
    paid_search: 0.2,
    email_campaign: 0.2,
    social: 0,
    cold_outreach: -0.5,
    purchased_list: -0.8,
  },
  hasEmail: 0.3,
  hasPhone: 0.2,
};

/** "Paid Search", "paid-search" and "paid_search" are one source. */
export function normalizeSource(source: string): string {
  return source.trim().toLowerCase().replace(/[\s-]+/g, '_');
}
