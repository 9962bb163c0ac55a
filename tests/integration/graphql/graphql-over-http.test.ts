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
