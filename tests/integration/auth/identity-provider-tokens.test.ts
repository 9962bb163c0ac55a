// Tokens from an identity provider (JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_ROLES_CLAIM):
// a JWKS served by the test on 127.0.0.1 with keys it generates, tokens it signs, and a
// real Baton taking them through GraphQL, REST, JSON-RPC and MCP, or refusing them (401).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { exportSPKI, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { generateTestKey, startSidecarTrusting, startTestIdentityProvider, type TestIdentityProvider, type TestKey } from '../../support/identity-provider.js';
import { openGraphQLSocket } from '../../support/graphql-socket.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let idp: TestIdentityProvider;
let rsa: TestKey;
let ec: TestKey;
let baton: TestApp;

beforeAll(async () => {
  rsa = await generateTestKey('rsa-1', 'RS256');
  ec = await generateTestKey('ec-1', 'ES256');
  idp = await startTestIdentityProvider([rsa, ec]);
  // JWT_SECRET stays set (startTestApp's): both kinds of token are taken, told apart by `alg`.
  baton = await startTestApp({
    env: {
      JWT_JWKS_URL: idp.jwksUrl,
      JWT_ISSUER: idp.issuer,
      JWT_AUDIENCE: idp.audience,
      JWT_ROLES_CLAIM: 'realm_access.roles',
      // jose refetches the key set on an unknown kid at most once per cooldown (30 s by default).
      JWT_JWKS_COOLDOWN_MS: '0',
    },
  });
});
afterAll(async () => {
  await baton?.stop();
  await idp?.stop();
});

const keycloakToken = (key: TestKey, roles: string[], options?: Parameters<TestIdentityProvider['sign']>[2]) =>
  idp.sign(key, { sub: 'alice@idp', realm_access: { roles } }, options);

async function graphqlStatus(token: string): Promise<{ status: number; code?: string | undefined; message?: string | undefined }> {
  const { status, body } = await baton.graphql('{ systemStatus { systemRunning } }', undefined, { token });
  return { status, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message };
}

function rest(token: string): Promise<Response> {
  return fetch(`${baton.url}/api/v1/system/status`, { headers: { authorization: `Bearer ${token}` } });
}

