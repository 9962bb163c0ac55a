// Drift detection for the triage model: does the market still convert the way the
// model learned it does? Run at every fit (each consolidation that saw new outcomes).
//
// Each recent window (the newest days holding at least DRIFT_WINDOW, and at least
// LONG_DRIFT_WINDOW, outcomes) is compared with a fit, same weighting, on the
// outcomes before it (its reference):
// - the test of change: the score test of the window against the reference fit,
//   counting the reference's own uncertainty (src/statistics/logistic-score-test.ts).
//   It asks whether the recent outcomes pull the weights away from what was learned
//   before them, so a model still learning a stable market (its reference improving
//   fit by fit) does not alarm, while a market whose effects changed does. The short
//   window finds a large change soon; the long one a smaller change that the short
//   one misses, once it holds more of the new market (a window tested after the
//   change has gone by holds less of it and has old-market outcomes in its
//   reference). The window with the smaller p-value, Bonferroni-adjusted over the
//   windows tested, is the check's. A drift is detected when p < DRIFT_P_VALUE:
//   checks run at every consolidation, so the threshold is strict, and its
//   false-alarm rate is measured over many seeds by `npm run bench:triage`.
// - what a reader weighs it by: the window's Brier and log-loss under the reference
//   fit against the previous window's under its own reference, the window's
//   calibration by decile, and the population stability index of the leads'
//   attributes (has the mix of leads moved, not just how they convert).
//
// On detection the change point is the day in the window where the split fits one
// model worst (the smallest p-value of the same test, days from it against a fit
// before it: a window that caught the change late starts with the old market,
// which would otherwise be relearned as new), and the changed attributes are
// those whose own test is significant (adjusted p < CHANGED_ATTRIBUTE_P_VALUE;
// all of them when only the omnibus test is). From then on every fit learns those
// attributes' effects (and the base rate) from the outcomes after the change point
// alone, the older outcomes still teaching the rest (triage-training.ts): the memory
// of what changed is shortened to the new market, and an episode is recorded. While
// drifting, each fit chooses the changed attributes again, with every outcome since
// the change point: one window of the new market is enough to find the attribute
// that moved most, often not a second one, and can name one that did not move. The drift lasts until the model
// recovers: the window agrees with the reference again (p ≥ RECOVERY_P_VALUE) once
// the outcomes since the change point fill a short window and a reference. Sooner,
// the reference would hold too little of the new market to disagree with anything:
// its relearned weights, still near their prior, absorb any window (the unit tests
// saw a "recovery" one check after the detection).
import { conversionProbability, INTERCEPT, TRIAGE_FEATURES, type TriageModel } from '../../domain/triage-model.js';
import { binomialLogLikelihood } from '../../statistics/bayesian-logistic.js';
import { brierScore, type CalibrationBin, calibrationByDecile, logLoss } from '../../statistics/classification-metrics.js';
import { logisticScoreTest } from '../../statistics/logistic-score-test.js';
import { chiSquareSurvival } from '../../statistics/special-functions.js';
import { populationStabilityIndex } from '../../statistics/population-stability.js';
import { newestDaysHolding } from './triage-model-quality.js';
import { attributeOf, type ChangePoint, DAY_MS, fitTriageModel, type OutcomeCell, type TrainingMemory, weightedObservations } from './triage-training.js';

/** The short recent window holds at least this many outcomes... */
export const DRIFT_WINDOW = 300;
/** ...and the long one this many. */
export const LONG_DRIFT_WINDOW = 500;
const DRIFT_WINDOWS = [DRIFT_WINDOW, LONG_DRIFT_WINDOW];
/** No test of a window until this many outcomes lie before it: a reference fit on fewer is still learning the market. */
export const MIN_REFERENCE_OUTCOMES = 300;
/**
 * A drift is detected below this p-value. Checks run at every consolidation over
 * overlapping windows, so it is strict: over 100 stable markets of 1,500 outcomes
 * and the short window alone, 0.001 raised an alarm in 5 and 0.0002 in 1, while
 * finding a reversed market about as often (42 against 43 of 50) and as soon
 * (`npm run bench:triage`). Over 300 stable markets, 0.0002 raised an alarm in 5
 * with the short window alone and in 8 (8 of 5,700 checks) with both windows, which
 * left 12 reversals of 100 undetected instead of 16.
 */
