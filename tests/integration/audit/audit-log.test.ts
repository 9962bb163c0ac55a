// The audit log through the real doors: a clear read of a person's data records
// one READ_CLEAR entry per request, with its door, operation and request id
// (GraphQL, REST, JSON-RPC, MCP); a viewer's masked read records nothing; writes
// record WRITE; admins query the log (GraphQL, REST JSON lines) and no one else
// may; the table refuses UPDATE, DELETE and TRUNCATE whoever asks.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AuditEntry } from '../../../src/audit/audit-log.js';
import type { Prisma } from '../../../src/db/generated/prisma/client.js';
import { openGraphQLSocket } from '../../support/graphql-socket.js';
import { untilSubscribed } from '../../support/live-subscriptions.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const EMAIL = 'ada.lovelace@engine.example';
const PHONE = '+44 20 7946 0411';

let baton: TestApp;
let viewer: string;
let operator: string;
const leadId = uniqueLeadId('audit');

const READ_LEAD = 'query ReadLead($id: ID!) { lead(id: $id) { id email phone profile { attributes } } }';
const AUDIT_LOG = `query AuditLog($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    edges { node { id at subject roles action leadIds fields door operation requestId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type AuditNode = Pick<AuditEntry, 'id' | 'subject' | 'roles' | 'action' | 'leadIds' | 'fields' | 'door' | 'operation' | 'requestId'> & { at: string };

function entries(where: Prisma.AuditEntryWhereInput) {
  return baton.app.database.prisma.auditEntry.findMany({ where, orderBy: { at: 'asc' } });
}

async function get(path: string, token: string, requestId?: string): Promise<Response> {
  return fetch(`${baton.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...(requestId ? { 'x-request-id': requestId } : {}) } });
}

