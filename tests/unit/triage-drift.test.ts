// The triage model's drift check (src/memory/triage-model/triage-drift.ts) on
// synthetic markets (tests/support/synthetic-population.ts): silent while there are
// too few outcomes to test, STABLE on a market that does not change, DRIFTING (with
// the change point and the attributes that moved, chosen again while drifting) on one
// whose industry and persona effects reverse, and recovered once the refit loop has
// relearned the new market.
//
// These are single seeded runs, chosen to show each state: how often a stable market
// raises a false alarm and how soon a change is detected, over many seeds, are
// measured by `npm run bench:triage` (bench/triage-market-change.ts), not asserted here.
import { describe, expect, it } from 'vitest';
import type { TriageModel } from '../../src/domain/triage-model.js';
import {
  checkDrift,
  DRIFT_P_VALUE,
  DRIFT_WINDOW,
  LONG_DRIFT_WINDOW,
  MIN_REFERENCE_OUTCOMES,
  RECOVERY_P_VALUE,
} from '../../src/memory/triage-model/triage-drift.js';
import { driftAfter, refitTriageModel } from '../../src/memory/triage-model/triage-refit.js';
import { type ChangePoint, DAY_MS, type TrainingMemory, trainingDataOf } from '../../src/memory/triage-model/triage-training.js';
import { cellsOf, outcomeStream } from '../support/outcome-cells.js';
import { generatePopulation, randomGroundTruth, reversedMarket } from '../support/synthetic-population.js';

const START_DAY = 20_000;
const PER_DAY = 20;
const MEMORY: TrainingMemory = { halfLifeDays: 365, changePoint: null };
const SEED = 1;

const truth = randomGroundTruth(SEED * 1_000 + 1);
const stable = outcomeStream(generatePopulation({ size: 1_500, seed: SEED * 1_000 + 2, idPrefix: 'stable', truth }), { startDay: START_DAY, perDay: PER_DAY });
/** 600 outcomes from the market, then 1,400 from it with industry and persona reversed. */
const CHANGE_AT = 600;
const reversal = (seed: number) => {
  const before = randomGroundTruth(seed * 1_000 + 1);
  return outcomeStream(
    [
      ...generatePopulation({ size: CHANGE_AT, seed: seed * 1_000 + 2, idPrefix: 'pre', truth: before }),
      ...generatePopulation({ size: 1_400, seed: seed * 1_000 + 3, idPrefix: 'post', truth: reversedMarket(before) }),
    ],
    { startDay: START_DAY, perDay: PER_DAY },
  );
};
const changing = reversal(SEED);
const changeDay = START_DAY + CHANGE_AT / PER_DAY;

const checkAt = (stream: typeof stable, n: number) =>
  checkDrift(cellsOf(stream.slice(0, n), Number.NEGATIVE_INFINITY), MEMORY, false, new Date(stream[n - 1]!.at));

