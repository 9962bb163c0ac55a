// What a review of a campaign found, whether it was just made (optimizeCampaign's
// OptimizationResult, from the live analysis) or read back later (an OptimizationRun,
// from its stored JSON): one interface, so a dashboard selects both with one fragment.
import type { CampaignReview } from '../../agents/optimization/campaign-review.js';
import type { CampaignKpis } from '../../agents/optimization/kpis.js';
import type { Breach, Recommendation } from '../../agents/optimization/recommendation.js';
import type { OptimizationThresholds } from '../../agents/optimization/thresholds.js';
import type { OptimizationRun } from '../../db/generated/prisma/client.js';
import { builder } from '../builder.js';
import { KpiBreachRef } from './breach.js';
import { CampaignKpisRef } from './kpis.js';
import { RecommendationRef } from './recommendation.js';
import { ReportedAssessmentRef, type ReportedAssessmentView } from './reported.js';
import { storedReview } from './stored-run.js';
import { ThresholdsRef } from './thresholds.js';

/** An OptimizationAnalysis as a stored run keeps it. */
export interface OptimizationReview {
  dataSufficient: boolean;
  kpis: CampaignKpis;
  recommendations: readonly Recommendation[];
  breaches: readonly Breach[];
  /** The insufficient_data recommendations' summaries. */
  insufficient: readonly string[];
  reported: ReportedAssessmentView | null;
  thresholds: OptimizationThresholds;
}

/** A review just made, or a stored run. */
export type ReviewSource = CampaignReview | OptimizationRun;

const reviewOf = (source: ReviewSource): OptimizationReview => ('analysis' in source ? source.analysis : storedReview(source));

export const OptimizationReviewRef = builder.interfaceRef<ReviewSource>('OptimizationReview').implement({
  description: 'What a review of a campaign by the optimization agent found.',
  resolveType: (source) => ('analysis' in source ? 'OptimizationResult' : 'OptimizationRun'),
  fields: (t) => ({
    dataSufficient: t.boolean({
      description:
        'At least one analysis had enough data to reach a verdict (a variant comparison, an anomaly check, a budget allocation, a ROAS interval, a threshold test).',
      resolve: (source) => reviewOf(source).dataSufficient,
    }),
    kpis: t.field({ type: CampaignKpisRef, description: 'KPIs overall, by channel, by variant and by period.', resolve: (source) => reviewOf(source).kpis }),
    recommendations: t.field({
      type: [RecommendationRef],
      description: 'PAUSE, VARIANT_WINNER, BUDGET_REALLOCATION, SCALE, ANOMALY, then INSUFFICIENT_DATA; within a type, most confident first.',
      resolve: (source) => reviewOf(source).recommendations,
    }),
    breaches: t.field({
      type: [KpiBreachRef],
      description: 'Significant threshold breaches: any escalates to a manager.',
      resolve: (source) => reviewOf(source).breaches,
    }),
    insufficientData: t.stringList({ description: 'What data is missing for more advice, in words.', resolve: (source) => reviewOf(source).insufficient }),
    reported: t.field({
      type: ReportedAssessmentRef,
      nullable: true,
      description: 'The KPI report sent with the request, judged; null without one.',
      resolve: (source) => reviewOf(source).reported,
    }),
    thresholds: t.field({ type: ThresholdsRef, description: 'The thresholds the review applied.', resolve: (source) => reviewOf(source).thresholds }),
  }),
});