async function jsonRpc(token: string): Promise<{ status: number; body: { result?: unknown; error?: { code: number; message: string } } }> {
  const response = await fetch(`${baton.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'memory/retrieve/short-term', params: { conversation_id: 'nobody' } }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

async function mcpTools(token: string): Promise<string[]> {
  const client = new Client({ name: 'idp-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

describe('identity provider tokens', () => {
  it.each(['RS256', 'ES256'] as const)('accepts a %s token on GraphQL, REST, JSON-RPC and MCP', async (alg) => {
    const token = await keycloakToken(alg === 'RS256' ? rsa : ec, ['offline_access', 'viewer', 'uma_authorization']);
    expect(await graphqlStatus(token)).toEqual({ status: 200, code: undefined, message: undefined });
    expect((await rest(token)).status).toBe(200);
    expect(await jsonRpc(token)).toEqual({ status: 200, body: { jsonrpc: '2.0', id: 1, result: null } });
    expect(await mcpTools(token)).toContain('recall_conversation_memory');
  });

  it('is taken by the streaming doors too: GraphQL over SSE and graphql-ws, JSON-RPC over WebSocket', async () => {
    const token = await keycloakToken(ec, ['viewer']);
    const sse = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ systemStatus { systemRunning } }' }),
    });
    expect(sse.status).toBe(200);
    expect(await sse.text()).toContain('{"data":{"systemStatus":{"systemRunning":true}}}');

    const graphqlWs = await openGraphQLSocket(baton.url, token);
    graphqlWs.subscribe('1', { query: '{ systemStatus { systemRunning } }' });
    expect(await graphqlWs.message((m) => m.id === '1' && m.type !== 'complete')).toEqual({
      id: '1',
      type: 'next',
      payload: { data: { systemStatus: { systemRunning: true } } },
    });
    await graphqlWs.close();

    const rpc = new WebSocket(`${baton.url.replace(/^http/, 'ws')}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve, reject) => rpc.once('open', resolve).once('error', reject));
    const answer = new Promise<unknown>((resolve) => rpc.once('message', (data) => resolve(JSON.parse(String(data)))));
    rpc.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'memory/retrieve/short-term', params: { conversation_id: 'nobody' } }));
    expect(await answer).toEqual({ jsonrpc: '2.0', id: 7, result: null });
    rpc.close();

    // A refused token is refused at the WebSocket upgrade.
    const refused = new WebSocket(`${baton.url.replace(/^http/, 'ws')}/mcp`, { headers: { authorization: `Bearer ${await idp.sign(ec, { sub: 'x' })}` } });
    const status = await new Promise<number | undefined>((resolve) => {
      refused.once('unexpected-response', (_request, response) => resolve(response.statusCode));
      refused.once('open', () => resolve(undefined));
    });
    expect(status).toBe(401);
  });

  it('is taken by the adapter sidecar, which checks it and forwards it to the API', async () => {
    const sidecar = await startSidecarTrusting(baton, idp, { JWT_ROLES_CLAIM: 'realm_access.roles' });
    const { url } = sidecar;
    try {
      const ok = await fetch(`${url}/api/v1/system/status`, { headers: { authorization: `Bearer ${await keycloakToken(rsa, ['viewer'])}` } });
      expect(ok.status).toBe(200);
      const wrongAudience = await idp.sign(rsa, { sub: 'x', realm_access: { roles: ['viewer'] } }, { audience: 'other' });
      expect((await fetch(`${url}/api/v1/system/status`, { headers: { authorization: `Bearer ${wrongAudience}` } })).status).toBe(401);
      const anonymous = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${url}/.well-known/oauth-protected-resource/mcp"`);
    } finally {
      await sidecar.stop();
    }
  });

  it('reads the roles at the nested claim path, ignoring roles Baton does not know', async () => {
    const viewer = await keycloakToken(rsa, ['viewer', 'offline_access']);
    const processLead = { lead_data: { lead_id: 'idp-viewer', industry: 'Finance', company_size: 'SMB' } };
    expect((await baton.post('/api/v1/leads', processLead, { token: viewer })).status).toBe(403);
    const operator = await keycloakToken(rsa, ['operator']);
    expect((await baton.post('/api/v1/leads', processLead, { token: operator })).status).toBe(200);
    // The same roles at the top level are not where JWT_ROLES_CLAIM points.
    const topLevel = await idp.sign(rsa, { sub: 'bob', roles: ['admin'] });
    expect((await rest(topLevel)).status).toBe(401);
  });

  it('still accepts HS256 tokens signed with JWT_SECRET', async () => {
    expect((await rest(await baton.token('viewer'))).status).toBe(200);
  });

  it('refuses a wrong issuer, a wrong audience, an expired token, an unknown kid, alg none, and HS256 forged with the public key', async () => {
    const stranger = await generateTestKey('stranger', 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'mallory', realm_access: { roles: ['admin'] } };
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claims, iss: idp.issuer, aud: idp.audience, exp: now + 300 }),
    ).toString('base64url')}.`;
    const publicPem = await exportSPKI((await importJWK(rsa.publicJwk, 'RS256')) as CryptoKey);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
      .setIssuer(idp.issuer)
      .setAudience(idp.audience)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(publicPem));
    const refused: Record<string, string> = {
      'wrong issuer': await idp.sign(rsa, claims, { issuer: 'https://evil.example/' }),
      'wrong audience': await idp.sign(rsa, claims, { audience: 'another-api' }),
      expired: await idp.sign(rsa, claims, { expiresIn: now - 60 }),
      'unknown kid': await idp.sign(stranger, claims),
      'alg none': unsigned,
      'HS256 forged with the public key': forged,
      'no Baton role': await keycloakToken(rsa, ['offline_access']),
    };
    const messages: Record<string, string> = {};
    for (const [name, token] of Object.entries(refused)) {
      const response = await rest(token);
      expect(response.status, name).toBe(401);
      messages[name] = ((await response.json()) as { error: { message: string } }).error.message;
      expect((await graphqlStatus(token)).code, name).toBe('UNAUTHENTICATED');
      expect((await jsonRpc(token)).status, name).toBe(401);
    }
    expect(messages).toEqual({
      'wrong issuer': `The bearer token's "iss" claim must be "${idp.issuer}"`,
      'wrong audience': `The bearer token's "aud" claim is invalid`,
      expired: 'The bearer token has expired',
      'unknown kid': "The bearer token's key (kid) is not in the identity provider's key set (JWT_JWKS_URL)",
      'alg none': 'The bearer token must be signed with HS256 or RS256 or ES256',
      'HS256 forged with the public key': "The bearer token's signature does not match this server's key (JWT_SECRET)",
      'no Baton role': 'The bearer token carries no Baton role (viewer, operator, agent, manager, admin) in its "realm_access.roles" claim (JWT_ROLES_CLAIM)',
    });
  });

  it('follows a key rotation: a new kid is fetched and accepted, a removed key is refused', async () => {
    const before = idp.fetches();
    const rotated = await generateTestKey('rsa-2', 'RS256');
    idp.publish([rotated, ec]);
    expect((await rest(await keycloakToken(rotated, ['viewer']))).status).toBe(200);
    expect(idp.fetches()).toBeGreaterThan(before);
    // A token of the removed key not seen before: jose finds no such kid in the set it refetched.
    // (One verified before the rotation stays accepted until its exp: Baton caches verified tokens.)
    const old = await keycloakToken(rsa, ['viewer'], { expiresIn: '4m' });
    expect((await rest(old)).status).toBe(401);
  });
});

