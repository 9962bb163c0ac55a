// JSON-RPC 2.0 on POST /mcp: the memory methods and interaction/log, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonRpcMethod, JsonRpcResults, RpcResponse } from '../../support/jsonrpc-results.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp();
});
afterAll(() => baton?.stop());

async function rpc(body: unknown, token?: string | null): Promise<{ status: number; body: unknown }> {
  const response = await baton.post('/mcp', body, { token });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const request = (method: string, params: unknown, id: number | string = 1) => ({ jsonrpc: '2.0', method, params, id });

/** One call: its response, asserted to be a 200 JSON-RPC response with that id. */
async function call(method: string, params: unknown, token?: string | null): Promise<RpcResponse> {
  const { status, body } = await rpc(request(method, params, 'x'), token);
  expect(status).toBe(200);
  expect(body).toMatchObject({ jsonrpc: '2.0', id: 'x' });
  return body as RpcResponse;
}

async function result<Method extends JsonRpcMethod>(method: Method, params: unknown, token?: string | null): Promise<JsonRpcResults[Method]> {
  const response = await call(method, params, token);
  expect(response.error).toBeUndefined();
  return response.result as JsonRpcResults[Method];
}

async function triagedLead(): Promise<string> {
  const leadId = uniqueLeadId();
  await result('agent/triage/lead', { lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'Enterprise', source: 'organic' } });
  return leadId;
}

const conversationId = () => uniqueLeadId('conv');
const isoDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

describe('memory/store/short-term and memory/retrieve/short-term', () => {
  it("round-trips the specification's store_memory example", async () => {
    const stored = await result('memory/store/short-term', {
      conversation_id: 'conv-001',
      memory_data: { active_intent: 'product_inquiry', extracted_slots: { company: 'TechCorp', interest: 'enterprise_features' } },
    });
    expect(stored).toEqual({
      conversation_id: 'conv-001',
      lead_id: null,
      active_intent: 'product_inquiry',
      extracted_slots: { company: 'TechCorp', interest: 'enterprise_features' },
      last_agent: null,
      pending_actions: [],
      updated_at: isoDate,
      expires_at: isoDate,
    });
    expect(seconds(stored.updated_at, stored.expires_at)).toBe(24 * 60 * 60);

    expect(await result('memory/retrieve/short-term', { conversation_id: 'conv-001' })).toEqual(stored);
  });

  it('merges each store into the context: slots key by key, null clears, omitted fields are kept', async () => {
    const conversation = conversationId();
    const leadId = await triagedLead();
    await result('memory/store/short-term', {
      conversation_id: conversation,
      memory_data: { active_intent: 'product_inquiry', extracted_slots: { company: 'TechCorp', interest: 'pricing' }, pending_actions: ['send_brochure'] },
    });
    const merged = await result('memory/store/short-term', {
      conversation_id: conversation,
      memory_data: { lead_id: leadId, last_agent: 'engagement-premium-001', extracted_slots: { interest: 'enterprise_features', seats: 250, company: null } },
      ttl_seconds: 600,
    });
    expect(merged).toMatchObject({
      conversation_id: conversation,
      lead_id: leadId,
      active_intent: 'product_inquiry',
      extracted_slots: { interest: 'enterprise_features', seats: 250 },
      last_agent: 'engagement-premium-001',
      pending_actions: ['send_brochure'],
    });
    expect(seconds(merged.updated_at, merged.expires_at)).toBe(600);

    const cleared = await result('memory/store/short-term', { conversation_id: conversation, memory_data: { active_intent: null, pending_actions: [] } });
    expect(cleared).toMatchObject({ active_intent: null, pending_actions: [], extracted_slots: { interest: 'enterprise_features', seats: 250 } });
    expect(await result('memory/retrieve/short-term', { conversation_id: conversation })).toEqual(cleared);
  });

  it('answers null for a conversation with no context', async () => {
    const response = await call('memory/retrieve/short-term', { conversation_id: conversationId() });
    expect(response).toEqual({ jsonrpc: '2.0', id: 'x', result: null });
  });

  it('answers -32602 naming ttl_seconds when it is out of range or not a whole number', async () => {
    for (const ttl of [0, 30 * 24 * 60 * 60 + 1, 2 ** 31, 1.5, '60']) {
      const { error } = await call('memory/store/short-term', { conversation_id: conversationId(), memory_data: {}, ttl_seconds: ttl });
      expect(error, `ttl_seconds ${ttl}`).toMatchObject({ code: -32602, data: { issues: [{ path: 'ttl_seconds' }] } });
    }
    const { error } = await call('memory/store/short-term', { conversation_id: conversationId(), memory_data: {}, ttl_seconds: 0 });
    expect(error?.data?.issues).toEqual([{ path: 'ttl_seconds', message: 'must be at least 1' }]);
  });

  it('answers -32602 naming unknown memory_data keys, and every other invalid field in snake_case', async () => {
    const typo = await call('memory/store/short-term', {
      conversation_id: conversationId(),
      memory_data: { active_intnet: 'product_inquiry', extracted_slots: { company: 'TechCorp' }, lastAgent: 'x' },
    });
    expect(typo.error?.code).toBe(-32602);
    expect(typo.error?.message).toContain('memory_data.active_intnet');
    expect(typo.error?.data?.issues).toEqual([
      { path: 'memory_data.active_intnet', message: 'is not a known field' },
      { path: 'memory_data.lastAgent', message: 'is not a known field' },
    ]);

    const shapes = await call('memory/store/short-term', { conversation_id: 7, memory_data: { extracted_slots: ['a'], pending_actions: 'call' }, ttl: 5 });
    expect(shapes.error?.data?.issues).toEqual(
      expect.arrayContaining([
        { path: 'conversation_id', message: 'must be a string' },
        { path: 'memory_data.extracted_slots', message: 'must be a JSON object' },
        { path: 'memory_data.pending_actions', message: 'must be an array of strings' },
        { path: 'ttl', message: 'is not a known field' },
      ]),
    );
    expect(shapes.error?.data?.issues).toHaveLength(4);

    const missing = await call('memory/store/short-term', {});
    expect(missing.error?.data?.issues).toEqual([
      { path: 'conversation_id', message: 'is required' },
      { path: 'memory_data', message: 'is required' },
    ]);

    // Domain rules are GraphQL's; their issues come back under the caller's names.
    const domain = await call('memory/store/short-term', {
      // Within the id alphabet of every door (src/domain/input-rules.ts), but not of a conversation id.
      conversation_id: 'no/slashes/allowed',
      memory_data: { active_intent: '', pending_actions: ['call', ' '] },
    });
    expect(domain.error?.code).toBe(-32602);
    expect(domain.error?.data?.issues.map((issue) => issue.path).sort()).toEqual([
      'conversation_id',
      'memory_data.active_intent',
      'memory_data.pending_actions.1',
    ]);

    const retrieve = await call('memory/retrieve/short-term', { conversationId: 'conv-001' });
    expect(retrieve.error?.data?.issues).toEqual([
      { path: 'conversation_id', message: 'is required' },
      { path: 'conversationId', message: 'is not a known field' },
    ]);
  });
});

