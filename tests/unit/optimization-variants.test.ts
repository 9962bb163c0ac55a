// Variant winners by a two-proportion z-test AND Bayesian P(B beats A), with a minimum sample.
// Hand check, A 100/2000 vs B 160/2000 conversions per click: pooled p = 260/4000 = 0.065,
// SE = √(0.065·0.935·(2/2000)) = 0.0077958…, z = 0.03/SE = 3.84823…, two-sided p = 2Φ(−z) ≈ 1.19e-4
// (R: prop.test(c(100, 160), c(2000, 2000), correct = FALSE) gives X² = 14.809, p = 0.0001189).
// Posteriors Beta(101, 1901) and Beta(161, 1841): normal approximation 0.03/0.0078 ≈ 3.84 σ, P ≈ 0.99994.
import { describe, expect, it } from 'vitest';
import { chooseControl, compareVariants, variantRecommendations } from '../../src/agents/optimization/variant-tests.js';
import { kpisOf, type VariantKpis } from '../../src/agents/optimization/kpis.js';
import { resolveThresholds } from '../../src/agents/optimization/thresholds.js';
import { probabilityBBeatsA } from '../../src/statistics/bayesian-ab.js';
import { twoProportionZTest } from '../../src/statistics/two-proportion-test.js';

const thresholds = resolveThresholds();
const variant = (name: string, clicks: number, conversions: number): VariantKpis => ({
  variant: name,
  ...kpisOf({ impressions: clicks * 20, clicks, conversions, spendUsd: clicks, revenueUsd: conversions * 30 }),
});

describe('compareVariants', () => {
  it("declares B the winner on a clear case, with the statistics library's z, p and P(B > A)", () => {
    const [comparison] = compareVariants([variant('A', 2000, 100), variant('B', 2000, 160)], thresholds);
    expect(comparison?.verdict).toBe('variant_wins');
    const library = twoProportionZTest({ successes: 100, trials: 2000 }, { successes: 160, trials: 2000 });
    const se = Math.sqrt(0.065 * 0.935 * (2 / 2000));
    expect(comparison?.test.z).toBe(library.z);
    expect(comparison?.test.z).toBeCloseTo(0.03 / se, 10);
    expect(comparison?.test.z).toBeCloseTo(3.84823, 4);
    expect(comparison?.test.pValue).toBe(library.pValue);
    expect(comparison?.test.pValue).toBeCloseTo(1.189e-4, 6);
    const posterior = probabilityBBeatsA({ successes: 100, trials: 2000 }, { successes: 160, trials: 2000 });
    expect(comparison?.bayes.probabilityBBeatsA).toBe(posterior);
    expect(posterior).toBeGreaterThan(0.9999);
    expect(posterior).toBeLessThan(0.99999);

    const [recommendation] = variantRecommendations(compareVariants([variant('A', 2000, 100), variant('B', 2000, 160)], thresholds));
    expect(recommendation).toMatchObject({ type: 'variant_winner', target: 'variant:B', confidence: posterior });
    expect(recommendation?.evidence).toMatchObject({
      control: 'A',
      variant: 'B',
      control_clicks: 2000,
      control_conversions: 100,
      variant_clicks: 2000,
      variant_conversions: 160,
      z: library.z,
      p_value: library.pValue,
      probability_variant_beats_control: posterior,
      alpha_per_comparison: 0.05,
    });
    expect(recommendation?.expectedEffect?.change).toBeCloseTo(0.03, 12);
    expect(recommendation?.expectedEffect?.interval95?.[0]).toBeLessThan(0.03);
  });

  it('the control can win too: the loser is the variant', () => {
    const [recommendation] = variantRecommendations(compareVariants([variant('control', 2000, 160), variant('treatment', 2000, 100)], thresholds));
    expect(recommendation?.type).toBe('variant_winner');
    expect(recommendation?.target).toBe('variant:control');
    expect(recommendation?.confidence).toBeGreaterThan(0.9999);
    expect(recommendation?.expectedEffect?.change).toBeCloseTo(0.03, 12);
  });

  it('declares no winner on a small sample: an insufficient_data note with the sample sizes instead', () => {
    const comparisons = compareVariants([variant('A', 40, 2), variant('B', 40, 8)], thresholds);
    expect(comparisons[0]?.verdict).toBe('insufficient_data');
    const [recommendation] = variantRecommendations(comparisons);
    expect(recommendation?.type).toBe('insufficient_data');
    expect(recommendation?.confidence).toBe(0);
    expect(recommendation?.summary).toMatch(/No winner declared for B vs A: A has 40 clicks, fewer than the 100 required/);
    expect(recommendation?.evidence).toMatchObject({ control_clicks: 40, variant_clicks: 40, z: null, p_value: null });
  });

  it('enough clicks but too few conversions: no winner', () => {
    const [comparison] = compareVariants([variant('A', 500, 1), variant('B', 500, 6)], thresholds);
    expect(comparison?.verdict).toBe('insufficient_data');
    expect(comparison?.reason).toMatch(/7 conversions, fewer than the 10 required/);
  });

  it('a sufficient sample without a significant difference: no winner yet, with z, p and P', () => {
    const [recommendation] = variantRecommendations(compareVariants([variant('A', 2000, 100), variant('B', 2000, 110)], thresholds));
    expect(recommendation?.type).toBe('insufficient_data');
    expect(recommendation?.summary).toMatch(/No significant difference yet between B vs A/);
    expect(recommendation?.evidence.p_value).toBeGreaterThan(0.05);
    expect(typeof recommendation?.evidence.probability_variant_beats_control).toBe('number');
  });

  it('splits α across comparisons (Bonferroni): p = 0.03 wins alone, not as one of three', () => {
    // 100/2000 vs 131/2000: two-sided p ≈ 0.036, between 0.05/3 and 0.05.
    const pair = compareVariants([variant('A', 2000, 100), variant('B', 2000, 131)], thresholds);
    expect(pair[0]?.test.pValue).toBeLessThan(0.05);
    expect(pair[0]?.test.pValue).toBeGreaterThan(0.05 / 3);
    expect(pair[0]?.verdict).toBe('variant_wins');
    const three = compareVariants([variant('A', 2000, 100), variant('B', 2000, 131), variant('C', 2000, 100), variant('D', 2000, 100)], thresholds);
    expect(three).toHaveLength(3);
    expect(three[0]?.alpha).toBeCloseTo(0.05 / 3, 15);
    expect(three[0]?.verdict).toBe('no_difference');
  });

  it('one variant: nothing to compare', () => {
    expect(compareVariants([variant('default', 5000, 200)], thresholds)).toEqual([]);
  });
});

describe('chooseControl', () => {
  it('control, else A, else the first by name', () => {
    expect(chooseControl(['B', 'Control', 'A'])).toBe('Control');
    expect(chooseControl(['b', 'a'])).toBe('a');
    expect(chooseControl(['red', 'blue'])).toBe('blue');
    expect(chooseControl([])).toBeNull();
  });
});
