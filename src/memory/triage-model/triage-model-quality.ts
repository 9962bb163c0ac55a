// How good a triage fit is on outcomes it did not learn from, measured when it is
// fitted, on the RECENT outcomes: a model that was right about last year's market
// is not what a marketer needs to know about. The newest days holding at least
// QUALITY_WINDOW outcomes are dealt into folds; each fold is scored by a fit (same
// memory) on every other outcome, older ones included, so every recent outcome
// counts as held out and the final model still learns from all of them. Folds are
// dealt per class (conversions and losses separately, round-robin in the cells'
// order), so each has its share of both and the measure is the same every time for
// the same data. Scored as triage scores: σ(mean log-odds).
import { conversionProbability } from '../../domain/triage-model.js';
import { auc, brierScore, type CalibrationBin, calibrationByDecile, logLoss } from '../../statistics/classification-metrics.js';
import { fitTriageModel, type OutcomeCell, type TrainingMemory } from './triage-training.js';

export const HELD_OUT_FOLDS = 5;
/** Below this many outcomes (or with only one kind) AUC and Brier would say more about luck than about the model. */
export const MIN_HELD_OUT_OUTCOMES = 20;
/** Held-out quality is measured on the newest days holding at least this many outcomes. */
export const QUALITY_WINDOW = 500;

export interface HeldOutQuality {
  /** The recent outcomes scored held out. */
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

export interface HeldOutPredictions {
  probabilities: number[];
  converted: boolean[];
  /** Per prediction, the index of its outcome's cell (to pair it with another model's prediction of the same outcome). */
  cellIndex: number[];
}

export function measureHeldOutQuality(cells: readonly OutcomeCell[], memory: TrainingMemory): HeldOutQuality {
  const recent = newestDaysHolding(cells, QUALITY_WINDOW);
  const { probabilities, converted } = crossValidatedPredictions(cells, (cell) => cell.day >= recent.fromDay, memory);
  return qualityOf(probabilities, converted);
}

/** AUC, Brier, log-loss and calibration of predictions, or nulls when too few (or one kind) to say. */
export function qualityOf(probabilities: readonly number[], converted: readonly boolean[]): HeldOutQuality {
  const outcomes = probabilities.length;
  const conversions = converted.filter(Boolean).length;
  if (outcomes < MIN_HELD_OUT_OUTCOMES || conversions === 0 || conversions === outcomes) {
    return { outcomes, auc: null, brier: null, logLoss: null, calibration: [] };
  }
  return {
    outcomes,
    auc: auc(probabilities, converted),
    brier: brierScore(probabilities, converted),
    logLoss: logLoss(probabilities, converted),
    calibration: calibrationByDecile(probabilities, converted),
  };
}

/** The first day of the newest days that hold at least `outcomes` outcomes (all days when fewer), and how many they hold. */
export function newestDaysHolding(cells: readonly OutcomeCell[], outcomes: number): { fromDay: number; outcomes: number } {
  const perDay = new Map<number, number>();
  for (const cell of cells) perDay.set(cell.day, (perDay.get(cell.day) ?? 0) + cell.trials);
  const days = [...perDay.keys()].sort((a, b) => b - a);
  let held = 0;
  let fromDay = Number.POSITIVE_INFINITY;
  for (const day of days) {
    if (held >= outcomes) break;
    held += perDay.get(day)!;
    fromDay = day;
  }
  return { fromDay, outcomes: held };
}

/**
 * Each outcome of the evaluated cells scored by a fit on every other outcome:
 * the evaluated outcomes dealt into `folds`, every fold predicted by a fit
 * without it. Cells emptied by a fold stay in training with no trials, so the
 * newest day (the weighting's origin) is the same in every fold.
 */
export function crossValidatedPredictions(
  cells: readonly OutcomeCell[],
  evaluated: (cell: OutcomeCell) => boolean,
  memory: TrainingMemory,
  folds = HELD_OUT_FOLDS,
): HeldOutPredictions {
  const perFold = dealIntoFolds(cells, evaluated, folds);
  const probabilities: number[] = [];
  const converted: boolean[] = [];
  const cellIndex: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const training = cells.map((cell, i) => {
      const held = perFold[i]?.[fold];
      return held ? { ...cell, trials: cell.trials - held.trials, successes: cell.successes - held.successes } : cell;
    });
    if (!perFold.some((counts) => counts && counts[fold]!.trials > 0)) continue;
    const model = fitTriageModel(training, memory, `held-out-${fold}`);
    cells.forEach((cell, i) => {
      const held = perFold[i]?.[fold];
      if (!held || held.trials === 0) return;
      const probability = conversionProbability(model, cell.features);
      for (let k = 0; k < held.trials; k++) {
        probabilities.push(probability);
        converted.push(k < held.successes);
        cellIndex.push(i);
      }
    });
  }
  return { probabilities, converted, cellIndex };
}

type FoldCounts = { trials: number; successes: number }[];

/** Per evaluated cell, its outcomes dealt into folds: conversions and losses each round-robin across the evaluated cells. */
function dealIntoFolds(cells: readonly OutcomeCell[], evaluated: (cell: OutcomeCell) => boolean, folds: number): (FoldCounts | null)[] {
  let nextConversion = 0;
  let nextLoss = 0;
  return cells.map((cell) => {
    if (!evaluated(cell)) return null;
    const counts: FoldCounts = Array.from({ length: folds }, () => ({ trials: 0, successes: 0 }));
    for (let k = 0; k < cell.successes; k++) {
      const fold = counts[nextConversion++ % folds]!;
      fold.trials++;
      fold.successes++;
    }
    for (let k = 0; k < cell.trials - cell.successes; k++) counts[nextLoss++ % folds]!.trials++;
    return counts;
  });
}
