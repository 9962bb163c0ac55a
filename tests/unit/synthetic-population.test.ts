// The synthetic population: reproducible, realistic, with signal to learn, and a
// ground truth that contradicts the cold-start priors, so that the cold-start
// model ranks it badly and a model fitted to its outcomes ranks it well.
import { describe, expect, it } from 'vitest';
import { type BinomialObservation, fitBayesianLogistic, type GaussianPrior, predictLogOdds } from '../../src/statistics/bayesian-logistic.js';
import { leadInputSchema } from '../../src/domain/lead.js';
import { triageLead } from '../../src/agents/triage/triage.js';
import { COLD_START_MODEL, featureKeys, normalizeSource, PRIOR_VARIANCE } from '../../src/domain/triage-model.js';
import { auc, brierScore, expectedCalibrationError } from '../../src/statistics/classification-metrics.js';
import { generatePopulation, groundTruthLogOdds, groundTruthModel, type SyntheticLead } from '../support/synthetic-population.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const share = (population: SyntheticLead[], test: (lead: SyntheticLead) => boolean) => population.filter(test).length / population.length;

/** Outcomes grouped by identical feature keys, as the training job would count them. */
function groupOutcomes(population: readonly SyntheticLead[]): BinomialObservation[] {
  const groups = new Map<string, BinomialObservation>();
  for (const { lead, converted } of population) {
    const features = featureKeys(lead);
    const key = [...features].sort().join('|');
    const group = groups.get(key) ?? { features, trials: 0, successes: 0 };
    groups.set(key, { features, trials: group.trials + 1, successes: group.successes + (converted ? 1 : 0) });
  }
  return [...groups.values()];
}

describe('generatePopulation', () => {
  it('is a pure function of size, seed and id prefix', () => {
    const first = generatePopulation({ size: 500, seed: 7, idPrefix: 'syn' });
    expect(generatePopulation({ size: 500, seed: 7, idPrefix: 'syn' })).toEqual(first);
    expect(generatePopulation({ size: 200, seed: 7, idPrefix: 'syn' })).toEqual(first.slice(0, 200));
    const other = generatePopulation({ size: 500, seed: 8, idPrefix: 'syn' });
    expect(other.map((s) => s.lead.industry)).not.toEqual(first.map((s) => s.lead.industry));
    expect(first[0]!.lead.leadId).toBe('syn-000000');
    expect(new Set(first.map((s) => s.lead.leadId)).size).toBe(500);
  });

  it('produces valid leads with realistic, non-uniform attributes', () => {
    const population = generatePopulation({ size: 20_000, seed: 1, idPrefix: 'shape' });
    for (const { lead } of population.slice(0, 2_000)) expect(() => leadInputSchema.parse(lead)).not.toThrow();
    expect(share(population, (s) => Boolean(s.lead.email))).toBeCloseTo(0.6, 1);
    expect(share(population, (s) => Boolean(s.lead.phone))).toBeCloseTo(0.3, 1);
    expect(share(population, (s) => s.lead.persona == null)).toBeCloseTo(0.2, 1);
    expect(share(population, (s) => s.lead.industry === 'TECHNOLOGY')).toBeCloseTo(0.35, 1);
    expect(share(population, (s) => s.lead.companySize === 'ENTERPRISE')).toBeCloseTo(0.15, 1);
    const listed = new Set(Object.keys(groundTruthModel().source));
    const unlisted = share(population, (s) => s.lead.source != null && !listed.has(normalizeSource(s.lead.source)));
    expect(unlisted).toBeGreaterThan(0.04);
    expect(unlisted).toBeLessThan(0.08);
    const humanSpelled = share(population, (s) => s.lead.source != null && s.lead.source !== normalizeSource(s.lead.source));
    expect(humanSpelled).toBeGreaterThan(0.1);
    const rate = share(population, (s) => s.converted);
    expect(rate).toBeGreaterThan(0.15);
    expect(rate).toBeLessThan(0.3);
    for (const { lead, trueProbability } of population.slice(0, 100)) expect(trueProbability).toBeCloseTo(sigmoid(groundTruthLogOdds(lead)), 15);
  });

  it('has signal to learn (ground-truth AUC 0.75-0.85) that the cold-start model ranks backwards', () => {
    const population = generatePopulation({ size: 20_000, seed: 2, idPrefix: 'auc' });
    const labels = population.map((s) => s.converted);
    const truthAuc = auc(
      population.map((s) => s.trueProbability),
      labels,
    );
    const coldStartAuc = auc(
      population.map((s) => triageLead(s.lead, COLD_START_MODEL).score),
      labels,
    );
    expect(truthAuc).toBeGreaterThan(0.75);
    expect(truthAuc).toBeLessThan(0.85);
    expect(coldStartAuc).toBeLessThan(0.5);
    expect(coldStartAuc).toBeLessThan(truthAuc - 0.3);
  });
});

describe('learning from synthetic outcomes', () => {
  const test = generatePopulation({ size: 20_000, seed: 2, idPrefix: 'holdout' });
  const labels = test.map((s) => s.converted);
  const prior: GaussianPrior = { mean: COLD_START_MODEL.weights, variance: PRIOR_VARIANCE };
  const predict = (training: number) => {
    const posterior = fitBayesianLogistic(groupOutcomes(generatePopulation({ size: training, seed: 1, idPrefix: 'train' })), prior);
    expect(posterior.converged).toBe(true);
    return test.map((s) => sigmoid(predictLogOdds(posterior, featureKeys(s.lead), prior).mean));
  };

  it('overturns the cold-start priors: 5,000 outcomes rank and calibrate almost as well as the truth', () => {
    const truth = test.map((s) => s.trueProbability);
    const learned = predict(5_000);
    const coldStart = test.map((s) => triageLead(s.lead, COLD_START_MODEL).score / 100);
    expect(auc(learned, labels)).toBeGreaterThan(auc(truth, labels) - 0.01);
    expect(brierScore(learned, labels)).toBeLessThan(brierScore(truth, labels) + 0.002);
    expect(brierScore(learned, labels)).toBeLessThan(brierScore(coldStart, labels) - 0.2);
    expect(expectedCalibrationError(learned, labels)).toBeLessThan(0.02);
  });

  it('already ranks better than chance after 300 outcomes', () => {
    expect(auc(predict(300), labels)).toBeGreaterThan(0.6);
  });

  it('converges in a few Newton steps on 20,000 outcomes, where rounding noise in the gradient is largest', () => {
    const posterior = fitBayesianLogistic(groupOutcomes(test), prior);
    expect(posterior.converged).toBe(true);
    expect(posterior.iterations).toBeLessThan(15);
    // The learned weights point the way the ground truth does, against the priors.
    expect(posterior.weights['companySize:STARTUP']!).toBeGreaterThan(posterior.weights['companySize:ENTERPRISE']! + 1);
    expect(posterior.weights['source:cold_outreach']!).toBeGreaterThan(posterior.weights['source:demo_request']! + 1.5);
    expect(posterior.weights['persona:END_USER']!).toBeGreaterThan(posterior.weights['persona:DECISION_MAKER']!);
  });
});
