// Held-out quality of a triage model fit: each recent outcome scored by a fit that did
// not see it, AUC, Brier, log-loss and calibration only when there are enough
// outcomes of both kinds to say.
import { describe, expect, it } from 'vitest';
import { featureKeys } from '../../src/domain/triage-model.js';
import { measureHeldOutQuality, MIN_HELD_OUT_OUTCOMES } from '../../src/memory/triage-model/triage-model-quality.js';
import type { OutcomeCell, TrainingMemory } from '../../src/memory/triage-model/triage-training.js';

const converting = featureKeys({ leadId: '', industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', source: 'referral' });
const losing = featureKeys({ leadId: '', industry: 'MANUFACTURING', companySize: 'STARTUP', persona: 'END_USER', source: 'cold_outreach' });

const NO_DECAY: TrainingMemory = { halfLifeDays: null, changePoint: null };

function data(groups: { features: string[]; trials: number; successes: number; day?: number }[]): OutcomeCell[] {
  return groups.map((group) => ({ day: 20_000, fresh: false, ...group }));
}

const measure = (cells: OutcomeCell[]) => measureHeldOutQuality(cells, NO_DECAY);

describe('held-out quality', () => {
  it('ranks held-out leads perfectly when the features separate the outcomes', () => {
    const quality = measure(
      data([
        { features: converting, trials: 15, successes: 15 },
        { features: losing, trials: 15, successes: 0 },
      ]),
    );
    expect(quality.outcomes).toBe(30);
    expect(quality.auc).toBe(1);
    expect(quality.brier).toBeGreaterThan(0);
    expect(quality.brier).toBeLessThan(0.1);
    expect(quality.calibration.reduce((sum, bin) => sum + bin.outcomes, 0)).toBe(30);
  });

  it('is measured on the newest days holding the quality window, with older outcomes only in training', () => {
    // An old market where the features mean the opposite: it is learned from, never graded.
    const cells = [
      ...data([{ features: converting, trials: 400, successes: 0, day: 19_000 }]),
      ...data([
        { features: converting, trials: 300, successes: 300, day: 20_000 },
        { features: losing, trials: 300, successes: 0, day: 20_000 },
      ]),
    ];
    const quality = measure(cells);
    expect(quality.outcomes).toBe(600);
    expect(quality.auc).toBe(1);
  });

  it('ranks no better than chance when the features say nothing (ties count half)', () => {
    const quality = measure(data([{ features: converting, trials: 40, successes: 20 }]));
    expect(quality.auc).toBeCloseTo(0.5, 1);
    expect(quality.brier).toBeGreaterThan(0.2);
  });

  it('says nothing with too few outcomes or only one kind', () => {
    expect(measure(data([{ features: converting, trials: MIN_HELD_OUT_OUTCOMES - 1, successes: 5 }]))).toEqual({
      outcomes: MIN_HELD_OUT_OUTCOMES - 1,
      auc: null,
      brier: null,
      logLoss: null,
      calibration: [],
    });
    expect(measure(data([{ features: converting, trials: 50, successes: 50 }]))).toMatchObject({ auc: null, brier: null });
  });

  it('measures the same data the same way every time', () => {
    const training = data([
      { features: converting, trials: 18, successes: 12 },
      { features: losing, trials: 22, successes: 4 },
    ]);
    expect(measure(training)).toEqual(measure(training));
  });
});
