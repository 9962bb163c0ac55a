// Bayesian logistic regression: MAP by damped Newton, Laplace covariance. The
// checks are against facts that do not depend on the implementation: the prior
// alone, weights that generated the data, the stationarity condition ∇f = 0, the
// Hessian computed independently, and hand sums.
import { describe, expect, it } from 'vitest';
import {
  type BinomialObservation,
  binomialLogLikelihood,
  fitBayesianLogistic,
  type GaussianPrior,
  type LogisticPosterior,
  predictLogOdds,
} from '../../src/statistics/bayesian-logistic.js';
import { mulberry32 } from '../support/synthetic-population.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Binomial data from known weights: each group switches each feature on with probability `density`. */
function simulate(options: { weights: Record<string, number>; groups: number; trialsPerGroup: number; density: number; seed: number }): BinomialObservation[] {
  const random = mulberry32(options.seed);
  const names = Object.keys(options.weights).filter((name) => name !== 'intercept');
  const observations: BinomialObservation[] = [];
  for (let g = 0; g < options.groups; g++) {
    const features = ['intercept', ...names.filter(() => random() < options.density)];
    const probability = sigmoid(features.reduce((sum, feature) => sum + options.weights[feature]!, 0));
    let successes = 0;
    for (let t = 0; t < options.trialsPerGroup; t++) if (random() < probability) successes++;
    observations.push({ features, trials: options.trialsPerGroup, successes });
  }
  return observations;
}

const varianceOf = (prior: GaussianPrior, feature: string) => prior.variances?.[feature] ?? prior.variance;

/** ∇f at the posterior's weights, computed straight from the definition. */
function gradientAt(posterior: LogisticPosterior, observations: readonly BinomialObservation[], prior: GaussianPrior): number[] {
  const gradient = posterior.features.map((feature) => (posterior.weights[feature]! - (prior.mean[feature] ?? 0)) / varianceOf(prior, feature));
  const index = new Map(posterior.features.map((feature, i) => [feature, i]));
  for (const { features, trials, successes } of observations) {
    const active = [...new Set(features)];
    const probability = sigmoid(active.reduce((sum, feature) => sum + posterior.weights[feature]!, 0));
    for (const feature of active) gradient[index.get(feature)!]! += trials * probability - successes;
  }
  return gradient;
}

/** The negative Hessian of the log posterior at the posterior's weights (dense). */
function hessianAt(posterior: LogisticPosterior, observations: readonly BinomialObservation[], prior: GaussianPrior): number[][] {
  const p = posterior.features.length;
  const hessian = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? 1 / varianceOf(prior, posterior.features[i]!) : 0)));
  const index = new Map(posterior.features.map((feature, i) => [feature, i]));
  for (const { features, trials } of observations) {
    const active = [...new Set(features)].map((feature) => index.get(feature)!);
    const probability = sigmoid(active.reduce((sum, i) => sum + posterior.weights[posterior.features[i]!]!, 0));
    for (const i of active) for (const j of active) hessian[i]![j]! += trials * probability * (1 - probability);
  }
  return hessian;
}

