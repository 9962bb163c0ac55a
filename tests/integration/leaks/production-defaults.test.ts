// NODE_ENV=production turns off schema introspection and GraphiQL unless
// GRAPHQL_INTROSPECTION=true / GRAPHIQL=true; the adapters (REST, JSON-RPC,
// MCP) work the same either way. Development keeps both on.
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_DATA_ENCRYPTION_KEY, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const INTROSPECTION = '{ __schema { queryType { name } } }';

const started: TestApp[] = [];
afterAll(() => Promise.all(started.map((app) => app.stop())));

async function start(env: Record<string, string>): Promise<TestApp> {
  const app = await startTestApp({ env });
  started.push(app);
  return app;
}

async function graphiqlPage(app: TestApp): Promise<string | undefined> {
  const response = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
  const text = await response.text();
  return response.status === 200 && response.headers.get('content-type')?.includes('text/html') ? text : undefined;
}

/** processLead over REST, a JSON-RPC method, and MCP's tools over the SDK-free wire: the adapters at work. */
async function adaptersWork(app: TestApp) {
  const rest = await app.post('/api/v1/leads', { lead_data: { lead_id: uniqueLeadId(), industry: 'Finance', company_size: 'SMB' } });
  expect(rest.status).toBe(200);
  const rpc = await app.post('/mcp', {
    jsonrpc: '2.0',
    method: 'agent/triage/lead',
    params: { lead_data: { lead_id: uniqueLeadId(), industry: 'Technology', company_size: 'Enterprise' } },
    id: 1,
  });
  expect((await rpc.json()).result.triage_category).toEqual(expect.any(String));
  const mcp = await app.post(
    '/mcp',
    { jsonrpc: '2.0', method: 'tools/list', id: 2 },
    { headers: { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' } },
  );
  expect(mcp.status).toBe(200);
  expect(await mcp.text()).toContain('triage_lead');
}

describe('NODE_ENV=production', () => {
  it('refuses introspection and serves no GraphiQL; __typename and the adapters still answer', async () => {
    const app = await start({ NODE_ENV: 'production', DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY });
    const introspection = await app.graphql(INTROSPECTION);
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors?.[0]?.message).toContain('introspection has been disabled');
    expect((await app.graphql('query { __type(name: "Lead") { name } }')).status).toBe(400);
    expect((await app.graphql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    expect(await graphiqlPage(app)).toBeUndefined();
    await adaptersWork(app);
  });

  it('GRAPHQL_INTROSPECTION=true and GRAPHIQL=true turn them back on', async () => {
    const app = await start({ NODE_ENV: 'production', DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY, GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'true' });
    expect((await app.graphql(INTROSPECTION)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect(await graphiqlPage(app)).toContain('<title>Baton</title>');
  });
});

describe('development (no NODE_ENV)', () => {
  it('has introspection and GraphiQL, unless turned off', async () => {
    const app = await start({});
    expect((await app.graphql(INTROSPECTION)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect(await graphiqlPage(app)).toContain('<title>Baton</title>');
    await adaptersWork(app);

    const off = await start({ GRAPHQL_INTROSPECTION: 'false', GRAPHIQL: 'false' });
    expect((await off.graphql(INTROSPECTION)).status).toBe(400);
    expect(await graphiqlPage(off)).toBeUndefined();
  });
});
