// Abusive documents are refused before they run (no data, an error naming the
// limit); honest ones, and GraphiQL's introspection, are not.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../../../src/graphql/query-limits.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

describe('query limits', () => {
  it('refuses a document deeper than the limit', async () => {
    // handoff → parent → parent → … nests without end.
    const deep = `query { handoff(id: "00000000-0000-0000-0000-000000000000") { ${'parent { '.repeat(QUERY_LIMITS.maxDepth)}id${' }'.repeat(QUERY_LIMITS.maxDepth)} } }`;
    const { body } = await baton.graphql(deep);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/depth limit of 12 exceeded/i);
  });

  it('refuses more aliases than the limit', async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: memoryStats { longTerm }`).join(' ');
    const { body } = await baton.graphql(`query { ${aliases} }`);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/aliases limit of 30 exceeded/i);
  });

  it('refuses a document with too many tokens', async () => {
    const fields = Array.from({ length: QUERY_LIMITS.maxTokens }, () => '__typename').join(' ');
    const { body } = await baton.graphql(`query { ${fields} }`);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/token limit of 5000 exceeded/i);
  });

  it('lets introspection and ordinary dashboard queries through', async () => {
    const introspection = await baton.graphql(getIntrospectionQuery());
    expect(introspection.body.errors).toBeUndefined();
    const page = await baton.graphql('query { leads(first: 50) { edges { node { id score handoffs { id events { status } } interactions { id } } } } }');
    expect(page.body.errors).toBeUndefined();
  });
});