async function graphqlAs(token: string, query: string, variables: unknown, requestId?: string) {
  const response = await fetch(`${baton.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(requestId ? { 'x-request-id': requestId } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: { message: string; extensions?: { code?: string; issues?: { path: string }[] } }[];
  };
}

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  viewer = await baton.token('viewer');
  operator = await baton.token('operator');
  const processed = await baton.graphql('mutation SubmitLead($input: LeadInput!) { processLead(input: $input) { status } }', {
    input: { leadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', source: 'webinar', email: EMAIL, phone: PHONE },
  });
  expect(processed.body.errors).toBeUndefined();
  const profile = await baton.graphql(
    'mutation StoreProfile($id: ID!, $input: LeadProfileInput!) { storeLeadProfile(leadId: $id, input: $input) { __typename } }',
    {
      id: leadId,
      input: { attributes: { first_name: 'Ada', contact: { email: EMAIL } } },
    },
  );
  expect(profile.body.errors).toBeUndefined();
});
afterAll(() => baton?.stop());

describe('writes', () => {
  it('records a WRITE for a lead created, a profile stored and an outcome recorded, naming fields but no value', async () => {
    const outcome = await baton.graphql('mutation Outcome($id: ID!) { recordOutcome(leadId: $id, outcome: CONVERTED) { ... on Lead { id } } }', { id: leadId });
    expect(outcome.body.errors).toBeUndefined();
    const writes = await entries({ action: 'WRITE', leadIds: { has: leadId } });
    expect(writes.map((entry) => entry.operation)).toEqual(['SubmitLead', 'StoreProfile', 'Outcome']);
    for (const entry of writes) expect(entry).toMatchObject({ subject: 'test-admin', roles: ['admin'], door: 'graphql-http', leadIds: [leadId] });
    expect(writes[0]!.fields).toEqual(expect.arrayContaining(['input.leadId', 'input.email', 'input.phone']));
    expect(writes[0]!.requestId).toEqual(expect.any(String));
    const all = JSON.stringify(await baton.app.database.prisma.auditEntry.findMany());
    for (const value of [EMAIL, 'ada.lovelace', '7946', 'Ada']) expect(all).not.toContain(value);
  });

  it('records nothing for a write refused or failed (an unknown lead)', async () => {
    const missing = uniqueLeadId('audit-missing');
    const outcome = await baton.graphql('mutation Outcome($id: ID!) { recordOutcome(leadId: $id, outcome: LOST) { __typename } }', { id: missing });
    expect(outcome.body.data).toEqual({ recordOutcome: { __typename: 'NotFoundError' } });
    expect(await entries({ leadIds: { has: missing } })).toEqual([]);
  });
});

describe('clear reads, one entry per request', () => {
  it('a viewer reading masked values records nothing', async () => {
    const answer = await graphqlAs(viewer, READ_LEAD, { id: leadId });
    expect(answer.data).toMatchObject({ lead: { email: 'a***@engine.example' } });
    expect(await entries({ subject: 'test-viewer' })).toEqual([]);
  });

  it('an operator over GraphQL: READ_CLEAR with door, operation, request id, lead and fields', async () => {
    const answer = await graphqlAs(operator, READ_LEAD, { id: leadId }, 'audit-graphql-1');
    expect(answer.data).toMatchObject({ lead: { email: EMAIL } });
    const recorded = await entries({ requestId: 'audit-graphql-1' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      subject: 'test-operator',
      roles: ['operator'],
      action: 'READ_CLEAR',
      door: 'graphql-http',
      operation: 'ReadLead',
      leadIds: [leadId],
    });
    expect(recorded[0]!.fields.sort()).toEqual(['Lead.email', 'Lead.phone', 'LeadProfile.attributes']);
  });

  it('an operator over REST: the adapter operation behind the route, door rest', async () => {
    const response = await get(`/api/v1/leads/${leadId}`, operator, 'audit-rest-1');
    expect(response.status).toBe(200);
    const recorded = await entries({ requestId: 'audit-rest-1' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ subject: 'test-operator', action: 'READ_CLEAR', door: 'rest', operation: 'GetLeadFlow', leadIds: [leadId] });
  });

  it('an operator over JSON-RPC: door jsonrpc', async () => {
    const response = await baton.post(
      '/mcp',
      { jsonrpc: '2.0', id: 1, method: 'memory/retrieve/long-term', params: { lead_id: leadId } },
      { token: operator, headers: { 'x-request-id': 'audit-jsonrpc-1' } },
    );
    expect(((await response.json()) as { error?: unknown }).error).toBeUndefined();
    const recorded = await entries({ requestId: 'audit-jsonrpc-1' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      action: 'READ_CLEAR',
      door: 'jsonrpc',
      operation: 'MemoryRetrieveLongTerm',
      leadIds: [leadId],
      fields: ['LeadProfile.attributes'],
    });
  });

  it('an operator over JSON-RPC on a WebSocket: door jsonrpc, the upgrade request id', async () => {
    const socket = new WebSocket(`${baton.url.replace(/^http/, 'ws')}/mcp`, {
      headers: { authorization: `Bearer ${operator}`, 'x-request-id': 'audit-jsonrpc-ws-1' },
    });
    try {
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const answered = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'memory/retrieve/long-term', params: { lead_id: leadId } }));
      expect(JSON.parse(await answered)).toMatchObject({ id: 7, result: { lead_id: leadId } });
    } finally {
      socket.close();
    }
    const recorded = await entries({ requestId: 'audit-jsonrpc-ws-1' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ action: 'READ_CLEAR', door: 'jsonrpc', operation: 'MemoryRetrieveLongTerm', leadIds: [leadId] });
  });

  it('an operator over MCP: door mcp', async () => {
    const mcp = new Client({ name: 'baton-audit-test', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${operator}`, 'x-request-id': 'audit-mcp-1' } },
      }),
    );
    try {
      const tool = await mcp.callTool({ name: 'get_lead_profile', arguments: { lead_id: leadId } });
      expect(tool.isError).toBeFalsy();
    } finally {
      await mcp.close();
    }
    const recorded = await entries({ requestId: 'audit-mcp-1' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ subject: 'test-operator', action: 'READ_CLEAR', door: 'mcp', operation: 'MemoryRetrieveLongTerm', leadIds: [leadId] });
  });
});

