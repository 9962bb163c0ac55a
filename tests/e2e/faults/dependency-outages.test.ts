// What each door answers while a dependency is down, one outage at a time, on a
// Baton process of the test's own with a Redis and a PostgreSQL database the
// test controls (dependencies-under-load.test.ts does the same under load):
// - Redis down (here: never started, as when Baton starts before it): Baton runs
//   degraded and says so (/health, systemStatus, baton_dependency_up); a lead
//   without an Idempotency-Key is still processed to the end; one with a key is
//   refused 503 with Retry-After before anything is stored; nothing hangs.
// - PostgreSQL refusing connections: every door answers 503 with Retry-After in
//   its own shape (REST, GraphQL UNAVAILABLE, JSON-RPC -32053, MCP isError), and
//   Baton works again by itself once PostgreSQL does.
// - PostgreSQL unreachable at start: one line naming DATABASE_URL's host and
//   port (not its password), no stack, exit 1.
//
// Needs PostgreSQL (DATABASE_URL) and redis-server; skipped on the embedded database.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { apiClient, type ApiClient } from '../support/api-client.js';
import { batonFleet, type BatonFleet, type BatonProcess } from '../support/baton-process.js';
import { postgresProbe } from '../support/postgres-probe.js';
import { postgresOutage, type PostgresOutage } from './support/postgres-outage.js';
import { freePort, startTestRedis, type TestRedis } from './support/redis-server.js';

const POSTGRES = process.env.DATABASE_URL;
if (!POSTGRES) console.warn('tests/e2e/faults/dependency-outages.test.ts: skipped, it needs DATABASE_URL (PostgreSQL) and redis-server');

const UNTIL = { timeout: 60_000, interval: 200 };

function leadBody(leadId: string) {
  // Complete enough to pass the handoff's quality gate: `success` then says the flow ran to its end.
  return {
    lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'Enterprise', persona: 'Decision Maker', source: 'webinar', email: 'cto@example.com' },
  };
}

