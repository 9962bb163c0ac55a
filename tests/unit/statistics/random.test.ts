// Seeded variates: the PRNG is the tests' mulberry32, and 200,000 seeded draws of each
// variate match the distribution's mean and variance within 5 standard errors (the
// standard error of a sample variance is σ²·√((2 + excess kurtosis)/n)).
import { describe, expect, it } from 'vitest';
import { betaVariate, gammaVariate, seededRandom, standardNormal } from '../../../src/statistics/random.js';
import { mulberry32 } from '../../support/synthetic-population.js';

const N = 200_000;

function moments(draw: () => number, n = N): { mean: number; variance: number } {
  let sum = 0;
  let sumSquares = 0;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = draw();
    values[i] = value;
    sum += value;
  }
  const mean = sum / n;
  for (const value of values) sumSquares += (value - mean) ** 2;
  return { mean, variance: sumSquares / (n - 1) };
}

/** Checks mean and variance within 5 standard errors, given the excess kurtosis. */
function expectMoments(draw: () => number, mean: number, variance: number, excessKurtosis: number) {
  const sample = moments(draw);
  expect(Math.abs(sample.mean - mean), `mean ${sample.mean} vs ${mean}`).toBeLessThan(5 * Math.sqrt(variance / N));
  expect(Math.abs(sample.variance - variance), `variance ${sample.variance} vs ${variance}`).toBeLessThan(5 * variance * Math.sqrt((2 + excessKurtosis) / N));
}

describe('seededRandom', () => {
  it('is the tests support mulberry32: same seed, same stream, in [0, 1)', () => {
    const ours = seededRandom(12345);
    const theirs = mulberry32(12345);
    for (let i = 0; i < 1000; i++) {
      const u = ours();
      expect(u).toBe(theirs());
      expect(u >= 0 && u < 1).toBe(true);
    }
  });

  it('is uniform: mean ½, variance 1/12', () => {
    expectMoments(seededRandom(1), 0.5, 1 / 12, -1.2);
  });
});

describe('standardNormal', () => {
  it('has mean 0, variance 1 and Φ(1.96) ≈ 0.975', () => {
    const random = seededRandom(2);
    expectMoments(() => standardNormal(random), 0, 1, 0);
    let below = 0;
    for (let i = 0; i < N; i++) if (standardNormal(random) < 1.959963984540054) below++;
    // Binomial SE √(0.975·0.025/N) ≈ 3.5e-4.
    expect(Math.abs(below / N - 0.975)).toBeLessThan(5 * 3.5e-4);
  });
});

describe('gammaVariate', () => {
  // Gamma(k, 1): mean k, variance k, excess kurtosis 6/k.
  it.each([0.3, 0.5, 1, 3.7, 50])('Gamma(%s) has mean = variance = shape', (shape) => {
    const random = seededRandom(Math.round(shape * 1000));
    expectMoments(() => gammaVariate(shape, random), shape, shape, 6 / shape);
  });

  it('rejects a non-positive shape', () => {
    expect(() => gammaVariate(0, Math.random)).toThrow(RangeError);
    expect(() => gammaVariate(-1, Math.random)).toThrow(RangeError);
  });
});

describe('betaVariate', () => {
  // Beta(α, β): mean α/(α+β), variance αβ/((α+β)²(α+β+1)),
  // excess kurtosis 6[(α−β)²(α+β+1) − αβ(α+β+2)] / (αβ(α+β+2)(α+β+3)).
  it.each([
    [2, 5],
    [0.5, 0.5],
    [30, 70],
    [11, 91],
    [0.2, 3],
  ])('Beta(%s, %s) has the right mean and variance', (alpha, beta) => {
    const random = seededRandom(alpha * 100 + beta);
    const s = alpha + beta;
    const mean = alpha / s;
    const variance = (alpha * beta) / (s * s * (s + 1));
    const kurtosis = (6 * ((alpha - beta) ** 2 * (s + 1) - alpha * beta * (s + 2))) / (alpha * beta * (s + 2) * (s + 3));
    expectMoments(() => betaVariate(alpha, beta, random), mean, variance, kurtosis);
  });

  it('stays in [0, 1] and is reproducible', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    for (let i = 0; i < 1000; i++) {
      const x = betaVariate(0.05, 0.05, a);
      expect(x).toBe(betaVariate(0.05, 0.05, b));
      expect(x >= 0 && x <= 1).toBe(true);
    }
  });
});
