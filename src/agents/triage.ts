// Lead Triage agent: score, classify and route a lead, and say why.
// Pure: same lead and model in, same result out.
import type { TriageCategory } from '../db/generated/prisma/enums.js';
import { ENGAGEMENT_AGENT_BY_CATEGORY } from './agent-ids.js';
import { COMPANY_SIZE_LABELS, INDUSTRY_LABELS, PERSONA_LABELS, TRIAGE_CATEGORY_LABELS } from './labels.js';
import type { LeadInput } from './lead.js';
import { normalizeSource, type TriageModel } from './triage-model.js';

export type TriageFeature = 'industry' | 'companySize' | 'persona' | 'source' | 'email' | 'phone';

export interface TriageFactor {
  feature: TriageFeature;
  /** The value the lead had, in words; null when it gave none. */
  value: string | null;
  /** Log-odds contribution of this feature to the score. */
  contribution: number;
}

export interface TriageResult {
  category: TriageCategory;
  /** 0-100: the modelled conversion probability, in percent. */
  score: number;
  /** 0-1: how sure the classification is (distance from the thresholds × completeness). */
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

/** How quickly confidence rises with log-odds distance from the nearest threshold. */
const MARGIN_SCALE = 0.6;
const INFORMATIVE_FIELDS = 6;

export function triageLead(lead: LeadInput, model: TriageModel): TriageResult {
  const factors = contributions(lead, model).sort(
    (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature),
  );
  const logOdds = model.intercept + factors.reduce((sum, factor) => sum + factor.contribution, 0);
  const score = Math.round(100 * sigmoid(logOdds));
  const category = categorize(score);
  const confidence = round2(marginConfidence(logOdds) * (0.7 + 0.3 * completeness(lead)));
  return {
    category,
    score,
    confidence,
    assignedAgent: ENGAGEMENT_AGENT_BY_CATEGORY[category],
    reasoning: explain(category, score, confidence, factors),
    factors: factors.map((factor) => ({ ...factor, contribution: round2(factor.contribution) })),
    modelVersion: model.version,
  };
}

export function categorize(score: number): TriageCategory {
  if (score >= QUALIFIED_MIN_SCORE) return 'CAMPAIGN_QUALIFIED';
  if (score >= INQUIRY_MIN_SCORE) return 'GENERAL_INQUIRY';
  return 'COLD_LEAD';
}

function contributions(lead: LeadInput, model: TriageModel): TriageFactor[] {
  const source = lead.source ? normalizeSource(lead.source) : undefined;
  return [
    { feature: 'industry', value: INDUSTRY_LABELS[lead.industry], contribution: model.industry[lead.industry] },
    { feature: 'companySize', value: COMPANY_SIZE_LABELS[lead.companySize], contribution: model.companySize[lead.companySize] },
    {
      feature: 'persona',
      value: lead.persona ? PERSONA_LABELS[lead.persona] : null,
      contribution: model.persona[lead.persona ?? 'UNKNOWN'],
    },
    { feature: 'source', value: source ?? null, contribution: source ? (model.source[source] ?? 0) : 0 },
    { feature: 'email', value: lead.email ? 'present' : null, contribution: lead.email ? model.hasEmail : 0 },
    { feature: 'phone', value: lead.phone ? 'present' : null, contribution: lead.phone ? model.hasPhone : 0 },
  ];
}

/** 0.5 on a threshold, approaching 1 far from both. */
function marginConfidence(logOdds: number): number {
  const margin = Math.min(
    Math.abs(logOdds - logit(QUALIFIED_MIN_SCORE / 100)),
    Math.abs(logOdds - logit(INQUIRY_MIN_SCORE / 100)),
  );
  return 1 - 0.5 * Math.exp(-margin / MARGIN_SCALE);
}

function completeness(lead: LeadInput): number {
  const optional = [lead.source, lead.persona, lead.email, lead.phone].filter(Boolean).length;
  return (2 + optional) / INFORMATIVE_FIELDS;
}

/** The fields a lead may omit, in the order explanations list them. */
const OPTIONAL_FEATURES: TriageFeature[] = ['persona', 'source', 'email', 'phone'];

const FEATURE_NAMES: Record<TriageFeature, string> = {
  industry: 'industry',
  companySize: 'company size',
  persona: 'persona',
  source: 'source',
  email: 'email',
  phone: 'phone',
};

function explain(category: TriageCategory, score: number, confidence: number, factors: TriageFactor[]): string {
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
  return parts.join(' ');
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