describe('memory/store/long-term and memory/retrieve/long-term', () => {
  it("retrieves a triaged lead's profile: its score history, no behaviour yet", async () => {
    const leadId = await triagedLead();
    const profile = await result('memory/retrieve/long-term', { lead_id: leadId });
    expect(profile).toEqual({
      lead_id: leadId,
      attributes: {},
      behaviour: { touches: 0, opens: 0, clicks: 0, replies: 0, last_activity_at: null, preferred_channel: null, preferred_hour: null },
      score_history: [{ score: 73, model_version: expect.any(String), at: isoDate }],
      consent: true,
      do_not_contact: false,
      updated_at: isoDate,
    });
  });

  it('stores then retrieves, merging attributes key by key', async () => {
    const leadId = await triagedLead();
    const first = await result('memory/store/long-term', { lead_id: leadId, profile: { attributes: { plan: 'trial', seats: 50, region: 'EU' } } });
    expect(first).toMatchObject({ lead_id: leadId, attributes: { plan: 'trial', seats: 50, region: 'EU' }, consent: true, do_not_contact: false });

    const second = await result('memory/store/long-term', {
      lead_id: leadId,
      profile: { attributes: { seats: 75, plan: null, budgetOwner: 'CFO' }, do_not_contact: true },
    });
    expect(second).toMatchObject({ attributes: { seats: 75, region: 'EU', budgetOwner: 'CFO' }, consent: true, do_not_contact: true });
    expect(second.attributes).not.toHaveProperty('plan');
    expect(second.score_history).toHaveLength(1);

    expect(await result('memory/retrieve/long-term', { lead_id: leadId })).toEqual(second);
  });

  it('answers -32004 for an unknown lead', async () => {
    const leadId = uniqueLeadId('missing');
    const store = await call('memory/store/long-term', { lead_id: leadId, profile: { consent: false } });
    expect(store.error).toMatchObject({ code: -32004, message: expect.stringContaining(leadId) });
    const retrieve = await call('memory/retrieve/long-term', { lead_id: leadId });
    expect(retrieve).toEqual({ jsonrpc: '2.0', id: 'x', error: { code: -32004, message: `Lead ${leadId} does not exist` } });
  });

  it('answers null for a known lead without long-term memory yet', async () => {
    // Every lead triaged through Baton gets a profile (triage appends its score);
    // a lead stored around the pipeline (an import, or one older than profiles) has none.
    const leadId = uniqueLeadId('imported');
    await baton.app.services.prisma.lead.create({ data: { id: leadId, industry: 'FINANCE', companySize: 'SMB' } });
    expect(await call('memory/retrieve/long-term', { lead_id: leadId })).toEqual({ jsonrpc: '2.0', id: 'x', result: null });

    // The first store creates it.
    const created = await result('memory/store/long-term', { lead_id: leadId, profile: { attributes: { crm: 'hubspot' } } });
    expect(created).toMatchObject({ lead_id: leadId, attributes: { crm: 'hubspot' }, score_history: [], consent: true });
  });

  it('answers -32602 in the caller’s vocabulary', async () => {
    const leadId = await triagedLead();
    const typo = await call('memory/store/long-term', { lead_id: leadId, profile: { doNotContact: true, consent: 'yes' } });
    expect(typo.error?.code).toBe(-32602);
    expect(typo.error?.data?.issues).toEqual(
      expect.arrayContaining([
        { path: 'profile.consent', message: 'must be true or false' },
        { path: 'profile.doNotContact', message: 'is not a known field' },
      ]),
    );

    const tooLarge = await call('memory/store/long-term', { lead_id: leadId, profile: { attributes: { notes: 'x'.repeat(20_000) } } });
    expect(tooLarge.error).toMatchObject({ code: -32602, data: { issues: [{ path: 'profile.attributes', message: 'must be at most 16384 bytes of JSON' }] } });

    const missing = await call('memory/retrieve/long-term', {});
    expect(missing.error?.data?.issues).toEqual([{ path: 'lead_id', message: 'is required' }]);
  });
});

