// The campaign operations the REST and JSON-RPC doors expose, each one GraphQL operation.
import { GetCampaignMetricsDocument, OptimizeCampaignDocument } from './__generated__/operations.js';
import { NotFoundError } from '../errors.js';
import { OPTIMIZATION_RESPONSE_JSON_SCHEMA, toOptimizationResponse } from './shapes/optimization-response.js';
import { defineAdapterOperation } from './adapter-operation.js';
import { payload } from './operation-payload.js';
import { CAMPAIGN_METRICS_JSON_SCHEMA, campaignMetricsParamsSchema, campaignMetricsPath, toCampaignMetrics } from './shapes/campaign-metrics.js';
import { analyzeParamsSchema, optimizationPath, optimizeRequestSchema, toOptimizeVariables } from './shapes/optimization.js';

/**
 * POST /api/v1/campaigns/{campaign_id}/optimize: `{ campaign_id (path), body: OptimizationRequest }`
 * → OptimizationResponse. Without metrics the stored metrics are analyzed (an
 * unknown campaign is NOT_FOUND); metrics for an unknown campaign id register it.
 */
export const optimizeCampaignOperation = defineAdapterOperation({
  description:
    'Analyzes a campaign: KPIs (CTR, CVR, CPL, ROAS) overall and by channel, variant and period, recommendations with their evidence, and significant threshold breaches, which escalate to a manager. Metrics in the body are stored first (registering an unknown campaign); without them the stored metrics are analyzed.',
  input: optimizeRequestSchema,
  document: OptimizeCampaignDocument,
  toVariables: toOptimizeVariables,
  toOutput: (data) => toOptimizationResponse(payload(data.optimizeCampaign, 'OptimizationResult')),
  issuePath: optimizationPath,
  result: OPTIMIZATION_RESPONSE_JSON_SCHEMA,
});

/** agent/optimization/analyze: `{ campaign_id, metrics? }` → OptimizationResponse, as the REST route. */
export const analyzeCampaignOperation = defineAdapterOperation({
  description:
    'Analyzes a campaign: KPIs (CTR, CVR, CPL, ROAS) overall and by channel, variant and period, recommendations with their evidence (sample sizes, p-values, posterior probabilities), and significant threshold breaches, which escalate to a manager. metrics, when given (reported KPIs or metric snapshots), are stored first; without them the stored metrics are analyzed.',
  input: analyzeParamsSchema,
  document: OptimizeCampaignDocument,
  toVariables: toOptimizeVariables,
  toOutput: (data) => toOptimizationResponse(payload(data.optimizeCampaign, 'OptimizationResult')),
  issuePath: optimizationPath,
  result: OPTIMIZATION_RESPONSE_JSON_SCHEMA,
});

/** campaign/get/metrics: `{ campaign_id }` → CampaignMetricsShape; an unknown campaign is NOT_FOUND. */
export const campaignMetricsOperation = defineAdapterOperation({
  description:
    'Reads a campaign\'s stored metric snapshots (impressions, clicks, conversions, spend, revenue by variant, channel and period) and its latest optimization review. An unknown campaign is not found.',
  input: campaignMetricsParamsSchema,
  document: GetCampaignMetricsDocument,
  toVariables: (params) => ({ campaignId: params.campaign_id }),
  toOutput: ({ campaign }, params) => {
    if (!campaign) throw new NotFoundError('Campaign', params.campaign_id);
    return toCampaignMetrics(campaign);
  },
  issuePath: campaignMetricsPath,
  result: CAMPAIGN_METRICS_JSON_SCHEMA,
});
