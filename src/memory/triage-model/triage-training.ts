// What the triage model learns from, and how much each outcome counts.
//
// Outcomes are read as cells: binomial counts per (feature set, UTC day of the
// outcome), so a fit costs the same at a thousand leads or a million (a few
// thousand feature sets × the days kept). A fit is Bayesian logistic regression
// whose prior is the cold-start model: with no outcomes it *is* the cold-start
// model, and the weight of evidence grows with every outcome.
//
// Recency. Markets move (seasons, a new product, a new channel mix), so an
// outcome weighs 2^(−age / halfLifeDays), its age counted in days from the newest
// outcome: from the data, not the clock, so a fit is a pure function of the
// outcomes, and a quiet month does not erase what the last busy one taught.
// Weighted counts keep the Laplace posterior honest: its covariance, and so
// triage's confidence, reflects the effective number of outcomes, not the raw one.
//
// A change point. When a drift has been detected (triage-drift.ts) in some of the
// leads' attributes (industry, say), outcomes before its change point keep
// teaching everything that did not change, but their effects of the changed
// attributes (and the base rate) are learned as separate, old-market weights that
// no lead is scored with: a regime-specific effect, the textbook change-point
// model. So the memory of what changed starts at the change point (the model
// relearns it from the new market's outcomes alone, with a wider prior than at the
// cold start: RELEARNED_PRIOR_VARIANCE), while what still holds is not forgotten.
import { createHash } from 'node:crypto';
import type { CompanySize, Industry, Persona, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import { fitBayesianLogistic, type BinomialObservation } from '../../statistics/bayesian-logistic.js';
import { COLD_START_MODEL, featureKeys, INTERCEPT, type TriageModel } from '../../domain/triage-model.js';

export const DAY_MS = 86_400_000;

/** Outcomes of one feature set on one UTC day. */
export interface OutcomeCell {
  features: string[];
  /** Days since the epoch (UTC) of outcomeAt. */
  day: number;
  trials: number;
  successes: number;
  /** Recorded after the model scoring leads now was fitted: outcomes it never saw. */
  fresh: boolean;
}

export interface TrainingData {
  /** Ordered by day, then feature set. */
  cells: OutcomeCell[];
  outcomes: number;
  conversions: number;
  /** outcomeAt of the oldest and newest outcome (null without outcomes). */
  from: Date | null;
  to: Date | null;
  /** Identifies the data: retraining on an unchanged fingerprint would change nothing. */
  fingerprint: string;
}

/** A detected drift's change point: the day the new market starts, and the attributes whose effects changed. */
export interface ChangePoint {
  day: number;
  /** Lead attributes (TRIAGE_FEATURES); the intercept always changes with them. */
  attributes: string[];
}

/** How far back a fit remembers, and what. */
export interface TrainingMemory {
  /** Null: every outcome weighs the same, whatever its age. */
  halfLifeDays: number | null;
  changePoint: ChangePoint | null;
}

/**
 * The prior variance of a weight relearned after a change point (the cold-start
 * model's is 0.25). Over the benchmark's 100 reversed markets (`npm run
 * bench:triage`, drift checks of the short window alone), the model's gap to the
 * truth's AUC 500 outcomes after the change was 0.0328 with 0.25, 0.0313 with 0.5
 * and 0.0312 with 1; with both windows, over 200 markets, 0.0280 with 0.5 and 0.0279
 * with 1. A market that does not change has no change point and is not affected.
 */
export const RELEARNED_PRIOR_VARIANCE = 1;

/** Weights of the market before a change point carry this prefix: they are fitted, stored and never scored with. */
export const BEFORE_CHANGE = 'before-change:';

interface OutcomeGroup {
  industry: Industry;
  companySize: CompanySize;
  persona: Persona | null;
  source: string | null;
  hasEmail: boolean;
  hasPhone: boolean;
  day: number;
  fresh: boolean;
  trials: number;
  successes: number;
  firstAt: Date;
  lastAt: Date;
}

/** Every recorded outcome as cells; `freshAfter`: the training end of the model in use (outcomes after it are fresh). */
export async function loadTrainingData(db: PrismaClient | Prisma.TransactionClient, freshAfter: Date | null): Promise<TrainingData> {
  const after = freshAfter ?? new Date(8.64e15);
  // outcomeAt is set with every outcome; leads settled before it existed fall back to their last update.
  const groups = await db.$queryRaw<OutcomeGroup[]>`
    WITH settled AS (
      SELECT "industry", "companySize", "persona", "source", "email", "phone", "outcome",
             coalesce("outcomeAt", "updatedAt") AS "at"
      FROM "Lead" WHERE "outcome" IS NOT NULL)
    SELECT "industry", "companySize", "persona", "source",
           ("email" IS NOT NULL) AS "hasEmail", ("phone" IS NOT NULL) AS "hasPhone",
           floor(extract(epoch FROM "at") / 86400)::int AS "day", ("at" > ${after}) AS "fresh",
           count(*)::int AS "trials", (count(*) FILTER (WHERE "outcome" = 'CONVERTED'))::int AS "successes",
           min("at") AS "firstAt", max("at") AS "lastAt"
    FROM settled
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
  // Raw sources that normalize alike ("Paid Search", "paid_search") are one feature set.
  const merged = new Map<string, OutcomeCell>();
  let from: Date | null = null;
  let to: Date | null = null;
  for (const group of groups) {
    const features = featureKeys({
      leadId: '',
      industry: group.industry,
      companySize: group.companySize,
      persona: group.persona,
      source: group.source,
      email: group.hasEmail ? 'present' : null,
      phone: group.hasPhone ? 'present' : null,
    });
    const key = `${String(group.day).padStart(8, '0')}|${group.fresh ? 1 : 0}|${features.join('|')}`;
    const existing = merged.get(key);
    merged.set(key, {
      features,
      day: group.day,
      fresh: group.fresh,
      trials: (existing?.trials ?? 0) + group.trials,
      successes: (existing?.successes ?? 0) + group.successes,
    });
    if (!from || group.firstAt < from) from = group.firstAt;
    if (!to || group.lastAt > to) to = group.lastAt;
  }
  const cells = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, cell]) => cell);
  return trainingDataOf(cells, from, to);
}

/** TrainingData of cells already in memory (the learning benchmark builds them from a synthetic market). */
export function trainingDataOf(cells: OutcomeCell[], from: Date | null = null, to: Date | null = null): TrainingData {
  const outcomes = cells.reduce((sum, c) => sum + c.trials, 0);
  const conversions = cells.reduce((sum, c) => sum + c.successes, 0);
  // Which outcomes are fresh depends on the model in use, not on the data: counted apart, it would refit unchanged data.
  const canonical = new Map<string, [number, number]>();
  for (const c of cells) {
    const key = `${String(c.day).padStart(8, '0')}|${c.features.join('|')}`;
    const [trials, successes] = canonical.get(key) ?? [0, 0];
    canonical.set(key, [trials + c.trials, successes + c.successes]);
  }
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([...canonical].sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('hex')
    .slice(0, 16);
  return { cells, outcomes, conversions, from, to, fingerprint };
}

/** An outcome's weight in a fit whose newest outcome is on `newestDay`. */
export function weightOf(day: number, newestDay: number, memory: TrainingMemory): number {
  return memory.halfLifeDays === null ? 1 : 2 ** (-(newestDay - day) / memory.halfLifeDays);
}

/** The feature keys an outcome of `day` is learned under: before the change point, the changed attributes' keys (and the intercept) are the old market's own. */
export function learnedKeys(features: readonly string[], day: number, changePoint: ChangePoint | null): string[] {
  if (!changePoint || day >= changePoint.day) return [...features];
  return features.map((key) => (key === INTERCEPT || changePoint.attributes.includes(attributeOf(key)) ? `${BEFORE_CHANGE}${key}` : key));
}

/** The attribute a feature key belongs to: `industry:TECHNOLOGY` → industry; intercept, email and phone are their own. */
export function attributeOf(feature: string): string {
  return feature.split(':')[0]!;
}

export function newestDayOf(cells: readonly OutcomeCell[]): number {
  return cells.reduce((newest, cell) => Math.max(newest, cell.day), Number.NEGATIVE_INFINITY);
}

/** The cells as weighted binomial observations, one per feature set as learned. */
export function weightedObservations(cells: readonly OutcomeCell[], memory: TrainingMemory): BinomialObservation[] {
  const newestDay = newestDayOf(cells);
  const merged = new Map<string, BinomialObservation & { trials: number; successes: number }>();
  for (const cell of cells) {
    const weight = weightOf(cell.day, newestDay, memory);
    const features = learnedKeys(cell.features, cell.day, memory.changePoint);
    const key = features.join('|');
    const existing = merged.get(key) ?? { features, trials: 0, successes: 0 };
    existing.trials += weight * cell.trials;
    existing.successes += weight * cell.successes;
    merged.set(key, existing);
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, observation]) => observation);
}

/** Σ of the outcomes' weights: how many outcomes' worth a fit learns from (since `fromDay`, when given). */
export function effectiveOutcomes(cells: readonly OutcomeCell[], memory: TrainingMemory, fromDay = Number.NEGATIVE_INFINITY): number {
  const newestDay = newestDayOf(cells);
  return cells.reduce((sum, cell) => sum + (cell.day >= fromDay ? weightOf(cell.day, newestDay, memory) * cell.trials : 0), 0);
}

/**
 * The posterior given the cells under `memory`, as a model named `version`. The
 * old market's weights start from the same prior as the ones they split from.
 */
export function fitTriageModel(cells: readonly OutcomeCell[], memory: TrainingMemory, version: string, prior: TriageModel = COLD_START_MODEL): TriageModel {
  const priorVariance = prior.uncertainty.priorVariance;
  const mean = { ...prior.weights };
  // Only the split keys get an old-market twin: a prior mean makes a parameter, and unsplit ones would sit unused.
  for (const [key, weight] of Object.entries(prior.weights)) {
    const [learned] = learnedKeys([key], Number.NEGATIVE_INFINITY, memory.changePoint);
    if (learned !== key) mean[learned!] = weight;
  }
  const observations = weightedObservations(cells, memory);
  const posterior = fitBayesianLogistic(observations, {
    mean,
    variance: priorVariance,
    variances: relearnedVariances(observations, memory.changePoint, prior),
  });
  return {
    version,
    weights: posterior.weights,
    uncertainty: { priorVariance, posterior: { features: posterior.features, covariance: posterior.covariance } },
    evidence: {
      outcomes: cells.reduce((sum, c) => sum + c.trials, 0),
      conversions: cells.reduce((sum, c) => sum + c.successes, 0),
    },
    ...(memory.changePoint ? { marketSince: new Date(memory.changePoint.day * DAY_MS).toISOString() } : {}),
  };
}

/**
 * After a change point, the new market's weights of the changed attributes (and its
 * base rate) start from the cold-start mean with RELEARNED_PRIOR_VARIANCE: the change
 * has just shown that these effects move, so the common priors are a weaker guide to
 * where they are now than they were at the cold start.
 */
function relearnedVariances(observations: readonly BinomialObservation[], changePoint: ChangePoint | null, prior: TriageModel): Record<string, number> {
  if (!changePoint) return {};
  const keys = new Set([...Object.keys(prior.weights), ...observations.flatMap((observation) => observation.features)]);
  const relearned = [...keys].filter((key) => key === INTERCEPT || changePoint.attributes.includes(attributeOf(key)));
  return Object.fromEntries(relearned.map((key) => [key, RELEARNED_PRIOR_VARIANCE]));
}
