// Whether a new triage fit replaces the model in use (src/memory/triage-model/triage-promotion.ts):
// always when there is nothing to compare (the first fit, too few fresh outcomes);
// otherwise by held-out log-loss on the fresh outcomes, so a good candidate replaces
// a bad model and a candidate dragged by misleading older data does not replace a
// good one. Seeded synthetic markets (tests/support/synthetic-population.ts).
import { describe, expect, it } from 'vitest';
import { COLD_START_MODEL, INTERCEPT, type TriageModel } from '../../src/domain/triage-model.js';
import { decidePromotion, MIN_PROMOTION_OUTCOMES } from '../../src/memory/triage-model/triage-promotion.js';
import { fitTriageModel, type OutcomeCell, type TrainingMemory } from '../../src/memory/triage-model/triage-training.js';
import { cellsOf, outcomeStream } from '../support/outcome-cells.js';
import { generatePopulation, randomGroundTruth, reversedMarket } from '../support/synthetic-population.js';

const MEMORY: TrainingMemory = { halfLifeDays: null, changePoint: null };
const START_DAY = 20_000;
const truth = randomGroundTruth(7_001);

/** `older` outcomes from `olderMarket` the model in use was fitted after, then `fresh` from the true market (all fresh). */
function cellsWith(options: { older: number; fresh: number; olderMarket?: typeof truth; seed: number }): OutcomeCell[] {
  const leads = [
    ...generatePopulation({ size: options.older, seed: options.seed, idPrefix: 'older', truth: options.olderMarket ?? truth }),
    ...generatePopulation({ size: options.fresh, seed: options.seed + 1, idPrefix: 'fresh', truth }),
  ];
  const stream = outcomeStream(leads, { startDay: START_DAY, perDay: 20 });
  const freshAfter = options.older > 0 ? stream[options.older - 1]!.at : Number.NEGATIVE_INFINITY;
  return cellsOf(stream, freshAfter);
}

const freshCount = (cells: readonly OutcomeCell[]) => cells.reduce((sum, c) => sum + (c.fresh ? c.trials : 0), 0);

/** A model fitted on `size` outcomes of the true market: what a good model in use looks like. */
function goodModel(size: number, version: string): TriageModel {
  const cells = cellsOf(outcomeStream(generatePopulation({ size, seed: 42, idPrefix: 'good', truth }), { startDay: START_DAY - 400, perDay: 20 }), Infinity);
  return fitTriageModel(cells, MEMORY, version);
}

describe('decidePromotion', () => {
  const cells = cellsWith({ older: 400, fresh: 200, seed: 1 });

  it('promotes the first fit: nothing to compare with', () => {
    for (const current of [null, COLD_START_MODEL]) {
      expect(decidePromotion(cells, MEMORY, current)).toEqual({
        promoted: true,
        reason: 'The first fit: it replaces the cold-start model.',
        comparedOutcomes: 0,
        candidateLogLoss: null,
        currentLogLoss: null,
        comparedWith: null,
      });
    }
  });

  it(`promotes when fewer than ${MIN_PROMOTION_OUTCOMES} outcomes are fresh: too few to say the new fit is worse`, () => {
    const few = cellsWith({ older: 400, fresh: 29, seed: 3 });
    expect(freshCount(few)).toBe(29);
    const current = goodModel(500, 'v-current');
    expect(decidePromotion(few, MEMORY, current)).toEqual({
      promoted: true,
      reason: `Fewer than ${MIN_PROMOTION_OUTCOMES} outcomes recorded since v-current was fitted: too few to say it is worse.`,
      comparedOutcomes: 29,
      candidateLogLoss: null,
      currentLogLoss: null,
      comparedWith: 'v-current',
    });
  });

  it('promotes a good candidate over a model in use that has the market backwards', () => {
    const good = goodModel(2_000, 'v-good');
    const backwards: TriageModel = {
      ...good,
      version: 'v-backwards',
      weights: Object.fromEntries(Object.entries(good.weights).map(([key, weight]) => [key, key === INTERCEPT ? weight : -weight])),
    };
    const promotion = decidePromotion(cells, MEMORY, backwards);
    expect(promotion.promoted).toBe(true);
    expect(promotion.comparedOutcomes).toBe(freshCount(cells));
    expect(promotion.comparedOutcomes).toBe(200);
    expect(promotion.comparedWith).toBe('v-backwards');
    expect(promotion.candidateLogLoss!).toBeLessThan(promotion.currentLogLoss!);
    expect(promotion.reason).toMatch(/^Promoted: held-out log-loss /);
  });

  it('keeps a good model in use when the candidate is dragged by outcomes of another market', () => {
    // The model in use learned the true market well. The candidate learns from 3,000 older outcomes of a market with
    // industry and persona reversed and only 300 fresh ones of the true market: held out on those, it is worse.
    const current = goodModel(3_000, 'v-current');
    const dragged = cellsWith({ older: 3_000, fresh: 300, olderMarket: reversedMarket(truth), seed: 5 });
    const promotion = decidePromotion(dragged, MEMORY, current);
    expect(promotion.promoted).toBe(false);
    expect(promotion.comparedOutcomes).toBe(300);
    expect(promotion.comparedWith).toBe('v-current');
    expect(promotion.candidateLogLoss!).toBeGreaterThan(promotion.currentLogLoss!);
    expect(promotion.reason).toContain(
      `held-out log-loss ${promotion.candidateLogLoss!.toFixed(4)} against ${promotion.currentLogLoss!.toFixed(4)} for v-current`,
    );
    expect(promotion.reason).toMatch(/^Not promoted: .* on the 300 outcomes recorded since it was fitted, worse by more than 3 standard errors\.$/);
  });

  it('promotes a candidate that is about as good as the model in use (the same market throughout)', () => {
    const current = goodModel(3_000, 'v-current');
    const promotion = decidePromotion(cellsWith({ older: 3_000, fresh: 300, seed: 5 }), MEMORY, current);
    expect(promotion.promoted).toBe(true);
    expect(promotion.comparedOutcomes).toBe(300);
    expect(Math.abs(promotion.candidateLogLoss! - promotion.currentLogLoss!)).toBeLessThan(0.05);
  });
});
