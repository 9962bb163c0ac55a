// The GraphQL-over-HTTP specification's audits (graphql-http's serverAudits)
// against /graphql, with a token as any client of Baton sends one.
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
let token: string;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  token = await baton.token('viewer');
});
afterAll(() => baton?.stop());

describe('GraphQL over HTTP', () => {
  for (const audit of serverAudits({
    url: () => `${baton.url}/graphql`,
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    },
  })) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      // Every MUST and SHOULD holds: neither an error nor a warning.
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  }
});

describe('GraphQL over GET with query-string parameters that are not JSON', () => {
  for (const name of ['variables', 'extensions']) {
    it(`answers 400 BAD_REQUEST, not 500, for a ${name} parameter that is not JSON`, async () => {
      const response = await fetch(`${baton.url}/graphql?${new URLSearchParams({ query: '{ __typename }', [name]: '{"input": ' })}`, {
        headers: { accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ message: `The "${name}" parameter must be JSON.`, extensions: { code: 'BAD_REQUEST' } }] });
    });
  }
});