export const DRIFT_P_VALUE = 0.0002;
/** Recovered at or above this p-value. */
export const RECOVERY_P_VALUE = 0.05;
/** An attribute's effects changed when its own test is below this p-value (adjusted over the attributes tried at once). */
export const CHANGED_ATTRIBUTE_P_VALUE = 0.05;

/**
 * WARMING_UP: too few outcomes to test (fewer than a window and a reference);
 * STABLE: the recent outcomes agree with the model fitted before them;
 * DRIFTING: a drift was detected and the model has not recovered yet (its memory is shortened).
 */
export type TriageDriftState = 'WARMING_UP' | 'STABLE' | 'DRIFTING';

/** The drift check run at one fit. */
export interface TriageDriftCheck {
  state: TriageDriftState;
  checkedAt: Date;
  /**
   * The score (Lagrange multiplier) test of the recent window against a fit on the
   * outcomes before it: χ² with `degreesOfFreedom` under "the same model holds",
   * over all weights and over each attribute's alone (Bonferroni-adjusted);
   * `attribute` names the attribute whose effects moved most surely (null: the
   * omnibus test). Null while warming up.
   */
  test: { statistic: number; degreesOfFreedom: number; pValue: number; attribute: string | null } | null;
  /** The recent window: its outcomes, the outcomes before it, and the outcomeAt of its oldest. */
  windowOutcomes: number;
  referenceOutcomes: number;
  windowFrom: Date | null;
  /** Brier and log-loss of the recent window predicted by the fit before it, and of the window before that by the fit before it. */
  recentBrier: number | null;
  previousBrier: number | null;
  recentLogLoss: number | null;
  previousLogLoss: number | null;
  /** Calibration of the recent window by decile of predicted probability, under the fit before it. */
  calibration: CalibrationBin[];
  /** Population stability index of the leads' attributes: recent window against the outcomes before it (≥ 0.25 is a large shift). */
  inputStability: number | null;
  /** This check opened a drift episode. */
  detected: boolean;
  /** This check closed one: the model explains recent outcomes again. */
  recovered: boolean;
  /** While drifting (and in the check that recovered): the change point the memory was shortened at... */
  changePointAt: Date | null;
  /** ...and the attributes whose effects are relearned from it. */
  changedAttributes: string[];
}

/** A drift episode as stored (TriageDriftEpisode). */
export interface TriageDriftEpisodeInfo {
  id: string;
  detectedAt: Date;
  detectedByVersion: string;
  changePointAt: Date;
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  attribute: string | null;
  changedAttributes: string[];
  windowOutcomes: number;
  referenceOutcomes: number;
  outcomesSinceChange: number;
  recoveredAt: Date | null;
  recoveredByVersion: string | null;
  outcomesToRecover: number | null;
}

/** The outcome of one drift check, with the change point the next fits learn from. */
export interface DriftCheckResult {
  check: TriageDriftCheck;
  /** Set on detection, kept after recovery (the old market stays the old market); null when no drift was ever detected. */
  changePoint: ChangePoint | null;
  /** Outcomes on or after the change point (the detection delay on detection, the recovery time on recovery). */
  outcomesSinceChange: number;
}

/**
 * Checks the recent outcomes against a fit on the ones before them. `memory` is
 * the fits' current memory (with the change point of the latest drift, if any);
 * `drifting`: a detected drift has not recovered yet.
 */
