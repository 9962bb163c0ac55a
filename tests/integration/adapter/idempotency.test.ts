// Idempotency-Key on POST /api/v1/leads, through real HTTP: a repeated key
// replays the first response without processing the lead again; the same key
// with another body is 422; a repeat while the first runs is 409. With
// REDIS_URL set, the app keeps its keys in Redis (and this file tests that store).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTokenService } from '../../../src/auth/jwt.js';
import type { AnyAdapterOperation } from '../../../src/adapter/adapter-operation.js';
import type { GraphQLExecutor, OperationResult } from '../../../src/adapter/graphql-executor.js';
import { resolveIdempotencyStoreOptions } from '../../../src/rest/idempotency/idempotency-store.js';
import { InProcessIdempotencyStore } from '../../../src/rest/idempotency/in-process.js';
import { createRestHandler, REST_ROUTES, type RestRoute } from '../../../src/rest/routes.js';
import { untilDelivered } from '../../support/delivery.js';
import { startTestApp, TEST_JWT_SECRET, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  // The Idempotency-Key on its own: with re-submission off, a lead sent again without a key runs again, so a test
  // tells a replay from a run (re-submission itself: tests/integration/adapter/lead-resubmission.test.ts).
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', RESUBMISSION_WINDOW_SECONDS: '0' } });
});
afterAll(() => baton?.stop());

// With an email: a lead with only the required fields waits at the quality gate for context (issue 14), and
// these tests are about a lead that is processed through to its first touchpoint.
const leadRequest = (leadId: string, extra: Record<string, unknown> = {}) => ({
  lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'Enterprise', source: 'organic', email: 'jane.doe@acme.com', ...extra },
});

interface Reply {
  status: number;
  /** The body exactly as sent, to compare replays byte for byte. */
  text: string;
  body: { error?: { code: string; message: string; issues?: { path: string; message: string }[] } } & Record<string, unknown>;
  replayed: string | null;
  headers: Headers;
}

async function postLead(body: unknown, { key, token }: { key?: string; token?: string | null } = {}): Promise<Reply> {
  const response = await baton.post('/api/v1/leads', body, { token, headers: key === undefined ? {} : { 'idempotency-key': key } });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text), replayed: response.headers.get('idempotent-replayed'), headers: response.headers };
}

const LEAD_WORK = /* GraphQL */ `
  query LeadWork($id: ID!) {
    lead(id: $id) {
      handoffs(first: 100) { id }
      interactions(first: 100) { id }
    }
  }
`;

/** What processing a lead leaves behind, read through GraphQL; null when the lead does not exist. */
async function leadWork(leadId: string): Promise<{ handoffs: number; interactions: number } | null> {
  // Touchpoints are recorded when the delivery worker sends them, just after the flow settles.
  await untilDelivered(baton.app.services.prisma, leadId);
  const { body } = await baton.graphql<{ lead: { handoffs: unknown[]; interactions: unknown[] } | null }, { id: string }>(LEAD_WORK, { id: leadId });
  expect(body.errors).toBeUndefined();
  const lead = body.data?.lead;
  return lead ? { handoffs: lead.handoffs.length, interactions: lead.interactions.length } : null;
}

/** Processing this lead once leaves one handoff and one touchpoint; every further run adds one of each. */
const PROCESSED_ONCE = { handoffs: 1, interactions: 1 };

