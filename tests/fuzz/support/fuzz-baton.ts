// The Baton a fuzz file runs against, with tokens of every kind the generators
// pick from, and the invariants every door shares: no 5xx, no internal error in
// any protocol's words, and nothing stored from a rejected request.
import { expect } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { FUZZ_CAMPAIGN_ID, KNOWN_IDS, type TokenKind } from './hostile-values.js';
import { REQUEST_TIMEOUT_MS, truncate } from './fuzz-runner.js';

export interface FuzzBaton {
  app: TestApp;
  url: string;
  /** The Authorization header of a token kind (none: no header). */
  auth(kind: TokenKind): Record<string, string>;
  token(kind: TokenKind): string | null;
  leads: LeadLedger;
  stop(): Promise<void>;
}

export async function startFuzzBaton(): Promise<FuzzBaton> {
  // Flows answer 202 quickly instead of holding each fuzzed lead for seconds; no
  // background consolidation competing with the requests.
  const app = await startTestApp({ env: { PROCESS_WAIT_MS: '50', CONSOLIDATION_INTERVAL_S: '0' } });
  const created = await app.graphql('mutation($input: CampaignInput!) { createCampaign(input: $input) { id } }', {
    input: { id: FUZZ_CAMPAIGN_ID, name: 'Fuzz campaign', budgetUsd: 1000 },
  });
  expect(created.body.errors).toBeUndefined();
  await seedHandoffs(app);
  const tokens: Record<TokenKind, string | null> = {
    admin: await app.token('admin'),
    viewer: await app.token('viewer'),
    none: null,
    garbage: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZXMiOlsiYWRtaW4iXX0.',
  };
  return {
    app,
    url: app.url,
    token: (kind) => tokens[kind],
    auth: (kind): Record<string, string> => {
      const token = tokens[kind];
      return token === null ? {} : { authorization: `Bearer ${token}` };
    },
    leads: new LeadLedger(app),
    stop: () => app.stop(),
  };
}

/** fetch with the fuzz suite's per-request deadline: an answer that never comes is a hang, reported as such. */
export async function fetchWithin(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms: ${init.method ?? 'GET'} ${url}`);
    throw new Error(
      `request failed: ${init.method ?? 'GET'} ${truncate(url, 200)}: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`,
    );
  }
}

/** Reads a body as JSON when it is JSON; as text otherwise. */
export async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function assertNot5xx(status: number, what: string, body: unknown): void {
  if (status >= 500) throw new Error(`HTTP ${status} for ${what}: ${truncate(JSON.stringify(body), 300)}`);
}

/** GraphQL's internal error, in any of its wordings (masked errors say "Unexpected error."). */
export function assertNoGraphQLInternalError(body: unknown, what: string): void {
  const errors = (body as { errors?: { message?: string; extensions?: { code?: string } }[] } | null)?.errors ?? [];
  for (const error of errors) {
    if (error.extensions?.code === 'INTERNAL_SERVER_ERROR' || error.message === 'Unexpected error.') {
      throw new Error(`INTERNAL_SERVER_ERROR for ${what}: ${truncate(JSON.stringify(error), 300)}`);
    }
  }
}

/** Any JSON-RPC response (or batch of them) answering -32603. */
export function assertNoJsonRpcInternalError(body: unknown, what: string): void {
  for (const response of Array.isArray(body) ? body : [body]) {
    const code = (response as { error?: { code?: number } } | null)?.error?.code;
    if (code === -32603) throw new Error(`JSON-RPC -32603 for ${what}: ${truncate(JSON.stringify(response), 300)}`);
  }
}

/**
 * Which lead ids exist, to check that a rejected request stored no lead. An id
 * counts as legitimately present once any accepted request mentioned it (some
 * writes create a lead, e.g. a profile stored for a lead not yet processed).
 */
export class LeadLedger {
  private readonly mentioned = new Set<string>();
  constructor(private readonly app: TestApp) {}

  /** Every string in an accepted request may now name a stored lead. */
  accepted(input: unknown): void {
    const walk = (value: unknown): void => {
      if (typeof value === 'string') this.mentioned.add(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(input);
  }

  /** The request was rejected: its lead id must not be among the stored leads, unless an accepted request named it. */
  async assertNotStored(leadId: unknown, what: string): Promise<void> {
    if (typeof leadId !== 'string' || this.mentioned.has(leadId)) return;
    const { status, body } = await this.app.graphql<{ leads: { edges: { node: { id: string } }[] } }, unknown>(
      '{ leads(first: 50, orderBy: RECENT) { edges { node { id } } } }',
    );
    expect(status).toBe(200);
    if (body.data?.leads.edges.some(({ node }) => node.id === leadId)) {
      throw new Error(`a rejected request stored lead ${JSON.stringify(leadId)}: ${what}`);
    }
  }
}

/**
 * Two leads through the flow, one with a contact and one without (its handoff waits
 * for context), so that handoffs and escalations exist for valid ids to name.
 */
async function seedHandoffs(app: TestApp): Promise<void> {
  for (const [leadId, email] of [
    ['fuzz-seed-1', 'seed@example.com'],
    ['fuzz-seed-2', null],
  ] as const) {
    await app.graphql('mutation($input: LeadInput!) { processLead(input: $input, wait: true) { flowId } }', {
      input: { leadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', campaignId: FUZZ_CAMPAIGN_ID, email },
    });
  }
  const ids = async (field: 'handoffs' | 'escalations') => {
    const { body } = await app.graphql<Record<string, { edges: { node: { id: string } }[] }>, unknown>(`{ ${field}(first: 10) { edges { node { id } } } }`);
    return body.data?.[field]?.edges.map(({ node }) => node.id) ?? [];
  };
  // The flow runs on the agents' workers: the handoffs come a moment after the answer.
  for (let attempt = 0; attempt < 50 && KNOWN_IDS.handoff.length === 0; attempt++) {
    KNOWN_IDS.handoff = await ids('handoffs');
    if (KNOWN_IDS.handoff.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  KNOWN_IDS.escalation = await ids('escalations');
}
