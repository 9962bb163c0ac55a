// Pause and scale advice per channel (when the campaign has two or more) and per
// variant (when it has two or more), else for the campaign as a whole, on ALL its
// stored data (the most evidence), and only for targets still spending in the latest
// period (a target without spend there is already paused).
//
//   pause: ROAS upper 95 % bound < thresholds.roasFloor (kpi-intervals.ts: Clopper–
//          Pearson on the conversion rate, revenue per conversion as observed);
//          confidence = P(ROAS < floor).
//   scale: ROAS lower 95 % bound > thresholds.roasScaleTarget and budget headroom:
//          the campaign's budgetUsd (a lifetime budget) minus all spend to date > 0, or no
//          budget stated (then the advice says headroom is unknown);
//          confidence = P(ROAS > target).
// A target needs thresholds.minClicksForRoasBound clicks; those below are listed in one
// insufficient_data note. A campaign without any recorded revenue gets no ROAS-based
// advice (revenue attribution is missing, not performance).
//
// Expected effects, per period, at the latest period's spend S and the all-time ROAS r:
//   pause: spend −S, revenue forgone ≈ r·S;
//   scale: +maxShift·S spend, revenue change r·S·((1 + maxShift)^b − 1) with the library's
//          default elasticity b (0.6); its interval uses the ROAS bounds.
import { DEFAULT_ELASTICITY } from '../../statistics/budget-allocation.js';
import { groupBy, latestPeriodSnapshots, sumCounts, type MetricCounts, type MetricsSnapshot } from './kpis.js';
import { probabilityRoasBelow, roasInterval, type RoasInterval } from './kpi-intervals.js';
import { fixed, insufficientData, probability, usd, type Evidence, type Recommendation } from './recommendation.js';
import type { OptimizationThresholds } from './thresholds.js';

export interface RoasTarget {
  /** `channel:<name>`, `variant:<name>` or `campaign`. */
  target: string;
  counts: MetricCounts;
  /** Spend and revenue of the latest period. */
  latest: MetricCounts;
}

