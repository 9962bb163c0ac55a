// POST /api/v1/campaigns/{campaign_id}/optimize, agent/optimization/analyze and
// the MCP tool analyze_campaign: `{ campaign_id, metrics? }` → OptimizationResponse,
// one GraphQL operation (OptimizeCampaign.graphql). Without metrics the stored
// metrics are analyzed (an unknown campaign is NOT_FOUND); metrics for an
// unknown campaign id register it.
//
// Until the optimization shapes are zod (they are being given GraphQL types,
// issue 12), the request is validated and mapped by campaign-operations.ts's
// analyzeCampaignOperation and the shapes published are its hand-written JSON
// Schemas, read back as zod.
import { z } from 'zod';
import type { AnyAdapterOperation } from '../adapter-operation.js';
import { analyzeCampaignOperation } from '../campaign-operations.js';
import { named } from '../shapes/named-shapes.js';
import { OPTIMIZATION_REQUEST_JSON_SCHEMA } from '../shapes/optimization-request.js';
import { OPTIMIZATION_RESPONSE_JSON_SCHEMA } from '../shapes/optimization-response.js';

const fromOpenApi = (schema: object) => z.fromJSONSchema(schema as never, { defaultTarget: 'openapi-3.0' });

const optimizationRequestSchema = named('OptimizationRequest', fromOpenApi(OPTIMIZATION_REQUEST_JSON_SCHEMA));
const optimizationResponseSchema = named('OptimizationResponse', fromOpenApi(OPTIMIZATION_RESPONSE_JSON_SCHEMA));

export const optimizeCampaign: AnyAdapterOperation = {
  ...analyzeCampaignOperation,
  rest: {
    method: 'POST',
    path: '/api/v1/campaigns/{campaign_id}/optimize',
    summary: 'Analyze a campaign: KPIs, recommendations with evidence, and an escalation on a significant breach',
    body: optimizationRequestSchema,
    failures: {
      400: 'Invalid request',
      403: 'The role may not optimize campaigns',
      404: 'No such campaign (and no metrics to register it with)',
    },
  },
  jsonRpc: { method: 'agent/optimization/analyze' },
  mcp: {
    name: 'analyze_campaign',
    title: 'Analyze and optimize a campaign',
    // Stores the metrics given and may escalate to a manager.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    longRunning: true,
  },
  output: optimizationResponseSchema,
};
