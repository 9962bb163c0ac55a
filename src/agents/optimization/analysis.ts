// The optimization analysis of one campaign, from its stored snapshots (and an
// optional reported KPI snapshot). Pure: the agent loads the data and records the run.
//
// dataSufficient: at least one analysis had enough data to reach a verdict (a variant
// comparison, an anomaly check, a budget allocation, a pause/scale interval or a
// threshold test). `insufficient` lists, in words, every claim withheld for lack of data:
// the summaries of the insufficient_data recommendations.
// Recommendations are ordered pause, variant_winner, budget_reallocation, scale,
// anomaly, insufficient_data; within a type by confidence, highest first.
import { anomalyRecommendation, anomalyRecommendations, checkLatestPeriod } from './anomalies.js';
import { analyzeBudget, budgetRecommendations } from './budget.js';
import { detectBreaches } from './breaches.js';
import { campaignKpis, sumCounts, type CampaignKpis, type MetricsSnapshot } from './kpis.js';
import { pauseScaleRecommendations } from './pause-scale.js';
import { insufficientData, type Breach, type Recommendation, type RecommendationType } from './recommendation.js';
import { assessReported, type ReportedAssessment, type ReportedKpis } from './reported-kpis.js';
import type { OptimizationThresholds } from './thresholds.js';
import { compareVariants, variantRecommendations } from './variant-tests.js';

export interface OptimizationAnalysis {
  campaignId: string;
  analyzedAt: Date;
  dataSufficient: boolean;
  kpis: CampaignKpis;
  recommendations: Recommendation[];
  /** Significant threshold breaches; the caller escalates (PERFORMANCE_THRESHOLD) when there is any. */
  breaches: Breach[];
  /** What data is missing, in words. */
  insufficient: string[];
  /** The reported KPI snapshot's assessment, when one was given. */
  reported: ReportedAssessment | null;
  /** The thresholds the analysis applied. */
  thresholds: OptimizationThresholds;
}

export interface CampaignFacts {
  id: string;
  /** The campaign's lifetime budget, when stated. */
  budgetUsd: number | null;
}

const TYPE_ORDER: Record<RecommendationType, number> = {
  pause: 0,
  variant_winner: 1,
  budget_reallocation: 2,
  scale: 3,
  anomaly: 4,
  insufficient_data: 5,
};

export function analyzeCampaign(
  campaign: CampaignFacts,
  snapshots: readonly MetricsSnapshot[],
  options: { thresholds: OptimizationThresholds; analyzedAt: Date; reported?: ReportedKpis | null },
): OptimizationAnalysis {
  const { thresholds, analyzedAt } = options;
  const kpis = campaignKpis(snapshots);
  const total = sumCounts(snapshots);
  const valuePerConversion = total.conversions > 0 ? total.revenueUsd / total.conversions : null;
  const revenueTracked = !(total.spendUsd > 0 && total.revenueUsd === 0);
  const recommendations: Recommendation[] = [];
  let dataSufficient = false;

  if (snapshots.length === 0) {
    recommendations.push(
      insufficientData('campaign', 'No metrics are stored for this campaign yet: ingest snapshots (per variant, channel and period) to analyze it.'),
    );
  }

  const comparisons = compareVariants(kpis.byVariant, thresholds);
  dataSufficient ||= comparisons.some((c) => c.verdict !== 'insufficient_data');
  recommendations.push(...variantRecommendations(comparisons));

  const latestChecks = checkLatestPeriod(kpis.byPeriod, thresholds);
  dataSufficient ||= latestChecks.checks.some((check) => check.sufficient);
  recommendations.push(...anomalyRecommendations(latestChecks, thresholds));

  const budget = analyzeBudget(snapshots, thresholds, valuePerConversion);
  dataSufficient ||= budget.allocation !== null;
  recommendations.push(...budgetRecommendations(budget, thresholds, kpis.byChannel.length));

  const spendToDate = total.spendUsd;
  const pauseScale = pauseScaleRecommendations(snapshots, thresholds, {
    valuePerConversion,
    budgetHeadroomUsd: campaign.budgetUsd === null ? null : campaign.budgetUsd - spendToDate,
  });
  dataSufficient ||= pauseScale.evaluated;
  recommendations.push(...pauseScale.recommendations);

  const reported = options.reported ? assessReported(options.reported, snapshots, thresholds, valuePerConversion) : null;
  if (reported) {
    dataSufficient ||= reported.comparisons.some((c) => c.history.sufficient);
    for (const comparison of reported.comparisons) {
      if (comparison.history.anomalous) {
        recommendations.push(anomalyRecommendation(comparison.history, 'reported', `the reported metrics (${reported.historyScope})`));
      }
    }
  }

  const breachResult = detectBreaches({
    latestPeriod: latestChecks.latest,
    latestChecks,
    reported,
    thresholds,
    valuePerConversion,
    revenueTracked,
  });
  dataSufficient ||= breachResult.evaluated;
  recommendations.push(...breachResult.notes);

  const ordered = recommendations
    .map((recommendation, index) => ({ recommendation, index }))
    .sort(
      (a, b) =>
        TYPE_ORDER[a.recommendation.type] - TYPE_ORDER[b.recommendation.type] || b.recommendation.confidence - a.recommendation.confidence || a.index - b.index,
    )
    .map(({ recommendation }) => recommendation);

  return {
    campaignId: campaign.id,
    analyzedAt,
    dataSufficient,
    kpis,
    recommendations: ordered,
    breaches: breachResult.breaches,
    insufficient: ordered.filter((r) => r.type === 'insufficient_data').map((r) => r.summary),
    reported,
    thresholds,
  };
}