describe('identity provider only (no JWT_SECRET)', () => {
  it('generates no secret, prints no token, refuses HS256 and reads a namespaced roles claim whose name has dots', async () => {
    const only = await startTestApp({
      env: {
        JWT_SECRET: undefined,
        JWT_JWKS_URL: idp.jwksUrl,
        JWT_ISSUER: idp.issuer,
        JWT_AUDIENCE: idp.audience,
        JWT_ROLES_CLAIM: 'https://baton.example/roles',
      },
    });
    try {
      expect(only.app.jwtSecret).toEqual({ value: undefined, generated: false });
      expect(only.app.developmentToken).toBeUndefined();
      await expect(only.app.tokens.sign({ subject: 'x', roles: ['admin'] })).rejects.toThrow(/identity provider/);
      const auth0 = await idp.sign(ec, { sub: 'auth0|123', 'https://baton.example/roles': ['viewer'] });
      const ok = await fetch(`${only.url}/api/v1/system/status`, { headers: { authorization: `Bearer ${auth0}` } });
      expect(ok.status).toBe(200);
      const hs256 = await new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('mallory')
        .setIssuer('baton')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('test-secret-that-is-long-enough-for-hs256'));
      const refused = await fetch(`${only.url}/api/v1/system/status`, { headers: { authorization: `Bearer ${hs256}` } });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("takes only its identity provider's tokens");
    } finally {
      await only.stop();
    }
  });

  it('is a configuration error without JWT_ISSUER and JWT_AUDIENCE', () => {
    expect(() => loadConfig({ JWT_JWKS_URL: 'https://idp.example/jwks' })).toThrow(ConfigError);
    expect(() => loadConfig({ JWT_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/JWT_ISSUER: required[\s\S]*JWT_AUDIENCE: required/);
    expect(() => loadConfig({ JWT_JWKS_URL: 'https://idp.example/jwks', JWT_ISSUER: 'https://idp.example/', JWT_AUDIENCE: 'baton' })).not.toThrow();
  });
});
