// What the triage model learns from (src/memory/triage-model/triage-training.ts):
// an outcome's weight by age, the keys an outcome is learned under around a change
// point, the weighted observations and effective outcome count, the fit that
// relearns only what changed, and a data fingerprint that depends on the outcomes
// alone (not on which of them the model in use had seen, nor their order).
import { describe, expect, it } from 'vitest';
import { featureKeys, PRIOR_VARIANCE } from '../../src/domain/triage-model.js';
import {
  BEFORE_CHANGE,
  DAY_MS,
  effectiveOutcomes,
  fitTriageModel,
  learnedKeys,
  RELEARNED_PRIOR_VARIANCE,
  type OutcomeCell,
  type TrainingMemory,
  trainingDataOf,
  weightedObservations,
  weightOf,
} from '../../src/memory/triage-model/triage-training.js';

const NO_DECAY: TrainingMemory = { halfLifeDays: null, changePoint: null };
const HALF_LIFE_30: TrainingMemory = { halfLifeDays: 30, changePoint: null };

const cell = (features: string[], day: number, trials: number, successes: number, fresh = false): OutcomeCell => ({ features, day, trials, successes, fresh });

describe('weightOf', () => {
  it('halves per half-life counted back from the newest day, not the clock', () => {
    expect(weightOf(1_000, 1_000, HALF_LIFE_30)).toBe(1);
    expect(weightOf(970, 1_000, HALF_LIFE_30)).toBe(0.5);
    expect(weightOf(940, 1_000, HALF_LIFE_30)).toBe(0.25);
    expect(weightOf(985, 1_000, HALF_LIFE_30)).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('is 1 at any age without a half-life', () => {
    expect(weightOf(0, 1_000, NO_DECAY)).toBe(1);
    expect(weightOf(1_000, 1_000, NO_DECAY)).toBe(1);
  });
});

describe('learnedKeys', () => {
  const keys = ['intercept', 'industry:TECHNOLOGY', 'companySize:SMB', 'persona:END_USER', 'email'];
  const changePoint = { day: 100, attributes: ['industry', 'persona'] };

  it('learns the changed attributes and the intercept under old-market keys before the change point', () => {
    expect(learnedKeys(keys, 99, changePoint)).toEqual([
      `${BEFORE_CHANGE}intercept`,
      `${BEFORE_CHANGE}industry:TECHNOLOGY`,
      'companySize:SMB',
      `${BEFORE_CHANGE}persona:END_USER`,
      'email',
    ]);
  });

  it('leaves every key alone on and after the change point, and without one', () => {
    expect(learnedKeys(keys, 100, changePoint)).toEqual(keys);
    expect(learnedKeys(keys, 150, changePoint)).toEqual(keys);
    expect(learnedKeys(keys, 10, null)).toEqual(keys);
  });

  it('splits a flag attribute (email) by its bare key', () => {
    expect(learnedKeys(keys, 50, { day: 100, attributes: ['email'] })).toEqual([
      `${BEFORE_CHANGE}intercept`,
      'industry:TECHNOLOGY',
      'companySize:SMB',
      'persona:END_USER',
      `${BEFORE_CHANGE}email`,
    ]);
  });
});

describe('weightedObservations and effectiveOutcomes', () => {
  const a = ['intercept', 'industry:TECHNOLOGY'];
  const cells = [cell(a, 970, 10, 4), cell(a, 1_000, 10, 6), cell(['intercept', 'industry:FINANCE'], 1_000, 4, 1)];

  it('merges a feature set across days with each day’s weight', () => {
    const observations = weightedObservations(cells, HALF_LIFE_30);
    expect(observations).toEqual([
      { features: ['intercept', 'industry:FINANCE'], trials: 4, successes: 1 },
      { features: a, trials: 10 * 0.5 + 10, successes: 4 * 0.5 + 6 },
    ]);
  });

  it('keeps a feature set apart before and after a change point', () => {
    const observations = weightedObservations(cells, { halfLifeDays: null, changePoint: { day: 980, attributes: ['industry'] } });
    expect(observations).toContainEqual({ features: [`${BEFORE_CHANGE}intercept`, `${BEFORE_CHANGE}industry:TECHNOLOGY`], trials: 10, successes: 4 });
    expect(observations).toContainEqual({ features: a, trials: 10, successes: 6 });
  });

  it('counts the outcomes’ weights, optionally from a day on', () => {
    expect(effectiveOutcomes(cells, NO_DECAY)).toBe(24);
    expect(effectiveOutcomes(cells, HALF_LIFE_30)).toBe(5 + 10 + 4);
    expect(effectiveOutcomes(cells, HALF_LIFE_30, 1_000)).toBe(14);
    expect(effectiveOutcomes([], HALF_LIFE_30)).toBe(0);
  });
});

describe('fitTriageModel with a change point', () => {
  // Two markets over the same leads: Technology vs Manufacturing, Startup vs Enterprise.
  // Old market (days 90-99): Technology converts well. New market (days 100-109): it converts badly.
  // Company size means the same in both. Counts are the expected ones (no noise), 200 per cell.
  const logOdds = (industryEffect: number, sizeEffect: number) => -1 + industryEffect + sizeEffect;
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const lead = (industry: 'TECHNOLOGY' | 'MANUFACTURING', companySize: 'STARTUP' | 'ENTERPRISE') =>
    featureKeys({ leadId: '', industry, companySize, persona: null, source: null });
  function market(days: number[], technology: number): OutcomeCell[] {
    return days.flatMap((day) =>
      (['TECHNOLOGY', 'MANUFACTURING'] as const).flatMap((industry) =>
        (['STARTUP', 'ENTERPRISE'] as const).map((size) => {
          const p = sigmoid(logOdds(industry === 'TECHNOLOGY' ? technology : -technology, size === 'STARTUP' ? 0.8 : -0.8));
          return cell(lead(industry, size), day, 20, Math.round(20 * p));
        }),
      ),
    );
  }
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const before = market(range(90, 100), 1.2);
  const after = market(range(100, 110), -1.2);
  const memory: TrainingMemory = { halfLifeDays: null, changePoint: { day: 100, attributes: ['industry'] } };
  const model = fitTriageModel([...before, ...after], memory, 'with-change-point');
  const variance = (m: typeof model, key: string) => {
    const posterior = m.uncertainty.posterior!;
    const i = posterior.features.indexOf(key);
    return posterior.covariance[i]![i]!;
  };

  it('learns the changed attribute’s effect from the new market alone, the old one under before-change keys', () => {
    // The cold-start prior says Technology +0.6; the new market says it is bad.
    expect(model.weights['industry:TECHNOLOGY']).toBeLessThan(0);
    expect(model.weights['industry:MANUFACTURING']).toBeGreaterThan(0);
    expect(model.weights[`${BEFORE_CHANGE}industry:TECHNOLOGY`]).toBeGreaterThan(0);
    expect(model.weights[`${BEFORE_CHANGE}industry:MANUFACTURING`]).toBeLessThan(0);
    // The new market's contrast matches a fit on the new market's outcomes alone, relearning industry likewise.
    const newOnly = fitTriageModel(after, { halfLifeDays: null, changePoint: { day: 0, attributes: ['industry'] } }, 'after-only');
    const contrast = (m: typeof model, prefix = '') => m.weights[`${prefix}industry:TECHNOLOGY`]! - m.weights[`${prefix}industry:MANUFACTURING`]!;
    expect(contrast(model)).toBeCloseTo(contrast(newOnly), 1);
    expect(contrast(model)).toBeLessThan(-1.8);
    expect(contrast(model, BEFORE_CHANGE)).toBeGreaterThan(1.8);
    // Without the change point the two markets cancel out: no contrast is learned.
    expect(Math.abs(contrast(fitTriageModel([...before, ...after], NO_DECAY, 'no-change-point')))).toBeLessThan(0.2);
  });

  it('learns an unchanged attribute from both periods: surer than from the new market alone', () => {
    const newOnly = fitTriageModel(after, NO_DECAY, 'after-only');
    expect(model.weights['companySize:STARTUP']! - model.weights['companySize:ENTERPRISE']!).toBeCloseTo(1.6, 0);
    // Only the changed attributes (and the intercept) have an old-market copy: an unchanged one has none.
    expect(model.weights).not.toHaveProperty(`${BEFORE_CHANGE}companySize:STARTUP`);
    expect(
      model.uncertainty
        .posterior!.features.filter((feature) => feature.startsWith(BEFORE_CHANGE))
        .every((feature) => /^before-change:(intercept|industry:)/.test(feature)),
    ).toBe(true);
    expect(variance(model, 'companySize:STARTUP')).toBeLessThan(variance(newOnly, 'companySize:STARTUP'));
    expect(variance(model, 'companySize:ENTERPRISE')).toBeLessThan(variance(newOnly, 'companySize:ENTERPRISE'));
  });

  it('starts the before-change weights from the prior they split from, with the prior’s variance, and counts every outcome as evidence', () => {
    // Without outcomes, a before-change weight is its prior: the cold-start weight it split from.
    const noData = fitTriageModel([], memory, 'empty');
    expect(noData.weights[`${BEFORE_CHANGE}industry:TECHNOLOGY`]).toBeCloseTo(0.6, 12);
    expect(variance(noData, `${BEFORE_CHANGE}industry:TECHNOLOGY`)).toBeCloseTo(PRIOR_VARIANCE, 12);
    // The new market's weights of what changed, and its base rate, start wider; what did not change keeps the prior's variance.
    expect(variance(noData, 'industry:TECHNOLOGY')).toBeCloseTo(RELEARNED_PRIOR_VARIANCE, 12);
    expect(variance(noData, 'intercept')).toBeCloseTo(RELEARNED_PRIOR_VARIANCE, 12);
    expect(variance(noData, 'companySize:STARTUP')).toBeCloseTo(PRIOR_VARIANCE, 12);
    // The model says when its market began (triage takes episode evidence from then on); without a change point it does not.
    expect(noData.marketSince).toBe(new Date(100 * DAY_MS).toISOString());
    expect(fitTriageModel([], NO_DECAY, 'empty')).not.toHaveProperty('marketSince');
    expect(model.evidence.outcomes).toBe(2 * 10 * 4 * 20);
  });
});

describe('trainingDataOf', () => {
  const a = ['intercept', 'industry:TECHNOLOGY'];
  const b = ['intercept', 'industry:FINANCE', 'email'];
  const cells = [cell(a, 10, 5, 2, false), cell(a, 10, 3, 1, true), cell(b, 11, 4, 0, true)];

  it('counts outcomes and conversions', () => {
    const data = trainingDataOf(cells);
    expect(data.outcomes).toBe(12);
    expect(data.conversions).toBe(3);
  });

  it('fingerprints the outcomes alone: not which are fresh, not how they are split or ordered', () => {
    const fingerprint = trainingDataOf(cells).fingerprint;
    const allFresh = cells.map((c) => ({ ...c, fresh: true }));
    expect(trainingDataOf(allFresh).fingerprint).toBe(fingerprint);
    expect(trainingDataOf([...cells].reverse()).fingerprint).toBe(fingerprint);
    expect(trainingDataOf([cell(a, 10, 8, 3, false), cell(b, 11, 4, 0, false)]).fingerprint).toBe(fingerprint);
  });

  it('changes with any outcome: one more conversion, another day, another feature set', () => {
    const fingerprint = trainingDataOf(cells).fingerprint;
    expect(trainingDataOf([cell(a, 10, 8, 4), cell(b, 11, 4, 0)]).fingerprint).not.toBe(fingerprint);
    expect(trainingDataOf([cell(a, 10, 8, 3), cell(b, 12, 4, 0)]).fingerprint).not.toBe(fingerprint);
    expect(trainingDataOf([cell(a, 10, 8, 3), cell(['intercept', 'industry:FINANCE'], 11, 4, 0)]).fingerprint).not.toBe(fingerprint);
  });
});