describe('interaction/log', () => {
  it('records an email_open, which consolidation turns into behaviour', async () => {
    const leadId = await triagedLead();
    const occurredAt = new Date(Date.now() - 60 * 60_000).toISOString();
    const logged = await result('interaction/log', {
      lead_id: leadId,
      interaction_type: 'email_open',
      channel: 'email',
      template: 'enterprise_welcome',
      occurred_at: occurredAt,
      metadata: { campaign: 'q4-launch', userAgent: 'Mail/16.0' },
    });
    expect(logged).toEqual({
      interaction_id: expect.any(String),
      lead_id: leadId,
      interaction_type: 'email_open',
      channel: 'email',
      template: 'enterprise_welcome',
      occurred_at: occurredAt,
      metadata: { campaign: 'q4-launch', userAgent: 'Mail/16.0' },
    });

    const consolidated = await baton.graphql('mutation { consolidateMemory { profilesUpdated } }');
    expect(consolidated.body.errors).toBeUndefined();
    const profile = await result('memory/retrieve/long-term', { lead_id: leadId });
    expect(profile?.behaviour).toMatchObject({ opens: 1, last_activity_at: occurredAt, preferred_channel: 'email' });
  });

  it('records a conversion, which settles the lead’s outcome', async () => {
    const leadId = await triagedLead();
    const logged = await result('interaction/log', { lead_id: leadId, interaction_type: 'converted' });
    expect(logged).toMatchObject({ lead_id: leadId, interaction_type: 'converted', channel: null, template: null, metadata: null, occurred_at: isoDate });

    const { body } = await baton.graphql<{ lead: { outcome: string } }, { id: string }>('query ($id: ID!) { lead(id: $id) { outcome } }', { id: leadId });
    expect(body.data?.lead.outcome).toBe('CONVERTED');
  });

  it('answers -32602 naming interaction_type, channel and occurred_at', async () => {
    const leadId = await triagedLead();
    const unknownType = await call('interaction/log', { lead_id: leadId, interaction_type: 'EMAIL_OPEN' });
    expect(unknownType.error).toMatchObject({
      code: -32602,
      data: { issues: [{ path: 'interaction_type', message: expect.stringContaining('"email_open"') }] },
    });

    const future = new Date(Date.now() + 24 * 60 * 60_000).toISOString();
    const fromTheFuture = await call('interaction/log', { lead_id: leadId, interaction_type: 'click', occurred_at: future });
    expect(fromTheFuture.error).toMatchObject({ code: -32602, data: { issues: [{ path: 'occurred_at', message: 'must not be in the future' }] } });

    const badDate = await call('interaction/log', { lead_id: leadId, interaction_type: 'click', occurred_at: '2026-02-30T10:00:00Z', channel: 'fax' });
    expect(badDate.error?.data?.issues.map((issue) => issue.path).sort()).toEqual(['channel', 'occurred_at']);

    const typo = await call('interaction/log', { lead_id: leadId, type: 'click' });
    expect(typo.error?.data?.issues).toEqual(
      expect.arrayContaining([
        { path: 'interaction_type', message: 'is required' },
        { path: 'type', message: 'is not a known field' },
      ]),
    );

    const domain = await call('interaction/log', { lead_id: leadId, interaction_type: 'reply', template: ' ' });
    expect(domain.error).toMatchObject({ code: -32602, data: { issues: [{ path: 'template' }] } });
  });

  it('answers -32004 for an unknown lead', async () => {
    const leadId = uniqueLeadId('missing');
    const { error } = await call('interaction/log', { lead_id: leadId, interaction_type: 'email_open' });
    expect(error).toMatchObject({ code: -32004, message: expect.stringContaining(leadId) });
  });
});