export function checkDrift(cells: readonly OutcomeCell[], memory: TrainingMemory, drifting: boolean, checkedAt: Date): DriftCheckResult {
  const since = (day: number | null) => (day === null ? 0 : sum(cells.filter((cell) => cell.day >= day)));
  const changePointAt = drifting && memory.changePoint ? new Date(memory.changePoint.day * DAY_MS) : null;
  const changedAttributes = drifting && memory.changePoint ? memory.changePoint.attributes : [];
  const windows = DRIFT_WINDOWS.map((size) => recentWindow(cells, size));
  const testable = windows.filter(isTestable);
  if (testable.length === 0) {
    const [short] = windows;
    const check: TriageDriftCheck = {
      state: drifting ? 'DRIFTING' : 'WARMING_UP',
      checkedAt,
      test: null,
      ...windowFigures(short!),
      recentBrier: null,
      previousBrier: null,
      recentLogLoss: null,
      previousLogLoss: null,
      calibration: [],
      inputStability: null,
      detected: false,
      recovered: false,
      changePointAt,
      changedAttributes,
    };
    return { check, changePoint: memory.changePoint, outcomesSinceChange: since(memory.changePoint?.day ?? null) };
  }

  const tested = testable.map((window) => {
    const reference = fitTriageModel(window.before, memory, 'drift-reference');
    const result = scoreTestAgainst(reference, window.recent);
    // Bonferroni over the windows tested, like the score test over its groups.
    const adjust = (pValue: number) => Math.min(1, pValue * testable.length);
    const scoreTest = { ...result, pValue: adjust(result.pValue), groups: result.groups.map((group) => ({ ...group, pValue: adjust(group.pValue) })) };
    return { window, reference, scoreTest };
  });
  const { window, reference, scoreTest } = tested.reduce((best, next) => (next.scoreTest.pValue < best.scoreTest.pValue ? next : best));
  const test = { statistic: scoreTest.statistic, degreesOfFreedom: scoreTest.degreesOfFreedom, pValue: scoreTest.pValue, attribute: scoreTest.group };
  const recentScores = scored(window.recent, (features) => conversionProbability(reference, features));
  const previous = previousWindowScores(window, memory);

  let state: TriageDriftState = drifting ? 'DRIFTING' : 'STABLE';
  let changePoint = memory.changePoint;
  let detected = false;
  let recovered = false;
  if (!drifting && test.pValue < DRIFT_P_VALUE) {
    state = 'DRIFTING';
    detected = true;
    const changed = scoreTest.groups.filter((group) => group.group !== INTERCEPT && group.pValue < CHANGED_ATTRIBUTE_P_VALUE).map((group) => group.group);
    changePoint = {
      day: likeliestChangeDay(cells, memory, { day: window.fromDay, pValue: test.pValue }),
      attributes: changed.length > 0 ? changed.sort() : [...TRIAGE_FEATURES],
    };
  } else if (drifting && test.pValue >= RECOVERY_P_VALUE && since(changePoint?.day ?? null) >= DRIFT_WINDOW + MIN_REFERENCE_OUTCOMES) {
    state = 'STABLE';
    recovered = true;
  } else if (drifting && changePoint) {
    changePoint = { ...changePoint, attributes: changedAttributesSince(cells, { ...memory, changePoint }) };
  }
  const check: TriageDriftCheck = {
    state,
    checkedAt,
    test,
    ...windowFigures(window),
    recentBrier: brierScore(recentScores.probabilities, recentScores.converted),
    recentLogLoss: logLoss(recentScores.probabilities, recentScores.converted),
    previousBrier: previous && brierScore(previous.probabilities, previous.converted),
    previousLogLoss: previous && logLoss(previous.probabilities, previous.converted),
    calibration: calibrationByDecile(recentScores.probabilities, recentScores.converted),
    inputStability: inputStability(window.before, window.recent),
    detected,
    recovered,
    changePointAt: (detected || drifting) && changePoint ? new Date(changePoint.day * DAY_MS) : null,
    changedAttributes: (detected || drifting) && changePoint ? changePoint.attributes : [],
  };
  return { check, changePoint, outcomesSinceChange: since(changePoint?.day ?? null) };
}

interface RecentWindow {
  size: number;
  /** The newest days holding at least `size` outcomes (all of them when fewer), and the outcomes before. */
  fromDay: number;
  recent: OutcomeCell[];
  before: OutcomeCell[];
  outcomes: number;
  referenceOutcomes: number;
}

