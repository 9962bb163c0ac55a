// One refit of the triage model, as a pure function of the recorded outcomes and
// what earlier fits left (the model in use, the latest drift): the drift check,
// the weighting it implies, the fit, its held-out quality and the promotion
// decision. The store (triage-model-store.ts) reads its inputs and writes its
// result in the consolidation transaction; the learning benchmark runs the same
// function over synthetic markets, so what it measures is what Baton does.
import type { TriageModel } from '../../domain/triage-model.js';
import { CHANGE_POINT_DISCOUNT, checkDrift, type DriftCheckResult } from './triage-drift.js';
import { type HeldOutQuality, measureHeldOutQuality } from './triage-model-quality.js';
import { decidePromotion } from './triage-promotion.js';
import type { TriagePromotion } from './triage-model-versions.js';
import { effectiveOutcomes, fitTriageModel, type RecencyWeighting, type TrainingData } from './triage-training.js';

export interface RefitInput {
  data: TrainingData;
  version: string;
  /** The model scoring leads now (null: the cold-start model). */
  current: TriageModel | null;
  /** The latest drift's change point (day), and whether it has not recovered yet. */
  drift: { changePointDay: number; recovered: boolean } | null;
  halfLifeDays: number | null;
  now: Date;
}

export interface Refit {
  model: TriageModel;
  weighting: RecencyWeighting;
  effectiveOutcomes: number;
  quality: HeldOutQuality;
  drift: DriftCheckResult;
  promotion: TriagePromotion;
}

export function refitTriageModel(input: RefitInput): Refit {
  const { data, halfLifeDays } = input;
  const weighting: RecencyWeighting = {
    halfLifeDays,
    changePointDay: input.drift?.changePointDay ?? null,
    changePointDiscount: CHANGE_POINT_DISCOUNT,
  };
  const drift = checkDrift(data.cells, weighting, input.drift !== null && !input.drift.recovered, input.now);
  const fitWeighting: RecencyWeighting = { ...weighting, changePointDay: drift.changePointDay };
  const model = fitTriageModel(data.cells, fitWeighting, input.version);
  return {
    model,
    weighting: fitWeighting,
    effectiveOutcomes: effectiveOutcomes(data.cells, fitWeighting),
    quality: measureHeldOutQuality(data.cells, fitWeighting),
    drift,
    promotion: decidePromotion(data.cells, fitWeighting, input.current),
  };
}