describe('authorization', () => {
  it('lets a viewer retrieve but not store or log', async () => {
    const leadId = await triagedLead();
    const conversation = conversationId();
    await result('memory/store/short-term', { conversation_id: conversation, memory_data: { active_intent: 'demo_request' } });
    const viewer = await baton.token('viewer');

    for (const [method, params] of [
      ['memory/store/short-term', { conversation_id: conversation, memory_data: { active_intent: 'x' } }],
      ['memory/store/long-term', { lead_id: leadId, profile: { consent: false } }],
      ['interaction/log', { lead_id: leadId, interaction_type: 'click' }],
    ] as const) {
      const { error } = await call(method, params, viewer);
      expect(error?.code, method).toBe(-32003);
    }

    expect(await result('memory/retrieve/short-term', { conversation_id: conversation }, viewer)).toMatchObject({ active_intent: 'demo_request' });
    expect(await result('memory/retrieve/long-term', { lead_id: leadId }, viewer)).toMatchObject({ lead_id: leadId, consent: true });
  });
});

describe('batches', () => {
  it('answers a batch mixing stores, retrieves and errors, each by its id', async () => {
    const leadId = await triagedLead();
    const stored = conversationId();
    await result('memory/store/short-term', { conversation_id: stored, memory_data: { active_intent: 'pricing' } });
    const fresh = conversationId();

    const { status, body } = await rpc([
      request('memory/store/short-term', { conversation_id: fresh, memory_data: { last_agent: 'triage-001' } }, 1),
      request('memory/retrieve/short-term', { conversation_id: stored }, 2),
      request('memory/store/long-term', { lead_id: leadId, profile: { attributes: { source_campaign: 'webinar' } } }, 3),
      request('memory/retrieve/long-term', { lead_id: uniqueLeadId('missing') }, 4),
      request('interaction/log', { lead_id: leadId, interaction_type: 'click', channel: 'linkedin' }, 5),
      request('memory/store/short-term', { conversation_id: fresh, memory_data: { intent: 'x' } }, 6),
      { jsonrpc: '2.0', method: 'memory/store/short-term', params: { conversation_id: conversationId(), memory_data: {} } },
    ]);
    expect(status).toBe(200);
    expect(body).toHaveLength(6);
    const byId = Object.fromEntries((body as RpcResponse[]).map((response) => [response.id, response]));
    expect(byId[1]?.result).toMatchObject({ conversation_id: fresh, last_agent: 'triage-001' });
    expect(byId[2]?.result).toMatchObject({ conversation_id: stored, active_intent: 'pricing' });
    expect(byId[3]?.result).toMatchObject({ lead_id: leadId, attributes: { source_campaign: 'webinar' } });
    expect(byId[4]?.error?.code).toBe(-32004);
    expect(byId[5]?.result).toMatchObject({ lead_id: leadId, interaction_type: 'click', channel: 'linkedin' });
    expect(byId[6]?.error).toMatchObject({ code: -32602, data: { issues: [{ path: 'memory_data.intent', message: 'is not a known field' }] } });
  });
});
