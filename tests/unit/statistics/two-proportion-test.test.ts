// Two-proportion z-test against R/scipy. Reference: R's
//   prop.test(c(200, 250), c(1000, 1000), correct = FALSE)
// is Pearson's χ² on the 2×2 table; scipy.stats.chi2_contingency([[200, 800], [250, 750]],
// correction=False) gives X² = 7.168458781362007, p = 0.007419649261025672.
// By hand: pooled p = 0.225, SE = √(0.225·0.775·(2/1000)) = 0.0186748, z = 0.05/SE = 2.677398.
// (The brief's "z² = 6.584, p = 0.01029" matches neither this test nor the Yates-corrected
// one, X² = 6.8846, p = 0.008694.)
import { describe, expect, it } from 'vitest';
import { MIN_TRIALS, twoProportionZTest } from '../../../src/statistics/two-proportion-test.js';

describe('twoProportionZTest', () => {
  const a = { successes: 200, trials: 1000 };
  const b = { successes: 250, trials: 1000 };

  it('matches prop.test(c(200,250), c(1000,1000), correct=FALSE)', () => {
    const result = twoProportionZTest(a, b);
    expect(result.sufficient).toBe(true);
    if (!result.sufficient) return;
    expect(result.rateA).toBe(0.2);
    expect(result.rateB).toBe(0.25);
    expect(result.difference).toBeCloseTo(0.05, 15);
    expect(result.relativeLift).toBeCloseTo(0.25, 14);
    expect(result.pooledRate).toBeCloseTo(0.225, 15);
    expect(result.z * result.z).toBeCloseTo(7.168458781362007, 12);
    expect(Math.abs(result.pValue - 0.007419649261025672) / 0.007419649261025672).toBeLessThan(1e-12);
    // Unpooled Wald: 0.05 ± 1.959964·√(0.2·0.8/1000 + 0.25·0.75/1000).
    expect(result.confidenceInterval95[0]).toBeCloseTo(0.013463621687539853, 14);
    expect(result.confidenceInterval95[1]).toBeCloseTo(0.08653637831246015, 14);
  });

  it('one-sided alternatives: greater halves the two-sided p, less is its complement', () => {
    const greater = twoProportionZTest(a, b, { alternative: 'greater' });
    const less = twoProportionZTest(a, b, { alternative: 'less' });
    if (!greater.sufficient || !less.sufficient) throw new Error('expected sufficient data');
    // scipy.stats.norm.sf(√7.168458781362007) = 0.003709824630512836.
    expect(Math.abs(greater.pValue - 0.003709824630512836) / 0.003709824630512836).toBeLessThan(1e-12);
    expect(greater.pValue + less.pValue).toBeCloseTo(1, 14);
    // Swapping the groups flips the sign of z.
    const swapped = twoProportionZTest(b, a);
    if (!swapped.sufficient) throw new Error('expected sufficient data');
    expect(swapped.z).toBeCloseTo(-greater.z, 14);
  });

  it('equal rates give z = 0 and p = 1', () => {
    const result = twoProportionZTest({ successes: 30, trials: 300 }, { successes: 30, trials: 300 });
    expect(result.z).toBe(0);
    expect(result.pValue).toBe(1);
  });

  it(`is insufficient with fewer than ${MIN_TRIALS} trials in a group, and says why`, () => {
    const result = twoProportionZTest({ successes: 20, trials: 99 }, { successes: 30, trials: 1000 });
    expect(result.sufficient).toBe(false);
    expect(result.pValue).toBeNull();
    expect(result.z).toBeNull();
    expect(result.confidenceInterval95).toBeNull();
    expect(result.reason).toMatch(/group A has 99 trials/);
    expect(result.rateA).toBeCloseTo(20 / 99, 15); // the descriptive figures remain
  });

  it('is insufficient with fewer than 5 expected successes (rare events) or failures', () => {
    const rare = twoProportionZTest({ successes: 1, trials: 150 }, { successes: 4, trials: 150 });
    expect(rare.sufficient).toBe(false);
    expect(rare.reason).toMatch(/expects 2\.5 successes/);
    const saturated = twoProportionZTest({ successes: 199, trials: 200 }, { successes: 200, trials: 200 });
    expect(saturated.sufficient).toBe(false);
    expect(saturated.reason).toMatch(/failures/);
    const none = twoProportionZTest({ successes: 0, trials: 500 }, { successes: 0, trials: 500 });
    expect(none.sufficient).toBe(false);
    expect(none.relativeLift).toBeNull();
  });

  it('rejects impossible counts', () => {
    expect(() => twoProportionZTest({ successes: 11, trials: 10 }, b)).toThrow(RangeError);
    expect(() => twoProportionZTest({ successes: -1, trials: 10 }, b)).toThrow(RangeError);
  });
});
