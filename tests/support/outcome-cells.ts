// Synthetic leads as the triage store reads outcomes: each lead settles at a steady
// rate from a start day, and outcomes are counted per (feature set, UTC day, fresh)
// like loadTrainingData does (the unit tests and bench/triage-market-change.ts build them here).
import { featureKeys } from '../../src/domain/triage-model.js';
import { DAY_MS, type OutcomeCell } from '../../src/memory/triage-model/triage-training.js';
import type { SyntheticLead } from './synthetic-population.js';

/** One recorded outcome: the lead's feature keys, whether it converted, and when (ms since the epoch). */
export interface StreamOutcome {
  keys: string[];
  converted: boolean;
  day: number;
  at: number;
}

/** The leads settled one after another, `perDay` a day, from the start of `startDay`. */
export function outcomeStream(leads: readonly SyntheticLead[], options: { startDay: number; perDay: number }): StreamOutcome[] {
  return leads.map(({ lead, converted }, i) => {
    const at = options.startDay * DAY_MS + (i * DAY_MS) / options.perDay;
    return { keys: featureKeys(lead), converted, day: Math.floor(at / DAY_MS), at };
  });
}

/** Outcomes as cells, ordered by day, fresh flag and feature set; outcomes after `freshAfter` (ms) are fresh. */
export function cellsOf(outcomes: readonly StreamOutcome[], freshAfter: number): OutcomeCell[] {
  const cells = new Map<string, OutcomeCell>();
  for (const outcome of outcomes) {
    const fresh = outcome.at > freshAfter;
    const key = `${String(outcome.day).padStart(8, '0')}|${fresh ? 1 : 0}|${outcome.keys.join('|')}`;
    const cell = cells.get(key) ?? { features: outcome.keys, day: outcome.day, fresh, trials: 0, successes: 0 };
    cell.trials++;
    if (outcome.converted) cell.successes++;
    cells.set(key, cell);
  }
  return [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, cell]) => cell);
}
