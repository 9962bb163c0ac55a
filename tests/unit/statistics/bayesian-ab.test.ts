// Bayesian A/B: P(B > A) and expected loss for Beta-Binomial posteriors.
// References (mpmath, 30 digits, quadrature of f_A(t)·(1 − I_t(α_B, β_B)) over [0, 1]):
//   Beta(11, 91) vs Beta(21, 81), i.e. 10/100 vs 20/100 under a uniform prior:
//     P(B > A) = 0.97517303315287461279 (Evan Miller's sum in mpmath agrees to 30 digits;
//     a 4M-draw numpy Monte Carlo gives 0.97521). The brief's "≈ 0.9807" is not this value.
//     E[max(pA − pB, 0)] = 0.00047935930399775471556 (also scipy dblquad: 0.0004793593039977543)
//     E[max(pB − pA, 0)] = 0.098518574990272264519
//   Jeffreys prior (½, ½), 3/50 vs 7/50: Beta(3.5, 47.5) vs Beta(7.5, 43.5): P(B > A) = 0.9097590360736931819
//   Jeffreys prior, 0/40 vs 0/10: Beta(0.5, 40.5) vs Beta(0.5, 10.5): P(B > A) = 0.70243621205123143898
//     (also by the substitution t = w² in mpmath, which removes the t^{−½} singularity: same 19 digits)
// and, independently of the library, a Simpson integration inside this file using only
// factorials and the binomial-sum form of the Beta CDF.
// The tests compare with these values rounded to the nearest double, written with the fewest
// digits that name it (at most 17: more would claim a precision a double does not hold).
import { describe, expect, it } from 'vitest';
import { bayesianAbTest, betaCredibleInterval, expectedLoss, probabilityBBeatsA, probabilityGreater } from '../../../src/statistics/bayesian-ab.js';
import { betaVariate, seededRandom } from '../../../src/statistics/random.js';

const A = { successes: 10, trials: 100 };
const B = { successes: 20, trials: 100 };

/** ln n! by summing logs (a table: independent of the library's log-gamma). */
const LOG_FACTORIAL: number[] = [0];
for (let n = 1; n <= 20_000; n++) LOG_FACTORIAL.push((LOG_FACTORIAL[n - 1] as number) + Math.log(n));
function logFactorial(n: number): number {
  const value = LOG_FACTORIAL[n];
  if (value === undefined) throw new RangeError(`no ln(${n}!) in the table`);
  return value;
}

/** P(X > Y) for integer Beta parameters: Simpson on ∫ f_Y(t)·P(Binomial(αX+βX−1, t) < αX) dt. */
function simpsonReference(x: [number, number], y: [number, number], intervals = 20_000): number {
  const [ax, bx] = x;
  const [ay, by] = y;
  const logNormY = logFactorial(ay + by - 1) - logFactorial(ay - 1) - logFactorial(by - 1);
  const nx = ax + bx - 1;
  const survivalX = (t: number) => {
    // 1 − I_t(ax, bx) = P(Binomial(nx, t) ≤ ax − 1)
    let sum = 0;
    for (let j = 0; j < ax; j++) sum += Math.exp(logFactorial(nx) - logFactorial(j) - logFactorial(nx - j) + j * Math.log(t) + (nx - j) * Math.log1p(-t));
    return sum;
  };
  let total = 0;
  for (let i = 1; i < intervals; i++) {
    const t = i / intervals;
    const density = Math.exp(logNormY + (ay - 1) * Math.log(t) + (by - 1) * Math.log1p(-t));
    total += (i % 2 === 1 ? 4 : 2) * density * survivalX(t);
  }
  return total / (3 * intervals); // both end values are 0 (integer parameters ≥ 2 here)
}

