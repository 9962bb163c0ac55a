// Variant winners: each variant against the control, on the conversion rate per
// click (conversions/clicks: what a visitor who clicked went on to do; CTR
// differences are visible in the per-variant KPIs but are not tested here).
//
// Control: the variant named `control`, else `A` (case-insensitive), else the first by
// name. Every other variant is compared with it (m = variants − 1 comparisons), with
// the data summed over all channels and periods (if the variants ran on different
// channel mixes, the comparison inherits that mix: Simpson's paradox applies).
//
// Evidence, from the statistics library:
//   - two-proportion z-test (pooled SE, two-sided), with its Wald 95 % interval of the difference;
//   - Bayesian P(variant beats control) under uniform Beta(1, 1) priors, and the expected loss.
// Bonferroni: each comparison is held to α/m (α = thresholds.significanceLevel).
// A winner is declared only when BOTH agree: p < α/m and P(winner beats loser) ≥ 1 − α/m.
// Confidence of a winner = P(winner beats loser).
//
// Minimum sample: each variant ≥ thresholds.minClicksPerVariant clicks and the pair
// ≥ thresholds.minConversionsPerComparison conversions (and the library's own normal-
// approximation rule: ≥ 100 trials and ≥ 5 expected successes/failures per group).
// Below it: an insufficient_data note with the sample sizes, never a winner. Above it
// but not significant: an insufficient_data note too ("no winner yet"), with z, p and P.
import { bayesianAbTest, type BayesianAbResult } from '../../statistics/bayesian-ab.js';
import { twoProportionZTest, type TwoProportionTestResult } from '../../statistics/two-proportion-test.js';
import { byName, type VariantKpis } from './kpis.js';
import { finiteOrNull, insufficientData, percent, probability, type Evidence, type Recommendation } from './recommendation.js';
import type { OptimizationThresholds } from './thresholds.js';

export type VariantVerdict = 'variant_wins' | 'control_wins' | 'no_difference' | 'insufficient_data';

export interface VariantComparison {
  control: string;
  variant: string;
  controlClicks: number;
  controlConversions: number;
  variantClicks: number;
  variantConversions: number;
  /** A = control, B = variant. */
  test: TwoProportionTestResult;
  bayes: BayesianAbResult;
  comparisons: number;
  /** The per-comparison level α/m. */
  alpha: number;
  verdict: VariantVerdict;
  /** Why the data are insufficient, in words (insufficient_data only). */
  reason: string | null;
}

/** `control`, else `A` (case-insensitive), else the first name in code-unit order. */
export function chooseControl(variants: readonly string[]): string | null {
  const sorted = [...variants].sort(byName);
  return sorted.find((name) => name.toLowerCase() === 'control') ?? sorted.find((name) => name.toLowerCase() === 'a') ?? sorted[0] ?? null;
}

/** Every variant against the control; [] with fewer than two variants. */
export function compareVariants(byVariant: readonly VariantKpis[], thresholds: OptimizationThresholds): VariantComparison[] {
  if (byVariant.length < 2) return [];
  const controlName = chooseControl(byVariant.map((v) => v.variant));
  const control = byVariant.find((v) => v.variant === controlName) as VariantKpis;
  const others = byVariant.filter((v) => v !== control);
  const m = others.length;
  const alpha = thresholds.significanceLevel / m;
  return others.map((variant) => {
    const a = { successes: control.conversions, trials: control.clicks };
    const b = { successes: variant.conversions, trials: variant.clicks };
    const test = twoProportionZTest(a, b);
    const bayes = bayesianAbTest(a, b);
    const problems: string[] = [];
    for (const v of [control, variant]) {
      if (v.clicks < thresholds.minClicksPerVariant)
        problems.push(`${v.variant} has ${v.clicks} clicks, fewer than the ${thresholds.minClicksPerVariant} required`);
    }
    const conversions = control.conversions + variant.conversions;
    if (conversions < thresholds.minConversionsPerComparison) {
      problems.push(`the pair has ${conversions} conversions, fewer than the ${thresholds.minConversionsPerComparison} required`);
    }
    if (problems.length === 0 && !test.sufficient) problems.push(test.reason);
    let verdict: VariantVerdict;
    if (problems.length > 0) verdict = 'insufficient_data';
    else if (test.pValue !== null && test.pValue < alpha && bayes.probabilityBBeatsA >= 1 - alpha) verdict = 'variant_wins';
    else if (test.pValue !== null && test.pValue < alpha && bayes.probabilityBBeatsA <= alpha) verdict = 'control_wins';
    else verdict = 'no_difference';
    return {
      control: control.variant,
      variant: variant.variant,
      controlClicks: control.clicks,
      controlConversions: control.conversions,
      variantClicks: variant.clicks,
      variantConversions: variant.conversions,
      test,
      bayes,
      comparisons: m,
      alpha,
      verdict,
      reason: problems.length > 0 ? problems.join('; ') : null,
    };
  });
}

