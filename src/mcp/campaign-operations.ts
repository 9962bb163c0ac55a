// The campaign and handoff-analytics operations the REST and JSON-RPC doors
// expose, each one GraphQL operation.
import { GetCampaignMetricsDocument, HandoffAnalyticsDocument, OptimizeCampaignDocument } from './__generated__/operations.js';
import { NotFoundError } from '../errors.js';
import { defineAdapterOperation } from './adapter-operation.js';
import { campaignMetricsParamsSchema, campaignMetricsPath, toCampaignMetrics } from './shapes/campaign-metrics.js';
import { handoffAnalyticsPath, handoffAnalyticsQuerySchema, toAnalyticsVariables, toHandoffAnalytics } from './shapes/handoff-analytics.js';
import {
  analyzeParamsSchema,
  optimizationPath,
  optimizeRequestSchema,
  toOptimizationResponseShape,
  toOptimizeVariables,
} from './shapes/optimization.js';

/**
 * POST /api/v1/campaigns/{campaign_id}/optimize: `{ campaign_id (path), body: OptimizationRequest }`
 * → OptimizationResponse. Without metrics the stored metrics are analyzed (an
 * unknown campaign is NOT_FOUND); metrics for an unknown campaign id register it.
 */
export const optimizeCampaignOperation = defineAdapterOperation({
  input: optimizeRequestSchema,
  document: OptimizeCampaignDocument,
  toVariables: toOptimizeVariables,
  toOutput: (data) => toOptimizationResponseShape(data.optimizeCampaign),
  issuePath: optimizationPath,
});

/** agent/optimization/analyze: `{ campaign_id, metrics? }` → OptimizationResponse, as the REST route. */
export const analyzeCampaignOperation = defineAdapterOperation({
  input: analyzeParamsSchema,
  document: OptimizeCampaignDocument,
  toVariables: toOptimizeVariables,
  toOutput: (data) => toOptimizationResponseShape(data.optimizeCampaign),
  issuePath: optimizationPath,
});

/** campaign/get/metrics: `{ campaign_id }` → CampaignMetricsShape; an unknown campaign is NOT_FOUND. */
export const campaignMetricsOperation = defineAdapterOperation({
  input: campaignMetricsParamsSchema,
  document: GetCampaignMetricsDocument,
  toVariables: (params) => ({ campaignId: params.campaign_id }),
  toOutput: ({ campaign }, params) => {
    if (!campaign) throw new NotFoundError(`Campaign ${params.campaign_id} does not exist`);
    return toCampaignMetrics(campaign);
  },
  issuePath: campaignMetricsPath,
});

/** GET /api/v1/agents/handoffs/analytics?since&until → HandoffAnalyticsShape (the specification's HandoffAnalytics plus extras). */
export const handoffAnalyticsOperation = defineAdapterOperation({
  input: handoffAnalyticsQuerySchema,
  document: HandoffAnalyticsDocument,
  toVariables: toAnalyticsVariables,
  toOutput: (data) => toHandoffAnalytics(data.handoffAnalytics),
  issuePath: handoffAnalyticsPath,
});