describe('streams', () => {
  it('a query over server-sent events: door sse', async () => {
    const response = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${operator}`, 'x-request-id': 'audit-sse-1' },
      body: JSON.stringify({ query: READ_LEAD, variables: { id: leadId } }),
    });
    expect(await response.text()).toContain(EMAIL);
    const recorded = await entries({ requestId: 'audit-sse-1' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ action: 'READ_CLEAR', door: 'sse', operation: 'ReadLead', leadIds: [leadId] });
  });

  it('a subscription over graphql-ws: one entry per event that carried clear data, written before the event went out', async () => {
    const socket = await openGraphQLSocket(baton.url, operator);
    const watched = uniqueLeadId('audit-live');
    try {
      socket.subscribe('live', { query: 'subscription WatchHandoffs { handoffProgress { leadId detail } }' });
      await untilSubscribed(baton, { transport: 'graphql_ws', event: 'handoff:progress' });
      const processed = await baton.graphql('mutation ($input: LeadInput!) { processLead(input: $input) { status } }', {
        input: { leadId: watched, industry: 'FINANCE', companySize: 'SMB', email: 'grace@navy.example' },
      });
      expect(processed.body.errors).toBeUndefined();
      await socket.message((message) => message.id === 'live' && JSON.stringify(message.payload).includes(watched));
      const recorded = await entries({ door: 'graphql-ws', leadIds: { has: watched } });
      expect(recorded.length).toBeGreaterThan(0);
      for (const entry of recorded) {
        expect(entry).toMatchObject({
          subject: 'test-operator',
          action: 'READ_CLEAR',
          operation: 'WatchHandoffs',
          leadIds: [watched],
          fields: ['HandoffEvent.detail'],
        });
      }
    } finally {
      await socket.close();
    }
  });
});

describe('reading the log', () => {
  it('admins query it with filters, newest first, page by page', async () => {
    const filtered = await graphqlAs(await baton.token('admin'), AUDIT_LOG, { filter: { leadId, action: 'READ_CLEAR', door: 'rest' } });
    expect(filtered.errors).toBeUndefined();
    const nodes = (filtered.data!.auditLog as { edges: { node: AuditNode }[] }).edges.map(({ node }) => node);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ requestId: 'audit-rest-1', operation: 'GetLeadFlow', subject: 'test-operator' });

    const first = await graphqlAs(await baton.token('admin'), AUDIT_LOG, { filter: { leadId }, first: 2 });
    const page = first.data!.auditLog as { edges: { node: AuditNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await graphqlAs(await baton.token('admin'), AUDIT_LOG, { filter: { leadId }, first: 2, after: page.pageInfo.endCursor });
    const second = (next.data!.auditLog as { edges: { node: AuditNode }[] }).edges.map(({ node }) => node);
    expect(second).toHaveLength(2);
    const both = [...page.edges.map(({ node }) => node), ...second];
    expect(new Set(both.map((node) => node.id)).size).toBe(4);
    for (let index = 1; index < both.length; index++) expect(both[index - 1]!.at >= both[index]!.at).toBe(true);

    const bySubject = await graphqlAs(await baton.token('admin'), AUDIT_LOG, {
      filter: { subject: 'test-operator', from: '2000-01-01T00:00:00Z', to: '2999-01-01T00:00:00Z' },
    });
    const subjects = (bySubject.data!.auditLog as { edges: { node: AuditNode }[] }).edges.map(({ node }) => node.subject);
    expect(new Set(subjects)).toEqual(new Set(['test-operator']));
  });

  it('refuses an invalid filter naming the field', async () => {
    const admin = await baton.token('admin');
    const door = await graphqlAs(admin, AUDIT_LOG, { filter: { door: 'telnet' } });
    expect(door.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'filter.door' }] });
    const range = await graphqlAs(admin, AUDIT_LOG, { filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } });
    expect(range.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'filter.from' }] });
    const action = await graphqlAs(admin, AUDIT_LOG, { filter: { action: 'PEEK' } });
    expect(action.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(action.errors?.[0]?.message).toContain('action');

    for (const [query, path] of [
      ['door=telnet', 'door'],
      ['action=PEEK', 'action'],
      ['from=yesterday', 'from'],
      ['colour=blue', 'colour'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
    ] as const) {
      const response = await get(`/api/v1/audit-log?${query}`, admin);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
      expect(body.error.code).toBe('BAD_USER_INPUT');
      expect(body.error.issues.map((issue) => issue.path)).toContain(path);
    }
  });

  it('exports JSON lines over REST, every page, with the filters as query parameters', async () => {
    const many = uniqueLeadId('audit-many');
    // More than one GraphQL page (100): the export follows the cursor to the end.
    await baton.app.services.audit.recordAll(
      Array.from({ length: 130 }, (_, index) => ({
        subject: `bulk-${index}`,
        roles: ['agent'],
        action: 'WRITE' as const,
        leadIds: [many],
        fields: ['input.email'],
        door: 'internal' as const,
      })),
    );
    const response = await get(`/api/v1/audit-log?lead_id=${many}&action=WRITE&door=internal`, await baton.token('admin'), 'audit-export-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(130);
    expect(new Set(lines.map((line) => line.subject)).size).toBe(130);
    expect(lines[0]).toMatchObject({ action: 'WRITE', lead_ids: [many], fields: ['input.email'], door: 'internal', operation: null });
    expect(Object.keys(lines[0]!).sort()).toEqual(['action', 'at', 'door', 'fields', 'id', 'lead_ids', 'operation', 'request_id', 'roles', 'subject']);

    const mine = await get(`/api/v1/audit-log?lead_id=${leadId}&door=rest`, await baton.token('admin'));
    const rest = (await mine.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { request_id: string });
    expect(rest.map((line) => line.request_id)).toEqual(['audit-rest-1']);
  });

  it('is described in the OpenAPI document, answering JSON lines', async () => {
    const document = (await (await fetch(`${baton.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { get?: { parameters: { name: string }[]; responses: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    const exported = document.paths['/api/v1/audit-log']?.get;
    expect(exported?.parameters.map((parameter) => parameter.name)).toEqual(['lead_id', 'subject', 'action', 'door', 'from', 'to']);
    expect(Object.keys(exported?.responses['200']?.content ?? {})).toEqual(['application/x-ndjson']);
  });

  it('refuses every caller but an admin', async () => {
    for (const role of ['viewer', 'operator', 'agent', 'manager'] as const) {
      const token = await baton.token(role);
      const answer = await graphqlAs(token, AUDIT_LOG, {});
      expect(answer.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      const response = await get('/api/v1/audit-log', token);
      expect(response.status, role).toBe(403);
    }
    expect((await fetch(`${baton.url}/api/v1/audit-log`)).status).toBe(401);
  });
});

describe('append-only', () => {
  it('the database refuses UPDATE, DELETE and TRUNCATE of audit entries', async () => {
    const prisma = baton.app.database.prisma;
    const before = await prisma.auditEntry.count();
    expect(before).toBeGreaterThan(0);
    await expect(prisma.$executeRawUnsafe(`UPDATE "AuditEntry" SET "subject" = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe('DELETE FROM "AuditEntry"')).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe('TRUNCATE "AuditEntry"')).rejects.toThrow(/append-only/);
    await expect(prisma.auditEntry.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await prisma.auditEntry.count()).toBe(before);
    expect(await prisma.auditEntry.count({ where: { subject: 'someone-else' } })).toBe(0);
  });
});
