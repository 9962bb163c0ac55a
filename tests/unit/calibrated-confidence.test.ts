// Calibrated confidence: the normal CDF (to ~1e-15, tails included) and the
// probability that a Normal log-odds maps into a probability band.
import { describe, expect, it } from 'vitest';
import { erfc, logit, normalCdf, probabilityInBand } from '../../src/statistics/calibrated-confidence.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('normalCdf', () => {
  it('matches the table values to 1e-6', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(Math.abs(normalCdf(1.96) - 0.975002)).toBeLessThan(1e-6);
    expect(Math.abs(normalCdf(-3) - 0.0013499)).toBeLessThan(1e-6);
  });

  it('is accurate to about 1e-14 relative, deep in the tails too', () => {
    // Reference values (R: pnorm(z), to 16 significant digits).
    const reference: [number, number][] = [
      [1, 0.8413447460685429],
      [-1, 0.15865525393145707],
      [-1.7, 0.044565462758543],
      [2.5, 0.9937903346742238],
      [-3, 0.0013498980316301],
      [-5, 2.866515718791939e-7],
      [-8, 6.220960574271786e-16],
      [-10, 7.619853024160527e-24],
    ];
    for (const [z, expected] of reference) expect(Math.abs(normalCdf(z) - expected) / expected, `Φ(${z})`).toBeLessThan(1e-13);
  });

  it('is symmetric, monotone across the series/continued-fraction switch, and saturates', () => {
    for (const z of [0.3, 1.2, 1.7320508, 2.9, 6]) expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 14);
    const switchAt = Math.sqrt(1.5); // erfc switches method at x² = 1.5
    expect(erfc(switchAt * (1 - 1e-9))).toBeGreaterThan(erfc(switchAt * (1 + 1e-9)));
    expect(Math.abs(erfc(switchAt * (1 - 1e-12)) - erfc(switchAt * (1 + 1e-12)))).toBeLessThan(1e-12);
    expect(erfc(0)).toBe(1);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
  });
});

describe('probabilityInBand', () => {
  it('is Φ(z_high) - Φ(z_low) on the log-odds scale', () => {
    // mean 0, sd 1: [0.5, σ(1.96)) is Φ(1.96) - Φ(0)
    expect(probabilityInBand(0, 1, 0.5, sigmoid(1.96))).toBeCloseTo(0.475002, 6);
    // mean logit(0.55), sd 0.5, band [0.4, 0.7)
    const mean = logit(0.55);
    const expected = normalCdf((logit(0.7) - mean) / 0.5) - normalCdf((logit(0.4) - mean) / 0.5);
    expect(probabilityInBand(mean, 0.25, 0.4, 0.7)).toBeCloseTo(expected, 14);
  });

  it('treats low = 0 and high = 1 as open ends', () => {
    expect(probabilityInBand(0.3, 2, 0, 1)).toBe(1);
    expect(probabilityInBand(0, 1, 0.5, 1)).toBe(0.5);
    expect(probabilityInBand(0, 1, 0, 0.5)).toBe(0.5);
    expect(logit(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(logit(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('partitions: the three triage bands sum to 1', () => {
    for (const [mean, variance] of [
      [-2, 0.1],
      [0, 1],
      [0.4, 0.04],
      [3, 4],
    ] as const) {
      const total = probabilityInBand(mean, variance, 0, 0.4) + probabilityInBand(mean, variance, 0.4, 0.7) + probabilityInBand(mean, variance, 0.7, 1);
      expect(total).toBeCloseTo(1, 14);
    }
  });

  it('keeps its relative accuracy for a band far above the mean', () => {
    // P(σ(η) ≥ 0.5) = P(η ≥ 0) = Φ(-10) when η ~ Normal(-10, 1)
    expect(Math.abs(probabilityInBand(-10, 1, 0.5, 1) / 7.619853024160527e-24 - 1)).toBeLessThan(1e-12);
  });

  it('with variance 0 is 1 inside the band [low, high) and 0 outside', () => {
    expect(probabilityInBand(0, 0, 0.4, 0.7)).toBe(1);
    expect(probabilityInBand(0, 0, 0.7, 1)).toBe(0);
    expect(probabilityInBand(logit(0.7), 0, 0.7, 1)).toBe(1);
    expect(probabilityInBand(logit(0.7), 0, 0.4, 0.7)).toBe(0);
    expect(probabilityInBand(-50, 0, 0, 0.4)).toBe(1);
    expect(probabilityInBand(50, 0, 0.7, 1)).toBe(1);
  });

  it('gives an empty band probability 0 and rejects invalid input', () => {
    expect(probabilityInBand(0, 1, 0.4, 0.4)).toBe(0);
    expect(() => probabilityInBand(0, 1, 0.7, 0.4)).toThrow(RangeError);
    expect(() => probabilityInBand(0, 1, -0.1, 0.4)).toThrow(RangeError);
    expect(() => probabilityInBand(0, -1, 0, 1)).toThrow(RangeError);
    expect(() => probabilityInBand(Number.NaN, 1, 0, 1)).toThrow(RangeError);
  });
});
