// Robust z-scores, checked by hand.
import { describe, expect, it } from 'vitest';
import { isAnomaly, median, robustScale, robustZ, robustZScores } from '../../../src/statistics/robust-z.js';

describe('robustZScores', () => {
  it('[1, 2, 3, 4, 100]: median 3, MAD 1, scale 1.4826', () => {
    // |x − 3| = [2, 1, 0, 1, 97] → sorted [0, 1, 1, 2, 97] → MAD = 1.
    const scale = robustScale([1, 2, 3, 4, 100]);
    expect(scale).toEqual({ median: 3, mad: 1, scale: 1.4826, method: 'mad' });
    const z = robustZScores([1, 2, 3, 4, 100]);
    const expected = [-2 / 1.4826, -1 / 1.4826, 0, 1 / 1.4826, 97 / 1.4826]; // 100 → 65.43
    for (const [i, value] of z.entries()) expect(value).toBeCloseTo(expected[i] as number, 12);
    expect(z.map((value) => isAnomaly(value))).toEqual([false, false, false, false, true]);
  });

  it('even counts: median of the middle pair', () => {
    // [10, 12, 14, 30]: median 13, |x − 13| = [3, 1, 1, 17] → MAD = (1 + 3)/2 = 2, scale 2.9652.
    expect(median([30, 10, 14, 12])).toBe(13);
    expect(robustScale([10, 12, 14, 30]).mad).toBe(2);
    expect(robustZScores([10, 12, 14, 30])[3]).toBeCloseTo(17 / 2.9652, 12);
  });

  it('MAD = 0 falls back to 1.2533 × mean absolute deviation', () => {
    // [5, 5, 5, 5, 6, 9]: median 5, deviations [0, 0, 0, 0, 1, 4] → MAD 0, mean deviation 5/6,
    // scale 1.2533·5/6 = 1.044417, z(9) = 4/1.044417 = 3.82989.
    const scale = robustScale([5, 5, 5, 5, 6, 9]);
    expect(scale.method).toBe('mean-absolute-deviation');
    expect(scale.scale).toBeCloseTo((1.2533 * 5) / 6, 14);
    const z = robustZScores([5, 5, 5, 5, 6, 9]);
    expect(z[5]).toBeCloseTo(4 / ((1.2533 * 5) / 6), 12);
    expect(z[0]).toBe(0);
    expect(isAnomaly(z[5] as number)).toBe(true);
    expect(isAnomaly(z[4] as number)).toBe(false); // 1/1.0444 = 0.957
  });

  it('no spread at all: 0 for equal values, ±Infinity otherwise', () => {
    expect(robustZScores([7, 7, 7])).toEqual([0, 0, 0]);
    expect(robustZ([7, 7, 7], 7)).toBe(0);
    expect(robustZ([7, 7, 7], 8)).toBe(Number.POSITIVE_INFINITY);
    expect(robustZ([7, 7, 7], 6.5)).toBe(Number.NEGATIVE_INFINITY);
    expect(isAnomaly(Number.NEGATIVE_INFINITY)).toBe(true);
  });
});

describe('robustZ', () => {
  it('scores a new value against a history it is not part of', () => {
    // History [20, 22, 19, 21, 23, 20, 80]: median 21, |x − 21| = [1, 1, 2, 0, 2, 1, 59] → MAD 1.
    const history = [20, 22, 19, 21, 23, 20, 80];
    expect(robustZ(history, 30)).toBeCloseTo(9 / 1.4826, 12); // 6.07: an anomaly despite the 80 in history
    expect(isAnomaly(robustZ(history, 30))).toBe(true);
    expect(isAnomaly(robustZ(history, 25))).toBe(false); // 4/1.4826 = 2.70
    expect(robustZ(history, 15)).toBeCloseTo(-6 / 1.4826, 12);
  });

  it('honours a custom threshold and never flags NaN', () => {
    expect(isAnomaly(3, 2.5)).toBe(true);
    expect(isAnomaly(3)).toBe(false);
    expect(isAnomaly(Number.NaN)).toBe(false);
  });

  it('rejects empty or non-finite input', () => {
    expect(() => robustZ([], 1)).toThrow(RangeError);
    expect(() => robustZScores([1, Number.NaN])).toThrow(RangeError);
    expect(() => robustZ([1, 2, 3], Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
