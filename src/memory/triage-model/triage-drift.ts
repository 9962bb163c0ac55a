// Drift detection for the triage model: does the market still convert the way the
// model learned it does? Run at every fit (each consolidation that saw new outcomes).
//
// The recent window (the newest days holding at least DRIFT_WINDOW outcomes) is
// compared with a fit, same weighting, on the outcomes before it (the reference):
// - the test of change: the score test of the window against the reference fit,
//   counting the reference's own uncertainty (src/statistics/logistic-score-test.ts).
//   It asks whether the recent outcomes pull the weights away from what was learned
//   before them, so a model still learning a stable market (its reference improving
//   fit by fit) does not alarm, while a market whose effects changed does. A drift is
//   detected when p < DRIFT_P_VALUE: checks run at every consolidation, so the
//   threshold is strict, and its false-alarm rate is measured over many seeds by
//   `npm run bench:triage`.
// - what a reader weighs it by: the window's Brier and log-loss under the reference
//   fit against the previous window's under its own reference, the window's
//   calibration by decile, and the population stability index of the leads'
//   attributes (has the mix of leads moved, not just how they convert).
//
// On detection the change point is the day in the window where the split fits one
// model worst (the smallest p-value of the same test, days from it against a fit
// before it: a window that caught the change late starts with the old market,
// which would otherwise be relearned as new), and the changed attributes are
// those whose own test is significant (adjusted p < RECOVERY_P_VALUE;
// all of them when only the omnibus test is). From then on every fit learns those
// attributes' effects (and the base rate) from the outcomes after the change point
// alone, the older outcomes still teaching the rest (triage-training.ts): the memory
// of what changed is shortened to the new market, and an episode is recorded. The
// drift lasts until the model recovers: the window agrees with the reference again
// (p ≥ RECOVERY_P_VALUE) once the outcomes since the change point fill a window and
// a reference. Sooner, the reference would hold too little of the new market to
// disagree with anything: its relearned weights, still near their prior, absorb
// any window (the unit tests saw a "recovery" one check after the detection).
import { conversionProbability, INTERCEPT, TRIAGE_FEATURES, type TriageModel } from '../../domain/triage-model.js';
import { brierScore, type CalibrationBin, calibrationByDecile, logLoss } from '../../statistics/classification-metrics.js';
import { logisticScoreTest } from '../../statistics/logistic-score-test.js';
import { populationStabilityIndex } from '../../statistics/population-stability.js';
import { newestDaysHolding } from './triage-model-quality.js';
import { attributeOf, type ChangePoint, DAY_MS, fitTriageModel, type OutcomeCell, type TrainingMemory } from './triage-training.js';

/** The recent window holds at least this many outcomes. */
export const DRIFT_WINDOW = 300;
/** No test until this many outcomes lie before the window: a reference fit on fewer is still learning the market. */
export const MIN_REFERENCE_OUTCOMES = 300;
/**
 * A drift is detected below this p-value. Checks run at every consolidation over
 * overlapping windows, so it is strict: over 100 stable markets of 1,500 outcomes,
 * 0.001 raised an alarm in 5 and 0.0002 in 1, while finding a reversed market about
 * as often (42 against 43 of 50) and as soon (`npm run bench:triage`).
 */
export const DRIFT_P_VALUE = 0.0002;
/** Recovered at or above this p-value. */
export const RECOVERY_P_VALUE = 0.05;

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
  const window = newestDaysHolding(cells, DRIFT_WINDOW);
  const recent = cells.filter((cell) => cell.day >= window.fromDay);
  const before = cells.filter((cell) => cell.day < window.fromDay);
  const referenceOutcomes = sum(before);
  const since = (day: number | null) => (day === null ? 0 : sum(cells.filter((cell) => cell.day >= day)));
  const base = {
    windowOutcomes: sum(recent),
    referenceOutcomes,
    windowFrom: Number.isFinite(window.fromDay) ? new Date(window.fromDay * DAY_MS) : null,
    detected: false,
    recovered: false,
    changePointAt: drifting && memory.changePoint ? new Date(memory.changePoint.day * DAY_MS) : null,
    changedAttributes: drifting && memory.changePoint ? memory.changePoint.attributes : [],
  };
  if (window.outcomes < DRIFT_WINDOW || referenceOutcomes < MIN_REFERENCE_OUTCOMES) {
    const check: TriageDriftCheck = {
      ...base,
      state: drifting ? 'DRIFTING' : 'WARMING_UP',
      checkedAt,
      test: null,
      recentBrier: null,
      previousBrier: null,
      recentLogLoss: null,
      previousLogLoss: null,
      calibration: [],
      inputStability: null,
    };
    return { check, changePoint: memory.changePoint, outcomesSinceChange: since(memory.changePoint?.day ?? null) };
  }

  const reference = fitTriageModel(before, memory, 'drift-reference');
  const scoreTest = scoreTestAgainst(reference, recent);
  const test = { statistic: scoreTest.statistic, degreesOfFreedom: scoreTest.degreesOfFreedom, pValue: scoreTest.pValue, attribute: scoreTest.group };
  const recentScores = scored(recent, (features) => conversionProbability(reference, features));
  const previous = previousWindowScores(before, memory);

  let state: TriageDriftState = drifting ? 'DRIFTING' : 'STABLE';
  let changePoint = memory.changePoint;
  let detected = false;
  let recovered = false;
  if (!drifting && test.pValue < DRIFT_P_VALUE) {
    state = 'DRIFTING';
    detected = true;
    const changed = scoreTest.groups.filter((group) => group.group !== INTERCEPT && group.pValue < RECOVERY_P_VALUE).map((group) => group.group);
    changePoint = {
      day: likeliestChangeDay(cells, memory, { day: window.fromDay, pValue: test.pValue }),
      attributes: changed.length > 0 ? changed.sort() : [...TRIAGE_FEATURES],
    };
  } else if (drifting && test.pValue >= RECOVERY_P_VALUE && since(changePoint?.day ?? null) >= DRIFT_WINDOW + MIN_REFERENCE_OUTCOMES) {
    state = 'STABLE';
    recovered = true;
  }
  const check: TriageDriftCheck = {
    ...base,
    state,
    checkedAt,
    test,
    recentBrier: brierScore(recentScores.probabilities, recentScores.converted),
    recentLogLoss: logLoss(recentScores.probabilities, recentScores.converted),
    previousBrier: previous && brierScore(previous.probabilities, previous.converted),
    previousLogLoss: previous && logLoss(previous.probabilities, previous.converted),
    calibration: calibrationByDecile(recentScores.probabilities, recentScores.converted),
    inputStability: inputStability(before, recent),
    detected,
    recovered,
    changePointAt: (detected || drifting) && changePoint ? new Date(changePoint.day * DAY_MS) : null,
    changedAttributes: (detected || drifting) && changePoint ? changePoint.attributes : [],
  };
  return { check, changePoint, outcomesSinceChange: since(changePoint?.day ?? null) };
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

/** The window before the recent one, scored by a fit on the outcomes before it; null when there are too few. */
function previousWindowScores(before: readonly OutcomeCell[], memory: TrainingMemory) {
  const window = newestDaysHolding(before, DRIFT_WINDOW);
  const earlier = before.filter((cell) => cell.day < window.fromDay);
  if (window.outcomes < DRIFT_WINDOW || sum(earlier) < MIN_REFERENCE_OUTCOMES) return null;
  const reference = fitTriageModel(earlier, memory, 'drift-previous-reference');
  return scored(
    before.filter((cell) => cell.day >= window.fromDay),
    (features) => conversionProbability(reference, features),
  );
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
