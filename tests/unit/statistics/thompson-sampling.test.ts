// Thompson sampling: one Beta draw per arm, argmax; win probabilities by Monte Carlo;
// and the simulated regret against a uniform split on known rates.
//
// Uniform split regret, in expectation: rounds × (max rate − mean rate)
//   = 10,000 × (0.07 − (0.04 + 0.05 + 0.07)/3) = 10,000 × 0.016667 = 166.7.
import { describe, expect, it } from 'vitest';
import { probabilityGreater } from '../../../src/statistics/bayesian-ab.js';
import { seededRandom } from '../../../src/statistics/random.js';
import { simulateBandit, thompsonChoose, winProbabilities } from '../../../src/statistics/thompson-sampling.js';

const TRUE_RATES = [0.04, 0.05, 0.07];
const ROUNDS = 10_000;
const SEEDS = [1, 2, 3, 4, 5];

describe('thompsonChoose', () => {
  it('draws one posterior sample per arm and picks the largest, reproducibly', () => {
    const arms = [
      { id: 'subject-a', successes: 10, failures: 90 },
      { id: 'subject-b', successes: 20, failures: 80 },
      { id: 'subject-c', successes: 0, failures: 0, priorAlpha: 2, priorBeta: 2 },
    ];
    const first = thompsonChoose(arms, seededRandom(11));
    const again = thompsonChoose(arms, seededRandom(11));
    expect(again).toEqual(first);
    expect(Object.keys(first.samples)).toEqual(['subject-a', 'subject-b', 'subject-c']);
    const best = Object.entries(first.samples).reduce((p, q) => (q[1] > p[1] ? q : p));
    expect(first.chosen).toBe(best[0]);
    for (const value of Object.values(first.samples)) expect(value >= 0 && value <= 1).toBe(true);
  });

  it('rejects no arms, duplicate ids and negative counts', () => {
    expect(() => thompsonChoose([], Math.random)).toThrow(RangeError);
    expect(() =>
      thompsonChoose(
        [
          { id: 'a', successes: 1, failures: 1 },
          { id: 'a', successes: 1, failures: 1 },
        ],
        Math.random,
      ),
    ).toThrow(RangeError);
    expect(() => thompsonChoose([{ id: 'a', successes: -1, failures: 1 }], Math.random)).toThrow(RangeError);
  });
});

describe('winProbabilities', () => {
  it('estimates P(best) within Monte Carlo error of the exact two-arm value', () => {
    const arms = [
      { id: 'A', successes: 10, failures: 90 },
      { id: 'B', successes: 20, failures: 80 },
    ];
    const draws = 20_000;
    const estimate = winProbabilities(arms, seededRandom(7), draws);
    const exact = probabilityGreater({ alpha: 21, beta: 81 }, { alpha: 11, beta: 91 }); // 0.975173
    // SE √(0.975·0.025/20000) = 0.0011.
    expect(Math.abs((estimate.B as number) - exact)).toBeLessThan(5 * 0.0011);
    expect((estimate.A as number) + (estimate.B as number)).toBeCloseTo(1, 12);
  });

  it('sums to 1 over three arms and is reproducible', () => {
    const arms = [
      { id: 'x', successes: 3, failures: 30 },
      { id: 'y', successes: 4, failures: 30 },
      { id: 'z', successes: 5, failures: 30 },
    ];
    const p = winProbabilities(arms, seededRandom(3));
    expect(Object.values(p).reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(winProbabilities(arms, seededRandom(3))).toEqual(p);
  });
});

describe('simulateBandit', () => {
  // Figures (seeds 1-5, 10,000 rounds, rates [0.04, 0.05, 0.07]), at the time of writing:
  //   Thompson regret 23.8, 18.4, 29.8, 40.5, 21.8 (mean 26.9); best arm pulls 9152, 9250, 8828, 8231, 9088
  //   uniform  regret 167.4, 165.5, 166.1, 167.3, 167.4 (mean 166.7); best arm pulls ≈ 3,300 each
  const thompson = SEEDS.map((seed) => simulateBandit({ trueRates: TRUE_RATES, rounds: ROUNDS, policy: 'thompson', seed }));
  const uniform = SEEDS.map((seed) => simulateBandit({ trueRates: TRUE_RATES, rounds: ROUNDS, policy: 'uniform', seed }));

  it('uniform regret is close to its expectation 166.7', () => {
    for (const run of uniform) {
      // Regret per pull is 0.03, 0.02 or 0 with equal probability: SD per pull 0.01247, √10000·0.01247 = 1.25.
      expect(Math.abs(run.regret - 166.67)).toBeLessThan(5 * 1.25);
      expect(Object.values(run.pulls).reduce((sum, n) => sum + n, 0)).toBe(ROUNDS);
    }
  });

  it('Thompson regret is far below uniform, and the best arm gets most pulls', () => {
    for (const [index, run] of thompson.entries()) {
      expect(run.bestArm).toBe('arm-2');
      expect(run.regret).toBeLessThan(0.4 * (uniform[index] as { regret: number }).regret);
      expect(run.pulls['arm-2'] as number).toBeGreaterThan(0.75 * ROUNDS);
      expect(Object.values(run.pulls).reduce((sum, n) => sum + n, 0)).toBe(ROUNDS);
    }
    const meanThompson = thompson.reduce((sum, run) => sum + run.regret, 0) / thompson.length;
    expect(meanThompson).toBeLessThan(50);
  });

  it('regret is the sum of rate gaps of the pulls', () => {
    for (const run of [...thompson, ...uniform]) {
      const gaps = (run.pulls['arm-0'] as number) * 0.03 + (run.pulls['arm-1'] as number) * 0.02;
      expect(run.regret).toBeCloseTo(gaps, 9);
      expect(run.rewards).toBe(Object.values(run.successes).reduce((sum, n) => sum + n, 0));
    }
  });

  it('is reproducible by seed and accepts named arms', () => {
    expect(simulateBandit({ trueRates: TRUE_RATES, rounds: 500, policy: 'thompson', seed: 9 })).toEqual(
      simulateBandit({ trueRates: TRUE_RATES, rounds: 500, policy: 'thompson', seed: 9 }),
    );
    const named = simulateBandit({ trueRates: { email: 0.02, sms: 0.1 }, rounds: 2000, policy: 'thompson', seed: 4 });
    expect(named.bestArm).toBe('sms');
    expect(named.pulls.sms as number).toBeGreaterThan(named.pulls.email as number);
  });
});
