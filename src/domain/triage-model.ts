// The triage model: additive contributions on the log-odds scale of "this lead
// converts", one weight per feature key (see `featureKeys`). A model is data:
// the cold-start model below is the prior; models fitted to recorded outcomes
// (src/memory/triage-model/triage-training.ts) replace it without touching `triageLead`.
import type { CompanySize, Industry, Persona } from './lead.js';
import type { LeadInput } from './lead.js';

export interface TriageModel {
  /** Stored with every score, so a score can say which model produced it. */
  version: string;
  /** Log-odds weight per feature key; a key the model does not know weighs 0. */
  weights: Record<string, number>;
  /**
   * How uncertain the weights are: the Laplace posterior covariance of a fitted
   * model (rows and columns in `features` order), or the prior's variance alone
   * for the cold-start model. Confidence is computed from it.
   */
  uncertainty: { priorVariance: number; posterior: { features: string[]; covariance: number[][] } | null };
  /** The outcomes the model learned from (0 for the cold-start model). */
  evidence: { outcomes: number; conversions: number };
  /**
   * After a detected drift: when the market the model relearned began (ISO 8601,
   * its change point). What happened before it is the old market's, so triage
   * takes no conversion evidence from earlier episodes. Absent: no drift detected.
   */
  marketSince?: string;
}

/** The feature keys of a lead, with the feature they belong to. 'intercept' is always active. */
export type TriageFeature = 'industry' | 'companySize' | 'persona' | 'source' | 'email' | 'phone';

export const INTERCEPT = 'intercept';

export function featureKey(feature: TriageFeature, lead: LeadInput): string | null {
  switch (feature) {
    case 'industry':
      return `industry:${lead.industry}`;
    case 'companySize':
      return `companySize:${lead.companySize}`;
    case 'persona':
      return `persona:${lead.persona ?? 'UNKNOWN'}`;
    case 'source':
      return lead.source ? `source:${normalizeSource(lead.source)}` : null;
    case 'email':
      return lead.email ? 'email' : null;
    case 'phone':
      return lead.phone ? 'phone' : null;
  }
}

export const TRIAGE_FEATURES: readonly TriageFeature[] = ['industry', 'companySize', 'persona', 'source', 'email', 'phone'];

/** Every active key of a lead, intercept first: what the model sums and what training counts. */
export function featureKeys(lead: LeadInput): string[] {
  const keys = [INTERCEPT];
  for (const feature of TRIAGE_FEATURES) {
    const key = featureKey(feature, lead);
    if (key) keys.push(key);
  }
  return keys;
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
const COLD_START_WEIGHTS = {
  intercept: -1.0,
  industry: { TECHNOLOGY: 0.6, FINANCE: 0.4, HEALTHCARE: 0.2, MANUFACTURING: -0.1 } satisfies Record<Industry, number>,
  companySize: { ENTERPRISE: 1.0, MID_MARKET: 0.6, SMB: 0.1, STARTUP: -0.3 } satisfies Record<CompanySize, number>,
  persona: { DECISION_MAKER: 0.9, INFLUENCER: 0.4, END_USER: -0.2, UNKNOWN: 0 } satisfies Record<Persona | 'UNKNOWN', number>,
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
  email: 0.3,
  phone: 0.2,
};

/** The sources the cold-start model has an opinion on. */
export const KNOWN_SOURCES: readonly string[] = Object.keys(COLD_START_WEIGHTS.source);

/**
 * How far the truth may lie from each cold-start weight before data says so:
 * a standard deviation of 0.5 log-odds (a factor of 1.65 on the odds). Small
 * enough that a handful of outcomes cannot overturn a prior, large enough that
 * a few hundred can.
 */
export const PRIOR_VARIANCE = 0.25;

export const COLD_START_MODEL: TriageModel = {
  version: 'cold-start-v1',
  weights: {
    [INTERCEPT]: COLD_START_WEIGHTS.intercept,
    ...prefixed('industry', COLD_START_WEIGHTS.industry),
    ...prefixed('companySize', COLD_START_WEIGHTS.companySize),
    ...prefixed('persona', COLD_START_WEIGHTS.persona),
    ...prefixed('source', COLD_START_WEIGHTS.source),
    email: COLD_START_WEIGHTS.email,
    phone: COLD_START_WEIGHTS.phone,
  },
  uncertainty: { priorVariance: PRIOR_VARIANCE, posterior: null },
  evidence: { outcomes: 0, conversions: 0 },
};

/** "Paid Search", "paid-search" and "paid_search" are one source. */
export function normalizeSource(source: string): string {
  return source
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Log-odds mean and variance of a lead's conversion under the model. */
export function logOddsOf(model: TriageModel, keys: readonly string[]): { mean: number; variance: number } {
  const mean = keys.reduce((sum, key) => sum + (model.weights[key] ?? 0), 0);
  const { priorVariance, posterior } = model.uncertainty;
  if (!posterior) return { mean, variance: priorVariance * keys.length };
  // x' Σ x for a 0/1 vector x: the sum of the covariance block of the active keys.
  // A key the posterior never saw keeps its prior variance (and no covariance).
  const index = new Map(posterior.features.map((feature, i) => [feature, i]));
  const known = keys.map((key) => index.get(key)).filter((i): i is number => i !== undefined);
  let variance = priorVariance * (keys.length - known.length);
  for (const i of known) for (const j of known) variance += posterior.covariance[i]?.[j] ?? 0;
  return { mean, variance: Math.max(variance, 0) };
}

/**
 * The model's conversion probability for a lead's feature keys: σ(mean log-odds),
 * what triage scores before similar episodes pull on it. Held-out quality, drift
 * checks and promotion measure exactly this, so they grade the score leads get.
 */
export function conversionProbability(model: TriageModel, keys: readonly string[]): number {
  const mean = keys.reduce((sum, key) => sum + (model.weights[key] ?? 0), 0);
  return 1 / (1 + Math.exp(-mean));
}

function prefixed(prefix: string, weights: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(weights).map(([key, weight]) => [`${prefix}:${key}`, weight]));
}
