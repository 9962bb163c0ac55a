// Robust (modified) z-scores for anomaly detection on metric series (a day's
// conversions against the last weeks, a campaign's CTR against its history).
//
//   z_i = (x_i − median) / (1.4826 · MAD),   MAD = median_j |x_j − median|
//
// 1.4826 ≈ 1/Φ⁻¹(¾) makes 1.4826·MAD a consistent estimator of σ for normal data,
// so z is on the familiar standard-normal scale, but the median and MAD ignore up to
// half the data being outliers (breakdown point 50 %), unlike mean and SD. Iglewicz &
// Hoaglin ("How to Detect and Handle Outliers", ASQC 1993) use 0.6745·(x − median)/MAD
// (the same score: 0.6745 = 1/1.4826) and flag |z| > 3.5 as a potential outlier.
//
// MAD = 0 (more than half the values equal the median, common for small counts):
// the scale falls back to the mean absolute deviation around the median times
// 1.2533 (≈ √(π/2), since E|X − μ| = σ·√(2/π) for normal data; the same fallback as
// IBM SPSS's modified z), i.e. z = (x − median)/(1.2533 · mean|x_j − median|).
// If that is 0 too (every reference value equals the median), there is no spread at
// all: z is 0 for a value equal to the median and ±Infinity for any other value
// (infinitely surprising against a constant history — callers wanting a softer
// verdict should require a minimum history or a minimum absolute change).
//
// Both functions throw on empty input or non-finite values.

/** 1/Φ⁻¹(0.75): scales the MAD to a standard deviation under normality. */
export const MAD_SCALE = 1.4826;
/** √(π/2): scales the mean absolute deviation to a standard deviation under normality. */
export const MEAN_ABSOLUTE_DEVIATION_SCALE = 1.2533;
/** Iglewicz & Hoaglin's cut-off for modified z-scores. */
export const ANOMALY_THRESHOLD = 3.5;

export interface RobustScale {
  median: number;
  /** Median absolute deviation from the median. */
  mad: number;
  /** The σ estimate used as the z denominator (0 when the values have no spread at all). */
  scale: number;
  /** Which estimator gave `scale`. */
  method: 'mad' | 'mean-absolute-deviation' | 'none';
}

/** The median (average of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  assertValues(values);
  const sorted = [...values].sort((p, q) => p - q);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : 0.5 * ((sorted[middle - 1] as number) + (sorted[middle] as number));
}

/** The median, MAD and the robust σ estimate of `values` (with the MAD = 0 fallbacks above). */
export function robustScale(values: readonly number[]): RobustScale {
  const center = median(values);
  const deviations = values.map((value) => Math.abs(value - center));
  const mad = median(deviations);
  if (mad > 0) return { median: center, mad, scale: MAD_SCALE * mad, method: 'mad' };
  const meanDeviation = deviations.reduce((sum, deviation) => sum + deviation, 0) / deviations.length;
  if (meanDeviation > 0) return { median: center, mad, scale: MEAN_ABSOLUTE_DEVIATION_SCALE * meanDeviation, method: 'mean-absolute-deviation' };
  return { median: center, mad, scale: 0, method: 'none' };
}

/** The robust z of `value` against `reference` (the reference's median and scale). */
export function robustZFromScale(reference: RobustScale, value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`value must be finite, got ${value}`);
  const deviation = value - reference.median;
  if (reference.scale === 0) return deviation === 0 ? 0 : deviation > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return deviation / reference.scale;
}

/** The robust z-score of every value against the whole sample (the sample includes the value itself). */
export function robustZScores(values: readonly number[]): number[] {
  const reference = robustScale(values);
  return values.map((value) => robustZFromScale(reference, value));
}

/** The robust z-score of a new `value` against `history` (which should not contain it). */
export function robustZ(history: readonly number[], value: number): number {
  return robustZFromScale(robustScale(history), value);
}

/** |z| > threshold (default 3.5, Iglewicz & Hoaglin). NaN is never an anomaly. */
export function isAnomaly(z: number, threshold = ANOMALY_THRESHOLD): boolean {
  return Math.abs(z) > threshold;
}

function assertValues(values: readonly number[]): void {
  if (values.length === 0) throw new RangeError('need at least one value');
  for (const value of values) if (!Number.isFinite(value)) throw new RangeError(`values must be finite, got ${value}`);
}
