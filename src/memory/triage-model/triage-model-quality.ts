// How good a triage model is on outcomes it did not learn from, measured when it
// is fitted: k-fold cross-validation over the recorded outcomes. Every outcome is
// scored once by a fit on the other folds, so all of them count as held out and the
// final model still learns from every one. Folds are dealt per class (conversions
// and losses separately, round-robin in the data's sorted order), so each fold has
// its share of both and the measure is the same every time for the same data.
import { logOddsOf } from '../../domain/triage-model.js';
import type { BinomialObservation } from '../../statistics/bayesian-logistic.js';
import { auc, brierScore, type CalibrationBin } from '../../statistics/classification-metrics.js';
import { fitTriageModel, type TrainingData } from './triage-training.js';

export const HELD_OUT_FOLDS = 5;
/** Below this many outcomes (or with only one kind) AUC and Brier would say more about luck than about the model. */
export const MIN_HELD_OUT_OUTCOMES = 20;

export interface HeldOutQuality {
  outcomes: number;
  /** Probability that a converted lead scores above a lost one (ties count half); null when not enough outcomes. */
  auc: number | null;
  /** Mean squared error of the predicted conversion probability; null when not enough outcomes. */
  brier: number | null;
  /** Mean log-loss (nats) of the predicted conversion probability; null when not enough outcomes. */
  logLoss: number | null;
  /** Calibration by decile of predicted probability (empty when not enough outcomes). */
  calibration: CalibrationBin[];
}

export function measureHeldOutQuality(data: TrainingData, folds = HELD_OUT_FOLDS): HeldOutQuality {
  const { outcomes, conversions } = data;
  if (outcomes < MIN_HELD_OUT_OUTCOMES || conversions === 0 || conversions === outcomes) return { outcomes, auc: null, brier: null, logLoss: null, calibration: [] };
  const perFold = dealIntoFolds(data.observations, folds);
  // One prediction per held-out outcome: the probability its fold's model gave, and whether it converted.
  const probabilities: number[] = [];
  const converted: boolean[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const training = trainingExcept(data.observations, perFold, fold);
    const model = fitTriageModel(summarize(training), `held-out-${fold}`);
    data.observations.forEach((observation, i) => {
      const heldOut = perFold[i]![fold]!;
      if (heldOut.trials === 0) return;
      const { mean, variance } = logOddsOf(model, observation.features);
      const probability = moderatedProbability(mean, variance);
      for (let k = 0; k < heldOut.trials; k++) {
        probabilities.push(probability);
        converted.push(k < heldOut.successes);
      }
    });
  }
  return { outcomes, auc: auc(probabilities, converted), brier: brierScore(probabilities, converted), logLoss: null, calibration: [] };
}

type FoldCounts = { trials: number; successes: number }[];

/** Per observation, its outcomes dealt into folds: conversions and losses each round-robin across all observations. */
function dealIntoFolds(observations: readonly BinomialObservation[], folds: number): FoldCounts[] {
  let nextConversion = 0;
  let nextLoss = 0;
  return observations.map((observation) => {
    const counts: FoldCounts = Array.from({ length: folds }, () => ({ trials: 0, successes: 0 }));
    for (let k = 0; k < observation.successes; k++) {
      const fold = counts[nextConversion++ % folds]!;
      fold.trials++;
      fold.successes++;
    }
    for (let k = 0; k < observation.trials - observation.successes; k++) counts[nextLoss++ % folds]!.trials++;
    return counts;
  });
}

function trainingExcept(observations: readonly BinomialObservation[], perFold: readonly FoldCounts[], heldOut: number): BinomialObservation[] {
  return observations
    .map((observation, i) => {
      const kept = perFold[i]!.filter((_, fold) => fold !== heldOut);
      return {
        features: observation.features,
        trials: kept.reduce((sum, c) => sum + c.trials, 0),
        successes: kept.reduce((sum, c) => sum + c.successes, 0),
      };
    })
    .filter((observation) => observation.trials > 0);
}

function summarize(observations: BinomialObservation[]): TrainingData {
  const outcomes = observations.reduce((sum, o) => sum + o.trials, 0);
  const conversions = observations.reduce((sum, o) => sum + o.successes, 0);
  return { observations, outcomes, conversions, fingerprint: '' };
}

/** The probability with the weights' uncertainty folded in (MacKay's probit approximation), as scores are meant. */
function moderatedProbability(mean: number, variance: number): number {
  return 1 / (1 + Math.exp(-mean / Math.sqrt(1 + (Math.PI * variance) / 8)));
}
