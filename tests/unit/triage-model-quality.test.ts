// Held-out quality of a triage model fit: each outcome scored by a fit that did not
// see it, AUC and Brier only when there are enough outcomes of both kinds to say.
import { describe, expect, it } from 'vitest';
import { featureKeys } from '../../src/domain/triage-model.js';
import { measureHeldOutQuality, MIN_HELD_OUT_OUTCOMES } from '../../src/memory/triage-model/triage-model-quality.js';
import type { TrainingData } from '../../src/memory/triage-model/triage-training.js';

const converting = featureKeys({ leadId: '', industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', source: 'referral' });
const losing = featureKeys({ leadId: '', industry: 'MANUFACTURING', companySize: 'STARTUP', persona: 'END_USER', source: 'cold_outreach' });

function data(groups: { features: string[]; trials: number; successes: number }[]): TrainingData {
  return {
    observations: groups,
    outcomes: groups.reduce((sum, g) => sum + g.trials, 0),
    conversions: groups.reduce((sum, g) => sum + g.successes, 0),
    fingerprint: 'test',
  };
}

describe('held-out quality', () => {
  it('ranks held-out leads perfectly when the features separate the outcomes', () => {
    const quality = measureHeldOutQuality(
      data([
        { features: converting, trials: 15, successes: 15 },
        { features: losing, trials: 15, successes: 0 },
      ]),
    );
    expect(quality.outcomes).toBe(30);
    expect(quality.auc).toBe(1);
    expect(quality.brier).toBeGreaterThan(0);
    expect(quality.brier).toBeLessThan(0.1);
  });

  it('ranks no better than chance when the features say nothing (ties count half)', () => {
    const quality = measureHeldOutQuality(data([{ features: converting, trials: 40, successes: 20 }]));
    expect(quality.auc).toBeCloseTo(0.5, 1);
    expect(quality.brier).toBeGreaterThan(0.2);
  });

  it('says nothing with too few outcomes or only one kind', () => {
    expect(measureHeldOutQuality(data([{ features: converting, trials: MIN_HELD_OUT_OUTCOMES - 1, successes: 5 }]))).toEqual({
      outcomes: MIN_HELD_OUT_OUTCOMES - 1,
      auc: null,
      brier: null,
    });
    expect(measureHeldOutQuality(data([{ features: converting, trials: 50, successes: 50 }]))).toMatchObject({ auc: null, brier: null });
  });

  it('measures the same data the same way every time', () => {
    const training = data([
      { features: converting, trials: 18, successes: 12 },
      { features: losing, trials: 22, successes: 4 },
    ]);
    expect(measureHeldOutQuality(training)).toEqual(measureHeldOutQuality(training));
  });
});
