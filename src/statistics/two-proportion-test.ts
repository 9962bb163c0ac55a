// Two-proportion z-test: is variant B's conversion rate different from (greater
// than, less than) control A's?
//
//   p̂_A = x_A/n_A,  p̂_B = x_B/n_B,  pooled p̂ = (x_A + x_B)/(n_A + n_B)
//   z = (p̂_B − p̂_A) / √( p̂(1 − p̂)(1/n_A + 1/n_B) )          (pooled SE: the SE under H₀)
//   p-value: two-sided 2·Φ(−|z|); 'greater' (H₁: p_B > p_A) Φ(−z); 'less' Φ(z)
//   95 % CI of p_B − p_A: (p̂_B − p̂_A) ± 1.959964 · √( p̂_A(1−p̂_A)/n_A + p̂_B(1−p̂_B)/n_B )
//                                                                (unpooled Wald interval)
// z² equals Pearson's χ² of the 2×2 table without continuity correction, i.e. R's
// `prop.test(c(x_A, x_B), c(n_A, n_B), correct = FALSE)`. Reference: Agresti,
// Categorical Data Analysis, 3rd ed., §3.1 (Wald interval) and §2.1/§3.2 (score and
// Pearson tests for two proportions).
//
// The test leans on the normal approximation of the binomial. It is reported as
// insufficient (no z, no p-value, no interval: nothing a decision could lean on) when
//   - either group has fewer than MIN_TRIALS = 100 trials, or
//   - either group's expected successes or failures under H₀, n_i·p̂ and n_i·(1 − p̂),
//     fall below MIN_EXPECTED_COUNT = 5 (the usual rule of thumb for χ²/z tests;
//     Cochran 1954). This also covers p̂ = 0 or 1, where the pooled SE is 0.
// The descriptive rates, difference and lift are always returned.
import { normalCdf } from './calibrated-confidence.js';
import { assertBinomialCounts, type BinomialCounts } from './binomial-counts.js';

/** Fewer trials than this in either group: too few to trust a normal approximation. */
export const MIN_TRIALS = 100;
/** Fewer expected successes or failures (under the pooled null) than this in either group: insufficient. */
export const MIN_EXPECTED_COUNT = 5;
/** Φ⁻¹(0.975), the two-sided 95 % normal quantile. */
export const Z_975 = 1.959963984540054;

export type Alternative = 'two-sided' | 'greater' | 'less';

export interface TwoProportionTestOptions {
  /** 'greater': H₁ is rate B > rate A; 'less': rate B < rate A. Default 'two-sided'. */
  alternative?: Alternative;
}

interface Descriptive {
  alternative: Alternative;
  rateA: number;
  rateB: number;
  /** rateB − rateA. */
  difference: number;
  /** (rateB − rateA)/rateA; null when rateA = 0 (or group A has no trials). */
  relativeLift: number | null;
  /** (x_A + x_B)/(n_A + n_B). */
  pooledRate: number;
  trialsA: number;
  trialsB: number;
}

export interface SufficientTwoProportionTest extends Descriptive {
  sufficient: true;
  z: number;
  pValue: number;
  /** Unpooled Wald 95 % interval of rateB − rateA. */
  confidenceInterval95: [number, number];
  reason?: undefined;
}

export interface InsufficientTwoProportionTest extends Descriptive {
  sufficient: false;
  z: null;
  pValue: null;
  confidenceInterval95: null;
  /** Why the data do not support the normal approximation, in words. */
  reason: string;
}

export type TwoProportionTestResult = SufficientTwoProportionTest | InsufficientTwoProportionTest;

export function twoProportionZTest(a: BinomialCounts, b: BinomialCounts, options: TwoProportionTestOptions = {}): TwoProportionTestResult {
  assertBinomialCounts(a, 'group A');
  assertBinomialCounts(b, 'group B');
  const alternative = options.alternative ?? 'two-sided';
  const rateA = a.trials > 0 ? a.successes / a.trials : 0;
  const rateB = b.trials > 0 ? b.successes / b.trials : 0;
  const totalTrials = a.trials + b.trials;
  const pooledRate = totalTrials > 0 ? (a.successes + b.successes) / totalTrials : 0;
  const descriptive: Descriptive = {
    alternative,
    rateA,
    rateB,
    difference: rateB - rateA,
    relativeLift: rateA > 0 ? (rateB - rateA) / rateA : null,
    pooledRate,
    trialsA: a.trials,
    trialsB: b.trials,
  };

  const problems: string[] = [];
  for (const [label, n] of [
    ['A', a.trials],
    ['B', b.trials],
  ] as const) {
    if (n < MIN_TRIALS) problems.push(`group ${label} has ${n} trials, fewer than the ${MIN_TRIALS} required`);
  }
  if (problems.length === 0) {
    for (const [label, n] of [
      ['A', a.trials],
      ['B', b.trials],
    ] as const) {
      const expectedSuccesses = n * pooledRate;
      const expectedFailures = n * (1 - pooledRate);
      if (expectedSuccesses < MIN_EXPECTED_COUNT) {
        problems.push(`group ${label} expects ${round(expectedSuccesses)} successes under the pooled rate, fewer than ${MIN_EXPECTED_COUNT}`);
      }
      if (expectedFailures < MIN_EXPECTED_COUNT) {
        problems.push(`group ${label} expects ${round(expectedFailures)} failures under the pooled rate, fewer than ${MIN_EXPECTED_COUNT}`);
      }
    }
  }
  if (problems.length > 0) {
    return {
      ...descriptive,
      sufficient: false,
      z: null,
      pValue: null,
      confidenceInterval95: null,
      reason: `Not enough data for a normal-approximation test: ${problems.join('; ')}.`,
    };
  }

  const pooledSe = Math.sqrt(pooledRate * (1 - pooledRate) * (1 / a.trials + 1 / b.trials));
  const z = (rateB - rateA) / pooledSe;
  const pValue = alternative === 'greater' ? normalCdf(-z) : alternative === 'less' ? normalCdf(z) : Math.min(1, 2 * normalCdf(-Math.abs(z)));
  const unpooledSe = Math.sqrt((rateA * (1 - rateA)) / a.trials + (rateB * (1 - rateB)) / b.trials);
  const difference = rateB - rateA;
  return {
    ...descriptive,
    sufficient: true,
    z,
    pValue,
    confidenceInterval95: [difference - Z_975 * unpooledSe, difference + Z_975 * unpooledSe],
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
