// CORS limited to configured origins (CORS_ORIGINS), the same on every door:
// GraphQL, REST, JSON-RPC/MCP on /mcp, and /health. An allowed Origin gets
// itself back; any other gets no CORS header (and a refused preflight); no
// answer ever allows credentials. Unset, the default depends on NODE_ENV:
// loopback pages only in development, none in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSidecarConfig } from '../../../src/app/sidecar-config.js';
import { createSidecarServer } from '../../../src/app/sidecar-server.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { startTestApp, TEST_DATA_ENCRYPTION_KEY, TEST_JWT_SECRET, type TestApp } from '../../support/test-app.js';

const ALLOWED = 'https://app.example.com';
const DISALLOWED = 'https://evil.example';

/** One request per door, as a page would send it. */
const DOORS: { door: string; method: 'GET' | 'POST'; path: string; body?: unknown }[] = [
  { door: 'GraphQL', method: 'POST', path: '/graphql', body: { query: '{ __typename }' } },
  { door: 'REST', method: 'GET', path: '/api/v1/system/status' },
  { door: 'JSON-RPC', method: 'POST', path: '/mcp', body: { jsonrpc: '2.0', method: 'memory/retrieve/short-term', params: { lead_id: 'cors-none' }, id: 1 } },
  {
    door: 'MCP',
    method: 'POST',
    path: '/mcp',
    body: {
      jsonrpc: '2.0',
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'cors', version: '1' } },
      id: 1,
    },
  },
  { door: 'health', method: 'GET', path: '/health' },
];

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { CORS_ORIGINS: `${ALLOWED}, https://admin.example.com` } });
});
afterAll(() => baton?.stop());

function preflight(app: TestApp, path: string, origin: string, method: string) {
  return fetch(`${app.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
  });
}

async function actual(app: TestApp, { method, path, body }: (typeof DOORS)[number], origin: string) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      origin,
      authorization: `Bearer ${await app.token('admin')}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  await response.arrayBuffer();
  return response;
}

describe.each(DOORS)('CORS on $door ($method $path)', (door) => {
  it('a preflight from an allowed origin is answered for the request it announces', async () => {
    const response = await preflight(baton, door.path, ALLOWED, door.method);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toContain(door.method);
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('a preflight from any other origin is refused, without CORS headers', async () => {
    const response = await preflight(baton, door.path, DISALLOWED, door.method);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await response.json()).error.message).toContain('CORS_ORIGINS');
  });

  it('the request from an allowed origin carries that origin, never credentials', async () => {
    const response = await actual(baton, door, ALLOWED);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('the request from another origin carries no CORS header', async () => {
    const response = await actual(baton, door, DISALLOWED);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('the adapter sidecar', () => {
  it('answers CORS from the same CORS_ORIGINS', async () => {
    const config = loadSidecarConfig({
      SIDECAR_PORT: '0',
      HOST: '127.0.0.1',
      GRAPHQL_URL: `${baton.url}/graphql`,
      JWT_SECRET: TEST_JWT_SECRET,
      CORS_ORIGINS: ALLOWED,
    });
    const sidecar = await createSidecarServer(config, createLogger('silent', 'sidecar-cors'));
    const url = await sidecar.start();
    try {
      const app = { url, token: baton.token } as TestApp;
      expect((await preflight(app, '/api/v1/leads', ALLOWED, 'POST')).headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect((await preflight(app, '/api/v1/leads', DISALLOWED, 'POST')).status).toBe(403);
      const status = await actual(app, DOORS[1]!, ALLOWED);
      expect(status.status).toBe(200);
      expect(status.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect((await actual(app, DOORS[1]!, DISALLOWED)).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await sidecar.stop();
    }
  });
});

describe('CORS defaults', () => {
  it('development (no NODE_ENV): pages on loopback addresses only', async () => {
    const dev = await startTestApp();
    try {
      for (const origin of ['http://localhost:3000', 'http://127.0.0.1:5173', 'http://[::1]:8080']) {
        expect((await actual(dev, DOORS[0]!, origin)).headers.get('access-control-allow-origin')).toBe(origin);
      }
      for (const origin of [DISALLOWED, 'http://localhost.evil.example', 'http://192.168.1.2:3000']) {
        expect((await actual(dev, DOORS[0]!, origin)).headers.get('access-control-allow-origin')).toBeNull();
        expect((await preflight(dev, '/graphql', origin, 'POST')).status).toBe(403);
      }
    } finally {
      await dev.stop();
    }
  });

  it('production (NODE_ENV=production): no cross-origin page at all', async () => {
    const production = await startTestApp({ env: { NODE_ENV: 'production', DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY } });
    try {
      for (const origin of ['http://localhost:3000', ALLOWED]) {
        expect((await actual(production, DOORS[1]!, origin)).headers.get('access-control-allow-origin')).toBeNull();
        expect((await preflight(production, '/api/v1/system/status', origin, 'GET')).status).toBe(403);
      }
    } finally {
      await production.stop();
    }
  });

  it('CORS_ORIGINS takes origins only: a path or * is a configuration error', () => {
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS: must list origins/);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/app' })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({ CORS_ORIGINS: ' https://a.example, http://localhost:3000 ' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
  });
});
