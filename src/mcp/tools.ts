// Baton's MCP tools: each is an adapter operation (one named GraphQL operation
// and its shape mapper), so a tool call passes the same authorization,
// validation and metrics as the REST and JSON-RPC doors. The tool adds a name,
// a title and hints for the LLM deciding when to call it.
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { AnyAdapterOperation } from '../adapter/adapter-operation.js';
import { analyzeCampaignOperation, campaignMetricsOperation, handoffAnalyticsOperation } from '../adapter/campaign-operations.js';
import { executeEngagementOperation, triageLeadOperation } from '../adapter/lead-operations.js';
import {
  logInteractionOperation,
  retrieveLeadProfileOperation,
  retrieveShortTermMemoryOperation,
  storeLeadProfileOperation,
  storeShortTermMemoryOperation,
} from '../adapter/memory-operations.js';

export interface AdapterTool {
  name: string;
  title: string;
  operation: AnyAdapterOperation;
  annotations: ToolAnnotations;
  /**
   * MCP's structuredContent must be an object: a result that may be null
   * travels as `{ [wrapIn]: result }`.
   */
  wrapIn?: string;
  /** Runs the agents (seconds, not milliseconds): reports progress when the client asks for it. */
  long?: boolean;
}

/** Reads nothing but Baton's own data and changes nothing. */
const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
/** Writes Baton's memory; repeating the call with the same arguments changes nothing more. */
const IDEMPOTENT_WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export const MCP_TOOLS: readonly AdapterTool[] = [
  {
    name: 'triage_lead',
    title: 'Triage a lead',
    operation: triageLeadOperation,
    annotations: IDEMPOTENT_WRITE,
    long: true,
  },
  {
    name: 'execute_engagement',
    title: 'Engage a lead (triage, handoff, first touchpoint)',
    operation: executeEngagementOperation,
    // Sends a touchpoint to a real person (through the outbox): not repeatable, and outside Baton.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    long: true,
  },
  {
    name: 'analyze_campaign',
    title: 'Analyze and optimize a campaign',
    operation: analyzeCampaignOperation,
    // Stores the metrics given and may escalate to a manager.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    long: true,
  },
  { name: 'get_campaign_metrics', title: "Read a campaign's metrics", operation: campaignMetricsOperation, annotations: READ_ONLY },
  { name: 'get_handoff_analytics', title: 'Read handoff analytics', operation: handoffAnalyticsOperation, annotations: READ_ONLY },
  {
    name: 'store_conversation_memory',
    title: "Remember a conversation's context (short-term memory)",
    operation: storeShortTermMemoryOperation,
    annotations: IDEMPOTENT_WRITE,
  },
  {
    name: 'recall_conversation_memory',
    title: "Recall a conversation's context (short-term memory)",
    operation: retrieveShortTermMemoryOperation,
    annotations: READ_ONLY,
    wrapIn: 'context',
  },
  {
    name: 'store_lead_profile',
    title: "Write a lead's profile (long-term memory)",
    operation: storeLeadProfileOperation,
    annotations: IDEMPOTENT_WRITE,
  },
  {
    name: 'get_lead_profile',
    title: "Read a lead's profile (long-term memory)",
    operation: retrieveLeadProfileOperation,
    annotations: READ_ONLY,
    wrapIn: 'profile',
  },
  {
    name: 'log_interaction',
    title: "Record a lead's interaction or outcome",
    operation: logInteractionOperation,
    // Each call records one more interaction.
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  },
];