export function comparisonEvidence(c: VariantComparison): Evidence {
  return {
    metric: 'conversions per click',
    control: c.control,
    variant: c.variant,
    control_clicks: c.controlClicks,
    control_conversions: c.controlConversions,
    variant_clicks: c.variantClicks,
    variant_conversions: c.variantConversions,
    control_cvr: c.test.rateA,
    variant_cvr: c.test.rateB,
    difference: c.test.difference,
    relative_lift: finiteOrNull(c.test.relativeLift),
    difference_ci95_low: c.test.confidenceInterval95?.[0] ?? null,
    difference_ci95_high: c.test.confidenceInterval95?.[1] ?? null,
    z: c.test.z,
    p_value: c.test.pValue,
    alpha_per_comparison: c.alpha,
    comparisons: c.comparisons,
    probability_variant_beats_control: c.bayes.probabilityBBeatsA,
    expected_loss_choosing_variant: c.bayes.expectedLossChoosingB,
    expected_loss_choosing_control: c.bayes.expectedLossChoosingA,
    prior: 'Beta(1, 1)',
  };
}

/** Winner recommendations, or insufficient_data notes, one per comparison. */
export function variantRecommendations(comparisons: readonly VariantComparison[]): Recommendation[] {
  return comparisons.map((c) => {
    const evidence = comparisonEvidence(c);
    const pair = `${c.variant} vs ${c.control}`;
    if (c.verdict === 'insufficient_data') {
      return insufficientData(`variant:${c.variant}`, `No winner declared for ${pair}: ${c.reason}.`, evidence);
    }
    if (c.verdict === 'no_difference') {
      return insufficientData(
        `variant:${c.variant}`,
        `No significant difference yet between ${pair} (CVR ${percent(c.test.rateB)} vs ${percent(c.test.rateA)}, ` +
          `p = ${probability(c.test.pValue ?? 1)} against α = ${probability(c.alpha)}, P(${c.variant} beats ${c.control}) = ${probability(c.bayes.probabilityBBeatsA)}): keep the test running.`,
        evidence,
      );
    }
    const variantWins = c.verdict === 'variant_wins';
    const [winner, loser] = variantWins ? [c.variant, c.control] : [c.control, c.variant];
    const [winnerRate, loserRate] = variantWins ? [c.test.rateB, c.test.rateA] : [c.test.rateA, c.test.rateB];
    const confidence = variantWins ? c.bayes.probabilityBBeatsA : 1 - c.bayes.probabilityBBeatsA;
    const ci = c.test.confidenceInterval95;
    const sign = variantWins ? 1 : -1;
    const interval: [number, number] | null = ci ? (variantWins ? [ci[0], ci[1]] : [-ci[1], -ci[0]]) : null;
    return {
      type: 'variant_winner',
      target: `variant:${winner}`,
      summary:
        `${winner} converts better than ${loser}: CVR ${percent(winnerRate)} vs ${percent(loserRate)} ` +
        `(${winner === c.variant ? c.variantClicks : c.controlClicks} vs ${winner === c.variant ? c.controlClicks : c.variantClicks} clicks; ` +
        `z = ${(c.test.z ?? 0).toFixed(2)}, p = ${probability(c.test.pValue ?? 1)}, P(${winner} beats ${loser}) = ${probability(confidence)}). ` +
        `Shift ${loser}'s traffic to ${winner}.`,
      confidence,
      evidence,
      expectedEffect: {
        metric: 'cvr',
        change: sign * c.test.difference,
        unit: 'rate (conversions per click)',
        interval95: interval,
        description: `Conversions per 1,000 clicks sent to ${winner} instead of ${loser}: ${(sign * c.test.difference * 1000).toFixed(1)} more (Wald 95 % interval of the difference).`,
      },
    } satisfies Recommendation;
  });
}
