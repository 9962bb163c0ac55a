// Budget reallocation across channels by marginal ROAS (the statistics library's
// allocateBudget: concave response curves R(s) = a·s^b, the same total budget,
// ±thresholds.budgetMaxShift per channel and step; see budget-allocation.ts).
//
// Input: each channel's LATEST period (the operating point the curve passes through,
// summed over variants) and its earlier periods' (spend, revenue) for the elasticity
// fit. Only when at least two channels have spend in the latest period.
//
// Confidence (Monte Carlo, 4,000 seeded draws, reproducible): each channel's
// conversion rate is drawn from its Beta(1 + conversions, 1 + clicks − conversions)
// posterior, its ROAS = clicks·p·v/spend (v = revenue per conversion, or the campaign's
// average when the channel has none) and its marginal ROAS = b·ROAS (b the elasticity
// allocateBudget used). Confidence = the share of draws in which EVERY channel that
// gains budget has a higher marginal ROAS than EVERY channel that gives it up. The
// 95 % interval of the expected revenue change is the 2.5-97.5 % range of the modelled
// change Σ ROAS_draw·spend·((proposed/current)^b − 1) over the same draws. Elasticities
// and values per conversion are held fixed: the interval understates model uncertainty.
// Recommended only when confidence ≥ thresholds.minBudgetConfidence; otherwise an
// insufficient_data note with the evidence.
import { allocateBudget, type BudgetAllocation, type ChannelPerformance } from '../../statistics/budget-allocation.js';
import { betaVariate, seededRandom } from '../../statistics/random.js';
import { byName, groupBy, latestPeriodSnapshots, periodKey, sumCounts, type MetricCounts, type MetricsSnapshot } from './kpis.js';
import { finiteOrNull, fixed, insufficientData, probability, usd, type Evidence, type Recommendation } from './recommendation.js';
import type { OptimizationThresholds } from './thresholds.js';

export const BUDGET_DRAWS = 4000;
const BUDGET_SEED = 0x0b7a11;

export interface BudgetAnalysis {
  /** Channels with spend in the latest period. */
  channelsWithSpend: string[];
  allocation: BudgetAllocation | null;
  /** P(every gaining channel's marginal ROAS > every losing channel's); null when nothing moves. */
  confidence: number | null;
  revenueChangeInterval95: [number, number] | null;
  draws: number;
  latestPeriod: { periodStart: Date; periodEnd: Date } | null;
  /** Why no allocation was computed, in words. */
  reason: string | null;
}

export function analyzeBudget(
  snapshots: readonly MetricsSnapshot[],
  thresholds: OptimizationThresholds,
  fallbackValuePerConversion: number | null,
): BudgetAnalysis {
  const latest = latestPeriodSnapshots(snapshots);
  const first = latest[0];
  const latestPeriod = first ? { periodStart: first.periodStart, periodEnd: first.periodEnd } : null;
  const latestKey = first ? periodKey(first) : '';
  const current = new Map<string, MetricCounts>();
  for (const [channel, rows] of groupBy(latest, (s) => s.channel)) current.set(channel, sumCounts(rows));
  const channelsWithSpend = [...current]
    .filter(([, counts]) => counts.spendUsd > 0)
    .map(([channel]) => channel)
    .sort(byName);
  const empty = { channelsWithSpend, allocation: null, confidence: null, revenueChangeInterval95: null, draws: 0, latestPeriod };
  if (channelsWithSpend.length < 2) {
    return { ...empty, reason: `Budget reallocation needs at least two channels with spend in the latest period; found ${channelsWithSpend.length}.` };
  }

  const inputs: ChannelPerformance[] = channelsWithSpend.map((channel) => {
    const counts = current.get(channel) as MetricCounts;
    const earlier = snapshots.filter((s) => s.channel === channel && periodKey(s) !== latestKey);
    const history = [...groupBy(earlier, periodKey).values()].map((rows) => {
      const sum = sumCounts(rows);
      return { spend: sum.spendUsd, revenue: sum.revenueUsd };
    });
    return { channel, spend: counts.spendUsd, revenue: counts.revenueUsd, conversions: counts.conversions, history };
  });
  const allocation = allocateBudget(inputs, { maxShift: thresholds.budgetMaxShift });
  if (allocation.unchanged) return { ...empty, allocation, reason: null };

  // Monte Carlo over the channels' conversion-rate posteriors.
  const random = seededRandom(BUDGET_SEED);
  const modelled = allocation.channels
    .filter((c) => c.elasticity !== null && c.currentSpend > 0)
    .map((c) => {
      const counts = current.get(c.channel) as MetricCounts;
      const value = counts.conversions > 0 ? counts.revenueUsd / counts.conversions : (fallbackValuePerConversion ?? 0);
      return {
        allocation: c,
        counts,
        value,
        gains: c.proposedSpend > c.currentSpend,
        loses: c.proposedSpend < c.currentSpend,
        spendFactor: (c.proposedSpend / c.currentSpend) ** (c.elasticity as number) - 1,
      };
    });
  let wins = 0;
  const changes: number[] = [];
  for (let draw = 0; draw < BUDGET_DRAWS; draw++) {
    let minGain = Number.POSITIVE_INFINITY;
    let maxLoss = Number.NEGATIVE_INFINITY;
    let change = 0;
    for (const channel of modelled) {
      const { clicks, conversions, spendUsd, revenueUsd } = channel.counts;
      const roas = clicks > 0 ? (clicks * betaVariate(1 + conversions, 1 + clicks - conversions, random) * channel.value) / spendUsd : revenueUsd / spendUsd;
      const marginal = (channel.allocation.elasticity as number) * roas;
      if (channel.gains) minGain = Math.min(minGain, marginal);
      if (channel.loses) maxLoss = Math.max(maxLoss, marginal);
      change += roas * spendUsd * channel.spendFactor;
    }
    if (minGain > maxLoss) wins++;
    changes.push(change);
  }
  changes.sort((p, q) => p - q);
  const quantile = (q: number) => changes[Math.min(changes.length - 1, Math.max(0, Math.round(q * (changes.length - 1))))] as number;
  return {
    ...empty,
    allocation,
    confidence: wins / BUDGET_DRAWS,
    revenueChangeInterval95: [quantile(0.025), quantile(0.975)],
    draws: BUDGET_DRAWS,
    reason: null,
  };
}

