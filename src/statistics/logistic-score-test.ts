// Do new outcomes follow the logistic model fitted before them? The score
// (Lagrange multiplier) test of the new observations against a reference fit,
// with the reference's own uncertainty counted: a Chow-type test of structural
// change that needs no second fit.
//
// Under "the same weights hold", the score of the new data at the reference
// estimate ŵ, g = Σ_g (s_g − n_g p_g) x_g, has mean ≈ 0 and covariance
//   Cov(g) ≈ I + I Σ I,    I = Σ_g n_g p_g (1 − p_g) x_g x_gᵀ,
// where I is the new data's Fisher information (the outcomes' own noise) and
// I Σ I carries the reference posterior covariance Σ (how far ŵ may be from the
// truth: the new data is independent of it). Then
//   T = gᵀ Cov(g)⁺ g  ~  χ²(rank Cov(g)).
// The pseudo-inverse and the rank come from the eigen-decomposition: a full
// one-hot group and the intercept are linearly dependent, and g has no component
// along that dependence, so dropping the null directions loses nothing.
// A large T says the new outcomes pull the weights away from the reference by
// more than chance and the reference's uncertainty allow: the market changed.
import type { BinomialObservation } from './bayesian-logistic.js';
import { chiSquareSurvival } from './special-functions.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** A fitted logistic model as the test needs it: MAP weights and the Laplace covariance (rows in `features` order). */
export interface ReferenceFit {
  weights: Readonly<Record<string, number>>;
  features: readonly string[];
  covariance: readonly (readonly number[])[];
  /** Variance of a weight the reference never saw (its prior's). */
  priorVariance: number;
}

export interface ScoreTestResult {
  statistic: number;
  degreesOfFreedom: number;
  /** P(χ²_df ≥ statistic) (Bonferroni-adjusted with groups): small when the new outcomes disagree with the reference. */
  pValue: number;
  /** With groups: the group whose test gave the p-value; null for the omnibus test. */
  group: string | null;
  /** With groups: each group's own test, p-values Bonferroni-adjusted like the result's. */
  groups: { group: string; statistic: number; degreesOfFreedom: number; pValue: number }[];
}

/** Eigenvalues below this fraction of the largest are the dependent directions. */
const RANK_TOLERANCE = 1e-9;

export function logisticScoreTest(
  reference: ReferenceFit,
  observations: readonly BinomialObservation[],
  groupOf?: (feature: string) => string,
): ScoreTestResult {
  const names = new Set<string>();
  for (const observation of observations) for (const feature of observation.features) names.add(feature);
  const features = [...names].sort();
  const index = new Map(features.map((feature, i) => [feature, i]));
  const k = features.length;
  const score = new Array<number>(k).fill(0);
  const information = features.map(() => new Array<number>(k).fill(0));
  for (const observation of observations) {
    if (observation.trials <= 0) continue;
    const active = [...new Set(observation.features)].map((feature) => index.get(feature)!);
    const eta = active.reduce((sum, i) => sum + (reference.weights[features[i]!] ?? 0), 0);
    const p = 1 / (1 + Math.exp(-eta));
    const residual = observation.successes - observation.trials * p;
    const weight = observation.trials * p * (1 - p);
    for (const a of active) {
      score[a]! += residual;
      for (const b of active) information[a]![b]! += weight;
    }
  }

  const sigma = referenceCovariance(reference, features);
  const informationSigma = multiply(information, sigma);
  const informationSigmaInformation = multiply(informationSigma, information);
  const covariance = information.map((row, i) => row.map((value, j) => value + informationSigmaInformation[i]![j]!));

  const omnibus = { ...quadraticForm(score, covariance), group: null as string | null };
  if (!groupOf) return { ...omnibus, groups: [] };
  const members = new Map<string, number[]>();
  features.forEach((feature, i) => {
    const group = groupOf(feature);
    members.set(group, [...(members.get(group) ?? []), i]);
  });
  const tests = [
    omnibus,
    ...[...members].map(([group, indices]) => ({
      ...quadraticForm(
        indices.map((i) => score[i]!),
        indices.map((i) => indices.map((j) => covariance[i]![j]!)),
      ),
      group,
    })),
  ];
  const adjusted = tests.map((test) => ({ ...test, pValue: Math.min(1, test.pValue * tests.length) }));
  const smallest = adjusted.reduce((best, test) => (test.pValue < best.pValue ? test : best));
  return { ...smallest, groups: adjusted.flatMap(({ group, ...test }) => (group === null ? [] : [{ group, ...test }])) };
}

/** xᵀ C⁺ x and its χ² p-value, over C's non-null directions. */
function quadraticForm(x: readonly number[], covariance: readonly (readonly number[])[]): Pick<ScoreTestResult, 'statistic' | 'degreesOfFreedom' | 'pValue'> {
  const { values, vectors } = symmetricEigen(covariance);
  const largest = Math.max(0, ...values);
  let statistic = 0;
  let degreesOfFreedom = 0;
  values.forEach((value, j) => {
    if (!(value > largest * RANK_TOLERANCE)) return;
    degreesOfFreedom++;
    const projection = vectors.reduce((sum, row, i) => sum + row[j]! * x[i]!, 0);
    statistic += (projection * projection) / value;
  });
  if (degreesOfFreedom === 0) return { statistic: 0, degreesOfFreedom: 0, pValue: 1 };
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/** Σ restricted to `features`; a feature the reference never saw has its prior variance and no covariance. */
function referenceCovariance(reference: ReferenceFit, features: readonly string[]): number[][] {
  const position = new Map(reference.features.map((feature, i) => [feature, i]));
  return features.map((a, i) =>
    features.map((b, j) => {
      const row = position.get(a);
      const column = position.get(b);
      if (row !== undefined && column !== undefined) return reference.covariance[row]![column]!;
      return i === j ? reference.priorVariance : 0;
    }),
  );
}

function multiply(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const result = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i]![k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) result[i]![j]! += aik * b[k]![j]!;
    }
  }
  return result;
}
