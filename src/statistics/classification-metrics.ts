// Metrics for a probabilistic classifier (the triage model's held-out quality and drift
// checks, the learning benchmark, the tests): discrimination (AUC), accuracy of the
// probabilities (Brier score, log-loss) and calibration (expected calibration error,
// the calibration curve by decile).

/**
 * Area under the ROC curve: the probability that a random positive scores above a
 * random negative, ties counting one half. Computed as the Mann–Whitney U statistic
 * from mid-ranks, O(n log n). Throws unless there is at least one positive and one negative.
 */
export function auc(scores: readonly number[], labels: readonly boolean[]): number {
  checkLengths(scores, labels);
  const n = scores.length;
  const positives = labels.filter(Boolean).length;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new RangeError(`auc needs both classes, got ${positives} positives and ${negatives} negatives`);
  for (const score of scores) if (Number.isNaN(score)) throw new RangeError('auc: a score is NaN');

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  // Sum of the (1-based, tie-averaged) ranks of the positives.
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    const midRank = (start + 1 + end) / 2; // average of ranks start+1 … end
    for (let k = start; k < end; k++) if (labels[order[k]!]) positiveRankSum += midRank;
    start = end;
  }
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/** Mean squared difference between the predicted probability and the outcome (0 or 1): 0 is perfect. */
export function brierScore(probabilities: readonly number[], labels: readonly boolean[]): number {
  checkLengths(probabilities, labels);
  if (probabilities.length === 0) throw new RangeError('brierScore of no predictions');
  let sum = 0;
  probabilities.forEach((probability, i) => {
    const error = probability - (labels[i] ? 1 : 0);
    sum += error * error;
  });
  return sum / probabilities.length;
}

/**
 * Expected calibration error over `bins` equal-width bins of [0, 1] (a probability
 * of exactly 1 falls in the last bin): Σ_b (n_b / n)·|mean predicted_b − observed rate_b|.
 */
export function expectedCalibrationError(probabilities: readonly number[], labels: readonly boolean[], bins = 10): number {
  checkLengths(probabilities, labels);
  if (probabilities.length === 0) throw new RangeError('expectedCalibrationError of no predictions');
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const count = new Array<number>(bins).fill(0);
  const predicted = new Array<number>(bins).fill(0);
  const observed = new Array<number>(bins).fill(0);
  probabilities.forEach((probability, i) => {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError(`probability ${i} is outside [0, 1]: ${probability}`);
    const bin = Math.min(bins - 1, Math.floor(probability * bins));
    count[bin]!++;
    predicted[bin]! += probability;
    if (labels[i]) observed[bin]!++;
  });
  let error = 0;
  for (let b = 0; b < bins; b++) {
    const n = count[b]!;
    if (n > 0) error += Math.abs(predicted[b]! - observed[b]!) / probabilities.length;
  }
  return error;
}

/** Probabilities this close to 0 or 1 are clamped before the logarithm, so one confident miss costs ~34.5 nats, not infinity. */
const LOG_LOSS_CLAMP = 1e-15;

/** Mean negative log-likelihood (nats) of the outcomes under the predicted probabilities: 0 is perfect, ln 2 ≈ 0.693 a coin. */
export function logLoss(probabilities: readonly number[], labels: readonly boolean[]): number {
  checkLengths(probabilities, labels);
  if (probabilities.length === 0) throw new RangeError('logLoss of no predictions');
  let sum = 0;
  probabilities.forEach((probability, i) => {
    sum += outcomeLogLoss(probability, labels[i]!);
  });
  return sum / probabilities.length;
}

/** −ln P(outcome) under `probability` (clamped away from 0 and 1). */
export function outcomeLogLoss(probability: number, converted: boolean): number {
  const p = Math.min(1 - LOG_LOSS_CLAMP, Math.max(LOG_LOSS_CLAMP, probability));
  return -Math.log(converted ? p : 1 - p);
}

/**
 * The calibration curve by decile of predicted probability: the predictions sorted
 * and cut into `bins` groups of (as near as possible) equal size, each with its mean
 * prediction and the rate actually observed. A calibrated model's bins lie on the
 * diagonal. Equal-count bins, unlike equal-width ones, keep every point backed by
 * the same number of outcomes when the predictions crowd one end (most leads do not convert).
 */
export function calibrationByDecile(probabilities: readonly number[], labels: readonly boolean[], bins = 10): CalibrationBin[] {
  checkLengths(probabilities, labels);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probabilities[a]! - probabilities[b]!);
  const curve: CalibrationBin[] = [];
  for (let b = 0; b < Math.min(bins, n); b++) {
    const members = order.slice(Math.floor((b * n) / Math.min(bins, n)), Math.floor(((b + 1) * n) / Math.min(bins, n)));
    const predicted = members.reduce((sum, i) => sum + probabilities[i]!, 0) / members.length;
    const observed = members.filter((i) => labels[i]).length / members.length;
    curve.push({ predicted, observed, outcomes: members.length });
  }
  return curve;
}

/** Σ outcomes·|predicted − observed| / Σ outcomes over a calibration curve: its expected calibration error. */
export function calibrationError(curve: readonly CalibrationBin[]): number | null {
  const outcomes = curve.reduce((sum, bin) => sum + bin.outcomes, 0);
  if (outcomes === 0) return null;
  return curve.reduce((sum, bin) => sum + bin.outcomes * Math.abs(bin.predicted - bin.observed), 0) / outcomes;
}

function checkLengths(values: readonly number[], labels: readonly boolean[]): void {
  if (values.length !== labels.length) throw new RangeError(`${values.length} values but ${labels.length} labels`);
}

/** One bin of a calibration curve: the mean predicted probability, the observed rate, and how many outcomes. */
export interface CalibrationBin {
  predicted: number;
  observed: number;
  outcomes: number;
}
