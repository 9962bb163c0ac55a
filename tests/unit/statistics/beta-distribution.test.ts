// Beta quantiles and credible intervals: round trips through I_x, and reference
// quantiles from scipy.special.betaincinv (which agrees with scipy.stats.beta.ppf).
import { describe, expect, it } from 'vitest';
import { betaCredibleInterval, betaLogDensity, betaQuantile } from '../../../src/statistics/beta-distribution.js';
import { regularizedIncompleteBeta } from '../../../src/statistics/special-functions.js';

describe('betaQuantile', () => {
  it('matches scipy betaincinv', () => {
    const reference: [p: number, a: number, b: number, q: number][] = [
      [0.025, 11, 91, 0.055637223835302965],
      [0.975, 11, 91, 0.17455282607711903],
      [0.5, 0.5, 0.5, 0.5],
      [0.001, 0.5, 30, 2.63990197845499e-8],
      [0.9, 300.5, 20000.5, 0.015898121034406524],
    ];
    for (const [p, a, b, q] of reference) expect(Math.abs(betaQuantile(p, a, b) - q) / q, `Q(${p}; ${a}, ${b})`).toBeLessThan(1e-12);
  });

  it('inverts the incomplete beta across shapes and tails', () => {
    const shapes: [number, number][] = [
      [0.3, 0.7],
      [1, 1],
      [2, 50],
      [50, 2],
      [0.5, 400],
      [4000, 6000],
    ];
    for (const [a, b] of shapes) {
      for (const p of [1e-10, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999]) {
        const x = betaQuantile(p, a, b);
        const back = regularizedIncompleteBeta(x, a, b);
        expect(Math.abs(back - p) / Math.min(p, 1 - p), `Q(${p}; ${a}, ${b}) = ${x}`).toBeLessThan(1e-9);
      }
    }
  });

  it('uniform quantiles are the identity and the ends are 0 and 1', () => {
    for (const p of [0.1, 0.25, 0.9]) expect(betaQuantile(p, 1, 1)).toBeCloseTo(p, 14);
    expect(betaQuantile(0, 3, 4)).toBe(0);
    expect(betaQuantile(1, 3, 4)).toBe(1);
  });
});

describe('betaCredibleInterval', () => {
  it('is the equal-tailed interval holding the stated probability', () => {
    const [lo, hi] = betaCredibleInterval(11, 91, 0.95);
    expect(lo).toBeCloseTo(0.055637223835302965, 13);
    expect(hi).toBeCloseTo(0.17455282607711903, 13);
    const [lo80, hi80] = betaCredibleInterval(3, 9, 0.8);
    expect(regularizedIncompleteBeta(hi80, 3, 9) - regularizedIncompleteBeta(lo80, 3, 9)).toBeCloseTo(0.8, 12);
  });

  it('rejects levels outside (0, 1)', () => {
    expect(() => betaCredibleInterval(2, 2, 1)).toThrow(RangeError);
  });
});

describe('betaLogDensity', () => {
  it('integrates to 1 (Simpson, 20,000 intervals)', () => {
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i <= n; i++) {
      const x = i / n;
      const weight = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
      sum += weight * Math.exp(betaLogDensity(x, 3.5, 7.25));
    }
    expect(sum / (3 * n)).toBeCloseTo(1, 10);
  });
});