describe('fitBayesianLogistic', () => {
  it('returns the prior exactly when there is no data', () => {
    const prior: GaussianPrior = { mean: { intercept: -1, 'industry:TECHNOLOGY': 0.6, email: 0.3 }, variance: 0.7 };
    const posterior = fitBayesianLogistic([], prior);
    expect(posterior.features).toEqual(['email', 'industry:TECHNOLOGY', 'intercept']);
    expect(posterior.weights).toEqual({ intercept: -1, 'industry:TECHNOLOGY': 0.6, email: 0.3 });
    expect(posterior.covariance).toEqual([
      [0.7, 0, 0],
      [0, 0.7, 0],
      [0, 0, 0.7],
    ]);
    expect(posterior.converged).toBe(true);
    expect(posterior.iterations).toBe(0);
  });

  it('adds observed features unknown to the prior with mean 0, and ignores groups with no trials', () => {
    const prior: GaussianPrior = { mean: { intercept: -1 }, variance: 0.5 };
    const posterior = fitBayesianLogistic([{ features: ['intercept', 'source:podcast'], trials: 0, successes: 0 }], prior);
    expect(posterior.features).toEqual(['intercept', 'source:podcast']);
    expect(posterior.weights).toEqual({ intercept: -1, 'source:podcast': 0 });
    expect(posterior.covariance).toEqual([
      [0.5, 0],
      [0, 0.5],
    ]);
  });

  it('recovers the weights that generated a large binomial data set', () => {
    const truth = { intercept: -1, a: 0.8, b: -0.5, c: 1.2, d: 0, e: -1.0, f: 0.3 };
    const observations = simulate({ weights: truth, groups: 400, trialsPerGroup: 500, density: 0.4, seed: 11 });
    const prior: GaussianPrior = { mean: {}, variance: 100 };
    const posterior = fitBayesianLogistic(observations, prior);
    expect(posterior.converged).toBe(true);
    posterior.features.forEach((feature, i) => {
      const estimate = posterior.weights[feature]!;
      const sd = Math.sqrt(posterior.covariance[i]![i]!);
      const expected = truth[feature as keyof typeof truth];
      expect(Math.abs(estimate - expected), feature).toBeLessThan(0.06);
      expect(Math.abs(estimate - expected), `${feature} within 4 posterior sd`).toBeLessThan(4 * sd);
    });
  });

  it('stops at a stationary point of the log posterior, with the inverse Hessian as covariance', () => {
    const truth = { intercept: -0.5, a: 1, b: -1, c: 0.5 };
    const observations = simulate({ weights: truth, groups: 60, trialsPerGroup: 20, density: 0.5, seed: 3 });
    const prior: GaussianPrior = { mean: { intercept: -1, a: 0.2, z: 0.4 }, variance: 0.3 };
    const posterior = fitBayesianLogistic(observations, prior);
    for (const component of gradientAt(posterior, observations, prior)) expect(Math.abs(component)).toBeLessThan(1e-8);
    // Σ · H = I
    const hessian = hessianAt(posterior, observations, prior);
    const p = posterior.features.length;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let product = 0;
        for (let k = 0; k < p; k++) product += posterior.covariance[i]![k]! * hessian[k]![j]!;
        expect(product).toBeCloseTo(i === j ? 1 : 0, 9);
      }
      for (let j = 0; j < p; j++) expect(posterior.covariance[i]![j]).toBe(posterior.covariance[j]![i]);
    }
    // A feature with no data keeps its prior mean and (no correlation, so) its prior variance.
    const z = posterior.features.indexOf('z');
    expect(posterior.weights.z).toBe(0.4);
    expect(posterior.covariance[z]![z]).toBeCloseTo(0.3, 12);
  });

  it('gives a feature its own prior variance when the prior lists one', () => {
    const prior: GaussianPrior = { mean: { intercept: -1, a: 0.5, b: 0.5 }, variance: 0.25, variances: { b: 4 } };
    // Without data: the prior, each with its own variance.
    const empty = fitBayesianLogistic([], prior);
    expect(empty.covariance.map((row, i) => row[i])).toEqual([0.25, 4, 0.25]);
    // The same evidence against a and b: the wider prior follows it further, and the fit is still a stationary point.
    const observations = simulate({ weights: { intercept: -1, a: -1, b: -1 }, groups: 40, trialsPerGroup: 10, density: 0.5, seed: 5 });
    const posterior = fitBayesianLogistic(observations, prior);
    expect(posterior.weights.b!).toBeLessThan(posterior.weights.a! - 0.2);
    for (const component of gradientAt(posterior, observations, prior)) expect(Math.abs(component)).toBeLessThan(1e-8);
    const hessian = hessianAt(posterior, observations, prior);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const product = posterior.covariance[i]!.reduce((sum, value, k) => sum + value * hessian[k]![j]!, 0);
        expect(product).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
    expect(() => fitBayesianLogistic([], { ...prior, variances: { b: 0 } })).toThrow(/prior variance of 'b'/);
  });

  it('lets a strong prior resist a little data and a weak prior follow it', () => {
    // 16 of 20 converted: the data say log-odds logit(0.8) = 1.386; the prior says -1.
    const observations: BinomialObservation[] = [{ features: ['intercept'], trials: 20, successes: 16 }];
    const strong = fitBayesianLogistic(observations, { mean: { intercept: -1 }, variance: 0.01 });
    const weak = fitBayesianLogistic(observations, { mean: { intercept: -1 }, variance: 100 });
    expect(strong.weights.intercept).toBeLessThan(-0.8);
    expect(weak.weights.intercept).toBeGreaterThan(1.3);
    // One parameter: the MAP solves (s - n·σ(w))·v = w - m exactly.
    for (const [posterior, variance] of [
      [strong, 0.01],
      [weak, 100],
    ] as const) {
      const w = posterior.weights.intercept!;
      expect((16 - 20 * sigmoid(w)) * variance - (w + 1)).toBeCloseTo(0, 9);
    }
    expect(strong.covariance[0]![0]).toBeLessThan(0.01);
    expect(weak.covariance[0]![0]).toBeCloseTo(1 / (20 * 0.8 * 0.2), 1);
  });

  it('shrinks the posterior variance as data grow, roughly as 1/n', () => {
    const truth = { intercept: -1, a: 0.5, b: -0.5 };
    const prior: GaussianPrior = { mean: { intercept: -1, a: 0, b: 0 }, variance: 1 };
    const variances = [100, 1_000, 10_000, 100_000].map((total) => {
      const observations = simulate({ weights: truth, groups: 100, trialsPerGroup: total / 100, density: 0.5, seed: 5 });
      const posterior = fitBayesianLogistic(observations, prior);
      return predictLogOdds(posterior, ['intercept', 'a'], prior).variance;
    });
    for (let k = 1; k < variances.length; k++) expect(variances[k]!).toBeLessThan(variances[k - 1]!);
    expect(variances[3]! / variances[2]!).toBeGreaterThan(0.07);
    expect(variances[3]! / variances[2]!).toBeLessThan(0.13);
  });

  it('converges to finite weights on perfectly separable data', () => {
    // Every lead with 'x' converted, every lead without it did not.
    const observations: BinomialObservation[] = [
      { features: ['intercept', 'x'], trials: 50, successes: 50 },
      { features: ['intercept'], trials: 50, successes: 0 },
    ];
    for (const variance of [1, 100, 1e4]) {
      const prior: GaussianPrior = { mean: { intercept: 0, x: 0 }, variance };
      const posterior = fitBayesianLogistic(observations, prior);
      expect(posterior.converged, `variance ${variance}`).toBe(true);
      expect(Number.isFinite(posterior.weights.x)).toBe(true);
      expect(posterior.weights.x!).toBeGreaterThan(2);
      expect(posterior.weights.intercept!).toBeLessThan(-1);
      for (const component of gradientAt(posterior, observations, prior)) expect(Math.abs(component)).toBeLessThan(1e-6);
      for (const row of posterior.covariance) for (const value of row) expect(Number.isFinite(value)).toBe(true);
    }
  });

  it('gives the same fit for grouped and ungrouped observations', () => {
    const random = mulberry32(99);
    const names = ['a', 'b', 'c'];
    const single: BinomialObservation[] = [];
    for (let i = 0; i < 400; i++) {
      const features = ['intercept', ...names.filter(() => random() < 0.5)];
      const converted = random() < sigmoid(-0.5 + (features.includes('a') ? 1 : 0) - (features.includes('c') ? 0.7 : 0));
      // Order and repetition inside a feature set do not matter.
      single.push({ features: random() < 0.5 ? features : [...features].reverse().concat('intercept'), trials: 1, successes: converted ? 1 : 0 });
    }
    const grouped = new Map<string, BinomialObservation>();
    for (const observation of single) {
      const key = [...new Set(observation.features)].sort().join('|');
      const group = grouped.get(key) ?? { features: [...new Set(observation.features)], trials: 0, successes: 0 };
      grouped.set(key, { ...group, trials: group.trials + 1, successes: group.successes + observation.successes });
    }
    expect(grouped.size).toBe(8);
    const prior: GaussianPrior = { mean: { intercept: -1, a: 0.3 }, variance: 0.5 };
    const fromSingles = fitBayesianLogistic(single, prior);
    const fromGroups = fitBayesianLogistic([...grouped.values()], prior);
    expect(fromGroups.features).toEqual(fromSingles.features);
    for (const feature of fromSingles.features) expect(fromGroups.weights[feature]).toBeCloseTo(fromSingles.weights[feature]!, 10);
    for (const [i, row] of fromSingles.covariance.entries()) {
      for (const [j, value] of row.entries()) expect(fromGroups.covariance[i]![j]).toBeCloseTo(value, 10);
    }
  });

  it('fits 40 parameters over 2,000 groups well under 50 ms', () => {
    const random = mulberry32(2024);
    const levels = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}:${i}`);
    const blocks = [levels('industry', 4), levels('size', 4), levels('persona', 4), levels('source', 20)];
    const flags = ['email', 'phone', 'flag:1', 'flag:2', 'flag:3'];
    const truth = new Map<string, number>([['intercept', -1.2]]);
    for (const name of [...blocks.flat(), ...flags]) truth.set(name, (random() - 0.5) * 2);
    expect(truth.size).toBe(38);
    const observations: BinomialObservation[] = [];
    for (let g = 0; g < 2_000; g++) {
      const features = ['intercept', ...blocks.map((block) => block[Math.floor(random() * block.length)]!), ...flags.filter(() => random() < 0.4)];
      if (g % 500 === 0) features.push(`new:${g / 500}`); // unseen by the prior: 4 more parameters
      const probability = sigmoid(features.reduce((sum, feature) => sum + (truth.get(feature) ?? 0), 0));
      const trials = 1 + Math.floor(random() * 40);
      let successes = 0;
      for (let t = 0; t < trials; t++) if (random() < probability) successes++;
      observations.push({ features, trials, successes });
    }
    const prior: GaussianPrior = { mean: Object.fromEntries([...truth].map(([name]) => [name, 0])), variance: 0.25 };
    fitBayesianLogistic(observations, prior); // warm up the JIT
    const durations: number[] = [];
    let posterior: LogisticPosterior | undefined;
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      posterior = fitBayesianLogistic(observations, prior);
      durations.push(performance.now() - started);
    }
    expect(posterior!.features).toHaveLength(42);
    expect(posterior!.converged).toBe(true);
    // The fastest run: the fit's own cost, without the scheduling noise of a busy machine.
    expect(Math.min(...durations)).toBeLessThan(50);
  });

  it('gives the log-likelihood of binomial data under given weights', () => {
    const observations: BinomialObservation[] = [
      { features: ['intercept', 'a', 'a'], trials: 10, successes: 3 },
      { features: ['intercept'], trials: 4, successes: 4 },
    ];
    const weights = { intercept: -0.5, a: 1 };
    // log σ(0.5)·3 + log(1 − σ(0.5))·7 + log σ(−0.5)·4, with a counted once.
    const expected = 3 * Math.log(sigmoid(0.5)) + 7 * Math.log(1 - sigmoid(0.5)) + 4 * Math.log(sigmoid(-0.5));
    expect(binomialLogLikelihood(observations, weights)).toBeCloseTo(expected, 12);
    expect(binomialLogLikelihood([], weights)).toBe(0);
  });

  it('rejects impossible inputs with a clear message', () => {
    const prior: GaussianPrior = { mean: { intercept: 0 }, variance: 1 };
    expect(() => fitBayesianLogistic([{ features: ['intercept'], trials: 3, successes: 4 }], prior)).toThrow(/successes must lie in \[0, trials = 3\]/);
    expect(() => fitBayesianLogistic([{ features: ['intercept'], trials: -1, successes: 0 }], prior)).toThrow(/trials must be/);
    expect(() => fitBayesianLogistic([], { mean: {}, variance: 0 })).toThrow(/prior variance/);
    expect(() => fitBayesianLogistic([], { mean: { a: Number.NaN }, variance: 1 })).toThrow(/prior mean of 'a'/);
  });
});

describe('predictLogOdds', () => {
  const posterior: LogisticPosterior = {
    features: ['a', 'b', 'intercept'],
    weights: { a: 0.5, b: -0.25, intercept: -1 },
    covariance: [
      [0.04, 0.01, -0.02],
      [0.01, 0.09, 0.005],
      [-0.02, 0.005, 0.16],
    ],
    iterations: 3,
    converged: true,
  };

  it('sums the weights and the covariance block of the active features', () => {
    const prior: GaussianPrior = { mean: { a: 0.1, b: 0, intercept: -1 }, variance: 0.25 };
    // mean = -1 + 0.5; variance = Σ_ii + Σ_aa + 2·Σ_ia = 0.16 + 0.04 - 0.04
    const result = predictLogOdds(posterior, ['intercept', 'a', 'a'], prior);
    expect(result.mean).toBeCloseTo(-0.5, 12);
    expect(result.variance).toBeCloseTo(0.16, 12);
    // all three: 0.04 + 0.09 + 0.16 + 2·(0.01 - 0.02 + 0.005) = 0.28
    expect(predictLogOdds(posterior, ['intercept', 'a', 'b'], prior).variance).toBeCloseTo(0.28, 12);
  });

  it('gives a feature the posterior never saw its prior mean and prior variance, uncorrelated', () => {
    const prior: GaussianPrior = { mean: { 'source:podcast': 0.2 }, variance: 0.25 };
    const result = predictLogOdds(posterior, ['intercept', 'source:podcast', 'source:unheard'], prior);
    expect(result.mean).toBeCloseTo(-1 + 0.2 + 0, 12);
    expect(result.variance).toBeCloseTo(0.16 + 0.25 + 0.25, 12);
    expect(predictLogOdds(posterior, ['intercept', 'source:unheard'], { ...prior, variances: { 'source:unheard': 1 } }).variance).toBeCloseTo(0.16 + 1, 12);
  });
});