function recentWindow(cells: readonly OutcomeCell[], size: number): RecentWindow {
  const { fromDay, outcomes } = newestDaysHolding(cells, size);
  const before = cells.filter((cell) => cell.day < fromDay);
  return { size, fromDay, recent: cells.filter((cell) => cell.day >= fromDay), before, outcomes, referenceOutcomes: sum(before) };
}

/** A full window with a full reference before it. */
function isTestable(window: RecentWindow): boolean {
  return window.outcomes >= window.size && window.referenceOutcomes >= MIN_REFERENCE_OUTCOMES;
}

function windowFigures(window: RecentWindow): Pick<TriageDriftCheck, 'windowOutcomes' | 'referenceOutcomes' | 'windowFrom'> {
  return {
    windowOutcomes: window.outcomes,
    referenceOutcomes: window.referenceOutcomes,
    windowFrom: Number.isFinite(window.fromDay) ? new Date(window.fromDay * DAY_MS) : null,
  };
}

/**
 * The attributes that changed at `changePoint`, chosen again with every outcome
 * since it. The detection saw one window of the new market: enough to find the
 * attribute that moved most, often not a second, and its per-attribute tests can
 * name one that did not move. So at each fit while drifting:
 * - an attribute joins when its effects fit the outcomes significantly better
 *   learned apart on each side of the change point (a likelihood-ratio test of the
 *   fit that relearns it too against the episode's, Bonferroni over those tried);
 * - an attribute stays only while relearning it still fits significantly better
 *   than learning it across the change point, given the others relearned.
 * Choosing from the evidence of the moment, rather than adding for good whatever
 * one of many repeated looks found, keeps chance out: over 100 reversed markets
 * (`npm run bench:triage`), episodes naming an attribute that did not change went
 * from 21 to 4 of 90, those naming both that did from 70 to 69, AUC unchanged.
 */
function changedAttributesSince(cells: readonly OutcomeCell[], memory: TrainingMemory & { changePoint: ChangePoint }): string[] {
  const { changePoint } = memory;
  if (sum(cells.filter((cell) => cell.day >= changePoint.day)) < MIN_SPLIT_OUTCOMES) return changePoint.attributes;
  const before = cells.filter((cell) => cell.day < changePoint.day);
  // The old market's own weights relearning an attribute adds: one per level seen before the change, less one
  // when every lead has a level (the old base rate is already its own).
  const degreesOfFreedom = new Map<string, number>(
    TRIAGE_FEATURES.map((attribute) => {
      const levels = new Set(before.flatMap((cell) => cell.features.filter((key) => attributeOf(key) === attribute)));
      return [attribute, levels.size - (before.every((cell) => cell.features.some((key) => attributeOf(key) === attribute)) ? 1 : 0)];
    }),
  );
  // One fit per set of relearned attributes: the sets compared below repeat (the episode's, the one an attribute joined).
  const fitted = new Map<string, number>();
  const logLikelihood = (attributes: readonly string[]) => {
    const key = [...attributes].sort().join();
    let value = fitted.get(key);
    if (value === undefined) {
      value = logLikelihoodOfFit(cells, { ...memory, changePoint: { ...changePoint, attributes: [...attributes] } });
      fitted.set(key, value);
    }
    return value;
  };
  /** How surely relearning `attribute` besides `others` fits better than learning it across the change point (χ² of twice the log-likelihood gained). */
  const gainPValue = (attribute: string, others: readonly string[]) =>
    chiSquareSurvival(Math.max(0, 2 * (logLikelihood([...others, attribute]) - logLikelihood(others))), degreesOfFreedom.get(attribute)!);

  const candidates = TRIAGE_FEATURES.filter((attribute) => !changePoint.attributes.includes(attribute) && degreesOfFreedom.get(attribute)! >= 1);
  const joining = candidates.filter((attribute) => candidates.length * gainPValue(attribute, changePoint.attributes) < CHANGED_ATTRIBUTE_P_VALUE);
  const changed = [...changePoint.attributes, ...joining];
  if (changed.length < 2) return changed.sort();
  const without = (attribute: string) => changed.filter((other) => other !== attribute);
  const staying = changed.filter((attribute) => degreesOfFreedom.get(attribute)! < 1 || gainPValue(attribute, without(attribute)) < CHANGED_ATTRIBUTE_P_VALUE);
  // Something changed: the drift was detected. When no attribute is sure on its own, keep them all.
  return (staying.length > 0 ? staying : changed).sort();
}

