// What Baton's JSON-RPC methods answer, as the tests read it: each method's result
// typed by its adapter operation's `output` schema (the one source of the wire
// shape), so a test names a result's fields as they are.
import type { z } from 'zod';
import type { JsonRpcId } from '../../src/jsonrpc/protocol.js';
import type { eraseLead } from '../../src/adapter/operations/erase-lead.js';
import type { executeEngagement } from '../../src/adapter/operations/execute-engagement.js';
import type { getCampaignMetrics } from '../../src/adapter/operations/get-campaign-metrics.js';
import type { logInteraction } from '../../src/adapter/operations/log-interaction.js';
import type { memoryRetrieveLongTerm } from '../../src/adapter/operations/memory-retrieve-long-term.js';
import type { memoryRetrieveShortTerm } from '../../src/adapter/operations/memory-retrieve-short-term.js';
import type { memoryStoreLongTerm } from '../../src/adapter/operations/memory-store-long-term.js';
import type { memoryStoreShortTerm } from '../../src/adapter/operations/memory-store-short-term.js';
import type { optimizeCampaign } from '../../src/adapter/operations/optimize-campaign.js';
import type { resolveEscalation } from '../../src/adapter/operations/resolve-escalation.js';
import type { provideHandoffContext } from '../../src/adapter/operations/provide-handoff-context.js';
import type { triageLead } from '../../src/adapter/operations/triage-lead.js';

type OutputOf<Operation extends { output: z.ZodType }> = z.output<Operation['output']>;

/** Method name → result (each operation's `jsonRpc.method`). */
export interface JsonRpcResults {
  'agent/triage/lead': OutputOf<typeof triageLead>;
  'agent/engagement/execute': OutputOf<typeof executeEngagement>;
  'agent/optimization/analyze': OutputOf<typeof optimizeCampaign>;
  'campaign/get/metrics': OutputOf<typeof getCampaignMetrics>;
  'memory/store/short-term': OutputOf<typeof memoryStoreShortTerm>;
  'memory/retrieve/short-term': OutputOf<typeof memoryRetrieveShortTerm>;
  'memory/store/long-term': OutputOf<typeof memoryStoreLongTerm>;
  'memory/retrieve/long-term': OutputOf<typeof memoryRetrieveLongTerm>;
  'interaction/log': OutputOf<typeof logInteraction>;
  'escalation/resolve': OutputOf<typeof resolveEscalation>;
  'handoff/context/provide': OutputOf<typeof provideHandoffContext>;
  'lead/erase': OutputOf<typeof eraseLead>;
}

export type JsonRpcMethod = keyof JsonRpcResults;

/** One response, either member optional so a test can assert which one came. */
export interface RpcResponse<Result = unknown> {
  jsonrpc: '2.0';
  id: JsonRpcId;
  result?: Result;
  error?: { code: number; message: string; data?: { issues: { path: string; message: string }[] } };
}
