// Baton's MCP resources: what an agent can read into its context without calling
// a tool. Each read runs the adapter operation its tool twin runs.
//
//   baton://leads/{lead_id}                  a lead's long-term profile
//   baton://campaigns/{campaign_id}/metrics  a campaign's stored metrics and latest review
//   baton://analytics/handoffs               handoff analytics, the last 24 hours
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { executeAdapterOperation, parseInput, type AdapterOperation } from '../adapter/adapter-operation.js';
import { getCampaignMetrics } from '../adapter/operations/get-campaign-metrics.js';
import { handoffAnalytics } from '../adapter/operations/handoff-analytics.js';
import { listCampaignResources } from '../adapter/operations/list-campaign-resources.js';
import { listLeadResources } from '../adapter/operations/list-lead-resources.js';
import { memoryRetrieveLongTerm } from '../adapter/operations/memory-retrieve-long-term.js';
import { toMcpError, type McpContext } from './mcp-context.js';

const JSON_TYPE = 'application/json';

export function registerResources(server: McpServer, context: McpContext): void {
  server.registerResource(
    'lead-profile',
    new ResourceTemplate('baton://leads/{lead_id}', {
      list: async () => ({
        resources: (await run(context, listLeadResources, {})).map((lead) => ({
          uri: `baton://leads/${encodeURIComponent(lead.lead_id)}`,
          name: lead.lead_id,
          description: lead.summary,
          mimeType: JSON_TYPE,
        })),
      }),
    }),
    {
      title: "A lead's profile",
      description:
        "A lead's long-term memory: attributes, behaviour derived from its interactions (preferred channel and hour), triage score history, consent. JSON null when the lead has no profile yet.",
      mimeType: JSON_TYPE,
    },
    async (uri, { lead_id }) => json(uri, await run(context, memoryRetrieveLongTerm, { lead_id: single('lead_id', lead_id) })),
  );

  server.registerResource(
    'campaign-metrics',
    new ResourceTemplate('baton://campaigns/{campaign_id}/metrics', {
      list: async () => ({
        resources: (await run(context, listCampaignResources, {})).map((campaign) => ({
          uri: `baton://campaigns/${encodeURIComponent(campaign.campaign_id)}/metrics`,
          name: campaign.name,
          description: `Campaign ${campaign.campaign_id} (${campaign.status}): metrics by variant, channel and period`,
          mimeType: JSON_TYPE,
        })),
      }),
    }),
    {
      title: "A campaign's metrics",
      description:
        "A campaign's stored metric snapshots (impressions, clicks, conversions, spend, revenue by variant, channel and period) and its latest optimization review.",
      mimeType: JSON_TYPE,
    },
    async (uri, { campaign_id }) => json(uri, await run(context, getCampaignMetrics, { campaign_id: single('campaign_id', campaign_id) })),
  );

  server.registerResource(
    'handoff-analytics',
    'baton://analytics/handoffs',
    {
      title: 'Handoff analytics (last 24 hours)',
      description: 'Handoffs between agents over the last 24 hours: totals, success rate, context quality, processing times, types, triggers, escalations.',
      mimeType: JSON_TYPE,
    },
    async (uri) => json(uri, await run(context, handoffAnalytics, {})),
  );
}

/** Runs an operation for a resource; a failure is the JSON-RPC error of resources/read. */
async function run<TInput extends z.ZodObject, TData, TVariables, TOutput extends z.ZodType>(
  context: McpContext,
  operation: AdapterOperation<TInput, TData, TVariables, TOutput>,
  request: unknown,
): Promise<z.output<TOutput>> {
  const parsed = parseInput(operation.input, request);
  if (!parsed.ok) throw toMcpError(parsed.failure);
  const outcome = await executeAdapterOperation(operation, parsed.value, context.executor, context.caller);
  if (!outcome.ok) throw toMcpError(outcome.failure);
  return outcome.value;
}

/**
 * A URI template variable: `{lead_id}` matches one segment, percent-decoded.
 * Malformed percent-encoding (`%ZZ`, or bytes that are no UTF-8) is the caller's
 * mistake: invalid params naming the variable. The decoded value then passes
 * the operation's input rules like any tool argument.
 */
function single(name: string, value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    const message = 'must be percent-encoded UTF-8';
    throw new McpError(ErrorCode.InvalidParams, `${name}: ${message}`, { issues: [{ path: name, message }] });
  }
}

function json(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(value, null, 2) }] };
}
