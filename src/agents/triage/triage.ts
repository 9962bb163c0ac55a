// Lead Triage agent: score, classify and route a lead, and say why.
// Pure: same lead, model and episodes in, same result out.
//
// The score is the modelled conversion probability: the triage model's log-odds
// (cold-start priors, or a model fitted to recorded outcomes), then pulled toward
// the conversion rate of the most similar past episodes in proportion to how many
// there are (a Beta-binomial update with the model's prediction as the prior).
// Confidence is the posterior probability that the true conversion probability
// lies in the band of the assigned category, so it is calibrated by construction
// when the model is: near a threshold or with little evidence it is low.
import type { TriageCategory } from '../../db/generated/prisma/enums.js';
import { ENGAGEMENT_AGENT_BY_CATEGORY } from '../../domain/agent-ids.js';
import { probabilityInBand } from '../../statistics/calibrated-confidence.js';
import { COMPANY_SIZE_LABELS, INDUSTRY_LABELS, PERSONA_LABELS, TRIAGE_CATEGORY_LABELS } from '../../domain/labels.js';
import type { LeadInput } from '../../domain/lead.js';
import { featureKey, INTERCEPT, logOddsOf, normalizeSource, TRIAGE_FEATURES, type TriageFeature, type TriageModel } from '../../domain/triage-model.js';

export interface TriageFactor {
  /** A lead attribute, or 'similarEpisodes': what past leads like this one did. */
  feature: TriageFeature | 'similarEpisodes';
  /** The value the lead had, in words; null when it gave none. */
  value: string | null;
  /** Log-odds contribution of this feature to the score. */
  contribution: number;
}

/** The terminal outcomes (converted or lost) of the past episodes most similar to this lead. */
export interface SimilarEpisodes {
  considered: number;
  converted: number;
}

export interface TriageResult {
  category: TriageCategory;
  /** 0-100: the modelled conversion probability, in percent. */
  score: number;
  /** 0-1: the probability that the lead's true conversion probability lies in its category's band. */
  confidence: number;
  assignedAgent: string;
  reasoning: string;
  /** Every feature's contribution, largest effect first. */
  factors: TriageFactor[];
  modelVersion: string;
}

/**
 * Category thresholds on the 0-100 score: at least 70 is worth a campaign now,
 * 40 to 69 is an inquiry to answer and nurture, below 40 is cold.
 */
export const QUALIFIED_MIN_SCORE = 70;
export const INQUIRY_MIN_SCORE = 40;

/**
 * The model's prediction, seen as a Beta prior on the lead's conversion
 * probability, is worth as many episodes as the sample whose binomial variance
 * equals the model's predictive variance (delta method: Var(p) ≈ (p(1−p))²·Var(logit p)).
 * So episodes dominate while the model is unsure (cold start: a few episodes'
 * worth) and barely move a model fitted to thousands of outcomes (hundreds).
 */
export function modelPseudoCount(probability: number, logOddsVariance: number): number {
  const spread = probability * (1 - probability) * logOddsVariance;
  return spread > 0 ? Math.min(Math.max(1 / spread - 1, MIN_PSEUDO_COUNT), MAX_PSEUDO_COUNT) : MAX_PSEUDO_COUNT;
}

/** However unsure the model, it is worth a couple of episodes; however sure, a few thousand keep episodes visible. */
const MIN_PSEUDO_COUNT = 2;
const MAX_PSEUDO_COUNT = 5_000;

const NO_EPISODES: SimilarEpisodes = { considered: 0, converted: 0 };

