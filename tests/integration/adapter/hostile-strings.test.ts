// Baton's input rules (src/domain/input-rules.ts) at every door of a real server:
// NUL, an unpaired surrogate, an over-long string and an id outside the alphabet
// are each refused with the door's own input error naming the field (GraphQL
// BAD_USER_INPUT, HTTP 400, JSON-RPC -32602, MCP isError or -32602), and nothing
// is stored. None is ever a 5xx, INTERNAL_SERVER_ERROR or -32603.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signPayload } from '../../../src/delivery/webhook-signature.js';
import { openGraphQLSocket } from '../../support/graphql-socket.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const SECRET = 'hostile-strings-webhook-secret';
let baton: TestApp;
let mcp: Client;

beforeAll(async () => {
  baton = await startTestApp({ env: { WEBHOOK_SECRET: SECRET, CONSOLIDATION_INTERVAL_S: '0' } });
  mcp = new Client({ name: 'hostile-strings', version: '1.0.0' });
  const token = await baton.token('admin');
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
});
afterAll(async () => {
  await mcp?.close();
  await baton?.stop();
});

/** The hostile strings, each with the words of the issue that names it. */
const HOSTILE = [
  { name: 'NUL', value: (base: string) => `${base}\u0000x`, message: /NUL/ },
  { name: 'lone high surrogate', value: (base: string) => `${base}\uD800`, message: /surrogate/ },
  { name: 'lone low surrogate', value: (base: string) => `\uDC00${base}`, message: /surrogate/ },
] as const;

const leadInput = (leadId: string, extra: Record<string, unknown> = {}) => ({ leadId, industry: 'TECHNOLOGY', companySize: 'SMB', ...extra });
const leadData = (leadId: string, extra: Record<string, unknown> = {}) => ({ lead_id: leadId, industry: 'Technology', company_size: 'SMB', ...extra });

const leadCount = () => baton.app.services.prisma.lead.count();

type Issue = { path: string; message: string };

function expectIssue(issues: Issue[] | undefined, path: string, message: RegExp) {
  expect(issues, `issues naming ${path}`).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
}

const TRIAGE = /* GraphQL */ `
  mutation ($input: LeadInput!) {
    triageLead(input: $input) {
      lead {
        id
      }
    }
  }
`;
const STORE_MEMORY = /* GraphQL */ `
  mutation ($conversationId: ID!, $input: ConversationContextInput!) {
    storeShortTermMemory(conversationId: $conversationId, input: $input) {
      conversationId
    }
  }
`;

async function graphqlIssues(document: string, variables: Record<string, unknown>) {
  const { status, body } = await baton.graphql(document, variables);
  expect(status).toBeLessThan(500);
  expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  return body.errors![0]!.extensions!.issues;
}