/** The log-likelihood of the outcomes (as weighted) under the fit with `memory`. */
function logLikelihoodOfFit(cells: readonly OutcomeCell[], memory: TrainingMemory): number {
  return binomialLogLikelihood(weightedObservations(cells, memory), fitTriageModel(cells, memory, 'change-point-attributes').weights);
}

/** A split leaves at least this many outcomes after it: fewer say too little to place the change. */
const MIN_SPLIT_OUTCOMES = 100;

/**
 * The day of the window from which the outcomes disagree most surely with a fit on
 * the ones before: the likeliest change point. `windowStart` is the window's first
 * day with the p-value the check already found there.
 */
function likeliestChangeDay(cells: readonly OutcomeCell[], memory: TrainingMemory, windowStart: { day: number; pValue: number }): number {
  const days = [...new Set(cells.filter((cell) => cell.day > windowStart.day).map((cell) => cell.day))].sort((a, b) => a - b);
  let likeliest = windowStart;
  for (const day of days) {
    const after = cells.filter((cell) => cell.day >= day);
    if (sum(after) < MIN_SPLIT_OUTCOMES) break;
    const { pValue } = scoreTestAgainst(
      fitTriageModel(
        cells.filter((cell) => cell.day < day),
        memory,
        'change-day-reference',
      ),
      after,
    );
    if (pValue < likeliest.pValue) likeliest = { day, pValue };
  }
  return likeliest.day;
}

function scoreTestAgainst(reference: TriageModel, cells: readonly OutcomeCell[]) {
  const posterior = reference.uncertainty.posterior!;
  return logisticScoreTest(
    { weights: reference.weights, features: posterior.features, covariance: posterior.covariance, priorVariance: reference.uncertainty.priorVariance },
    cells,
    attributeOf,
  );
}

/** The window of the same size before the recent one, scored by a fit on the outcomes before it; null when there are too few. */
function previousWindowScores(recent: RecentWindow, memory: TrainingMemory) {
  const previous = recentWindow(recent.before, recent.size);
  if (!isTestable(previous)) return null;
  const reference = fitTriageModel(previous.before, memory, 'drift-previous-reference');
  return scored(previous.recent, (features) => conversionProbability(reference, features));
}

function scored(cells: readonly OutcomeCell[], probabilityOf: (features: string[]) => number) {
  const probabilities: number[] = [];
  const converted: boolean[] = [];
  for (const cell of cells) {
    const probability = probabilityOf(cell.features);
    for (let k = 0; k < cell.trials; k++) {
      probabilities.push(probability);
      converted.push(k < cell.successes);
    }
  }
  return { probabilities, converted };
}

/** The largest population stability index over the leads' attributes (industry, size, persona, source, email, phone). */
function inputStability(reference: readonly OutcomeCell[], recent: readonly OutcomeCell[]): number {
  const attributes = TRIAGE_FEATURES;
  const mix = (cells: readonly OutcomeCell[], attribute: string) => {
    const counts = new Map<string, number>();
    for (const cell of cells) {
      const value = cell.features.find((key) => attributeOf(key) === attribute) ?? 'none';
      counts.set(value, (counts.get(value) ?? 0) + cell.trials);
    }
    return counts;
  };
  return Math.max(...attributes.map((attribute) => populationStabilityIndex(mix(reference, attribute), mix(recent, attribute))));
}

function sum(cells: readonly OutcomeCell[]): number {
  return cells.reduce((total, cell) => total + cell.trials, 0);
}
