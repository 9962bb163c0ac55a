// What is sent: the requests of each measured scenario. Bodies are built per
// request where the endpoint needs it (each lead must be new, or the pipeline
// would measure re-triage of one lead instead of intake).

export interface Scenario {
  name: string;
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  /** A function is called once per request (unique bodies); a string is sent as is. */
  body: string | (() => string);
  /**
   * For 200 answers that can still be failures (GraphQL reports errors in the
   * body): true when the body shows success. Checking costs the load generator
   * CPU, so only scenarios that need it have one.
   */
  verifyBody?: (body: string) => boolean;
  /** Each request starts a lead's flow: its times are read from the database afterwards (bench/flows.ts). */
  startsFlows?: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * Unique lead ids for one target: `bench-<run>-<counter>`. The counter spans
 * warm-up and measurement so no id is ever reused within a database.
 */
export class LeadIds {
  private next = 0;
  constructor(private readonly prefix: string) {}

  issue(): string {
    return `${this.prefix}-${this.next++}`;
  }
}

/** The brief's lead, cut around lead_id once so per-request work is two concatenations. */
const LEAD_BODY_HEAD = '{"lead_data":{"lead_id":"';
const LEAD_BODY_TAIL = '","industry":"Technology","company_size":"Enterprise","source":"organic","persona":"Decision Maker","email":"jane.doe@acme.com"}}';

export function leadBody(leadId: string): string {
  return LEAD_BODY_HEAD + leadId + LEAD_BODY_TAIL;
}

/**
 * POST /api/v1/leads: the whole pipeline (triage, handoff, engagement). The
 * answer is 200 once the flow reached its outcome, 202 when the server stopped
 * waiting for it (PROCESS_WAIT_MS; before the queues, the flow ran inside the request).
 */
export function processLeadScenario(token: string, ids: LeadIds): Scenario {
  return {
    name: 'POST /api/v1/leads',
    method: 'POST',
    path: '/api/v1/leads',
    headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
    body: () => leadBody(ids.issue()),
    startsFlows: true,
  };
}

const PROCESS_LEAD_MUTATION =
  'mutation ProcessLead($input: LeadInput!) { processLead(input: $input) { success handoffQuality processingTimeMs lead { id } triage { category score confidence } engagement { channel template } } }';

/**
 * GraphQL `processLead`: the same pipeline as POST /api/v1/leads, as the
 * dashboard calls it. Only `success: true` is a lead through the pipeline: a
 * flow still IN_PROGRESS when the server stopped waiting answers false.
 */
export function processLeadMutationScenario(token: string, ids: LeadIds): Scenario {
  const head = `{"query":${JSON.stringify(PROCESS_LEAD_MUTATION)},"variables":{"input":{"leadId":"`;
  const tail = '","industry":"TECHNOLOGY","companySize":"ENTERPRISE","source":"organic","persona":"DECISION_MAKER","email":"jane.doe@acme.com"}}}';
  return {
    name: 'GraphQL processLead',
    method: 'POST',
    path: '/graphql',
    headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
    body: () => head + ids.issue() + tail,
    verifyBody: (text) => text.includes('"processLead":{"success":true') && !text.includes('"errors"'),
    startsFlows: true,
  };
}

/** JSON-RPC `agent/triage/lead` on POST /mcp: triage only (no handoff, no outreach), through the adapter. */
export function jsonRpcTriageScenario(token: string, ids: LeadIds): Scenario {
  const head = `{"jsonrpc":"2.0","id":1,"method":"agent/triage/lead","params":${LEAD_BODY_HEAD}`;
  return {
    name: 'JSON-RPC agent/triage/lead',
    method: 'POST',
    path: '/mcp',
    headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
    body: () => `${head}${ids.issue()}${LEAD_BODY_TAIL}}`,
    verifyBody: (text) => text.includes('"result":{') && !text.includes('"error"'),
  };
}

export const LEAD_QUERY =
  'query Lead($id: ID!) { lead(id: $id) { id score category confidence reasoning conversation { id } handoffs { id status qualityScore } } }';

/** GraphQL `lead`: one read with two relations, for a lead processed during warm-up. */
export function leadQueryScenario(token: string, leadId: string): Scenario {
  const body = JSON.stringify({ query: LEAD_QUERY, variables: { id: leadId } });
  const found = `"lead":{"id":${JSON.stringify(leadId)}`;
  return {
    name: 'GraphQL lead query',
    method: 'POST',
    path: '/graphql',
    headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
    body,
    verifyBody: (text) => text.includes(found) && !text.includes('"errors"'),
  };
}

/** The ceiling gets the same requests as Baton's lead intake, so the load generator does the same work. */
export function bareScenario(ids: LeadIds): Scenario {
  return {
    name: 'bare node:http (ceiling)',
    method: 'POST',
    path: '/api/v1/leads',
    headers: JSON_HEADERS,
    body: () => leadBody(ids.issue()),
  };
}
