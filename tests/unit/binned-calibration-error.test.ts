// The expected calibration error of a stored calibration curve is the one computed
// from the predictions the curve was binned from.
import { describe, expect, it } from 'vitest';
import { binnedCalibrationError } from '../../src/statistics/binned-calibration-error.js';
import { expectedCalibrationError } from '../../src/statistics/classification-metrics.js';
import { seededRandom } from '../../src/statistics/random.js';

describe('binnedCalibrationError', () => {
  it('weighs each bin by its outcomes', () => {
    const bins = [
      { predicted: 0.1, observed: 0.12, outcomes: 100 },
      { predicted: 0.5, observed: 0.4, outcomes: 100 },
      { predicted: 0.8, observed: 0.85, outcomes: 200 },
    ];
    expect(binnedCalibrationError(bins)).toBeCloseTo((100 * 0.02 + 100 * 0.1 + 200 * 0.05) / 400, 12);
  });

  it('is null for an empty curve', () => {
    expect(binnedCalibrationError([])).toBeNull();
    expect(binnedCalibrationError([{ predicted: 0.3, observed: 0, outcomes: 0 }])).toBeNull();
  });

  it('equals expectedCalibrationError over the deciles the predictions fall in', () => {
    const random = seededRandom(7);
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
    expect(binnedCalibrationError(bins)).toBeCloseTo(expectedCalibrationError(probabilities, labels), 12);
  });
});
