// Masking by role through every door: a viewer reads a person's email, phone,
// name and contact data masked (GraphQL over HTTP, SSE and graphql-ws, REST,
// JSON-RPC, MCP tools and resources); operators and admins read them in clear.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { losingWeeks } from '../../support/campaign-fixtures.js';
import { openGraphQLSocket } from '../../support/graphql-socket.js';
import { untilSubscribed } from '../../support/live-subscriptions.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const EMAIL = 'jane.doe@acme.example';
const PHONE = '+44 20 7946 0958';
const SLOT_EMAIL = 'jdoe.private@mail.example';
const SLOT_PHONE = '+1 415 555 0112';

let baton: TestApp;
let viewer: string;
let operator: string;
const leadId = uniqueLeadId('pii');
const conversationId = uniqueLeadId('pii-conv');

const LEAD_QUERY = `query ($id: ID!) {
  lead(id: $id) {
    email phone
    profile { attributes }
    handoffs { context }
    outboundMessages { recipient subject body }
    interactions { metadata }
  }
}`;
const SLOTS_QUERY = 'query ($id: ID!) { shortTermMemory(conversationId: $id) { extractedSlots } }';

type LeadAnswer = {
  email: string | null;
  phone: string | null;
  profile: { attributes: Record<string, unknown> } | null;
  handoffs: { context: Record<string, unknown> }[];
  outboundMessages: { recipient: string; subject: string | null; body: string }[];
  interactions: { metadata: Record<string, unknown> | null }[];
};

/**
 * No clear trace of the person's address, number or surname in an answer, whatever its shape.
 * (Her first name stays in the messages' own text, "Hi Jane": free text is masked for addresses and numbers only.)
 */
function expectNoClearPii(answer: unknown): void {
  const text = JSON.stringify(answer);
  for (const clear of [EMAIL, 'jane.doe', SLOT_EMAIL, 'jdoe.private', '7946', '0958', '555 0112', 'Doe']) expect(text).not.toContain(clear);
}