describe('checkDrift', () => {
  it('warms up until a full window and a full reference of outcomes are recorded', () => {
    // 20 outcomes a day: the window is the newest 15 days (300 outcomes); 580 leave 280 before it.
    expect(DRIFT_WINDOW + MIN_REFERENCE_OUTCOMES).toBe(600);
    for (const n of [100, 299, 580]) {
      const { check, changePoint } = checkAt(stable, n);
      expect(check.state).toBe('WARMING_UP');
      expect(check.test).toBeNull();
      expect(check.recentBrier).toBeNull();
      expect(check.calibration).toEqual([]);
      expect(check.inputStability).toBeNull();
      expect(check.detected).toBe(false);
      expect(changePoint).toBeNull();
    }
    const { check } = checkAt(stable, 580);
    expect(check.windowOutcomes).toBe(300);
    expect(check.referenceOutcomes).toBe(280);
  });

  it('is STABLE on a market that does not change, with the figures a reader weighs it by', () => {
    for (const n of [600, 900, 1_500]) {
      const { check, changePoint } = checkAt(stable, n);
      expect(check.state, `after ${n} outcomes`).toBe('STABLE');
      expect(check.test!.pValue).toBeGreaterThanOrEqual(DRIFT_P_VALUE);
      expect(check.detected).toBe(false);
      expect(check.changePointAt).toBeNull();
      expect(check.changedAttributes).toEqual([]);
      expect(changePoint).toBeNull();
      // The short window (300) or, with a reference before it, the long one (500): whichever disagrees more.
      expect(n === 600 ? [DRIFT_WINDOW] : [DRIFT_WINDOW, LONG_DRIFT_WINDOW]).toContain(check.windowOutcomes);
      expect(check.referenceOutcomes).toBe(n - check.windowOutcomes);
      expect(check.windowFrom).toEqual(new Date((START_DAY + (n - check.windowOutcomes) / PER_DAY) * DAY_MS));
      expect(check.test!.degreesOfFreedom).toBeGreaterThan(10);
      expect(check.recentBrier).toBeGreaterThan(0);
      expect(check.recentBrier).toBeLessThan(0.25);
      expect(check.recentLogLoss).toBeGreaterThan(0);
      expect(check.calibration.reduce((sum, bin) => sum + bin.outcomes, 0)).toBe(check.windowOutcomes);
      // The lead mix does not move: no large population shift.
      expect(check.inputStability).toBeGreaterThanOrEqual(0);
      expect(check.inputStability).toBeLessThan(0.25);
    }
    // With two windows and a reference before them, the previous window is scored too.
    const { check } = checkAt(stable, 900);
    expect(check.previousBrier).toBeGreaterThan(0);
    expect(check.previousLogLoss).toBeGreaterThan(0);
    expect(checkAt(stable, 600).check.previousBrier).toBeNull();
  });

  it('detects a reversed market: DRIFTING from about the true change, naming the attributes that moved', () => {
    const { check, changePoint, outcomesSinceChange } = checkAt(changing, 900);
    expect(check.state).toBe('DRIFTING');
    expect(check.detected).toBe(true);
    expect(check.test!.pValue).toBeLessThan(DRIFT_P_VALUE);
    // The window is the 300 outcomes since the change; the split that fits worst lies within a day (20 outcomes) of it.
    expect(Math.abs(changePoint!.day - changeDay)).toBeLessThanOrEqual(1);
    expect(check.changePointAt).toEqual(new Date(changePoint!.day * DAY_MS));
    expect(outcomesSinceChange).toBe((START_DAY + 900 / PER_DAY - changePoint!.day) * PER_DAY);
    expect(check.changedAttributes).toEqual(changePoint!.attributes);
    expect(check.changedAttributes.some((attribute) => attribute === 'industry' || attribute === 'persona')).toBe(true);
    expect(check.changedAttributes).not.toContain('intercept');
    // The window converts unlike the reference predicts: worse than the window before it.
    expect(check.recentLogLoss!).toBeGreaterThan(check.previousLogLoss!);
  });

  it('places the change point inside a window that caught it late, where the split fits worst, not at the window start', () => {
    // A market with stronger effects, reversed after 600 outcomes: at 800 the window (the newest whole days
    // holding 300) begins 5 days (100 outcomes) before the change, and already finds it.
    const strong = randomGroundTruth(SEED * 1_000 + 1, 1.6);
    const sharp = outcomeStream(
      [
        ...generatePopulation({ size: CHANGE_AT, seed: SEED * 1_000 + 2, idPrefix: 'pre', truth: strong }),
        ...generatePopulation({ size: 200, seed: SEED * 1_000 + 3, idPrefix: 'post', truth: reversedMarket(strong) }),
      ],
      { startDay: START_DAY, perDay: PER_DAY },
    );
    const { check, changePoint } = checkAt(sharp, 800);
    expect(check.detected).toBe(true);
    expect(check.windowFrom).toEqual(new Date((changeDay - 5) * DAY_MS));
    expect(Math.abs(changePoint!.day - changeDay)).toBeLessThanOrEqual(1);
  });

  it('tests a long window too: a change too small for the short window is found once more of the new market is recorded', () => {
    // Seed 2's reversal moves the effects less: no short window of it (300 outcomes, tested at every check) is
    // significant, and 450 outcomes after the change the long window (500) is.
    const smaller = reversal(2);
    for (let n = CHANGE_AT + 50; n < CHANGE_AT + 450; n += 50) expect(checkAt(smaller, n).check.detected, `after ${n} outcomes`).toBe(false);
    const { check, changePoint } = checkAt(smaller, CHANGE_AT + 450);
    expect(check.detected).toBe(true);
    expect(check.windowOutcomes).toBeGreaterThanOrEqual(LONG_DRIFT_WINDOW);
    expect(check.test!.pValue).toBeLessThan(DRIFT_P_VALUE);
    expect(changePoint!.attributes).toContain('persona');
    // Placed by the split that fits worst within the long window, which began before the change: here 3 days
    // (60 outcomes) from the true change; a smaller change is placed less surely than a large one.
    expect(Math.abs(changePoint!.day - changeDay)).toBeLessThanOrEqual(5);
  });

  it('finds, while drifting, a changed attribute the detection missed, and leaves the unchanged ones alone', () => {
    // Seed 3: the detection (a window of the new market) names industry alone; persona reversed too.
    const stream = reversal(3);
    const detection = checkAt(stream, 900);
    expect(detection.check.detected).toBe(true);
    expect(detection.changePoint!.attributes).toEqual(['industry']);
    // 500 outcomes after the change point, every one of them tested: persona joins, and nothing else does.
    const changeIndex = (detection.changePoint!.day - START_DAY) * PER_DAY;
    const n = changeIndex + 500;
    const open = checkDrift(
      cellsOf(stream.slice(0, n), Number.NEGATIVE_INFINITY),
      { ...MEMORY, changePoint: detection.changePoint! },
      true,
      new Date(stream[n - 1]!.at),
    );
    expect(open.check).toMatchObject({ state: 'DRIFTING', detected: false, changedAttributes: ['industry', 'persona'] });
    expect(open.changePoint).toEqual({ day: detection.changePoint!.day, attributes: ['industry', 'persona'] });
  });

  it('drops, while drifting, an attribute the detection named that the outcomes since do not bear out', () => {
    // Seed 15: the detection's window makes source look changed besides industry and persona; it did not change.
    const stream = reversal(15);
    const detection = checkAt(stream, 800);
    expect(detection.check.detected).toBe(true);
    expect(detection.changePoint!.attributes).toEqual(['industry', 'persona', 'source']);
    // Asked again with 300 and 500 outcomes since the change point, relearning source no longer fits them better.
    const changeIndex = (detection.changePoint!.day - START_DAY) * PER_DAY;
    for (const since of [300, 500]) {
      const n = changeIndex + since;
      const open = checkDrift(
        cellsOf(stream.slice(0, n), Number.NEGATIVE_INFINITY),
        { ...MEMORY, changePoint: detection.changePoint! },
        true,
        new Date(stream[n - 1]!.at),
      );
      expect(open.check).toMatchObject({ state: 'DRIFTING', changedAttributes: ['industry', 'persona'] });
      expect(open.changePoint).toEqual({ day: detection.changePoint!.day, attributes: ['industry', 'persona'] });
    }
  });

  it('does not detect an open drift again, and recovers only once a window and a reference of the new market are recorded', () => {
    const first = checkAt(changing, 900);
    /** Outcomes recorded before the change point: the index of its first outcome. */
    const changeIndex = (first.changePoint!.day - START_DAY) * PER_DAY;
    const openAt = (n: number) => {
      const cells = cellsOf(changing.slice(0, n), Number.NEGATIVE_INFINITY);
      return checkDrift(cells, { ...MEMORY, changePoint: first.changePoint! }, true, new Date(changing[n - 1]!.at));
    };
    // 300 outcomes after the change point, the drift still open: the reference (all before the change point) has
    // not learned the new market's industry and persona, and their prior uncertainty leaves the window in agreement.
    const agreeing = openAt(900);
    expect(agreeing.check.test!.pValue).toBeGreaterThanOrEqual(RECOVERY_P_VALUE);
    expect(agreeing.check).toMatchObject({ state: 'DRIFTING', detected: false, recovered: false });
    // 500 since: still too few for the reference before the window to hold a reference's worth of the new market.
    const young = openAt(changeIndex + 500);
    expect(young.outcomesSinceChange).toBe(500);
    expect(young.check).toMatchObject({ state: 'DRIFTING', detected: false, recovered: false });
    expect(young.check.changePointAt).toEqual(first.check.changePointAt);
    expect(young.check.changedAttributes).toEqual(first.changePoint!.attributes);
    // 600 since (a window and a reference): recovered, and the check still names the change point.
    const recovered = openAt(changeIndex + DRIFT_WINDOW + MIN_REFERENCE_OUTCOMES);
    expect(recovered.outcomesSinceChange).toBe(DRIFT_WINDOW + MIN_REFERENCE_OUTCOMES);
    expect(recovered.check).toMatchObject({ state: 'STABLE', detected: false, recovered: true });
    expect(recovered.check.changePointAt).toEqual(first.check.changePointAt);
    expect(recovered.changePoint).toEqual(first.changePoint);
  });

  // 40 refits, ~2 s alone; the whole unit project in parallel can triple that, past Vitest's 5 s default.
  it('recovers in the refit loop once the relearned model explains the new market again', () => {
    // The loop Baton runs at each consolidation (as bench/triage-market-change.ts runs it): every 50 outcomes a
    // refit, carrying the model in use and the latest drift episode from fit to fit.
    let inUse: TriageModel | null = null;
    let trainedTo = Number.NEGATIVE_INFINITY;
    let episode: { changePoint: ChangePoint; recovered: boolean } | null = null;
    const detections: number[] = [];
    const recoveries: number[] = [];
    let last: ReturnType<typeof refitTriageModel> | null = null;
    for (let n = 50; n <= changing.length; n += 50) {
      const refit = refitTriageModel({
        data: trainingDataOf(cellsOf(changing.slice(0, n), trainedTo)),
        version: `v${n}`,
        current: inUse,
        drift: episode,
        halfLifeDays: MEMORY.halfLifeDays,
        now: new Date(changing[n - 1]!.at),
      });
      const { check } = refit.drift;
      episode = driftAfter(refit);
      if (check.detected) {
        expect(episode).toEqual({ changePoint: refit.drift.changePoint, recovered: false });
        detections.push(n);
      }
      if (check.recovered && episode) {
        expect(episode.recovered).toBe(true);
        recoveries.push(n);
        expect(check.state).toBe('STABLE');
        expect(check.test!.pValue).toBeGreaterThanOrEqual(RECOVERY_P_VALUE);
        // The check that recovered still names the change point it recovered from.
        expect(check.changePointAt).toEqual(new Date(episode.changePoint.day * DAY_MS));
        expect(refit.drift.outcomesSinceChange).toBeGreaterThanOrEqual(DRIFT_WINDOW + MIN_REFERENCE_OUTCOMES);
      }
      if (episode && !episode.recovered) expect(check.state).toBe('DRIFTING');
      if (refit.promotion.promoted) {
        inUse = refit.model;
        trainedTo = changing[n - 1]!.at;
      }
      last = refit;
    }
    // One detection, once a full window of the new market is recorded (on this seed: at 900); then a recovery
    // once a window and a reference of the new market are recorded.
    expect(detections).toHaveLength(1);
    expect(detections[0]).toBeGreaterThan(CHANGE_AT);
    expect(detections[0]).toBeLessThanOrEqual(CHANGE_AT + DRIFT_WINDOW);
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]).toBeGreaterThan(detections[0]!);
    // After recovery the old market stays the old market: the change point is kept, the state is STABLE.
    expect(last!.drift.check.state).toBe('STABLE');
    expect(last!.memory.changePoint).toEqual(episode!.changePoint);
  }, 30_000);
});
