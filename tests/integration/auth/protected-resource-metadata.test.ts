// MCP authorization discovery (RFC 9728, MCP authorization spec 2025-06-18): a client
// refused by /mcp finds the protected-resource metadata from WWW-Authenticate, or from
// the server URL as the MCP SDK's discovery helper derives it, and reads there which
// authorization server to get a token from.
import { discoverOAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { generateTestKey, startTestIdentityProvider, type TestIdentityProvider } from '../../support/identity-provider.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let idp: TestIdentityProvider;
let baton: TestApp;

beforeAll(async () => {
  idp = await startTestIdentityProvider([await generateTestKey('rsa-1', 'RS256')]);
  baton = await startTestApp({ env: { JWT_JWKS_URL: idp.jwksUrl, JWT_ISSUER: idp.issuer, JWT_AUDIENCE: idp.audience } });
});
afterAll(async () => {
  await baton?.stop();
  await idp?.stop();
});

const getJson = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
};

function postMcp(url: string, authorization?: string): Promise<Response> {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
}

describe('protected-resource metadata', () => {
  it('describes /mcp at the path-suffixed well-known URL and the whole API at the root one, naming JWT_ISSUER', async () => {
    expect(await getJson(`${baton.url}/.well-known/oauth-protected-resource/mcp`)).toEqual({
      status: 200,
      body: { resource: `${baton.url}/mcp`, authorization_servers: [idp.issuer], bearer_methods_supported: ['header'], resource_name: 'Baton' },
    });
    expect(await getJson(`${baton.url}/.well-known/oauth-protected-resource`)).toEqual({
      status: 200,
      body: { resource: baton.url, authorization_servers: [idp.issuer], bearer_methods_supported: ['header'], resource_name: 'Baton' },
    });
  });

  it('points at it from the 401 of /mcp, with error="invalid_token" when a token was refused', async () => {
    const metadata = `${baton.url}/.well-known/oauth-protected-resource/mcp`;
    const anonymous = await postMcp(baton.url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadata}"`);
    const refused = await postMcp(baton.url, 'Bearer not-a-jwt');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadata}", error="invalid_token"`);
    expect((await getJson(metadata)).status).toBe(200);
  });

  it("points at the whole API's document from the 401 of REST and GraphQL over HTTP, the error body unchanged", async () => {
    const metadata = `${baton.url}/.well-known/oauth-protected-resource`;
    const rest = await fetch(`${baton.url}/api/v1/system/status`);
    expect(rest.status).toBe(401);
    expect(rest.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadata}"`);
    expect(await rest.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Missing Authorization header (expected "Bearer <token>")' } });
    const refusedRest = await fetch(`${baton.url}/api/v1/system/status`, { headers: { authorization: 'Bearer not-a-jwt' } });
    expect(refusedRest.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadata}", error="invalid_token"`);

    const graphql = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-jwt' },
      body: JSON.stringify({ query: '{ systemStatus { systemRunning } }' }),
    });
    expect(graphql.status).toBe(401);
    expect(graphql.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadata}", error="invalid_token"`);
    expect(((await graphql.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors).toEqual([
      expect.objectContaining({ message: 'The bearer token is not a well-formed JWT', extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
    const anonymousGraphql = await fetch(`${baton.url}/graphql?query=${encodeURIComponent('{ systemStatus { systemRunning } }')}`);
    expect(anonymousGraphql.status).toBe(401);
    expect(anonymousGraphql.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadata}"`);
  });

  it('points at the /mcp document from the 401 of JSON-RPC over HTTP and over WebSocket', async () => {
    const metadata = `${baton.url}/.well-known/oauth-protected-resource/mcp`;
    const jsonRpc = await fetch(`${baton.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-jwt' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'memory/retrieve/short-term', params: { conversation_id: 'nobody' } }),
    });
    expect(jsonRpc.status).toBe(401);
    expect(jsonRpc.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadata}", error="invalid_token"`);
    expect(((await jsonRpc.json()) as { error: { code: number } }).error.code).toBe(-32001);

    const socket = new WebSocket(`${baton.url.replace(/^http/, 'ws')}/mcp`);
    const refused = await new Promise<{ status: number | undefined; challenge: unknown }>((resolve) => {
      socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode, challenge: response.headers['www-authenticate'] }));
      socket.once('open', () => resolve({ status: undefined, challenge: undefined }));
    });
    expect(refused).toEqual({ status: 401, challenge: `Bearer resource_metadata="${metadata}"` });
  });

  it("is found by the MCP SDK's discovery from the server URL", async () => {
    const found = await discoverOAuthProtectedResourceMetadata(`${baton.url}/mcp`);
    expect(found).toMatchObject({ resource: `${baton.url}/mcp`, authorization_servers: [idp.issuer] });
  });

  it('uses PUBLIC_URL and OAUTH_AUTHORIZATION_SERVER when set, and names no authorization server when none is configured', async () => {
    const proxied = await startTestApp({ env: { PUBLIC_URL: 'https://baton.example.com/', OAUTH_AUTHORIZATION_SERVER: 'https://login.example.com/' } });
    try {
      expect((await getJson(`${proxied.url}/.well-known/oauth-protected-resource/mcp`)).body).toEqual({
        resource: 'https://baton.example.com/mcp',
        authorization_servers: ['https://login.example.com/'],
        bearer_methods_supported: ['header'],
        resource_name: 'Baton',
      });
      expect((await postMcp(proxied.url)).headers.get('www-authenticate')).toBe(
        'Bearer resource_metadata="https://baton.example.com/.well-known/oauth-protected-resource/mcp"',
      );
    } finally {
      await proxied.stop();
    }
    const plain = await startTestApp();
    try {
      expect((await getJson(`${plain.url}/.well-known/oauth-protected-resource/mcp`)).body).toEqual({
        resource: `${plain.url}/mcp`,
        bearer_methods_supported: ['header'],
        resource_name: 'Baton',
      });
    } finally {
      await plain.stop();
    }
  });
});
