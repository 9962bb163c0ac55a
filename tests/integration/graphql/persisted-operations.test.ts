// Persisted operations: the adapter's documents and GraphiQL's examples run by
// hash (Apollo APQ's extensions.persistedQuery, or documentId); arbitrary
// documents still run; the adapter sends hashes and falls back to the text when
// the API does not know one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_TABS } from '../../../src/graphql/graphiql-examples.js';
import { documentHash } from '../../../src/adapter/document-hash.js';
import { PERSISTED_DOCUMENTS } from '../../../src/graphql/persisted-operations.js';
import { SystemStatusDocument, TriageLeadDocument } from '../../../src/adapter/__generated__/operations.js';
import { createGraphQLExecutor, type Caller } from '../../../src/adapter/graphql-executor.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
let authorization: string;
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  authorization = `Bearer ${await baton.token('admin')}`;
});
afterAll(() => baton?.stop());

async function post(
  body: unknown,
): Promise<{ status: number; body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const response = await fetch(`${baton.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

const apq = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

describe('the store', () => {
  it('holds every operation the adapter sends and every GraphiQL example, by the SHA-256 of its text', () => {
    for (const text of [String(SystemStatusDocument), String(TriageLeadDocument), ...GRAPHIQL_TABS.map((tab) => tab.query)]) {
      expect(PERSISTED_DOCUMENTS.has(documentHash(text)), text.slice(0, 60)).toBe(true);
    }
    expect(documentHash('{__typename}')).toBe('ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38');
  });
});

describe('POST /graphql by hash', () => {
  it('runs a known operation from its hash alone', async () => {
    const { status, body } = await post({ extensions: apq(documentHash(String(SystemStatusDocument))) });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.systemStatus).toMatchObject({ systemRunning: true });
  });

  it('runs a query by hash over GET too', async () => {
    const extensions = encodeURIComponent(JSON.stringify(apq(documentHash(String(SystemStatusDocument)))));
    const response = await fetch(`${baton.url}/graphql?extensions=${extensions}`, { headers: { accept: 'application/graphql-response+json', authorization } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { systemStatus: unknown } }).data.systemStatus).toMatchObject({ systemRunning: true });
  });

  it('accepts documentId, with or without its sha256: prefix', async () => {
    const hash = documentHash(String(SystemStatusDocument));
    for (const documentId of [hash, `sha256:${hash}`]) {
      const { body } = await post({ documentId });
      expect(body.errors).toBeUndefined();
      expect(body.data!.systemStatus).toMatchObject({ systemRunning: true });
    }
  });

  it('runs a GraphiQL example by hash, with variables', async () => {
    const tab = GRAPHIQL_TABS.find((candidate) => candidate.query.includes('query Lead('))!;
    const { body } = await post({ extensions: apq(documentHash(tab.query)), variables: { id: 'nobody' } });
    expect(body).toEqual({ data: { lead: null } });
  });

  it('answers an unknown hash with PersistedQueryNotFound, running nothing', async () => {
    const { status, body } = await post({ extensions: apq('0'.repeat(64)), variables: {} });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);

    // A legacy application/json client (Apollo's APQ link) gets it with 200.
    const legacy = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
      body: JSON.stringify({ extensions: apq('0'.repeat(64)) }),
    });
    expect(legacy.status).toBe(200);
    expect(await legacy.json()).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
  });

  it('still runs arbitrary documents, with or without a hash beside them', async () => {
    const query = 'query Arbitrary { systemStatus { systemRunning } }';
    expect((await post({ query })).body).toEqual({ data: { systemStatus: { systemRunning: true } } });
    // What an APQ client sends after PersistedQueryNotFound: the text wins.
    expect((await post({ query, extensions: apq('0'.repeat(64)) })).body).toEqual({ data: { systemStatus: { systemRunning: true } } });
  });

  it('without a document or a hash, answers as before: 400, "Must provide query string."', async () => {
    const { status, body } = await post({ variables: {} });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toBe('Must provide query string.');
  });
});

describe("the adapter's executor", () => {
  const caller = (): Caller => ({ authorization, principal: { subject: 'test-admin', roles: ['admin'] } as Caller['principal'] });
  const variables = { input: { leadId: uniqueLeadId(), industry: 'FINANCE' as const, companySize: 'SMB' as const } };

  it('sends the hash only', async () => {
    const sent: Record<string, unknown>[] = [];
    const executor = createGraphQLExecutor(async (request) => {
      sent.push((await request.clone().json()) as Record<string, unknown>);
      return fetch(`${baton.url}/graphql`, request);
    }, `${baton.url}/graphql`);
    const result = await executor.execute(TriageLeadDocument, variables, caller());
    expect(result.errors).toBeUndefined();
    expect(result.data!.triageLead).toMatchObject({ lead: { id: variables.input.leadId } });
    expect(sent).toEqual([{ variables, extensions: apq(documentHash(String(TriageLeadDocument))) }]);
  });

  it('sends the text once more when the API does not know the hash (another version, mid rolling update)', async () => {
    const sent: Record<string, unknown>[] = [];
    // An API whose store lacks this operation: the real server, asked for a hash it does not hold.
    const otherVersion = async (request: Request) => {
      const body = (await request.json()) as { query?: string; extensions?: ReturnType<typeof apq> };
      sent.push(body);
      const forwarded = body.query ? body : { ...body, extensions: apq('f'.repeat(64)) };
      return fetch(`${baton.url}/graphql`, { method: 'POST', headers: request.headers, body: JSON.stringify(forwarded) });
    };
    const result = await createGraphQLExecutor(otherVersion, `${baton.url}/graphql`).execute(SystemStatusDocument, {}, caller());
    expect(result.errors).toBeUndefined();
    expect(result.data!.systemStatus).toMatchObject({ systemRunning: true });
    expect(sent).toEqual([
      { variables: {}, extensions: apq(documentHash(String(SystemStatusDocument))) },
      { query: String(SystemStatusDocument), variables: {}, extensions: apq(documentHash(String(SystemStatusDocument))) },
    ]);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const executor = createGraphQLExecutor(async (request) => {
      calls++;
      return fetch(`${baton.url}/graphql`, request);
    }, `${baton.url}/graphql`);
    const result = await executor.execute(TriageLeadDocument, variables, { authorization: 'Bearer not-a-token', principal: caller().principal });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(calls).toBe(1);
  });
});
