// How good a triage model is on outcomes it did not learn from, measured when it
// is fitted: k-fold cross-validation over the recorded outcomes. Every outcome is
// scored once by a fit on the other folds, so all of them count as held out and the
// final model still learns from every one. Folds are dealt per class (conversions
// and losses separately, round-robin in the data's sorted order), so each fold has
// its share of both and the measure is the same every time for the same data.
import { logOddsOf } from '../../domain/triage-model.js';
import type { BinomialObservation } from '../../statistics/bayesian-logistic.js';
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
}

/** Predictions for a group of outcomes with the same probability: how many of them converted and how many were lost. */
export interface Prediction {
  probability: number;
  converted: number;
  lost: number;
}

export function measureHeldOutQuality(data: TrainingData, folds = HELD_OUT_FOLDS): HeldOutQuality {
  const { outcomes, conversions } = data;
  if (outcomes < MIN_HELD_OUT_OUTCOMES || conversions === 0 || conversions === outcomes) return { outcomes, auc: null, brier: null };
  const perFold = dealIntoFolds(data.observations, folds);
  const predictions: Prediction[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const training = trainingExcept(data.observations, perFold, fold);
    const model = fitTriageModel(summarize(training), `held-out-${fold}`);
    data.observations.forEach((observation, i) => {
      const heldOut = perFold[i]![fold]!;
      if (heldOut.trials === 0) return;
      const { mean, variance } = logOddsOf(model, observation.features);
      predictions.push({ probability: moderatedProbability(mean, variance), converted: heldOut.successes, lost: heldOut.trials - heldOut.successes });
    });
  }
  return { outcomes, auc: areaUnderCurve(predictions), brier: brierScore(predictions, outcomes) };
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

export function areaUnderCurve(predictions: readonly Prediction[]): number {
  // Rank-sum over groups of equal probability: a pair within a group is a tie.
  const byProbability = new Map<number, { converted: number; lost: number }>();
  for (const p of predictions) {
    const group = byProbability.get(p.probability) ?? { converted: 0, lost: 0 };
    group.converted += p.converted;
    group.lost += p.lost;
    byProbability.set(p.probability, group);
  }
  let lostBelow = 0;
  let pairsWon = 0;
  let converted = 0;
  for (const [, group] of [...byProbability.entries()].sort(([a], [b]) => a - b)) {
    pairsWon += group.converted * (lostBelow + group.lost / 2);
    lostBelow += group.lost;
    converted += group.converted;
  }
  return pairsWon / (converted * lostBelow);
}

export function brierScore(predictions: readonly Prediction[], outcomes: number): number {
  const squaredError = predictions.reduce((sum, p) => sum + p.converted * (1 - p.probability) ** 2 + p.lost * p.probability ** 2, 0);
  return squaredError / outcomes;
}
