// campaign/get/metrics and the MCP tool get_campaign_metrics: `{ campaign_id }` →
// CampaignMetrics, one GraphQL operation (GetCampaignMetrics.graphql); an
// unknown campaign is NOT_FOUND.
//
// Until the campaign-metrics shape is zod (it is being rewritten, issue 12), the
// operation is campaign-operations.ts's campaignMetricsOperation and the shape
// published is its hand-written JSON Schema, read back as zod.
import { z } from 'zod';
import type { AnyAdapterOperation } from '../adapter-operation.js';
import { campaignMetricsOperation } from '../campaign-operations.js';
import { READ_ONLY } from '../door-bindings.js';
import { CAMPAIGN_METRICS_JSON_SCHEMA } from '../shapes/campaign-metrics.js';

export const getCampaignMetrics: AnyAdapterOperation = {
  ...campaignMetricsOperation,
  jsonRpc: { method: 'campaign/get/metrics' },
  mcp: { name: 'get_campaign_metrics', title: "Read a campaign's metrics", annotations: READ_ONLY },
  output: z.fromJSONSchema(CAMPAIGN_METRICS_JSON_SCHEMA as never, { defaultTarget: 'openapi-3.0' }),
};