export function triageLead(lead: LeadInput, model: TriageModel, similar: SimilarEpisodes = NO_EPISODES): TriageResult {
  const keyed = TRIAGE_FEATURES.map((feature) => ({ feature, key: featureKey(feature, lead) }));
  const activeKeys = [INTERCEPT, ...keyed.flatMap(({ key }) => (key ? [key] : []))];
  const modelled = logOddsOf(model, activeKeys);

  // Beta-binomial: the model's probability is the prior, worth `strength`
  // episodes; the similar episodes update it, and narrow it as they do.
  const modelProbability = sigmoid(modelled.mean);
  const strength = modelPseudoCount(modelProbability, modelled.variance);
  const probability = (similar.converted + strength * modelProbability) / (similar.considered + strength);
  const logOdds = logit(clampProbability(probability));
  // Episodes narrow the uncertainty only while the model has learned nothing: a
  // fitted model was trained on those same outcomes, and counting them again
  // would make confidence overconfident (bench/triage-learning.ts measured it).
  const independentEvidence = similar.considered > 0 && model.evidence.outcomes === 0;
  const variance = independentEvidence ? 1 / ((strength + similar.considered + 1) * probability * (1 - probability)) : modelled.variance;

  const factors: TriageFactor[] = keyed.map(({ feature, key }) => ({
    feature,
    value: describe(feature, lead),
    contribution: key ? (model.weights[key] ?? 0) : 0,
  }));
  if (similar.considered > 0) {
    factors.push({
      feature: 'similarEpisodes',
      value: `${oneDecimal(similar.converted)} of ${oneDecimal(similar.considered)} converted`,
      contribution: logOdds - modelled.mean,
    });
  }
  factors.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature));

  const score = Math.round(100 * probability);
  const category = categorize(score);
  const [low, high] = CATEGORY_BANDS[category];
  const confidence = round2(probabilityInBand(logOdds, variance, low, high));
  return {
    category,
    score,
    confidence,
    assignedAgent: ENGAGEMENT_AGENT_BY_CATEGORY[category],
    reasoning: explain(category, score, confidence, factors, model),
    factors: factors.map((factor) => ({ ...factor, contribution: round2(factor.contribution) })),
    modelVersion: model.version,
  };
}

export function categorize(score: number): TriageCategory {
  if (score >= QUALIFIED_MIN_SCORE) return 'CAMPAIGN_QUALIFIED';
  if (score >= INQUIRY_MIN_SCORE) return 'GENERAL_INQUIRY';
  return 'COLD_LEAD';
}

/** The conversion probabilities each category stands for ([low, high)). */
const CATEGORY_BANDS: Record<TriageCategory, [number, number]> = {
  CAMPAIGN_QUALIFIED: [QUALIFIED_MIN_SCORE / 100, 1],
  GENERAL_INQUIRY: [INQUIRY_MIN_SCORE / 100, QUALIFIED_MIN_SCORE / 100],
  COLD_LEAD: [0, INQUIRY_MIN_SCORE / 100],
};

function describe(feature: TriageFeature, lead: LeadInput): string | null {
  switch (feature) {
    case 'industry':
      return INDUSTRY_LABELS[lead.industry];
    case 'companySize':
      return COMPANY_SIZE_LABELS[lead.companySize];
    case 'persona':
      return lead.persona ? PERSONA_LABELS[lead.persona] : null;
    case 'source':
      return lead.source ? normalizeSource(lead.source) : null;
    case 'email':
      return lead.email ? 'present' : null;
    case 'phone':
      return lead.phone ? 'present' : null;
  }
}

/** The fields a lead may omit, in the order explanations list them. */
const OPTIONAL_FEATURES: TriageFeature[] = ['persona', 'source', 'email', 'phone'];

const FEATURE_NAMES: Record<TriageFactor['feature'], string> = {
  industry: 'industry',
  companySize: 'company size',
  persona: 'persona',
  source: 'source',
  email: 'email',
  phone: 'phone',
  similarEpisodes: 'similar leads',
};

function explain(category: TriageCategory, score: number, confidence: number, factors: TriageFactor[], model: TriageModel): string {
  const top = factors
    .filter((factor) => factor.contribution !== 0)
    .slice(0, 3)
    .map((factor) => `${FEATURE_NAMES[factor.feature]} ${factor.value} (${signed(factor.contribution)})`);
  const missing = OPTIONAL_FEATURES.filter((feature) => factors.some((f) => f.feature === feature && f.value === null)).map(
    (feature) => FEATURE_NAMES[feature],
  );
  const parts = [`${TRIAGE_CATEGORY_LABELS[category]}: score ${score}/100, confidence ${confidence.toFixed(2)}.`];
  parts.push(top.length > 0 ? `Top factors: ${top.join(', ')}.` : 'No factor moved the score from the baseline.');
  if (missing.length > 0) parts.push(`Missing: ${missing.join(', ')}.`);
  const { outcomes, conversions } = model.evidence;
  parts.push(
    outcomes > 0
      ? `Model ${model.version}, learned from ${outcomes} recorded outcomes (${conversions} converted).`
      : `Model ${model.version}: cold-start priors, no outcomes recorded yet.`,
  );
  return parts.join(' ');
}

/** Similarity-weighted counts are fractional: "14 of 46.7", not "14.000000000000002 of 46.666666666666664". */
function oneDecimal(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** Keeps the log-odds finite when every similar episode agreed. */
function clampProbability(p: number): number {
  return Math.min(Math.max(p, 1e-6), 1 - 1e-6);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '-'}${Math.abs(x).toFixed(2)}`;
}
