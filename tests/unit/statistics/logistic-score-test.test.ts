// The score (Lagrange multiplier) test of new binomial outcomes against a reference
// logistic fit, the drift alarm of triage. Checked by what a test must do, not by
// its algebra: under "nothing changed" its p-values are uniform (so a threshold
// means the false-alarm rate it says), with the reference's own uncertainty counted
// (a reference no larger than the window still gives uniform p-values); a reversed
// effect is found and named by its group; its degrees of freedom are the design's
// rank; and no outcomes say nothing.
import { describe, expect, it } from 'vitest';
import { type BinomialObservation, fitBayesianLogistic } from '../../../src/statistics/bayesian-logistic.js';
import { logisticScoreTest, type ReferenceFit } from '../../../src/statistics/logistic-score-test.js';
import { chiSquareSurvival } from '../../../src/statistics/special-functions.js';
import { mulberry32 } from '../../support/synthetic-population.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const groupOf = (feature: string) => feature.split(':')[0]!;

/** A small design: intercept, a full one-hot group `industry` (a, b, c) and a flag `email`: six feature sets. */
const FEATURE_SETS: string[][] = ['a', 'b', 'c'].flatMap((level) => [
  ['intercept', `industry:${level}`],
  ['intercept', `industry:${level}`, 'email'],
]);
const TRUTH: Record<string, number> = { intercept: -1, 'industry:a': 0.8, 'industry:b': 0, 'industry:c': -0.6, email: 0.4 };

/** `trialsPerSet` Bernoulli draws per feature set from `weights`. */
function draw(weights: Record<string, number>, trialsPerSet: number, random: () => number): BinomialObservation[] {
  return FEATURE_SETS.map((features) => {
    const p = sigmoid(features.reduce((sum, feature) => sum + weights[feature]!, 0));
    let successes = 0;
    for (let t = 0; t < trialsPerSet; t++) if (random() < p) successes++;
    return { features, trials: trialsPerSet, successes };
  });
}

/** The reference as triage passes it: MAP weights and Laplace covariance under a N(0, 1) prior. */
function referenceOf(observations: readonly BinomialObservation[], ignoreUncertainty = false): ReferenceFit {
  const prior = { mean: {}, variance: 1 };
  const posterior = fitBayesianLogistic(observations, prior);
  const covariance = ignoreUncertainty ? posterior.covariance.map((row) => row.map(() => 0)) : posterior.covariance;
  return { weights: posterior.weights, features: posterior.features, covariance, priorVariance: prior.variance };
}

/** Fraction of `replications` null p-values below each level: reference and window both drawn from TRUTH. */
function nullRejections(options: { seed: number; replications: number; referenceTrials: number; windowTrials: number; ignoreUncertainty?: boolean }) {
  const random = mulberry32(options.seed);
  const pValues: number[] = [];
  for (let r = 0; r < options.replications; r++) {
    const reference = referenceOf(draw(TRUTH, options.referenceTrials, random), options.ignoreUncertainty);
    pValues.push(logisticScoreTest(reference, draw(TRUTH, options.windowTrials, random)).pValue);
  }
  const below = (level: number) => pValues.filter((p) => p < level).length / pValues.length;
  return { below5: below(0.05), below50: below(0.5) };
}

/** A binomial proportion of n trials is within 3 standard errors of p. */
function expectNearRate(observed: number, p: number, n: number) {
  const tolerance = 3 * Math.sqrt((p * (1 - p)) / n);
  expect(Math.abs(observed - p), `${observed} vs ${p} ± ${tolerance}`).toBeLessThan(tolerance);
}

describe('logisticScoreTest', () => {
  it('gives uniform p-values when the window follows the reference market (a large reference)', () => {
    const { below5, below50 } = nullRejections({ seed: 11, replications: 200, referenceTrials: 500, windowTrials: 50 });
    expectNearRate(below5, 0.05, 200);
    expectNearRate(below50, 0.5, 200);
  });

  it('counts the reference fit’s own uncertainty: a reference the size of the window still gives uniform p-values', () => {
    const { below5, below50 } = nullRejections({ seed: 12, replications: 200, referenceTrials: 50, windowTrials: 50 });
    expectNearRate(below5, 0.05, 200);
    expectNearRate(below50, 0.5, 200);
    // The same draws with the reference taken as exact (Σ = 0, no I Σ I term): its estimation error reads as change,
    // about 30 % false alarms at the 5 % level (measured over 4 × 1,000 replications).
    const overconfident = nullRejections({ seed: 12, replications: 200, referenceTrials: 50, windowTrials: 50, ignoreUncertainty: true });
    expect(overconfident.below5).toBeGreaterThan(0.15);
  });

  it('finds a reversed effect in one group and names that group', () => {
    const random = mulberry32(3);
    const reference = referenceOf(draw(TRUTH, 500, random));
    const reversed = { ...TRUTH, 'industry:a': -0.8, 'industry:c': 0.6 };
    const result = logisticScoreTest(reference, draw(reversed, 60, random), groupOf);
    expect(result.pValue).toBeLessThan(1e-6);
    expect(result.group).toBe('industry');
    const groups = new Map(result.groups.map((g) => [g.group, g]));
    expect([...groups.keys()].sort()).toEqual(['email', 'industry', 'intercept']);
    expect(groups.get('industry')!.pValue).toBe(result.pValue);
    // The flag did not change: its own (Bonferroni-adjusted) test sees nothing striking.
    expect(groups.get('email')!.pValue).toBeGreaterThan(0.001);
    // Bonferroni over four tests (the omnibus and three groups): each p is 4 × its χ² tail, capped at 1.
    for (const g of result.groups) expect(g.pValue).toBeCloseTo(Math.min(1, 4 * chiSquareSurvival(g.statistic, g.degreesOfFreedom)), 12);
  });

  it('has as many degrees of freedom as the design has independent directions', () => {
    const random = mulberry32(5);
    const reference = referenceOf(draw(TRUTH, 200, random));
    const window = draw(TRUTH, 40, random);
    // Intercept + full one-hot industry + email: five features, one dependence (intercept = Σ industry).
    expect(logisticScoreTest(reference, window).degreesOfFreedom).toBe(4);
    // Without the email flag: intercept and a, b, c; rank 3.
    const withoutEmail = window.filter((o) => !o.features.includes('email'));
    expect(logisticScoreTest(reference, withoutEmail).degreesOfFreedom).toBe(3);
    // Per group: industry alone has 3 directions (its one-hot columns are independent), the intercept and email 1 each.
    const byGroup = new Map(logisticScoreTest(reference, window, groupOf).groups.map((g) => [g.group, g.degreesOfFreedom]));
    expect(Object.fromEntries(byGroup)).toEqual({ email: 1, industry: 3, intercept: 1 });
  });

  it('says nothing without observations (or with no trials): p = 1 on 0 degrees of freedom', () => {
    const reference = referenceOf(draw(TRUTH, 100, mulberry32(9)));
    expect(logisticScoreTest(reference, [])).toMatchObject({ statistic: 0, degreesOfFreedom: 0, pValue: 1, group: null, groups: [] });
    const empty = logisticScoreTest(reference, [{ features: ['intercept', 'industry:a'], trials: 0, successes: 0 }]);
    expect(empty.pValue).toBe(1);
    expect(empty.degreesOfFreedom).toBe(0);
  });
});
