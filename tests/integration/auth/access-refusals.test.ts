// Refused callers are counted and logged, whichever door they came through:
// baton_access_refusals_total{reason="unauthenticated"} for a missing or bad token
// (one TokenService behind every door), {reason="forbidden"} for a role that may
// not (scope-auth inside GraphQL, which REST, JSON-RPC and MCP run as their
// caller; the adapter sidecar counts the tokens it refuses itself, on its own
// /metrics). The forbidden line names the caller's subject and roles; no line
// carries the token.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSidecarConfig } from '../../../src/app/sidecar-config.js';
import { createSidecarServer } from '../../../src/app/sidecar-server.js';
import { createLogger } from '../../../src/logger.js';
import { metric } from '../../support/metrics.js';
import { startTestApp, TEST_JWT_SECRET, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
const lines: string[] = [];
const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  baton = await startTestApp({ logger: createLogger('info', 'access-refusals', destination) });
});
afterAll(() => baton?.stop());

const refusals = (reason: string) => metric(baton.url, 'baton_access_refusals_total', { reason });
const lead = () => ({ lead_data: { lead_id: uniqueLeadId(), industry: 'Technology', company_size: 'Startup', source: 'webinar' } });

describe('refused callers', () => {
  it('counts a missing or bad token on GraphQL, REST and JSON-RPC as unauthenticated, and logs why without the token', async () => {
    const before = await refusals('unauthenticated');
    const badToken = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.not-a-signature';
    expect((await baton.graphql('{ __typename }', undefined, { token: null })).status).toBe(401);
    expect((await baton.post('/api/v1/leads', lead(), { token: badToken })).status).toBe(401);
    const rpc = await baton.post('/mcp', { jsonrpc: '2.0', id: 1, method: 'agent/triage/lead', params: lead() }, { token: null });
    expect((await rpc.json()).error.code).toBe(-32001);

    expect((await refusals('unauthenticated')) - before).toBe(3);
    const refused = entries().filter((entry) => entry.msg === 'authentication refused');
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.map((entry) => entry.reason)).toContain('Missing Authorization header (expected "Bearer <token>")');
    expect(lines.join('')).not.toContain('not-a-signature');
  });

  it("counts a viewer's write as forbidden on GraphQL and REST, and logs the caller's subject and roles", async () => {
    const before = await refusals('forbidden');
    const viewer = await baton.token('viewer');
    const graphql = await baton.graphql('mutation { createCampaign(input: { id: "camp-refused", name: "No" }) { __typename } }', undefined, {
      token: viewer,
    });
    expect(graphql.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await baton.post('/api/v1/leads', lead(), { token: viewer })).status).toBe(403);

    expect((await refusals('forbidden')) - before).toBe(2);
    const forbidden = entries().filter((entry) => entry.msg === 'operation forbidden');
    expect(forbidden).toHaveLength(2);
    for (const entry of forbidden) expect(entry).toMatchObject({ subject: 'test-viewer', roles: ['viewer'] });
  });

  it("counts the tokens the adapter sidecar refuses on the sidecar's own /metrics: it checks them before forwarding", async () => {
    const sidecarLines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        sidecarLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const sidecar = await createSidecarServer(
      loadSidecarConfig({
        SIDECAR_PORT: '0',
        HOST: '127.0.0.1',
        GRAPHQL_URL: `${baton.url}/graphql`,
        JWT_SECRET: TEST_JWT_SECRET,
        DATA_DIR: baton.app.config.dataDir,
      }),
      createLogger('info', 'sidecar-refusals', destination),
    );
    const url = await sidecar.start();
    try {
      const apiBefore = await refusals('unauthenticated');
      const badToken = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.not-a-signature';
      const anonymous = await fetch(`${url}/api/v1/system/status`);
      expect(anonymous.status).toBe(401);
      const rpc = await fetch(`${url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${badToken}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'agent/triage/lead', params: lead() }),
      });
      expect(rpc.status).toBe(401);
      expect((await fetch(`${url}/api/v1/system/status`, { headers: { authorization: `Bearer ${await baton.token('viewer')}` } })).status).toBe(200);

      expect(await metric(url, 'baton_access_refusals_total', { reason: 'unauthenticated' })).toBe(2);
      // Refused at the sidecar, never forwarded: the API counted none of them.
      expect((await refusals('unauthenticated')) - apiBefore).toBe(0);
      const refused = sidecarLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'authentication refused');
      expect(refused.map((entry) => entry.reason)).toContain('Missing Authorization header (expected "Bearer <token>")');
      expect(sidecarLines.join('')).not.toContain('not-a-signature');
    } finally {
      await sidecar.stop();
    }
  });
});