function budgetEvidence(analysis: BudgetAnalysis, allocation: BudgetAllocation): Evidence {
  const evidence: Evidence = {
    method: 'marginal ROAS equalization on power response curves R = a·spend^b (statistics/budget-allocation)',
    period_start: analysis.latestPeriod?.periodStart.toISOString() ?? null,
    period_end: analysis.latestPeriod?.periodEnd.toISOString() ?? null,
    total_budget_usd: allocation.totalBudget,
    max_shift: allocation.maxShift,
    common_marginal_roas: finiteOrNull(allocation.commonMarginalRoas),
    expected_revenue_change_usd: allocation.totalExpectedRevenueChange,
    probability_ordering_holds: analysis.confidence,
    monte_carlo_draws: analysis.draws,
  };
  for (const c of allocation.channels) {
    const prefix = `channel.${c.channel}.`;
    evidence[`${prefix}current_spend_usd`] = c.currentSpend;
    evidence[`${prefix}proposed_spend_usd`] = c.proposedSpend;
    evidence[`${prefix}current_roas`] = finiteOrNull(c.currentRoas);
    evidence[`${prefix}marginal_roas`] = finiteOrNull(c.marginalRoas);
    evidence[`${prefix}proposed_marginal_roas`] = finiteOrNull(c.proposedMarginalRoas);
    evidence[`${prefix}elasticity`] = c.elasticity;
    evidence[`${prefix}elasticity_source`] = c.elasticitySource;
    evidence[`${prefix}elasticity_fit_points`] = c.fit?.points ?? null;
    evidence[`${prefix}elasticity_fit_r_squared`] = c.fit?.rSquared ?? null;
    evidence[`${prefix}expected_revenue_change_usd`] = c.expectedRevenueChange;
    evidence[`${prefix}notes`] = c.notes.join(' ');
  }
  return evidence;
}

export function budgetRecommendations(analysis: BudgetAnalysis, thresholds: OptimizationThresholds, campaignChannels: number): Recommendation[] {
  const { allocation } = analysis;
  if (!allocation) {
    // A single-channel campaign has nothing to reallocate: not missing data.
    return campaignChannels >= 2 && analysis.reason
      ? [insufficientData('channels', analysis.reason, { channels_with_spend: analysis.channelsWithSpend.length })]
      : [];
  }
  if (allocation.unchanged || analysis.confidence === null) return [];
  const evidence = budgetEvidence(analysis, allocation);
  const moves = allocation.channels
    .filter((c) => c.proposedSpend !== c.currentSpend)
    .map(
      (c) =>
        `${c.channel} ${usd(c.currentSpend)} → ${usd(c.proposedSpend)} (${c.proposedSpend > c.currentSpend ? '+' : ''}${fixed(((c.proposedSpend - c.currentSpend) / c.currentSpend) * 100, 0)} %)`,
    );
  const ordering = `P(every channel gaining budget has a higher marginal ROAS than every channel giving it up) = ${probability(analysis.confidence)}`;
  if (analysis.confidence < thresholds.minBudgetConfidence) {
    return [
      insufficientData(
        'channels',
        `The channels' marginal ROAS cannot be ordered with confidence yet (${ordering}, below ${thresholds.minBudgetConfidence}): no reallocation recommended.`,
        evidence,
      ),
    ];
  }
  const interval = analysis.revenueChangeInterval95;
  return [
    {
      type: 'budget_reallocation',
      target: 'channels',
      summary:
        `Reallocate the same ${usd(allocation.totalBudget)} per period toward the higher marginal ROAS: ${moves.join(', ')}. ` +
        `Modelled revenue change ${usd(allocation.totalExpectedRevenueChange)} per period` +
        (interval ? ` (95 % interval ${usd(interval[0])} to ${usd(interval[1])})` : '') +
        `; ${ordering}.`,
      confidence: analysis.confidence,
      evidence,
      expectedEffect: {
        metric: 'revenue_usd',
        change: allocation.totalExpectedRevenueChange,
        unit: 'USD per period',
        interval95: interval,
        description:
          "Modelled revenue at the proposed spends minus the latest period's revenue, same total spend; the interval reflects conversion-rate uncertainty only (elasticities held fixed).",
      },
    },
  ];
}
