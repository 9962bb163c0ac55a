// Erasure across every tier (issue 16): a person seeded into PostgreSQL (lead,
// flow, handoffs, outbox, interactions, profile, episode), short-term memory,
// the knowledge graph and an Idempotency-Key replay, through Baton's own
// interfaces; erased with DELETE /api/v1/leads/{lead_id}; then every row of
// every table, every Redis key under the prefix (with REDIS_URL) and the graph
// are scanned for the lead id, the email and the phone's digits, sealed values
// opened first (so the scan holds once personal data is encrypted at rest).
// Then: the person is refused at intake without consent, and accepted with it;
// the other doors, unknown leads, malformed ids and roles that may not erase.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../../src/delivery/webhook-signature.js';
import { channelNode } from '../../../src/memory/semantic/vocabulary.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const EMAIL = `erin.erased.${Date.now()}@acme.example`;
const PHONE = '+44 20 7946 0731';
const PHONE_DIGITS = '442079460731';
const SLOT_EMAIL = `erin.private.${Date.now()}@mail.example`;
const WEBHOOK_SECRET = 'erasure-test-webhook-secret';

let baton: TestApp;
const leadId = uniqueLeadId('erase');
const conversationId = uniqueLeadId('erase-conv');
const idempotencyKey = `erase-${leadId}`;

const leadData = (id: string, extra: Record<string, unknown> = {}) => ({
  lead_id: id,
  industry: 'Technology',
  company_size: 'Enterprise',
  persona: 'Decision Maker',
  source: 'webinar',
  email: EMAIL,
  phone: PHONE,
  ...extra,
});

function rest(method: 'DELETE' | 'GET', path: string, token?: string): Promise<Response> {
  return fetch(`${baton.url}${path}`, { method, headers: { authorization: `Bearer ${token ?? adminToken}` } });
}

let adminToken: string;

async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const { body } = await baton.graphql<T, Record<string, unknown>>(query, variables, token ? { token } : {});
  expect(body.errors).toBeUndefined();
  return body.data as T;
}

/** Every trace of the person a text may hold: the lead id, the emails, the phone as written and as digits. */
function tracesIn(text: string): string[] {
  const found = [leadId, EMAIL, SLOT_EMAIL, PHONE].filter((needle) => text.includes(needle));
  if (text.replace(/\D/g, '').includes(PHONE_DIGITS)) found.push('phone digits');
  return found;
}

/** The text with every sealed value (`enc:v1:<key>:<payload>`) opened, so a sealed copy counts as a trace too. */
function opened(text: string): string {
  return text.replace(/enc:v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+/g, (sealed) => {
    try {
      return `${sealed} ${JSON.stringify(baton.app.cipher.openJson(sealed))}`;
    } catch {
      return sealed;
    }
  });
}

/** Each table of the database (every schema Baton or graphile-worker owns) and the rows in it naming the person. */
async function tracesInDatabase(): Promise<Record<string, string[]>> {
  const prisma = baton.app.database.prisma;
  const tables = await prisma.$queryRawUnsafe<{ schema: string; name: string }[]>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_%'`,
  );
  expect(tables.map(({ name }) => name)).toEqual(expect.arrayContaining(['Lead', 'Handoff', 'SemanticNode', 'ErasedPerson', 'QueuedJob']));
  const traces: Record<string, string[]> = {};
  for (const { schema, name } of tables) {
    const rows = await prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${schema}"."${name}" t`);
    for (const { row } of rows) {
      // The audit log is the record of the erasure itself: it keeps the lead id (never a value) and cannot be deleted from.
      const found = tracesIn(opened(row)).filter((trace) => !(name === 'AuditEntry' && trace === leadId));
      if (found.length > 0) traces[`${schema}.${name}`] = [...(traces[`${schema}.${name}`] ?? []), `${found.join(', ')}: ${row.slice(0, 300)}`];
    }
  }
  return traces;
}

