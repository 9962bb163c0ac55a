// Abusive documents are refused before they run (no data, an error naming the
// limit, BAD_USER_INPUT); honest ones, and GraphiQL's introspection, are not.
// Over graphql-ws: subscription-errors.test.ts.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOO_COSTLY, TOO_DEEP, TOO_MANY_ALIASES, TOO_MANY_TOKENS } from '../../support/over-limit-documents.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

describe('query limits', () => {
  it('refuses a document deeper than the limit', async () => {
    const { body } = await baton.graphql(TOO_DEEP);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/depth limit of 12 exceeded/i);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses more aliases than the limit', async () => {
    const { body } = await baton.graphql(TOO_MANY_ALIASES);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/aliases limit of 30 exceeded/i);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a document costlier than the limit', async () => {
    const { body } = await baton.graphql(TOO_COSTLY);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/cost limit of 10000 exceeded/i);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a document with too many tokens', async () => {
    const { body } = await baton.graphql(TOO_MANY_TOKENS);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/token limit of 5000 exceeded/i);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets introspection and ordinary dashboard queries through', async () => {
    const introspection = await baton.graphql(getIntrospectionQuery());
    expect(introspection.body.errors).toBeUndefined();
    const page = await baton.graphql('query { leads(first: 50) { edges { node { id score handoffs { id events { status } } interactions { id } } } } }');
    expect(page.body.errors).toBeUndefined();
  });
});