describe('POST /api/v1/leads with an Idempotency-Key', () => {
  it('without the header, nothing changes: a repeat processes the lead again', async () => {
    const leadId = uniqueLeadId();
    const first = await postLead(leadRequest(leadId));
    const second = await postLead(leadRequest(leadId));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.replayed, second.replayed]).toEqual([null, null]);
    expect(await leadWork(leadId)).toEqual({ handoffs: 2, interactions: 2 });
  });

  it('replays the first response, status and body byte for byte, without processing the lead again', async () => {
    const leadId = uniqueLeadId();
    const key = randomUUID();
    const first = await postLead(leadRequest(leadId), { key });
    expect(first.status).toBe(200);
    expect(first.replayed).toBeNull();
    expect(first.body).toMatchObject({ lead_id: leadId, success: true });
    expect(await leadWork(leadId)).toEqual(PROCESSED_ONCE);

    // The same request with its keys in another order is the same request.
    const reordered = { lead_data: { email: 'jane.doe@acme.com', source: 'organic', company_size: 'Enterprise', industry: 'Technology', lead_id: leadId } };
    for (const body of [leadRequest(leadId), reordered]) {
      const repeat = await postLead(body, { key });
      expect(repeat.status).toBe(200);
      expect(repeat.replayed).toBe('true');
      expect(repeat.text).toBe(first.text);
    }
    expect(await leadWork(leadId)).toEqual(PROCESSED_ONCE);
  });

  it('answers 422 to the same key with a different body, and changes nothing', async () => {
    const leadId = uniqueLeadId();
    const otherLeadId = uniqueLeadId();
    const key = randomUUID();
    const first = await postLead(leadRequest(leadId), { key });
    expect(first.status).toBe(200);

    for (const body of [
      leadRequest(otherLeadId),
      leadRequest(leadId, { source: 'paid' }),
      { lead_data: { ...leadRequest(leadId).lead_data, persona: 'Influencer' } },
    ]) {
      const reused = await postLead(body, { key });
      expect(reused.status).toBe(422);
      expect(reused.replayed).toBeNull();
      expect(reused.body).toEqual({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) } });
    }
    expect(await leadWork(otherLeadId)).toBeNull();
    expect(await leadWork(leadId)).toEqual(PROCESSED_ONCE);
    expect(await baton.app.services.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({ source: 'organic', persona: null });

    // The key still belongs to the first request.
    const repeat = await postLead(leadRequest(leadId), { key });
    expect([repeat.status, repeat.replayed, repeat.text]).toEqual([200, 'true', first.text]);
  });

  it('runs concurrent duplicates once: one original 200, every other one a 409 or a replay of it', async () => {
    const leadId = uniqueLeadId();
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 5 }, () => postLead(leadRequest(leadId), { key })));

    // Exactly one request ran: the only 200 that is not a replay.
    const originals = replies.filter((reply) => reply.status === 200 && reply.replayed === null);
    expect(originals).toHaveLength(1);
    const original = originals[0]!;
    expect(original.body).toMatchObject({ lead_id: leadId, success: true });
    // Each other one came while it ran (409) or after it finished (the same response, replayed): nothing else.
    for (const reply of replies.filter((candidate) => candidate !== original)) {
      if (reply.status === 409) {
        expect(reply.body).toEqual({ error: { code: 'IDEMPOTENCY_KEY_IN_USE', message: expect.any(String) } });
        expect(reply.replayed).toBeNull();
        expect(reply.headers.get('retry-after')).toBe('1');
      } else {
        expect([reply.status, reply.replayed, reply.text]).toEqual([200, 'true', original.text]);
      }
    }
    expect(await leadWork(leadId)).toEqual(PROCESSED_ONCE);
    // Once it has finished, a repeat replays it.
    const after = await postLead(leadRequest(leadId), { key });
    expect([after.status, after.replayed, after.text]).toEqual([200, 'true', original.text]);
  });

  it('scopes keys to the token subject: another caller with the same key runs its own request', async () => {
    const key = randomUUID();
    const adminLead = uniqueLeadId();
    const operatorLead = uniqueLeadId();
    const operator = await baton.token('operator');
    const agent = await baton.token('agent');

    const byAdmin = await postLead(leadRequest(adminLead), { key });
    const byOperator = await postLead(leadRequest(operatorLead), { key, token: operator });
    expect([byAdmin.status, byAdmin.replayed]).toEqual([200, null]);
    expect([byOperator.status, byOperator.replayed]).toEqual([200, null]);
    expect(byOperator.body).toMatchObject({ lead_id: operatorLead });

    // The very same request under the same key by a third subject is not a replay of the admin's either.
    const byAgent = await postLead(leadRequest(adminLead), { key, token: agent });
    expect([byAgent.status, byAgent.replayed]).toEqual([200, null]);
    expect(await leadWork(adminLead)).toEqual({ handoffs: 2, interactions: 2 });

    // Each subject's repeat replays its own response.
    expect((await postLead(leadRequest(operatorLead), { key, token: operator })).text).toBe(byOperator.text);
    expect((await postLead(leadRequest(adminLead), { key })).text).toBe(byAdmin.text);
    expect(await leadWork(operatorLead)).toEqual(PROCESSED_ONCE);
  });

  it('answers 400 to an empty key or one over 255 characters, and processes nothing', async () => {
    const leadId = uniqueLeadId();
    for (const key of ['', 'k'.repeat(256), `"${'k'.repeat(256)}"`]) {
      const reply = await postLead(leadRequest(leadId), { key });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'Idempotency-Key', message: expect.stringContaining('1 to 255') }] });
    }
    expect(await leadWork(leadId)).toBeNull();

    const longest = await postLead(leadRequest(leadId), { key: 'k'.repeat(255) });
    expect([longest.status, longest.replayed]).toEqual([200, null]);
  });

  it("takes the draft's quoted sf-string and a bare token as the same key", async () => {
    const leadId = uniqueLeadId();
    const key = randomUUID();
    const quoted = await postLead(leadRequest(leadId), { key: `"${key}"` });
    const bare = await postLead(leadRequest(leadId), { key });
    expect([quoted.status, quoted.replayed]).toEqual([200, null]);
    expect([bare.status, bare.replayed, bare.text]).toEqual([200, 'true', quoted.text]);
  });

  it('replays a failed validation too, and binds the key to that invalid body', async () => {
    const leadId = uniqueLeadId();
    const key = randomUUID();
    const invalid = leadRequest(leadId, { industry: 'Tech' });
    const first = await postLead(invalid, { key });
    expect(first.status).toBe(400);
    expect(first.body.error).toMatchObject({ code: 'BAD_USER_INPUT', issues: [expect.objectContaining({ path: 'lead_data.industry' })] });

    const repeat = await postLead(invalid, { key });
    expect([repeat.status, repeat.replayed, repeat.text]).toEqual([400, 'true', first.text]);

    const corrected = await postLead(leadRequest(leadId), { key });
    expect(corrected.status).toBe(422);
    expect(await leadWork(leadId)).toBeNull();
  });

  it('keeps nothing for a request without a valid token, which never reached the key', async () => {
    const leadId = uniqueLeadId();
    const key = randomUUID();
    const anonymous = await postLead(leadRequest(leadId), { key, token: null });
    expect(anonymous.status).toBe(401);
    const authenticated = await postLead(leadRequest(leadId), { key });
    expect([authenticated.status, authenticated.replayed]).toEqual([200, null]);
  });

  it('replays a 403 (a role that may not process leads) to the same subject', async () => {
    const viewer = await baton.token('viewer');
    const key = randomUUID();
    const leadId = uniqueLeadId();
    const first = await postLead(leadRequest(leadId), { key, token: viewer });
    expect(first.status).toBe(403);
    const repeat = await postLead(leadRequest(leadId), { key, token: viewer });
    expect([repeat.status, repeat.replayed, repeat.text]).toEqual([403, 'true', first.text]);
  });

  it('is documented in the OpenAPI document for every route that honours it', async () => {
    const document = (await (await fetch(`${baton.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
    };
    const idempotent = REST_ROUTES.filter((route) => route.idempotent);
    expect(idempotent.map((route) => `${route.method} ${route.path}`)).toEqual(['POST /api/v1/leads']);
    for (const route of idempotent) {
      const operation = document.paths[route.path]![route.method.toLowerCase()]!;
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '409', '422']));
    }
  });
});

describe('an idempotent route whose operation fails or waits on demand', () => {
  // A route of its own over a bare HTTP server, with an executor the test steers:
  // the real API never answers 5xx on purpose, and how long it runs is not the
  // test's to choose (on embedded PGlite, the concurrent duplicates above were
  // seen to reach the key only after the first had finished, and replay it).
  const tokens = createTokenService(TEST_JWT_SECRET);
  const store = new InProcessIdempotencyStore(resolveIdempotencyStoreOptions({ keyPrefix: 'unused:' }));
  let failNext: 'graphql' | 'throw' | 'rate-limited' | undefined;
  let gate: { started: () => void; until: Promise<void> } | undefined;
  let executions = 0;
  const executor: GraphQLExecutor = {
    async execute<TData>(): Promise<OperationResult<TData>> {
      executions += 1;
      if (gate) {
        gate.started();
        await gate.until;
      }
      if (failNext === 'throw') throw new Error('the GraphQL API is unreachable');
      if (failNext === 'graphql') return { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
      if (failNext === 'rate-limited') {
        return { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 7 } }] };
      }
      return { data: { echo: executions } as TData };
    },
  };
  const operation = {
    input: z.object({ n: z.number() }),
    document: 'mutation Echo { echo }',
    toVariables: () => ({}),
    toOutput: (data: { echo: number }) => data,
    issuePath: (path: string) => path,
  } as unknown as AnyAdapterOperation;
  const route: RestRoute = { method: 'POST', path: '/echo', operation, idempotent: true };
  const handle = createRestHandler(route, executor, tokens, { idempotency: store });
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      handle(request, response).catch(() => response.writeHead(500).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await store.close();
  });

  async function echo(key: string, n = 1) {
    const token = await tokens.sign({ subject: 'echo-caller', roles: ['operator'] });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify({ n }),
    });
    return {
      status: response.status,
      replayed: response.headers.get('idempotent-replayed'),
      ...(response.status === 429 ? { retryAfter: response.headers.get('retry-after') } : {}),
      body: await response.json().catch(() => null),
    };
  }

  it('keeps nothing for a rate-limited request (429 with Retry-After): its retry runs', async () => {
    const key = randomUUID();
    failNext = 'rate-limited';
    const limited = await echo(key);
    expect(limited).toEqual({
      status: 429,
      replayed: null,
      retryAfter: '7',
      body: { error: { code: 'RATE_LIMITED', message: 'Rate limit exceeded', retry_after_seconds: 7 } },
    });
    failNext = undefined;
    const before = executions;
    expect(await echo(key)).toEqual({ status: 200, replayed: null, body: { echo: before + 1 } });
  });

  it.each(['graphql', 'throw'] as const)('runs the retry of a request that failed with a 5xx (%s), then replays the success', async (failure) => {
    const key = randomUUID();
    failNext = failure;
    const failed = await echo(key);
    expect(failed.status).toBe(500);
    failNext = undefined;
    const before = executions;
    const retried = await echo(key);
    expect(retried).toEqual({ status: 200, replayed: null, body: { echo: before + 1 } });
    expect(await echo(key)).toEqual({ status: 200, replayed: 'true', body: { echo: before + 1 } });
    expect(executions).toBe(before + 1);
  });

  it('answers 409 to a repeat that arrives while the first request runs, 422 to another body, then replays', async () => {
    const key = randomUUID();
    let open!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    gate = { started, until: new Promise<void>((resolve) => (open = resolve)) };
    const before = executions;
    const first = echo(key);
    await running;
    try {
      const during = await echo(key);
      expect(during).toEqual({ status: 409, replayed: null, body: { error: { code: 'IDEMPOTENCY_KEY_IN_USE', message: expect.any(String) } } });
      expect((await echo(key, 2)).status).toBe(422);
    } finally {
      gate = undefined;
      open();
    }
    expect(await first).toEqual({ status: 200, replayed: null, body: { echo: before + 1 } });
    expect(await echo(key)).toEqual({ status: 200, replayed: 'true', body: { echo: before + 1 } });
    expect(executions).toBe(before + 1);
  });
});
