// Calibrated confidence: when a lead's conversion log-odds is Normal(mean, variance)
// (a model's Laplace posterior), how probable is it that its true conversion
// probability lies in a band [low, high)? Since logit is increasing,
//   P(low ≤ σ(η) < high) = Φ((logit(high) − mean)/√v) − Φ((logit(low) − mean)/√v),
// with logit(0) = −∞ and logit(1) = +∞.
//
// Φ comes from the complementary error function, Φ(z) = ½·erfc(−z/√2), computed as
// Numerical Recipes computes erffc: through the incomplete gamma function,
// erfc(x) = Q(½, x²) (special-functions.ts: its power series for x² < 1.5 and its
// continued fraction, modified Lentz, above). Both are summed to double
// precision: relative error ~1e-15 in either tail, far better than the 1e-7 of
// the classic Chebyshev erfcc fit and the 1e-7 absolute (useless in tails) of
// Abramowitz-Stegun 7.1.26.
import { regularizedGammaQ } from './special-functions.js';

/** The complementary error function erfc(x) = 1 − erf(x), to ~1e-15 relative accuracy. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  const x2 = x * x;
  if (x2 > 750) return 0; // e^{-x²} underflows (Infinity included)
  return regularizedGammaQ(0.5, x2);
}

/** The standard normal CDF Φ(z). Φ(±∞) = 1 and 0. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** The log-odds of a probability; ±∞ at 1 and 0. */
export function logit(probability: number): number {
  return Math.log(probability) - Math.log1p(-probability);
}

/**
 * The posterior probability that the true conversion probability lies in
 * [lowProbability, highProbability) when its log-odds is Normal(mean, variance).
 * `lowProbability` may be 0 and `highProbability` 1 (open-ended bands). With
 * variance 0 the log-odds is exactly `mean`: the answer is 1 when σ(mean) is in
 * the band, else 0.
 */
export function probabilityInBand(mean: number, variance: number, lowProbability: number, highProbability: number): number {
  if (!Number.isFinite(mean)) throw new RangeError(`mean must be finite, got ${mean}`);
  if (!(variance >= 0) || variance === Number.POSITIVE_INFINITY) throw new RangeError(`variance must be finite and non-negative, got ${variance}`);
  if (!(lowProbability >= 0 && lowProbability <= highProbability && highProbability <= 1)) {
    throw new RangeError(`need 0 ≤ low ≤ high ≤ 1, got [${lowProbability}, ${highProbability})`);
  }
  if (lowProbability === highProbability) return 0;
  const lowLogOdds = logit(lowProbability); // −∞ when low = 0
  const highLogOdds = logit(highProbability); // +∞ when high = 1
  if (variance === 0) return mean >= lowLogOdds && mean < highLogOdds ? 1 : 0;
  const sd = Math.sqrt(variance);
  const zLow = (lowLogOdds - mean) / sd;
  const zHigh = (highLogOdds - mean) / sd;
  // A difference of two upper tails when the band lies above the mean keeps its
  // relative accuracy (1 − Φ would round the small tail away).
  const probability = zLow > 0 ? normalCdf(-zLow) - normalCdf(-zHigh) : normalCdf(zHigh) - normalCdf(zLow);
  return Math.min(1, Math.max(0, probability));
}
