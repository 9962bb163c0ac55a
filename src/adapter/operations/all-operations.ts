// Every adapter operation, once. The doors derive their registries from this
// list: REST routes (src/rest/routes.ts) and the OpenAPI document, JSON-RPC
// methods (src/jsonrpc/methods.ts) and the OpenRPC document, MCP tools
// (src/mcp/tools.ts). An operation file says where it shows (door-bindings.ts).
import type { AnyAdapterOperation } from '../adapter-operation.js';
import { eraseLead } from './erase-lead.js';
import { executeEngagement } from './execute-engagement.js';
import { exportAuditLog } from './export-audit-log.js';
import { getCampaignMetrics } from './get-campaign-metrics.js';
import { getLeadFlow } from './get-lead-flow.js';
import { handoffAnalytics } from './handoff-analytics.js';
import { listCampaignResources } from './list-campaign-resources.js';
import { listLeadResources } from './list-lead-resources.js';
import { logInteraction } from './log-interaction.js';
import { memoryRetrieveLongTerm } from './memory-retrieve-long-term.js';
import { memoryRetrieveShortTerm } from './memory-retrieve-short-term.js';
import { memoryStoreLongTerm } from './memory-store-long-term.js';
import { memoryStoreShortTerm } from './memory-store-short-term.js';
import { optimizeCampaign } from './optimize-campaign.js';
import { processLead } from './process-lead.js';
import { resolveEscalation } from './resolve-escalation.js';
import { provideHandoffContext } from './provide-handoff-context.js';
import { systemStatus } from './system-status.js';
import { triageLead } from './triage-lead.js';

export const ADAPTER_OPERATIONS: readonly AnyAdapterOperation[] = [
  processLead,
  getLeadFlow,
  triageLead,
  executeEngagement,
  optimizeCampaign,
  getCampaignMetrics,
  resolveEscalation,
  handoffAnalytics,
  provideHandoffContext,
  systemStatus,
  memoryStoreShortTerm,
  memoryRetrieveShortTerm,
  memoryStoreLongTerm,
  memoryRetrieveLongTerm,
  logInteraction,
  listLeadResources,
  listCampaignResources,
  exportAuditLog,
  eraseLead,
];