describe('probabilityBBeatsA', () => {
  it('10/100 vs 20/100 (uniform prior): 0.975173, exact and numerical', () => {
    const exact = probabilityBBeatsA(A, B);
    expect(Math.abs(exact - 0.9751730331528746)).toBeLessThan(1e-14);
    expect(Math.abs(probabilityBBeatsA(A, B, { method: 'numerical' }) - 0.9751730331528746)).toBeLessThan(1e-12);
    expect(Math.abs(exact - simpsonReference([21, 81], [11, 91]))).toBeLessThan(1e-10);
  });

  it('agrees with a 200,000-draw seeded Monte Carlo', () => {
    const random = seededRandom(20240601);
    const draws = 200_000;
    let wins = 0;
    for (let i = 0; i < draws; i++) if (betaVariate(21, 81, random) > betaVariate(11, 91, random)) wins++;
    // SE √(0.975·0.025/200000) ≈ 3.5e-4.
    expect(Math.abs(wins / draws - probabilityBBeatsA(A, B))).toBeLessThan(5 * 3.5e-4);
  });

  it('exact sums and the numerical integral agree across shapes (and the Simpson reference)', () => {
    const pairs: [[number, number], [number, number]][] = [
      [
        [1, 1],
        [1, 1],
      ],
      [
        [3, 50],
        [2, 80],
      ],
      [
        [30, 970],
        [45, 955],
      ],
      [
        [200, 1800],
        [180, 1820],
      ],
      [
        [1, 2000],
        [3, 1000],
      ],
      [
        [5, 2],
        [2, 5],
      ],
      [
        [501, 9501],
        [551, 9451],
      ],
    ];
    for (const [[ax, bx], [ay, by]] of pairs) {
      const x = { alpha: ax, beta: bx };
      const y = { alpha: ay, beta: by };
      const exact = probabilityGreater(x, y, 'exact');
      const numerical = probabilityGreater(x, y, 'numerical');
      expect(Math.abs(exact - numerical), `Beta(${ax},${bx}) > Beta(${ay},${by})`).toBeLessThan(1e-10);
      expect(exact + probabilityGreater(y, x, 'exact')).toBeCloseTo(1, 12);
      if (ax > 1 && ay > 1 && bx > 1 && by > 1 && ax < 100) {
        expect(Math.abs(exact - simpsonReference([ax, bx], [ay, by]))).toBeLessThan(1e-8);
      }
    }
    expect(probabilityGreater({ alpha: 1, beta: 1 }, { alpha: 1, beta: 1 })).toBeCloseTo(0.5, 15);
  });

  it('fractional (Jeffreys) priors go numerical and match mpmath, singular densities included', () => {
    const p = probabilityBBeatsA({ successes: 3, trials: 50 }, { successes: 7, trials: 50 }, { priorAlpha: 0.5, priorBeta: 0.5 });
    expect(Math.abs(p - 0.9097590360736931)).toBeLessThan(1e-11);
    const zeros = probabilityBBeatsA({ successes: 0, trials: 40 }, { successes: 0, trials: 10 }, { priorAlpha: 0.5, priorBeta: 0.5 });
    expect(Math.abs(zeros - 0.7024362120512314)).toBeLessThan(1e-9);
    // Mirror image (β < 1): P(Beta(40.5, ½) > Beta(10.5, ½)) = P(Beta(½, 40.5) < Beta(½, 10.5)), the same value.
    expect(Math.abs(probabilityGreater({ alpha: 40.5, beta: 0.5 }, { alpha: 10.5, beta: 0.5 }) - 0.7024362120512314)).toBeLessThan(1e-11);
    // Both ends singular: Beta(½, ½) vs Beta(0.3, 0.7); mpmath: 0.67426670116858615402.
    expect(Math.abs(probabilityGreater({ alpha: 0.5, beta: 0.5 }, { alpha: 0.3, beta: 0.7 }) - 0.6742667011685861)).toBeLessThan(1e-10);
    expect(() => probabilityBBeatsA({ successes: 3, trials: 50 }, { successes: 7, trials: 50 }, { priorAlpha: 0.5, priorBeta: 0.5, method: 'exact' })).toThrow(
      RangeError,
    );
  });

  it('handles large counts (the exact sum runs on the smaller integer parameter)', () => {
    // 50,000/1,000,000 vs 51,000/1,000,000: mpmath's exact sum gives 0.9993792806077767221.
    const p = probabilityBBeatsA({ successes: 50_000, trials: 1_000_000 }, { successes: 51_000, trials: 1_000_000 });
    expect(Math.abs(p - 0.9993792806077767)).toBeLessThan(1e-12);
    const numerical = probabilityBBeatsA({ successes: 50_000, trials: 1_000_000 }, { successes: 51_000, trials: 1_000_000 }, { method: 'numerical' });
    expect(Math.abs(numerical - 0.9993792806077767)).toBeLessThan(1e-9);
  });
});

describe('expectedLoss', () => {
  it('matches the mpmath double integral and the identity loss(A) − loss(B) = mean_B − mean_A', () => {
    const lossB = expectedLoss(A, B);
    expect(Math.abs(lossB - 0.0004793593039977547)).toBeLessThan(1e-15);
    const lossA = expectedLoss(B, A);
    expect(Math.abs(lossA - 0.09851857499027226)).toBeLessThan(1e-14);
    expect(lossA - lossB).toBeCloseTo(21 / 102 - 11 / 102, 14);
    expect(Math.abs(expectedLoss(A, B, { method: 'numerical' }) - lossB)).toBeLessThan(1e-12);
  });

  it('is never negative', () => {
    expect(expectedLoss({ successes: 0, trials: 10 }, { successes: 10, trials: 10 })).toBeGreaterThanOrEqual(0);
  });
});

describe('bayesianAbTest', () => {
  it('reports posteriors, intervals, P(B > A) and both losses', () => {
    const result = bayesianAbTest(A, B);
    expect(result.posteriorA).toEqual({ alpha: 11, beta: 91 });
    expect(result.posteriorB).toEqual({ alpha: 21, beta: 81 });
    expect(result.meanA).toBeCloseTo(11 / 102, 15);
    expect(result.credibleIntervalA95).toEqual(betaCredibleInterval(11, 91, 0.95));
    // scipy.stats.beta(11, 91).ppf([0.025, 0.975])
    expect(result.credibleIntervalA95[0]).toBeCloseTo(0.055637223835302965, 13);
    expect(result.credibleIntervalA95[1]).toBeCloseTo(0.17455282607711903, 13);
    expect(result.probabilityBBeatsA).toBeCloseTo(0.975173033152875, 13);
    expect(result.expectedLossChoosingB).toBeCloseTo(0.000479359303997755, 15);
    expect(result.expectedLossChoosingA).toBeCloseTo(0.0985185749902723, 14);
  });
});
