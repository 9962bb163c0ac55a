// RATE_LIMIT_PER_MINUTE: each caller (token subject) may run that many GraphQL
// operations a minute. The limit sits where operations are authenticated, so it
// holds for every door: GraphQL, REST, JSON-RPC and MCP tools count against the
// same budget. With Redis, replicas share it. The limiter counts by a clock
// this file controls: windows end when a test says so, never mid-test.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_WINDOW_MS } from '../../../src/graphql/rate-limit/rate-limiter.js';
import { openGraphQLSocket } from '../../support/graphql-socket.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const LIMIT = 3;
let baton: TestApp;

/** The limiter's clock: halfway through a window, and it stands still until a test moves it. */
let now = Math.floor(Date.now() / RATE_LIMIT_WINDOW_MS) * RATE_LIMIT_WINDOW_MS + RATE_LIMIT_WINDOW_MS / 2;
const clock = () => now;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', RATE_LIMIT_PER_MINUTE: String(LIMIT) }, now: clock });
});
afterAll(() => baton?.stop());

/** A token of its own per test: each starts with a full budget whatever the others spent. */
let callers = 0;
const freshToken = () => baton.app.tokens.sign({ subject: `rate-${++callers}-${randomBytes(3).toString('hex')}`, roles: ['admin'] });

async function graphql(token: string) {
  const response = await fetch(`${baton.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ memoryStats { longTerm } }' }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

describe('RATE_LIMIT_PER_MINUTE', () => {
  it('refuses the operation over the limit with 429, RATE_LIMITED and Retry-After; other callers are unaffected', async () => {
    const token = await freshToken();
    for (let i = 0; i < LIMIT; i++) expect((await graphql(token)).status).toBe(200);
    const refused = await graphql(token);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.body.errors[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Number(refused.retryAfter) } });
    expect(refused.body.data).toBeUndefined();

    expect((await graphql(await freshToken())).status).toBe(200);
    const metrics = await (await fetch(`${baton.url}/metrics`)).text();
    expect(metrics).toMatch(/baton_rate_limited_operations_total\{[^}]*\} [1-9]/);
  });

  it('holds for REST, JSON-RPC and MCP tools, which spend the same budget', async () => {
    const token = await freshToken();
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const lead = (id: string) => ({ lead_id: id, industry: 'Finance', company_size: 'SMB' });
    expect((await fetch(`${baton.url}/api/v1/leads`, { method: 'POST', headers, body: JSON.stringify({ lead_data: lead(uniqueLeadId('rl')) }) })).status).toBe(
      200,
    );
    const rpc = { jsonrpc: '2.0', id: 1, method: 'memory/retrieve/short-term', params: { conversation_id: 'conv-rate' } };
    expect(await (await fetch(`${baton.url}/mcp`, { method: 'POST', headers, body: JSON.stringify(rpc) })).json()).toMatchObject({ result: null });

    const mcp = new Client({ name: 'rate-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    try {
      expect((await mcp.callTool({ name: 'recall_conversation_memory', arguments: { conversation_id: 'conv-rate' } })).isError).toBeFalsy();
      const limitedTool = await mcp.callTool({ name: 'recall_conversation_memory', arguments: { conversation_id: 'conv-rate' } });
      expect(limitedTool.isError).toBe(true);
      expect(JSON.parse((limitedTool.content as { text: string }[])[0]!.text)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    } finally {
      await mcp.close();
    }

    const limitedRest = await fetch(`${baton.url}/api/v1/leads`, { method: 'POST', headers, body: JSON.stringify({ lead_data: lead(uniqueLeadId('rl')) }) });
    expect(limitedRest.status).toBe(429);
    expect(Number(limitedRest.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limitedRest.json()).toMatchObject({ error: { code: 'RATE_LIMITED', retry_after_seconds: expect.any(Number) } });
    expect(await (await fetch(`${baton.url}/mcp`, { method: 'POST', headers, body: JSON.stringify(rpc) })).json()).toMatchObject({
      error: { code: -32029 },
    });
  });

  it('over graphql-ws, answers the operation over the limit with an error message and keeps the socket open', async () => {
    const socket = await openGraphQLSocket(baton.url, await freshToken());
    try {
      const answer = (id: string) => {
        socket.subscribe(id, { query: '{ memoryStats { longTerm } }' });
        return socket.message((m) => m.id === id);
      };
      for (let i = 1; i <= LIMIT; i++) expect(await answer(String(i))).toMatchObject({ type: 'next', payload: { data: { memoryStats: {} } } });
      const refused = await answer('over');
      expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } }] });
      expect((refused.payload as { extensions: object }[])[0]!.extensions).not.toHaveProperty('http');
      expect(socket.closeCode).toBeUndefined();
    } finally {
      await socket.close();
    }
  });

  it('gives the full budget back when the clock reaches the next window', async () => {
    const token = await freshToken();
    for (let i = 0; i < LIMIT; i++) expect((await graphql(token)).status).toBe(200);
    expect((await graphql(token)).status).toBe(429);
    now += RATE_LIMIT_WINDOW_MS;
    for (let i = 0; i < LIMIT; i++) expect((await graphql(token)).status).toBe(200);
    expect((await graphql(token)).status).toBe(429);
  });
});

describe.skipIf(!process.env.REDIS_URL)('RATE_LIMIT_PER_MINUTE across replicas (Redis)', () => {
  let replica: TestApp;
  beforeAll(async () => {
    // The same Redis key prefix as `baton`'s would be a shared deployment; startTestApp gives each app its own.
    replica = await startTestApp({
      database: baton.database,
      env: { CONSOLIDATION_INTERVAL_S: '0', RATE_LIMIT_PER_MINUTE: String(LIMIT), REDIS_KEY_PREFIX: baton.app.config.redisKeyPrefix },
      now: clock,
    });
  });
  afterAll(() => replica?.stop({ keepDatabase: true }));

  it('counts one caller once, whichever replica answers', async () => {
    const token = await freshToken();
    const send = (url: string) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ memoryStats { longTerm } }' }),
      }).then((response) => response.status);
    expect([await send(baton.url), await send(replica.url), await send(baton.url)]).toEqual([200, 200, 200]);
    expect(await send(replica.url)).toBe(429);
  });
});