describe.runIf(POSTGRES)('a dependency down', () => {
  let database: TestDatabase;
  let dataDir: string;
  let redis: TestRedis;
  let fleet: BatonFleet;
  let baton: BatonProcess;
  let client: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'baton-outages-'));
    redis = await startTestRedis();
    // Baton starts while its Redis is down.
    await redis.kill();
    fleet = batonFleet({ ...database.env, DATA_DIR: dataDir, REDIS_URL: redis.url, REDIS_KEY_PREFIX: `baton-outages-${randomBytes(4).toString('hex')}:` });
    baton = await fleet.start('baton', {});
    client = await apiClient(baton.url);
  }, 90_000);

  afterAll(async () => {
    await fleet?.killAll();
    await redis?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  describe('Redis', () => {
    it('down: Baton says it is degraded, and which dependency, in /health, systemStatus and /metrics', async () => {
      onTestFailed(() => console.error(fleet.logs()));
      const health = await fetch(`${baton.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'degraded', dependencies: { database: 'up', redis: 'down' } });
      const { systemStatus } = await client.graphql<{ systemStatus: { health: string; dependencies: { name: string; up: boolean; required: boolean }[] } }>(
        '{ systemStatus { health dependencies { name up required } } }',
      );
      expect(systemStatus.health).toBe('degraded');
      expect(systemStatus.dependencies).toEqual(
        expect.arrayContaining([
          { name: 'database', up: true, required: true },
          { name: 'redis', up: false, required: false },
        ]),
      );
      expect(await (await fetch(`${baton.url}/metrics`)).text()).toMatch(/baton_dependency_up\{[^}]*dependency="redis"[^}]*\} 0/);
    });

    it('down: a lead without an Idempotency-Key is processed to the end; one with a key is refused 503 before anything is stored', async () => {
      const plain = `outage-${randomUUID()}`;
      const response = await client.rest('POST', '/api/v1/leads', leadBody(plain));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ lead_id: plain, success: true });

      const keyed = `outage-${randomUUID()}`;
      const refused = await client.rest('POST', '/api/v1/leads', leadBody(keyed), { 'idempotency-key': randomUUID() });
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.stringMatching(/Idempotency-Key/) } });
      const probe = await postgresProbe(database.env.DATABASE_URL!);
      try {
        expect(await probe.query('SELECT id FROM "Lead" WHERE id = $1', [keyed])).toEqual([]);
      } finally {
        await probe.close();
      }
    });

    it('back: Baton uses it again by itself, and an Idempotency-Key works', async () => {
      await redis.restart();
      await vi.waitFor(async () => expect(await (await fetch(`${baton.url}/health`)).json()).toMatchObject({ status: 'healthy' }), UNTIL);
      const key = randomUUID();
      const body = leadBody(`outage-${randomUUID()}`);
      const first = await client.rest('POST', '/api/v1/leads', body, { 'idempotency-key': key });
      expect(first.status).toBe(200);
      const again = await client.rest('POST', '/api/v1/leads', body, { 'idempotency-key': key });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(await first.json());
    });
  });

  describe('PostgreSQL', () => {
    let outage: PostgresOutage;
    let mcp: Client;

    beforeAll(async () => {
      outage = await postgresOutage(database.env.DATABASE_URL!);
      mcp = new Client({ name: 'baton-faults', version: '1.0.0' });
      await mcp.connect(
        new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${client.token}` } } }),
      );
    });

    afterAll(async () => {
      await outage?.end();
      await outage?.close();
      await mcp?.close();
    });

    it('down: every door answers 503 with Retry-After in its own shape, and /health 503', async () => {
      onTestFailed(() => console.error(fleet.logs()));
      await outage.begin();

      const health = await fetch(`${baton.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unhealthy', dependencies: { database: 'down' } });

      const rest = await client.rest('POST', '/api/v1/leads', leadBody(`outage-${randomUUID()}`));
      expect(rest.status).toBe(503);
      expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await rest.json()).toMatchObject({ error: { code: 'UNAVAILABLE', retry_after_seconds: expect.any(Number) } });

      const graphql = await fetch(`${baton.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
        body: JSON.stringify({ query: '{ leads(first: 1) { totalCount } }' }),
      });
      expect(graphql.status).toBe(503);
      expect(Number(graphql.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await graphql.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAVAILABLE' } }] });

      const rpc = await fetch(`${baton.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'memory/retrieve/long-term', params: { lead_id: 'anyone' } }),
      });
      expect(await rpc.json()).toMatchObject({ id: 1, error: { code: -32053, data: { retry_after_seconds: expect.any(Number) } } });

      const tool = await mcp.callTool({ name: 'triage_lead', arguments: leadBody(`outage-${randomUUID()}`) });
      expect(tool.isError).toBe(true);
      expect(JSON.parse((tool.content as { text: string }[])[0]!.text)).toMatchObject({ error: { code: 'UNAVAILABLE' } });

      // `{__typename}` needs no database: it still answers.
      expect(await client.graphql('{ __typename }')).toEqual({ __typename: 'Query' });
    });

    it('back: Baton recovers by itself, and processes leads to the end again', async () => {
      await outage.end();
      await vi.waitFor(async () => expect((await fetch(`${baton.url}/health`)).status).toBe(200), UNTIL);
      const leadId = `outage-${randomUUID()}`;
      const response = await client.rest('POST', '/api/v1/leads', leadBody(leadId));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ lead_id: leadId, success: true });
    });
  });

  it('unreachable at start: one line naming DATABASE_URL (host and port, no password), no stack, exit 1', async () => {
    const port = await freePort();
    const attempt = fleet.start('no database', { DATABASE_URL: `postgresql://baton:hunter2-secret@127.0.0.1:${port}/baton`, DATABASE_START_TIMEOUT_S: '1' });
    await expect(attempt).rejects.toThrow(/exited \(1\) before listening/);
    const error = await attempt.catch((failure: Error) => failure.message);
    expect(error).toMatch(new RegExp(`Baton cannot start: PostgreSQL at 127\\.0\\.0\\.1:${port}/baton \\(DATABASE_URL\\) does not answer`));
    expect(error).not.toContain('hunter2-secret');
    expect(error).not.toMatch(/\n\s+at /);
  });

  it('SIGTERM while Redis is down: Baton still stops cleanly (exit 0), waiting on nothing that will not come', async () => {
    await redis.kill();
    await vi.waitFor(async () => expect(await (await fetch(`${baton.url}/health`)).json()).toMatchObject({ status: 'degraded' }), UNTIL);
    expect(await baton.stop()).toEqual({ code: 0, signal: null });
  });
});