/** Every Redis key under this Baton's prefix, and what it holds, naming the person. */
async function tracesInRedis(redis: Redis, prefix: string): Promise<string[]> {
  const traces: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? JSON.stringify(await redis.hgetall(key))
            : type === 'zset'
              ? JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'))
              : type === 'set'
                ? JSON.stringify(await redis.smembers(key))
                : type === 'list'
                  ? JSON.stringify(await redis.lrange(key, 0, -1))
                  : '';
      const found = tracesIn(opened(`${key} ${value ?? ''}`));
      if (found.length > 0) traces.push(`${key}: ${found.join(', ')}`);
    }
  } while (cursor !== '0');
  return traces;
}

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', WEBHOOK_SECRET } });
  adminToken = await baton.token('admin');
}, 60_000);
afterAll(() => baton?.stop());

describe('DELETE /api/v1/leads/{lead_id}: a person out of all four tiers', () => {
  it('seeds the person everywhere, erases them, and finds no trace in any table, key or node', async () => {
    // Ingested through the REST door with an Idempotency-Key: the flow runs (triage, handoff, engagement, outbox) and a replay is kept.
    const ingest = () => baton.post('/api/v1/leads', { lead_data: leadData(leadId) }, { headers: { 'idempotency-key': idempotencyKey } });
    const first = await ingest();
    expect([200, 202]).toContain(first.status);
    expect((await ingest()).headers.get('idempotent-replayed')).toBe('true');
    // Long-term memory, short-term memory, an interaction quoting the person, and the outcome that makes an episode.
    await gql('mutation ($id: ID!, $input: LeadProfileInput!) { storeLeadProfile(leadId: $id, input: $input) { __typename } }', {
      id: leadId,
      input: { attributes: { first_name: 'Erin', contact: { email: SLOT_EMAIL, phone: PHONE } } },
    });
    await gql('mutation ($id: ID!, $input: ConversationContextInput!) { storeShortTermMemory(conversationId: $id, input: $input) { conversationId } }', {
      id: conversationId,
      input: { leadId, extractedSlots: { email: SLOT_EMAIL, interest: 'pricing' } },
    });
    await gql('mutation ($input: InteractionInput!) { recordInteraction(input: $input) { __typename } }', {
      input: { leadId, type: 'REPLY', channel: 'EMAIL', metadata: { from: `Erin <${EMAIL}>`, note: `call back on ${PHONE}` } },
    });
    // A provider's receipt for the first touchpoint (signed, as providers send them).
    const { lead: withOutbox } = await gql<{ lead: { outboundMessages: { id: string }[] } }>('query ($id: ID!) { lead(id: $id) { outboundMessages { id } } }', {
      id: leadId,
    });
    const receipt = JSON.stringify({
      events: [{ id: `evt-${leadId}`, type: 'delivered', message_id: withOutbox.outboundMessages[0]!.id, occurred_at: new Date().toISOString() }],
    });
    const delivered = await fetch(`${baton.url}/api/v1/events/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'baton-signature': signPayload(WEBHOOK_SECRET, receipt) },
      body: receipt,
    });
    expect(delivered.status).toBe(200);
    await gql('mutation { consolidateMemory { episodesWritten } }');
    // The knowledge graph holds no person on its own; a node for one is written through its interface, as an agent would.
    await baton.app.services.memory.semantic.upsertFacts([
      {
        subject: { kind: 'Lead', name: leadId, properties: { leadId, interest: 'pricing' } },
        predicate: 'RESPONDS_ON',
        object: channelNode('EMAIL'),
        weight: 1,
        evidenceCount: 1,
        provenance: 'test',
      },
    ]);
    const seeded = await gql<{
      lead: { handoffs: unknown[]; outboundMessages: unknown[]; interactions: unknown[]; profile: unknown; episode: unknown; conversation: unknown };
    }>(
      `query ($id: ID!) { lead(id: $id) { handoffs { id } outboundMessages { id } interactions { id } profile { touches } episode { outcome } conversation { id } } }`,
      { id: leadId },
    );
    expect(seeded.lead.handoffs.length).toBeGreaterThan(0);
    expect(seeded.lead.outboundMessages.length).toBeGreaterThan(0);
    expect(seeded.lead.interactions.length).toBeGreaterThan(0);
    expect(seeded.lead.profile).not.toBeNull();
    expect(seeded.lead.episode).not.toBeNull();
    expect(Object.keys(await tracesInDatabase())).toEqual(expect.arrayContaining(['public.Lead', 'public.Handoff', 'public.SemanticNode']));
    const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
    // The scans see the person before: the short-term context and the replay in Redis.
    if (redis) expect((await tracesInRedis(redis, baton.app.config.redisKeyPrefix)).length).toBeGreaterThanOrEqual(2);
    const aggregatesBefore = await aggregates();

    const erased = await rest('DELETE', `/api/v1/leads/${leadId}`);
    expect(erased.status).toBe(200);
    const report = (await erased.json()) as Record<string, unknown>;
    expect(report).toMatchObject({
      lead_id: leadId,
      tombstoned: true,
      removed: {
        postgres: {
          leads: 1,
          flows: 1,
          conversations: 1,
          profiles: 1,
          episodes: 1,
          handoffs: expect.any(Number),
          interactions: expect.any(Number),
          outbound_messages: expect.any(Number),
          delivery_events: 1,
        },
        short_term_contexts: expect.any(Number),
        knowledge_nodes: 1,
        idempotency_replays: 1,
      },
    });
    const removed = report.removed as { postgres: Record<string, number>; short_term_contexts: number };
    expect(removed.postgres.handoffs).toBeGreaterThan(0);
    expect(removed.postgres.outbound_messages).toBeGreaterThan(0);
    // The sequence's later touchpoints wait in the queue as delivery jobs: gone with their messages.
    expect(removed.postgres.queued_jobs).toBeGreaterThan(0);
    expect(removed.short_term_contexts).toBeGreaterThan(0);

    expect(await tracesInDatabase()).toEqual({});
    // The erasure is on the record: who, through which door, and the lead id alone.
    expect(await baton.app.database.prisma.auditEntry.findMany({ where: { action: 'ERASE', leadIds: { has: leadId } } })).toEqual([
      expect.objectContaining({ subject: 'test-admin', roles: ['admin'], door: 'rest', operation: 'EraseLead', requestId: expect.any(String) }),
    ]);
    if (redis) {
      expect(await tracesInRedis(redis, baton.app.config.redisKeyPrefix)).toEqual([]);
      redis.disconnect();
    }
    // Whatever the backend: no context, no graph node, no replay.
    expect(await baton.app.services.memory.shortTerm.retrieve(conversationId)).toBeNull();
    expect(await baton.app.services.memory.semantic.findNodes({ kind: 'Lead' })).toEqual([]);
    expect(await rest('GET', `/api/v1/leads/${leadId}`).then((response) => response.status)).toBe(404);
    // The replay is gone: the same request with the same key runs again, and the tombstone refuses it.
    const again = await ingest();
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(409);
    // What the agents learned in aggregate stays.
    expect(await aggregates()).toEqual(aggregatesBefore);
  }, 120_000);

  it('refuses the erased person at intake without new consent, and takes them with it', async () => {
    const returning = uniqueLeadId('erase-back');
    const refused = await baton.post('/api/v1/leads', { lead_data: leadData(returning, { phone: null }) });
    expect(refused.status).toBe(409);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/consent/);
    expect(error.message).not.toContain(EMAIL);
    // Nothing was stored, on any door.
    expect((await rest('GET', `/api/v1/leads/${returning}`)).status).toBe(404);
    const triage = await baton.graphql('mutation ($input: LeadInput!) { triageLead(input: $input) { conversationId } }', {
      input: { leadId: returning, industry: 'TECHNOLOGY', companySize: 'SMB', email: EMAIL.toUpperCase() },
    });
    expect(triage.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const accepted = await baton.post(
      '/api/v1/leads',
      { lead_data: leadData(returning, { phone: null, consent: true }) },
      { headers: { prefer: 'respond-async' } },
    );
    expect([200, 202]).toContain(accepted.status);
    // The tombstone is lifted: the next lead with that email needs no consent.
    const later = await baton.graphql('mutation ($input: LeadInput!) { triageLead(input: $input) { conversationId } }', {
      input: { leadId: uniqueLeadId('erase-later'), industry: 'TECHNOLOGY', companySize: 'SMB', email: EMAIL },
    });
    expect(later.body.errors).toBeUndefined();
  }, 60_000);

  it('answers an unknown lead 404 and a malformed id 400 naming lead_id', async () => {
    const unknown = await rest('DELETE', `/api/v1/leads/${uniqueLeadId('nobody')}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const malformed = await rest('DELETE', `/api/v1/leads/${encodeURIComponent('-not an id')}`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', issues: [{ path: 'lead_id' }] } });
  });

  it('refuses every role but admin (403), and erases nothing then', async () => {
    const kept = await triagedLead();
    for (const role of ['viewer', 'operator', 'agent', 'manager'] as const) {
      const response = await rest('DELETE', `/api/v1/leads/${kept}`, await baton.token(role));
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    }
    expect(await baton.app.database.prisma.lead.count({ where: { id: kept } })).toBe(1);
  });
});

describe('the other doors run the same erasure', () => {
  it('GraphQL eraseLead: the report, then NotFoundError; FORBIDDEN for an operator', async () => {
    const id = await triagedLead();
    const ERASE = `mutation ($id: ID!) { eraseLead(leadId: $id) {
      __typename ... on ErasureReport { leadId tombstoned relational { leads conversations } } ... on Error { code } } }`;
    const operator = await baton.graphql(ERASE, { id }, { token: await baton.token('operator') });
    expect(operator.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await gql(ERASE, { id })).toEqual({
      eraseLead: { __typename: 'ErasureReport', leadId: id, tombstoned: true, relational: { leads: 1, conversations: 1 } },
    });
    expect(await gql(ERASE, { id })).toEqual({ eraseLead: { __typename: 'NotFoundError', code: 'NOT_FOUND' } });
    const malformed = await baton.graphql(ERASE, { id: '' });
    expect(malformed.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'leadId' }] });
  });

  it('JSON-RPC lead/erase', async () => {
    const id = await triagedLead();
    const call = async (leadIdParam: string, token?: string) =>
      (await (await baton.post('/mcp', { jsonrpc: '2.0', id: 1, method: 'lead/erase', params: { lead_id: leadIdParam } }, token ? { token } : {})).json()) as {
        result?: { lead_id: string; removed: { postgres: { leads: number } } };
        error?: { code: number; data?: unknown };
      };
    expect((await call(id, await baton.token('viewer'))).error).toMatchObject({ code: -32003 });
    expect((await call(id)).result).toMatchObject({ lead_id: id, removed: { postgres: { leads: 1 } } });
    expect((await call(id)).error).toBeDefined();
    expect(await baton.app.database.prisma.lead.count({ where: { id } })).toBe(0);
  });

  it('MCP tool erase_lead', async () => {
    const id = await triagedLead();
    const client = new Client({ name: 'baton-erasure-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${adminToken}` } } }),
    );
    try {
      const result = await client.callTool({ name: 'erase_lead', arguments: { lead_id: id } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ lead_id: id, tombstoned: true });
      const missing = await client.callTool({ name: 'erase_lead', arguments: { lead_id: id } });
      const malformed = await client.callTool({ name: 'erase_lead', arguments: { lead_id: '' } });
      expect(malformed.isError).toBe(true);
      expect((malformed.content as { text: string }[])[0]!.text).toMatch(/lead_id/);
      expect(missing.isError).toBe(true);
      expect((missing.content as { text: string }[])[0]!.text).toMatch(/NOT_FOUND/);
    } finally {
      await client.close();
    }
  });
});

/** A lead stored by triage alone (no flow, no outreach), with an email of its own. */
async function triagedLead(): Promise<string> {
  const id = uniqueLeadId('erase-door');
  await gql('mutation ($input: LeadInput!) { triageLead(input: $input) { conversationId } }', {
    input: { leadId: id, industry: 'FINANCE', companySize: 'SMB', email: `${id}@door.example` },
  });
  return id;
}

/** What must survive an erasure: the triage models and the knowledge graph's segment facts. */
async function aggregates() {
  const prisma = baton.app.database.prisma;
  return {
    models: await prisma.triageModelVersion.findMany({ select: { version: true }, orderBy: { sequence: 'asc' } }),
    segmentFacts: await prisma.semanticEdge.count({ where: { provenance: { not: 'test' } } }),
  };
}
