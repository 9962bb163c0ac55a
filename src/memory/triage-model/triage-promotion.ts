// Is a new fit better than the model scoring leads now? Compared on the outcomes
// recorded since that model was fitted (it never saw them): the new fit scores
// them held out (cross-validated, so it did not learn them either), and the two
// are compared outcome by outcome on log-loss, a proper score that punishes
// confident mistakes. A fit worse beyond noise (its mean log-loss higher by more
// than PROMOTION_MARGIN_SE standard errors of the paired difference) is kept for
// audit and never used: a bad batch of data or a drift alarm that shortened the
// memory wrongly cannot make triage worse.
import { conversionProbability, type TriageModel } from '../../domain/triage-model.js';
import { outcomeLogLoss } from '../../statistics/classification-metrics.js';
import { crossValidatedPredictions } from './triage-model-quality.js';
import type { TriagePromotion } from './triage-model-versions.js';
import type { OutcomeCell, TrainingMemory } from './triage-training.js';

/** Fewer fresh outcomes than this say nothing about which model is better: the new fit is promoted. */
export const MIN_PROMOTION_OUTCOMES = 30;
export const PROMOTION_MARGIN_SE = 3;

export function decidePromotion(cells: readonly OutcomeCell[], memory: TrainingMemory, current: TriageModel | null): TriagePromotion {
  const fresh = cells.reduce((sum, cell) => sum + (cell.fresh ? cell.trials : 0), 0);
  if (!current || current.evidence.outcomes === 0) {
    return {
      promoted: true,
      reason: 'The first fit: it replaces the cold-start model.',
      comparedOutcomes: 0,
      candidateLogLoss: null,
      currentLogLoss: null,
      comparedWith: null,
    };
  }
  if (fresh < MIN_PROMOTION_OUTCOMES) {
    return {
      promoted: true,
      reason: `Fewer than ${MIN_PROMOTION_OUTCOMES} outcomes recorded since ${current.version} was fitted: too few to say it is worse.`,
      comparedOutcomes: fresh,
      candidateLogLoss: null,
      currentLogLoss: null,
      comparedWith: current.version,
    };
  }
  const candidate = crossValidatedPredictions(cells, (cell) => cell.fresh, memory);
  const differences = candidate.probabilities.map((probability, i) => {
    const converted = candidate.converted[i]!;
    const incumbent = conversionProbability(current, cells[candidate.cellIndex[i]!]!.features);
    return outcomeLogLoss(probability, converted) - outcomeLogLoss(incumbent, converted);
  });
  const n = differences.length;
  const candidateLogLoss = mean(candidate.probabilities.map((p, i) => outcomeLogLoss(p, candidate.converted[i]!)));
  const meanDifference = mean(differences);
  const variance = differences.reduce((sum, d) => sum + (d - meanDifference) ** 2, 0) / Math.max(1, n - 1);
  const standardError = Math.sqrt(variance / n);
  const currentLogLoss = candidateLogLoss - meanDifference;
  const worse = meanDifference > 0 && meanDifference > PROMOTION_MARGIN_SE * standardError;
  const figures = `held-out log-loss ${candidateLogLoss.toFixed(4)} against ${currentLogLoss.toFixed(4)} for ${current.version} on the ${n} outcomes recorded since it was fitted`;
  return {
    promoted: !worse,
    reason: worse ? `Not promoted: ${figures}, worse by more than ${PROMOTION_MARGIN_SE} standard errors.` : `Promoted: ${figures}, not worse beyond noise.`,
    comparedOutcomes: n,
    candidateLogLoss,
    currentLogLoss,
    comparedWith: current.version,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
