// One refit of the triage model, as a pure function of the recorded outcomes and
// what earlier fits left (the model in use, the latest drift): the drift check,
// the weighting it implies, the fit, its held-out quality and the promotion
// decision. The store (triage-model-store.ts) reads its inputs and writes its
// result in the consolidation transaction; the learning benchmark runs the same
// function over synthetic markets, so what it measures is what Baton does.
import type { TriageModel } from '../../domain/triage-model.js';
import { checkDrift, type DriftCheckResult } from './triage-drift.js';
import { type HeldOutQuality, measureHeldOutQuality } from './triage-model-quality.js';
import { decidePromotion } from './triage-promotion.js';
import type { TriagePromotion } from './triage-model-versions.js';
import { type ChangePoint, effectiveOutcomes, fitTriageModel, type TrainingData, type TrainingMemory } from './triage-training.js';

export interface RefitInput {
  data: TrainingData;
  version: string;
  /** The model scoring leads now (null: the cold-start model). */
  current: TriageModel | null;
  /** The latest drift's change point, and whether the model has recovered from it. */
  drift: { changePoint: ChangePoint; recovered: boolean } | null;
  halfLifeDays: number | null;
  now: Date;
}

export interface Refit {
  model: TriageModel;
  memory: TrainingMemory;
  effectiveOutcomes: number;
  quality: HeldOutQuality;
  drift: DriftCheckResult;
  promotion: TriagePromotion;
}

export function refitTriageModel(input: RefitInput): Refit {
  const { data, halfLifeDays } = input;
  const drift = checkDrift(
    data.cells,
    { halfLifeDays, changePoint: input.drift?.changePoint ?? null },
    input.drift !== null && !input.drift.recovered,
    input.now,
  );
  const memory: TrainingMemory = { halfLifeDays, changePoint: drift.changePoint };
  const model = fitTriageModel(data.cells, memory, input.version);
  return {
    model,
    memory,
    effectiveOutcomes: effectiveOutcomes(data.cells, memory),
    quality: measureHeldOutQuality(data.cells, memory),
    drift,
    promotion: decidePromotion(data.cells, memory, input.current),
  };
}

/**
 * The latest drift as the next refit takes it (`RefitInput.drift`), after this one:
 * its change point (set on detection, kept after recovery) and whether the model has
 * recovered from it. The store reads the same from the episode it recorded.
 */
export function driftAfter(refit: Refit): RefitInput['drift'] {
  const { changePoint, check } = refit.drift;
  return changePoint && { changePoint, recovered: check.state !== 'DRIFTING' };
}
