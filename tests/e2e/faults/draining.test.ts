// SIGTERM while requests keep coming, on either database (embedded PGlite, or
// PostgreSQL in CI's second pass): Baton finishes what it acknowledged and
// answers new requests 503 with Retry-After and `Connection: close` while it
// drains, rather than resetting or refusing them; after a restart on the same
// data every acknowledged lead is there, its flow finished.
//
// A lead whose body is still being uploaded when the signal comes is a request
// under way: it keeps the drain going (for at most half the shutdown grace), so
// the test sees the 503s without racing the process's exit, then finishes the
// upload and gets its lead processed.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { apiClient } from '../support/api-client.js';
import { batonFleet, type BatonFleet } from '../support/baton-process.js';

const SETTLE = { timeout: 60_000, interval: 200 };

describe('SIGTERM while leads keep coming', () => {
  let database: TestDatabase;
  let dataDir: string;
  let fleet: BatonFleet;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'baton-draining-'));
    // The embedded database lives under DATA_DIR: the restarted Baton opens the same one.
    fleet = batonFleet({ DATA_DIR: dataDir, ...database.env });
  });

  afterAll(async () => {
    await fleet?.killAll();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes what it acknowledged, answers 503 + Retry-After + Connection: close while draining, and loses nothing', async () => {
    onTestFailed(() => console.error(fleet.logs()));
    const baton = await fleet.start('baton', {});
    const client = await apiClient(baton.url);
    const acknowledged: string[] = [];
    const send = async () => {
      const leadId = `draining-${randomUUID()}`;
      const response = await client.rest('POST', '/api/v1/leads', {
        lead_data: { lead_id: leadId, industry: 'Finance', company_size: 'SMB', source: 'referral' },
      });
      if (response.status === 200) acknowledged.push(leadId);
      return response;
    };
    expect((await send()).status).toBe(200);
    const uploading = slowUpload(baton.url, client.token);
    await uploading.started;
    // A round trip on another connection: by its answer the server has read the upload's headers too.
    expect((await fetch(`${baton.url}/health`)).status).toBe(200);

    const exited = baton.stop();
    // Until the signal is handled requests are served as usual; from then on, refused cleanly.
    const refusal = await vi.waitFor(async () => {
      const response = await send();
      expect(response.status).not.toBe(200);
      return response;
    }, SETTLE);
    expect(refusal.status).toBe(503);
    expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refusal.headers.get('connection')).toBe('close');
    expect(await refusal.json()).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.stringMatching(/shutting down/) } });
    // GraphQL refuses in its own shape.
    const graphql = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(503);
    expect(await graphql.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAVAILABLE' } }] });

    // The request under way since before the signal is answered in full.
    const uploaded = await uploading.finish();
    expect(uploaded.status).toBe(200);
    acknowledged.push(uploaded.leadId);
    expect(await exited).toEqual({ code: 0, signal: null });

    const restarted = await fleet.start('baton (restarted)', {});
    const reader = await apiClient(restarted.url);
    for (const leadId of acknowledged) {
      await vi.waitFor(async () => {
        const { lead } = await reader.graphql<{ lead: { latestFlow: { status: string } | null } | null }>(
          'query ($id: ID!) { lead(id: $id) { latestFlow { status } } }',
          { id: leadId },
        );
        expect(lead?.latestFlow?.status).toMatch(/^(COMPLETED|ESCALATED|FAILED|CONTEXT_REQUESTED)$/);
      }, SETTLE);
    }
    console.log(`draining: ${acknowledged.length} leads acknowledged before SIGTERM, all stored with their flow finished; new requests answered 503`);
  }, 120_000);
});

/** POST /api/v1/leads sending half its body now and the rest on `finish()`. */
function slowUpload(url: string, token: string): { started: Promise<void>; finish(): Promise<{ status: number; leadId: string }> } {
  const leadId = `draining-${randomUUID()}`;
  const body = JSON.stringify({ lead_data: { lead_id: leadId, industry: 'Finance', company_size: 'SMB', source: 'referral' } });
  const half = Math.floor(body.length / 2);
  let uploadRequest: ReturnType<typeof httpRequest> | undefined;
  let flushed!: () => void;
  const started = new Promise<void>((resolve) => {
    flushed = resolve;
  });
  const answered = new Promise<number>((resolve, reject) => {
    const request = httpRequest(`${url}/api/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    request.on('error', reject);
    request.write(body.slice(0, half), () => flushed());
    uploadRequest = request;
  });
  return {
    // The headers and half the body are on the wire once the socket has flushed them.
    started,
    async finish() {
      uploadRequest!.end(body.slice(half));
      return { status: await answered, leadId };
    },
  };
}