describe('GraphQL', () => {
  for (const hostile of HOSTILE) {
    it(`refuses ${hostile.name} in ids, text, list items and JSON (keys and values), storing nothing`, async () => {
      const before = await leadCount();
      const cases: [string, Record<string, unknown>, string][] = [
        [TRIAGE, { input: leadInput(hostile.value('lead')) }, 'input.leadId'],
        [TRIAGE, { input: leadInput(uniqueLeadId(), { source: hostile.value('web') }) }, 'input.source'],
        [TRIAGE, { input: leadInput(uniqueLeadId(), { email: hostile.value('a@example.com') }) }, 'input.email'],
        [STORE_MEMORY, { conversationId: hostile.value('conv'), input: {} }, 'conversationId'],
        [STORE_MEMORY, { conversationId: 'conv-hostile', input: { pendingActions: ['call', hostile.value('mail')] } }, 'input.pendingActions.1'],
        [STORE_MEMORY, { conversationId: 'conv-hostile', input: { extractedSlots: { budget: hostile.value('50k') } } }, 'input.extractedSlots.budget'],
        [
          STORE_MEMORY,
          { conversationId: 'conv-hostile', input: { extractedSlots: { nested: [{ deep: hostile.value('x') }] } } },
          'input.extractedSlots.nested.0.deep',
        ],
      ];
      for (const [document, variables, path] of cases) expectIssue(await graphqlIssues(document, variables), path, hostile.message);
      // A hostile key names the key itself, escaped.
      const keyIssues = await graphqlIssues(STORE_MEMORY, { conversationId: 'conv-hostile', input: { extractedSlots: { [hostile.value('k')]: 1 } } });
      expect(keyIssues?.[0]?.path).toMatch(/^input\.extractedSlots\./);
      expect(keyIssues?.[0]?.message).toMatch(hostile.message);
      expect(await leadCount()).toBe(before);
      expect(await baton.app.services.memory.shortTerm.retrieve('conv-hostile')).toBeNull();
    });
  }

  it('refuses a string literal with NUL in the document itself, and an id query with NUL answers BAD_USER_INPUT, not an internal error', async () => {
    const literal = await baton.graphql('{ leads(filter: { source: "a\\u0000b" }) { totalCount } }');
    expect(literal.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expectIssue(literal.body.errors?.[0]?.extensions?.issues, 'filter.source', /NUL/);
    const lookup = await baton.graphql('query ($id: ID!) { lead(id: $id) { id } }', { id: 'lead\u0000x' });
    expect(lookup.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('bounds lengths and the id alphabet', async () => {
    expectIssue(await graphqlIssues(TRIAGE, { input: leadInput(uniqueLeadId(), { source: 'x'.repeat(1001) }) }), 'input.source', /at most 1000/);
    for (const id of ['', 'x'.repeat(129), 'has space', '-leading-dash', 'semi;colon', 'émile']) {
      const { body } = await baton.graphql('query ($id: ID!) { lead(id: $id) { id } }', { id });
      expect(body.errors?.[0]?.extensions?.code, JSON.stringify(id)).toBe('BAD_USER_INPUT');
      expectIssue(body.errors?.[0]?.extensions?.issues, 'id', /letters, digits/);
    }
    // Knowledge node ids use `/`; it is in the alphabet.
    const node = await baton.graphql('{ knowledgeNode(id: "segment:technology/decision-maker") { id } }');
    expect(node.body.errors).toBeUndefined();
  });
});

describe('GraphQL over WebSocket', () => {
  it('answers a subscription argument with NUL with an error for that subscription, not an internal one', async () => {
    const socket = await openGraphQLSocket(baton.url, await baton.token('admin'));
    try {
      socket.subscribe('bad', { query: 'subscription ($id: ID) { handoffProgress(leadId: $id) { status } }', variables: { id: 'lead\u0000x' } });
      const answer = await socket.message((message) => message.id === 'bad' && (message.type === 'error' || message.type === 'next'));
      expect(JSON.stringify(answer.payload)).toContain('BAD_USER_INPUT');
      expect(JSON.stringify(answer.payload)).not.toContain('INTERNAL_SERVER_ERROR');
    } finally {
      await socket.close();
    }
  });
});

describe('REST', () => {
  for (const hostile of HOSTILE) {
    it(`refuses ${hostile.name} in the body, the path and the query with 400 naming the field, storing nothing`, async () => {
      const before = await leadCount();
      for (const [data, path] of [
        [leadData(hostile.value('lead')), 'lead_data.lead_id'],
        [leadData(uniqueLeadId(), { source: hostile.value('web') }), 'lead_data.source'],
        [leadData(uniqueLeadId(), { campaign_id: hostile.value('camp') }), 'lead_data.campaign_id'],
      ] as const) {
        const response = await baton.post('/api/v1/leads', { lead_data: data });
        expect(response.status, path).toBe(400);
        const { error } = await response.json();
        expect(error.code).toBe('BAD_USER_INPUT');
        expectIssue(error.issues, path, hostile.message);
      }
      expect(await leadCount()).toBe(before);
    });
  }

  it('refuses NUL in an id in the path (percent-encoded) with 400, and malformed encoding is no server error', async () => {
    const token = await baton.token('admin');
    const nul = await fetch(`${baton.url}/api/v1/leads/lead%00x`, { headers: { authorization: `Bearer ${token}` } });
    expect(nul.status).toBe(400);
    expectIssue((await nul.json()).error.issues, 'lead_id', /NUL/);
    const optimize = await baton.post('/api/v1/campaigns/camp%00x/optimize', {});
    expect(optimize.status).toBe(400);
    expectIssue((await optimize.json()).error.issues, 'campaign_id', /NUL/);
    // Malformed percent-encoding reaches the route as sent, and the id rule names the param.
    for (const path of ['/api/v1/leads/%ZZ', '/api/v1/leads/%ED%A0%80', '/api/v1/leads/%C0']) {
      const response = await fetch(`${baton.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, path).toBe(400);
      expectIssue((await response.json()).error.issues, 'lead_id', /./);
    }
    const query = await fetch(`${baton.url}/api/v1/agents/handoffs/analytics?since=2026-01-01%00`, { headers: { authorization: `Bearer ${token}` } });
    expect(query.status).toBe(400);
    const year0 = await fetch(`${baton.url}/api/v1/agents/handoffs/analytics?since=0000-01-01T00:00:00Z`, { headers: { authorization: `Bearer ${token}` } });
    expect(year0.status).toBe(400);
  });

  it('refuses an Idempotency-Key outside printable ASCII with 400, and runs nothing', async () => {
    const before = await leadCount();
    const response = await fetch(`${baton.url}/api/v1/leads`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await baton.token('admin')}`,
        // A header value may carry bytes 0x80-0xFF (obs-text); Node reads them as Latin-1.
        'idempotency-key': Buffer.from('key-\xff\xfe', 'latin1').toString('latin1'),
      },
      body: JSON.stringify({ lead_data: leadData(uniqueLeadId()) }),
    });
    expect(response.status).toBe(400);
    expectIssue((await response.json()).error.issues, 'Idempotency-Key', /printable ASCII/);
    expect(await leadCount()).toBe(before);
  });

  it('refuses hostile strings in delivery events with 400 naming the event field', async () => {
    for (const hostile of HOSTILE) {
      for (const [event, path] of [
        [{ id: hostile.value('evt'), type: 'opened', dedup_key: 'baton-x', occurred_at: new Date().toISOString() }, 'events[0].id'],
        [
          { id: 'evt-1', type: 'replied', dedup_key: 'baton-x', occurred_at: new Date().toISOString(), detail: { text: hostile.value('hi') } },
          'events[0].detail.text',
        ],
        [
          { id: 'evt-1', type: 'opened', dedup_key: 'baton-x', occurred_at: new Date().toISOString(), detail: { extra: [hostile.value('x')] } },
          'events[0].detail.extra[0]',
        ],
      ] as const) {
        const text = JSON.stringify({ events: [event] });
        const response = await fetch(`${baton.url}/api/v1/events/deliveries`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'baton-signature': signPayload(SECRET, text, new Date()) },
          body: text,
        });
        expect(response.status, path).toBe(400);
        expectIssue((await response.json()).error.issues, path, hostile.message);
      }
    }
    const year0 = JSON.stringify({ events: [{ id: 'evt-0', type: 'opened', dedup_key: 'baton-x', occurred_at: '0000-01-01T00:00:00Z' }] });
    const response = await fetch(`${baton.url}/api/v1/events/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'baton-signature': signPayload(SECRET, year0, new Date()) },
      body: year0,
    });
    expect(response.status).toBe(400);
    expectIssue((await response.json()).error.issues, 'events[0].occurred_at', /1900-01-01/);
  });
});

describe('JSON-RPC', () => {
  async function rpc(method: string, params: unknown) {
    const response = await baton.post('/mcp', { jsonrpc: '2.0', id: 1, method, params });
    expect(response.status).toBe(200);
    return (await response.json()) as { error?: { code: number; data?: { issues?: Issue[] } } };
  }

  for (const hostile of HOSTILE) {
    it(`answers -32602 naming the param for ${hostile.name}, storing nothing`, async () => {
      const before = await leadCount();
      for (const [method, params, path] of [
        ['agent/triage/lead', { lead_data: leadData(hostile.value('lead')) }, 'lead_data.lead_id'],
        ['agent/triage/lead', { lead_data: leadData(uniqueLeadId(), { email: hostile.value('a@b.co') }) }, 'lead_data.email'],
        ['memory/store/short-term', { conversation_id: hostile.value('conv'), memory_data: {} }, 'conversation_id'],
        [
          'memory/store/short-term',
          { conversation_id: 'conv-rpc', memory_data: { extracted_slots: { k: { v: hostile.value('x') } } } },
          'memory_data.extracted_slots.k.v',
        ],
        ['memory/store/long-term', { lead_id: 'lead-x', profile: { attributes: { note: hostile.value('x') } } }, 'profile.attributes.note'],
        ['interaction/log', { lead_id: 'lead-x', interaction_type: 'click', metadata: { [`${hostile.value('k')}`]: 1 } }, undefined],
      ] as const) {
        const answer = await rpc(method, params);
        expect(answer.error?.code, `${method} ${path}`).toBe(-32602);
        if (path) expectIssue(answer.error?.data?.issues, path, hostile.message);
      }
      expect(await leadCount()).toBe(before);
      expect(await baton.app.services.memory.shortTerm.retrieve('conv-rpc')).toBeNull();
    });
  }
});

describe('over-long strings and ids outside the alphabet, at each adapter door', () => {
  const long = 'x'.repeat(1001);
  /** [what, lead_data, the path named, the message] */
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['an id with a space', leadData('has space'), 'lead_data.lead_id', /letters, digits/],
    ['an id of 129 characters', leadData('x'.repeat(129)), 'lead_data.lead_id', /1-128 characters/],
    ['an id with a semicolon', leadData('lead;1'), 'lead_data.lead_id', /letters, digits/],
    ['an over-long email', leadData(uniqueLeadId(), { email: `${long}@example.com` }), 'lead_data.email', /at most/],
    ['an over-long source', leadData(uniqueLeadId(), { source: long }), 'lead_data.source', /at most/],
  ];

  it.each(cases)('REST: %s is 400 naming the field', async (_what, data, path, message) => {
    const before = await leadCount();
    const response = await baton.post('/api/v1/leads', { lead_data: data });
    expect(response.status).toBe(400);
    expectIssue((await response.json()).error.issues, path, message);
    expect(await leadCount()).toBe(before);
  });

  it.each(cases)('JSON-RPC: %s is -32602 naming the param', async (_what, data, path, message) => {
    const response = await baton.post('/mcp', { jsonrpc: '2.0', id: 1, method: 'agent/triage/lead', params: { lead_data: data } });
    const answer = (await response.json()) as { error?: { code: number; data?: { issues?: Issue[] } } };
    expect(answer.error?.code).toBe(-32602);
    expectIssue(answer.error?.data?.issues, path, message);
  });

  it.each(cases)('MCP: %s is isError naming the argument', async (_what, data, path) => {
    const before = await leadCount();
    const result = await mcp.callTool({ name: 'triage_lead', arguments: { lead_data: data } });
    expect(result.isError).toBe(true);
    const text = (result.content as { text: string }[])[0]!.text;
    expect(text).toContain(path.split('.').at(-1));
    expect(await leadCount()).toBe(before);
  });

  it('MCP: a resource id outside the alphabet is -32602', async () => {
    await expect(mcp.readResource({ uri: 'baton://leads/has%20space' })).rejects.toMatchObject({ code: -32602 });
    await expect(mcp.readResource({ uri: `baton://leads/${'x'.repeat(129)}` })).rejects.toMatchObject({ code: -32602 });
  });
});

describe('JSON-RPC over WebSocket', () => {
  it('answers -32602 naming the param, storing nothing', async () => {
    const before = await leadCount();
    const socket = new WebSocket(`${baton.url.replace(/^http/, 'ws')}/mcp`, { headers: { authorization: `Bearer ${await baton.token('admin')}` } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    try {
      for (const hostile of HOSTILE) {
        const reply = new Promise<{ error?: { code: number; data?: { issues?: Issue[] } } }>((resolve) =>
          socket.once('message', (data) => resolve(JSON.parse(String(data)))),
        );
        socket.send(
          JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'agent/triage/lead',
            params: { lead_data: leadData(uniqueLeadId(), { source: hostile.value('web') }) },
          }),
        );
        const answer = await reply;
        expect(answer.error?.code).toBe(-32602);
        expectIssue(answer.error?.data?.issues, 'lead_data.source', hostile.message);
      }
    } finally {
      socket.close();
    }
    expect(await leadCount()).toBe(before);
  });
});

describe('MCP', () => {
  const toolError = (result: Awaited<ReturnType<Client['callTool']>>) => {
    expect(result.isError).toBe(true);
    return (result.content as { text: string }[])[0]!.text;
  };

  for (const hostile of HOSTILE) {
    it(`answers tool calls with ${hostile.name} as isError naming the argument, storing nothing`, async () => {
      const before = await leadCount();
      const triage = await mcp.callTool({ name: 'triage_lead', arguments: { lead_data: leadData(hostile.value('lead')) } });
      expect(toolError(triage)).toMatch(/lead_data\.lead_id|lead_data","lead_id/);
      const slots = await mcp.callTool({
        name: 'store_conversation_memory',
        arguments: { conversation_id: 'conv-mcp', memory_data: { extracted_slots: { budget: hostile.value('50k') } } },
      });
      expect(toolError(slots)).toMatch(/extracted_slots/);
      expect(await leadCount()).toBe(before);
      expect(await baton.app.services.memory.shortTerm.retrieve('conv-mcp')).toBeNull();
    });
  }

  it('answers malformed resource URIs and hostile ids with -32602, never -32603', async () => {
    for (const uri of [
      'baton://leads/%ZZ',
      'baton://leads/lead%00x',
      'baton://leads/%ED%A0%80',
      'baton://campaigns/%E0%A4%A/metrics',
      'baton://campaigns/c%00/metrics',
      // Not URIs at all: the SDK's own URL parse would make these -32603.
      '',
      '\u0000',
      'leads/abc',
    ]) {
      await expect(mcp.readResource({ uri }), uri).rejects.toMatchObject({ code: -32602 });
    }
  });

  it('answers prompt arguments with NUL or an unpaired surrogate with -32602', async () => {
    for (const hostile of HOSTILE) {
      await expect(mcp.getPrompt({ name: 'plan-follow-up', arguments: { lead_id: hostile.value('lead') } })).rejects.toMatchObject({ code: -32602 });
      await expect(mcp.getPrompt({ name: 'triage-inbound-email', arguments: { email: hostile.value('From: a@b.co') } })).rejects.toMatchObject({
        code: -32602,
      });
    }
  });

  it('answers a tools/call whose arguments are a string with an input error, not -32603', async () => {
    const response = await fetch(`${baton.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${await baton.token('admin')}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'triage_lead', arguments: 'lead_data' } }),
    });
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    const message = JSON.parse(text.startsWith('{') ? text : /^data: (.*)$/m.exec(text)![1]!) as {
      error?: { code: number };
      result?: { isError?: boolean };
    };
    if (message.error) expect(message.error.code).toBe(-32602);
    else expect(message.result?.isError).toBe(true);
  });
});
