// An identity provider whose key set (JWT_JWKS_URL) does not answer (a closed port,
// a 500) makes a token uncheckable, not bad: every door answers "unavailable,
// retry" (503 + Retry-After, GraphQL UNAVAILABLE, JSON-RPC -32053, graphql-ws
// 1013), not 401, and the failure is a dependency's, not a refused caller's
// (baton_access_refusals_total does not move). A token naming a kid the provider
// does not publish is still refused (401).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { generateTestKey, startSidecarTrusting, startTestIdentityProvider, type TestIdentityProvider, type TestKey } from '../../support/identity-provider.js';
import { metric } from '../../support/metrics.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let idp: TestIdentityProvider;
let key: TestKey;
let baton: TestApp;

beforeAll(async () => {
  key = await generateTestKey('rsa-1', 'RS256');
  idp = await startTestIdentityProvider([key]);
  // The key set is first fetched by the first token: the provider fails before any is cached.
  idp.failWith(500);
  baton = await startTestApp({
    env: { JWT_SECRET: undefined, JWT_JWKS_URL: idp.jwksUrl, JWT_ISSUER: idp.issuer, JWT_AUDIENCE: idp.audience, JWT_JWKS_COOLDOWN_MS: '0' },
  });
});
afterAll(async () => {
  await baton?.stop();
  await idp?.stop();
});

const viewerToken = () => idp.sign(key, { sub: 'alice@idp', roles: ['viewer'] });
const KEY_SET_DOWN = /identity provider's key set, JWT_JWKS_URL, does not answer/;

type Answer = { status: number; retryAfter: string | null; body: unknown };
async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

const rest = async (token: string) => answerOf(await fetch(`${baton.url}/api/v1/system/status`, { headers: { authorization: `Bearer ${token}` } }));
const graphql = async (token: string) =>
  answerOf(
    await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ systemStatus { systemRunning } }' }),
    }),
  );
const mcpEndpoint = async (token: string, message: unknown) =>
  answerOf(
    await fetch(`${baton.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify(message),
    }),
  );
const jsonRpc = (token: string) => mcpEndpoint(token, { jsonrpc: '2.0', id: 1, method: 'memory/retrieve/short-term', params: { conversation_id: 'nobody' } });
const mcpInitialize = (token: string) =>
  mcpEndpoint(token, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'idp-down', version: '1.0.0' } },
  });

/** The HTTP status a WebSocket upgrade on /mcp is answered with (undefined: the socket opened). */
function jsonRpcUpgrade(token: string): Promise<{ status: number | undefined; retryAfter: unknown }> {
  const socket = new WebSocket(`${baton.url.replace(/^http/, 'ws')}/mcp`, { headers: { authorization: `Bearer ${token}` } });
  return new Promise((resolve) => {
    socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] }));
    socket.once('open', () => {
      socket.close();
      resolve({ status: undefined, retryAfter: undefined });
    });
  });
}

/** The close code of a graphql-ws socket whose connection_init carries `token`. */
function graphqlWsClose(token: string): Promise<number> {
  const socket = new WebSocket(`${baton.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
  socket.on('message', (data) => {
    if (JSON.parse(String(data)).type === 'connection_ack') socket.close(1000);
  });
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

async function expectUnavailableEverywhere(): Promise<void> {
  const token = await viewerToken();
  expect(await rest(token)).toEqual({
    status: 503,
    retryAfter: '5',
    body: { error: { code: 'UNAVAILABLE', message: expect.stringMatching(KEY_SET_DOWN), retry_after_seconds: 5 } },
  });
  const overGraphql = await graphql(token);
  expect(overGraphql).toMatchObject({ status: 503, retryAfter: '5' });
  expect((overGraphql.body as { errors: unknown[] }).errors).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(KEY_SET_DOWN),
      extensions: expect.objectContaining({ code: 'UNAVAILABLE', retryAfterSeconds: 5 }),
    }),
  ]);
  for (const answer of [await jsonRpc(token), await mcpInitialize(token)]) {
    expect(answer).toEqual({
      status: 503,
      retryAfter: '5',
      body: { jsonrpc: '2.0', id: null, error: { code: -32053, message: expect.stringMatching(KEY_SET_DOWN), data: { retry_after_seconds: 5 } } },
    });
  }
  expect(await jsonRpcUpgrade(token)).toEqual({ status: 503, retryAfter: '5' });
  expect(await graphqlWsClose(token)).toBe(1013);
}

describe('identity provider unreachable', () => {
  it('answers 503 + Retry-After on every door while the key set answers 500, and counts no refused token', async () => {
    const refusedBefore = await metric(baton.url, 'baton_access_refusals_total', { reason: 'unauthenticated' });
    await expectUnavailableEverywhere();
    expect(await metric(baton.url, 'baton_access_refusals_total', { reason: 'unauthenticated' })).toBe(refusedBefore);
  });

  it('answers 503 from the adapter sidecar too, which checks tokens itself before forwarding', async () => {
    const sidecar = await startSidecarTrusting(baton, idp);
    const { url } = sidecar;
    try {
      const response = await fetch(`${url}/api/v1/system/status`, { headers: { authorization: `Bearer ${await viewerToken()}` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await metric(url, 'baton_access_refusals_total', { reason: 'unauthenticated' })).toBe(0);
    } finally {
      await sidecar.stop();
    }
  });

  it('takes the same token once the provider answers again, and still refuses an unknown kid with 401', async () => {
    idp.failWith(undefined);
    const token = await viewerToken();
    expect((await rest(token)).status).toBe(200);
    expect((await graphql(token)).status).toBe(200);
    const stranger = await idp.sign(await generateTestKey('stranger', 'RS256'), { sub: 'mallory', roles: ['viewer'] });
    expect(await rest(stranger)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
  });

  it('answers 503 when nothing listens at JWT_JWKS_URL any more (the provider stopped)', async () => {
    const gone = await startTestIdentityProvider([key]);
    await gone.stop();
    const orphan = await startTestApp({
      env: { JWT_SECRET: undefined, JWT_JWKS_URL: gone.jwksUrl, JWT_ISSUER: idp.issuer, JWT_AUDIENCE: idp.audience },
    });
    try {
      const token = await viewerToken();
      const response = await fetch(`${orphan.url}/api/v1/system/status`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(KEY_SET_DOWN),
      });
      const rpc = await fetch(`${orphan.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'memory/retrieve/short-term', params: { conversation_id: 'nobody' } }),
      });
      expect(rpc.status).toBe(503);
      expect(((await rpc.json()) as { error: { code: number } }).error.code).toBe(-32053);
    } finally {
      await orphan.stop();
    }
  });
});