/** The targets pause/scale advice is about. */
export function roasTargets(snapshots: readonly MetricsSnapshot[]): RoasTarget[] {
  const latest = latestPeriodSnapshots(snapshots);
  const targets: RoasTarget[] = [];
  const dimension = (name: 'channel' | 'variant') => {
    const all = groupBy(snapshots, (s) => s[name]);
    if (all.size < 2) return;
    const current = groupBy(latest, (s) => s[name]);
    for (const [value, rows] of [...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      targets.push({ target: `${name}:${value}`, counts: sumCounts(rows), latest: sumCounts(current.get(value) ?? []) });
    }
  };
  dimension('channel');
  dimension('variant');
  if (targets.length === 0 && snapshots.length > 0) targets.push({ target: 'campaign', counts: sumCounts(snapshots), latest: sumCounts(latest) });
  return targets;
}

export interface PauseScaleContext {
  /** The campaign's average revenue per conversion, or null without conversions. */
  valuePerConversion: number | null;
  /** budgetUsd − spend to date; null when no budget is stated. */
  budgetHeadroomUsd: number | null;
}

function intervalEvidence(target: RoasTarget, interval: RoasInterval, context: PauseScaleContext, thresholds: OptimizationThresholds): Evidence {
  return {
    clicks: target.counts.clicks,
    conversions: target.counts.conversions,
    spend_usd: target.counts.spendUsd,
    revenue_usd: target.counts.revenueUsd,
    roas: interval.roas,
    roas_ci95_low: interval.roasLow95,
    roas_ci95_high: interval.roasHigh95,
    cvr: interval.cvr,
    cvr_ci95_low: interval.cvrLow95,
    cvr_ci95_high: interval.cvrHigh95,
    interval_method: 'Clopper-Pearson 95 % on conversions/clicks, revenue per conversion as observed',
    value_per_conversion_usd: interval.valuePerConversion,
    value_source: interval.valueSource,
    roas_floor: thresholds.roasFloor,
    roas_scale_target: thresholds.roasScaleTarget,
    budget_headroom_usd: context.budgetHeadroomUsd,
    latest_period_spend_usd: target.latest.spendUsd,
  };
}

export interface PauseScaleResult {
  recommendations: Recommendation[];
  /** True when at least one target had a ROAS interval to judge. */
  evaluated: boolean;
}

export function pauseScaleRecommendations(
  snapshots: readonly MetricsSnapshot[],
  thresholds: OptimizationThresholds,
  context: PauseScaleContext,
): PauseScaleResult {
  if (snapshots.length === 0) return { recommendations: [], evaluated: false };
  const total = sumCounts(snapshots);
  if (total.spendUsd > 0 && total.revenueUsd === 0) {
    const recommendations = [
      insufficientData('campaign', 'No revenue is recorded for this campaign: ROAS-based pause/scale advice needs revenue attribution.', {
        spend_usd: total.spendUsd,
        conversions: total.conversions,
      }),
    ];
    return { recommendations, evaluated: false };
  }
  const recommendations: Recommendation[] = [];
  let evaluated = false;
  const tooSmall: RoasTarget[] = [];
  for (const target of roasTargets(snapshots)) {
    if (target.latest.spendUsd <= 0) continue;
    if (target.counts.clicks < thresholds.minClicksForRoasBound) {
      tooSmall.push(target);
      continue;
    }
    const interval = roasInterval(target.counts, context.valuePerConversion);
    if (!interval.bounded || interval.roasLow95 === null || interval.roasHigh95 === null || interval.roas === null) continue;
    evaluated = true;
    const evidence = intervalEvidence(target, interval, context, thresholds);
    const spend = target.latest.spendUsd;
    const roasText = `ROAS ${fixed(interval.roas)} (95 % interval ${fixed(interval.roasLow95)}-${fixed(interval.roasHigh95)}; ${target.counts.conversions} conversions from ${target.counts.clicks} clicks)`;
    if (interval.roasHigh95 < thresholds.roasFloor) {
      const confidence = probabilityRoasBelow(target.counts, interval.valuePerConversion, thresholds.roasFloor) ?? 0;
      evidence.probability_roas_below_floor = confidence;
      recommendations.push({
        type: 'pause',
        target: target.target,
        summary: `Pause ${target.target}: ${roasText} is below the floor of ${fixed(thresholds.roasFloor)} even at its upper bound; P(ROAS < ${fixed(thresholds.roasFloor)}) = ${probability(confidence)}.`,
        confidence,
        evidence,
        expectedEffect: {
          metric: 'spend_usd',
          change: -spend,
          unit: 'USD per period',
          interval95: null,
          description: `Saves the latest period's ${usd(spend)} of spend, forgoing about ${usd(interval.roas * spend)} of revenue (95 % interval ${usd(interval.roasLow95 * spend)} to ${usd(interval.roasHigh95 * spend)}).`,
        },
      });
    } else if (interval.roasLow95 > thresholds.roasScaleTarget) {
      if (context.budgetHeadroomUsd !== null && context.budgetHeadroomUsd <= 0) continue;
      const confidence = 1 - (probabilityRoasBelow(target.counts, interval.valuePerConversion, thresholds.roasScaleTarget) ?? 1);
      evidence.probability_roas_above_target = confidence;
      const shift = thresholds.budgetMaxShift;
      const factor = (1 + shift) ** DEFAULT_ELASTICITY - 1;
      const headroom =
        context.budgetHeadroomUsd === null
          ? 'no campaign budget is stated, so headroom is unknown'
          : `${usd(context.budgetHeadroomUsd)} of budget headroom remains`;
      recommendations.push({
        type: 'scale',
        target: target.target,
        summary:
          `Scale ${target.target}: ${roasText} beats the target of ${fixed(thresholds.roasScaleTarget)} even at its lower bound; ` +
          `P(ROAS > ${fixed(thresholds.roasScaleTarget)}) = ${probability(confidence)}; ${headroom}. Raise its spend by up to ${fixed(shift * 100, 0)} % per period.`,
        confidence,
        evidence,
        expectedEffect: {
          metric: 'revenue_usd',
          change: interval.roas * spend * factor,
          unit: 'USD per period',
          interval95: [interval.roasLow95 * spend * factor, interval.roasHigh95 * spend * factor],
          description: `+${usd(shift * spend)} of spend on the latest period's ${usd(spend)}, with diminishing returns (elasticity ${DEFAULT_ELASTICITY} assumed).`,
        },
      });
    }
  }
  if (tooSmall.length > 0) {
    recommendations.push(
      insufficientData(
        tooSmall.length === 1 ? (tooSmall[0] as RoasTarget).target : 'campaign',
        `No pause/scale advice for ${tooSmall.map((t) => `${t.target} (${t.counts.clicks} clicks)`).join(', ')}: ` +
          `fewer than the ${thresholds.minClicksForRoasBound} clicks a ROAS interval needs.`,
        { min_clicks_for_roas_bound: thresholds.minClicksForRoasBound, targets: tooSmall.map((t) => t.target).join(', ') },
      ),
    );
  }
  return { recommendations, evaluated };
}