async function connectMcp(token: string): Promise<Client> {
  const mcp = new Client({ name: 'baton-pii-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return mcp;
}

async function rpc(method: string, params: unknown, token: string): Promise<unknown> {
  const response = await baton.post('/mcp', { jsonrpc: '2.0', id: 1, method, params }, { token });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  expect(body.error).toBeUndefined();
  return body.result;
}

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  viewer = await baton.token('viewer');
  operator = await baton.token('operator');
  const processed = await baton.graphql('mutation ($input: LeadInput!) { processLead(input: $input) { status } }', {
    input: { leadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', source: 'webinar', email: EMAIL, phone: PHONE },
  });
  expect(processed.body.errors).toBeUndefined();
  const profile = await baton.graphql('mutation ($id: ID!, $input: LeadProfileInput!) { storeLeadProfile(leadId: $id, input: $input) { __typename } }', {
    id: leadId,
    input: { attributes: { first_name: 'Jane', Last_Name: 'Doe', contact: { email: SLOT_EMAIL, phone: SLOT_PHONE }, company: 'Acme' } },
  });
  expect(profile.body).toMatchObject({ data: { storeLeadProfile: { __typename: 'LeadProfile' } } });
  const slots = await baton.graphql(
    'mutation ($id: ID!, $input: ConversationContextInput!) { storeShortTermMemory(conversationId: $id, input: $input) { conversationId } }',
    {
      id: conversationId,
      input: { leadId, extractedSlots: { Email: SLOT_EMAIL, mobile_phone: SLOT_PHONE, full_name: 'Jane Doe', interest: 'pricing' } },
    },
  );
  expect(slots.body.errors).toBeUndefined();
  const interaction = await baton.graphql('mutation ($input: InteractionInput!) { recordInteraction(input: $input) { __typename } }', {
    input: { leadId, type: 'REPLY', channel: 'EMAIL', metadata: { from: `Jane Doe <${EMAIL}>`, note: `call back on ${PHONE}` } },
  });
  expect(interaction.body.errors).toBeUndefined();
});
afterAll(() => baton?.stop());

describe('GraphQL over HTTP', () => {
  it('answers a viewer masked values', async () => {
    const { body } = await baton.graphql<{ lead: LeadAnswer }, { id: string }>(LEAD_QUERY, { id: leadId }, { token: viewer });
    expect(body.errors).toBeUndefined();
    const lead = body.data!.lead;
    expect(lead.email).toBe('j***@acme.example');
    expect(lead.phone).toBe('+44 *** *** 58');
    expect(lead.profile!.attributes).toEqual({
      first_name: 'J***',
      Last_Name: 'D***',
      contact: { email: 'j***@mail.example', phone: '+1 *** *** 12' },
      company: 'Acme',
    });
    expect(lead.outboundMessages.length).toBeGreaterThan(0);
    // Engagement picks the channels (email, SMS, call, LinkedIn search by name): each recipient is masked as what it is.
    for (const { recipient } of lead.outboundMessages) expect(['j***@acme.example', '+44 *** *** 58', 'J***']).toContain(recipient);
    expect(lead.handoffs.length).toBeGreaterThan(0);
    expect(lead.interactions.find((interaction) => interaction.metadata?.from)!.metadata).toEqual({
      from: 'J***@acme.example>',
      note: 'call back on +44 *** *** 58',
    });
    expectNoClearPii(lead);

    const slots = await baton.graphql(SLOTS_QUERY, { id: conversationId }, { token: viewer });
    expect(slots.body.data).toEqual({
      shortTermMemory: { extractedSlots: { Email: 'j***@mail.example', mobile_phone: '+1 *** *** 12', full_name: 'J***', interest: 'pricing' } },
    });
  });

  it('answers operators and admins the clear values', async () => {
    for (const token of [operator, await baton.token('admin'), await baton.token('agent'), await baton.token('manager')]) {
      const { body } = await baton.graphql<{ lead: LeadAnswer }, { id: string }>(LEAD_QUERY, { id: leadId }, { token });
      const lead = body.data!.lead;
      expect(lead.email).toBe(EMAIL);
      expect(lead.phone).toBe(PHONE);
      expect(lead.profile!.attributes).toMatchObject({ first_name: 'Jane', contact: { email: SLOT_EMAIL, phone: SLOT_PHONE } });
      for (const { recipient } of lead.outboundMessages)
        expect(recipient === EMAIL || recipient === PHONE || recipient.startsWith('"Jane"'), recipient).toBe(true);
      expect(JSON.stringify(lead.handoffs)).toContain(EMAIL);
    }
    const slots = await baton.graphql(SLOTS_QUERY, { id: conversationId }, { token: operator });
    expect(slots.body.data).toMatchObject({ shortTermMemory: { extractedSlots: { Email: SLOT_EMAIL, full_name: 'Jane Doe' } } });
  });

  it('masks a viewer with another role too only when no role needs clear values', async () => {
    const both = await baton.token('viewer', 'operator');
    const { body } = await baton.graphql<{ lead: LeadAnswer }, { id: string }>(LEAD_QUERY, { id: leadId }, { token: both });
    expect(body.data!.lead.email).toBe(EMAIL);
  });
});

describe('GraphQL over SSE and graphql-ws', () => {
  it('answers a viewer masked values over server-sent events', async () => {
    const response = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${viewer}` },
      body: JSON.stringify({ query: LEAD_QUERY, variables: { id: leadId } }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(text).toContain('j***@acme.example');
    expectNoClearPii(text);
  });

  it('answers a viewer masked values over graphql-ws', async () => {
    const socket = await openGraphQLSocket(baton.url, viewer);
    try {
      socket.subscribe('1', { query: LEAD_QUERY, variables: { id: leadId } });
      const next = await socket.message((message) => message.id === '1' && message.type === 'next');
      expect(next.payload).toMatchObject({ data: { lead: { email: 'j***@acme.example', phone: '+44 *** *** 58' } } });
      expectNoClearPii(next.payload);
    } finally {
      await socket.close();
    }
  });
});

describe('a subscription event', () => {
  it("streams a viewer a manager's note on an escalation with the number in it masked", async () => {
    const campaignId = `camp-${uniqueLeadId()}`;
    await baton.graphql('mutation ($input: CampaignInput!) { createCampaign(input: $input) { id } }', {
      input: { id: campaignId, name: 'Losing', budgetUsd: 100_000 },
    });
    await baton.graphql(
      'mutation ($id: ID!, $metrics: [CampaignMetricsInput!]!) { ingestCampaignMetrics(campaignId: $id, metrics: $metrics) { __typename } }',
      {
        id: campaignId,
        metrics: losingWeeks(),
      },
    );
    const review = await baton.graphql<{ optimizeCampaign: { escalation: { id: string } | null } }, object>(
      'mutation ($id: ID!) { optimizeCampaign(campaignId: $id) { ... on OptimizationResult { escalation { id } } } }',
      { id: campaignId },
    );
    const escalationId = review.body.data!.optimizeCampaign.escalation!.id;

    const socket = await openGraphQLSocket(baton.url, viewer);
    try {
      socket.subscribe('live', { query: 'subscription { handoffProgress { handoffId status detail } }' });
      await untilSubscribed(baton, { transport: 'graphql_ws', event: 'handoff:progress' });
      const note = `Spoke to Jane on ${PHONE}, write to ${EMAIL}`;
      const decided = await baton.graphql('mutation ($id: ID!, $note: String) { resolveEscalation(id: $id, decision: REJECT, note: $note) { __typename } }', {
        id: escalationId,
        note,
      });
      expect(decided.body.errors).toBeUndefined();
      const event = await socket.message((message) => message.id === 'live' && JSON.stringify(message.payload).includes(escalationId));
      expect(event.payload).toMatchObject({
        data: { handoffProgress: { status: 'FAILED', detail: 'Rejected by test-admin: Spoke to Jane on +44 *** *** 58, write to j***@acme.example' } },
      });

      const stored = await baton.graphql<{ handoff: { failureReason: string; resolutionNote: string } }, object>(
        'query ($id: ID!) { handoff(id: $id) { failureReason resolutionNote } }',
        { id: escalationId },
        { token: viewer },
      );
      expectNoClearPii(stored.body.data);
      const clear = await baton.graphql('query ($id: ID!) { handoff(id: $id) { resolutionNote } }', { id: escalationId }, { token: operator });
      expect(clear.body.data).toEqual({ handoff: { resolutionNote: note } });
    } finally {
      await socket.close();
    }
  });
});

describe('REST', () => {
  it('GET /api/v1/leads/{id} carries no clear contact data for a viewer', async () => {
    const response = await fetch(`${baton.url}/api/v1/leads/${leadId}`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(response.status).toBe(200);
    expectNoClearPii(await response.json());
  });
});

describe('JSON-RPC', () => {
  it('memory/retrieve/long-term and short-term answer a viewer masked values, an operator clear ones', async () => {
    const longTerm = (await rpc('memory/retrieve/long-term', { lead_id: leadId }, viewer)) as { attributes: unknown };
    expect(longTerm.attributes).toMatchObject({ first_name: 'J***', contact: { email: 'j***@mail.example', phone: '+1 *** *** 12' } });
    const shortTerm = (await rpc('memory/retrieve/short-term', { conversation_id: conversationId }, viewer)) as { extracted_slots: unknown };
    expect(shortTerm.extracted_slots).toEqual({ Email: 'j***@mail.example', mobile_phone: '+1 *** *** 12', full_name: 'J***', interest: 'pricing' });

    const clear = (await rpc('memory/retrieve/long-term', { lead_id: leadId }, operator)) as { attributes: unknown };
    expect(clear.attributes).toMatchObject({ first_name: 'Jane', contact: { email: SLOT_EMAIL } });
  });
});

describe('JSON-RPC over WebSocket', () => {
  it('memory/retrieve/short-term answers a viewer masked values', async () => {
    const socket = new WebSocket(`${baton.url.replace(/^http/, 'ws')}/mcp`, { headers: { authorization: `Bearer ${viewer}` } });
    try {
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const answer = new Promise<{ result: { extracted_slots: unknown } }>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'memory/retrieve/short-term', params: { conversation_id: conversationId } }));
      expect((await answer).result.extracted_slots).toEqual({
        Email: 'j***@mail.example',
        mobile_phone: '+1 *** *** 12',
        full_name: 'J***',
        interest: 'pricing',
      });
    } finally {
      socket.close();
    }
  });
});

describe('MCP', () => {
  it('get_lead_profile and baton://leads/{id} answer a viewer masked values, an admin clear ones', async () => {
    const mcp = await connectMcp(viewer);
    const admin = await connectMcp(await baton.token('admin'));
    try {
      const tool = await mcp.callTool({ name: 'get_lead_profile', arguments: { lead_id: leadId } });
      expect(tool.isError).toBeFalsy();
      expect(JSON.stringify(tool)).toContain('j***@mail.example');
      expectNoClearPii(tool);

      const resource = await mcp.readResource({ uri: `baton://leads/${leadId}` });
      expect(JSON.stringify(resource)).toContain('j***@mail.example');
      expectNoClearPii(resource);

      const clear = await admin.callTool({ name: 'get_lead_profile', arguments: { lead_id: leadId } });
      expect(JSON.stringify(clear)).toContain(SLOT_EMAIL);
    } finally {
      await mcp.close();
      await admin.close();
    }
  });
});
