// What a review of a campaign found, whether it was just made (optimizeCampaign's
// OptimizationResult, from the live analysis) or read back later
// (Campaign.optimizations, from the stored run): the same fields on both types.
import type { ObjectFieldBuilder } from '@pothos/core';
import type { CampaignKpis } from '../../agents/optimization/kpis.js';
import type { Breach, Recommendation } from '../../agents/optimization/recommendation.js';
import type { OptimizationThresholds } from '../../agents/optimization/thresholds.js';
import { builder } from '../builder.js';
import { KpiBreachRef } from './breach.js';
import { CampaignKpisRef } from './kpis.js';
import { RecommendationRef } from './recommendation.js';
import { ReportedAssessmentRef, type ReportedAssessmentView } from './reported.js';
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

type BatonTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/** The review's fields for an object type whose parent gives its review through `review`. */
export function reviewFields<Parent>(t: ObjectFieldBuilder<BatonTypes, Parent>, review: (parent: Parent) => OptimizationReview) {
  return {
    dataSufficient: t.boolean({
      description: 'At least one analysis had enough data to reach a verdict (a variant comparison, an anomaly check, a budget allocation, a ROAS interval, a threshold test).',
      resolve: (parent) => review(parent).dataSufficient,
    }),
    kpis: t.field({ type: CampaignKpisRef, description: 'KPIs overall, by channel, by variant and by period.', resolve: (parent) => review(parent).kpis }),
    recommendations: t.field({
      type: [RecommendationRef],
      description: 'PAUSE, VARIANT_WINNER, BUDGET_REALLOCATION, SCALE, ANOMALY, then INSUFFICIENT_DATA; within a type, most confident first.',
      resolve: (parent) => review(parent).recommendations,
    }),
    breaches: t.field({ type: [KpiBreachRef], description: 'Significant threshold breaches: any escalates to a manager.', resolve: (parent) => review(parent).breaches }),
    insufficientData: t.stringList({ description: 'What data is missing for more advice, in words.', resolve: (parent) => review(parent).insufficient }),
    reported: t.field({
      type: ReportedAssessmentRef,
      nullable: true,
      description: 'The KPI report sent with the request, judged; null without one.',
      resolve: (parent) => review(parent).reported,
    }),
    thresholds: t.field({ type: ThresholdsRef, description: 'The thresholds the review applied.', resolve: (parent) => review(parent).thresholds }),
  };
}
