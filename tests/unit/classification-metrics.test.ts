// Classification metrics: AUC (Mann–Whitney with ties), Brier score, log-loss,
// expected calibration error and the calibration curve by decile, on cases small
// enough to work out by hand.
import { describe, expect, it } from 'vitest';
import { auc, brierScore, calibrationByDecile, calibrationError, expectedCalibrationError, logLoss } from '../../src/statistics/classification-metrics.js';
import { mulberry32 } from '../support/synthetic-population.js';

describe('auc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    const labels = [false, false, true, true];
    expect(auc([0.1, 0.2, 0.8, 0.9], labels)).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], labels)).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], labels)).toBe(0.5);
  });

  it('matches hand-computed cases, ties counting one half', () => {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 beats 0.1 only, 0.8 beats both: 3 of 4.
    expect(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    // Positives {0.5, 0.9} against negatives {0.5, 0.2}: ½ + 1 + 1 + 1 = 3.5 of 4.
    expect(auc([0.5, 0.5, 0.2, 0.9], [true, false, false, true])).toBe(0.875);
  });

  it('agrees with the O(n²) pair count on random data with many ties', () => {
    const random = mulberry32(8);
    const scores = Array.from({ length: 300 }, () => Math.floor(random() * 12));
    const labels = scores.map((score) => random() < 0.2 + score / 20);
    let wins = 0;
    let pairs = 0;
    scores.forEach((positive, i) => {
      if (!labels[i]) return;
      scores.forEach((negative, j) => {
        if (labels[j]) return;
        pairs++;
        wins += positive > negative ? 1 : positive === negative ? 0.5 : 0;
      });
    });
    expect(auc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });

  it('needs both classes and matching lengths', () => {
    expect(() => auc([0.1, 0.2], [true, true])).toThrow(/both classes/);
    expect(() => auc([0.1], [true, false])).toThrow(/1 values but 2 labels/);
  });
});

describe('brierScore', () => {
  it('is the mean squared error of the probabilities', () => {
    expect(brierScore([1, 0], [true, false])).toBe(0);
    expect(brierScore([0.5, 0.5], [true, false])).toBe(0.25);
    expect(brierScore([0, 1], [true, false])).toBe(1);
    // (0.2² + 0.3²) / 2
    expect(brierScore([0.8, 0.3], [true, false])).toBeCloseTo(0.065, 12);
  });
});

describe('expectedCalibrationError', () => {
  it('is 0 when each bin’s mean prediction equals its observed rate', () => {
    const probabilities = new Array<number>(10).fill(0.3);
    const labels = probabilities.map((_, i) => i < 3);
    expect(expectedCalibrationError(probabilities, labels)).toBeCloseTo(0, 12);
  });

  it('weights each bin’s gap by its share of the predictions', () => {
    // Bin [0.1, 0.2): predicted 0.1, observed 0.5, half the data: 0.2. Bin [0.9, 1]: 0.9 vs 1: 0.05.
    expect(expectedCalibrationError([0.1, 0.1, 0.9, 0.9], [false, true, true, true])).toBeCloseTo(0.25, 12);
    // A probability of exactly 1 lands in the last bin, with 0.95: mean 0.975 against 1.
    expect(expectedCalibrationError([1, 0.95], [true, true])).toBeCloseTo(0.025, 12);
    // One bin: |mean prediction - base rate|.
    expect(expectedCalibrationError([0.1, 0.9], [true, true], 1)).toBeCloseTo(0.5, 12);
  });
});

describe('calibrationError', () => {
  it('weighs each bin by its outcomes', () => {
    const bins = [
      { predicted: 0.1, observed: 0.12, outcomes: 100 },
      { predicted: 0.5, observed: 0.4, outcomes: 100 },
      { predicted: 0.8, observed: 0.85, outcomes: 200 },
    ];
    expect(calibrationError(bins)).toBeCloseTo((100 * 0.02 + 100 * 0.1 + 200 * 0.05) / 400, 12);
  });

  it('is null for an empty curve', () => {
    expect(calibrationError([])).toBeNull();
    expect(calibrationError([{ predicted: 0.3, observed: 0, outcomes: 0 }])).toBeNull();
  });

  it('equals expectedCalibrationError over the deciles the predictions fall in', () => {
    const random = mulberry32(7);
    const probabilities = Array.from({ length: 500 }, () => random());
    const labels = probabilities.map((p) => random() < p * 0.8 + 0.05);
    const bins = Array.from({ length: 10 }, (_, decile) => {
      const inBin = probabilities.flatMap((p, i) => (Math.min(9, Math.floor(p * 10)) === decile ? [i] : []));
      return {
        predicted: inBin.reduce((sum, i) => sum + probabilities[i]!, 0) / Math.max(1, inBin.length),
        observed: inBin.filter((i) => labels[i]).length / Math.max(1, inBin.length),
        outcomes: inBin.length,
      };
    });
    expect(calibrationError(bins)).toBeCloseTo(expectedCalibrationError(probabilities, labels), 12);
  });
});

describe('logLoss', () => {
  it('is ln 2 for a coin and grows without bound (but finitely) for a confident miss', () => {
    expect(logLoss([0.5, 0.5], [true, false])).toBeCloseTo(Math.LN2, 12);
    expect(logLoss([0.9, 0.1], [true, false])).toBeCloseTo(-Math.log(0.9), 12);
    expect(logLoss([1], [false])).toBeGreaterThan(30);
    expect(Number.isFinite(logLoss([1], [false]))).toBe(true);
  });
});

describe('calibrationByDecile', () => {
  it('cuts the sorted predictions into equal-count bins with their mean prediction and observed rate', () => {
    const probabilities = [0.9, 0.1, 0.2, 0.8];
    const labels = [true, false, true, true];
    expect(calibrationByDecile(probabilities, labels, 2)).toEqual([
      { predicted: 0.15000000000000002, observed: 0.5, outcomes: 2 },
      { predicted: 0.8500000000000001, observed: 1, outcomes: 2 },
    ]);
  });

  it('has as many bins as predictions when there are fewer than ten', () => {
    expect(calibrationByDecile([0.3, 0.6], [false, true])).toHaveLength(2);
    expect(calibrationByDecile([], [])).toEqual([]);
  });
});
