// No N+1: a dashboard page of 50 leads with their handoffs (and their events),
// interactions and knowledge costs the same handful of SQL statements as a page of 5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessLeadForTestDocument } from '../../__generated__/graphql.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
const source = uniqueLeadId('n1');

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  for (let i = 0; i < 50; i++) {
    const { body } = await baton.graphql(ProcessLeadForTestDocument, { input: { leadId: uniqueLeadId(), industry: 'FINANCE', companySize: 'SMB', source } });
    expect(body.errors).toBeUndefined();
  }
}, 120_000);
afterAll(() => baton?.stop());

const PAGE = `query Page($first: Int!, $source: String!) {
  leads(first: $first, filter: { source: $source }) {
    edges { node { id score profile { touches } handoffs { id status events { status } } interactions { id type } conversation { id } knowledge(first: 3) { predicate } } }
  }
}`;

async function statementsFor(first: number): Promise<number> {
  let statements = 0;
  const stop = baton.app.database.onQuery(() => statements++);
  try {
    const { body } = await baton.graphql<{ leads: { edges: unknown[] } }, object>(PAGE, { first, source });
    expect(body.errors).toBeUndefined();
    expect(body.data!.leads.edges).toHaveLength(first);
  } finally {
    stop();
  }
  return statements;
}

describe('a page of leads with their relations', () => {
  it('runs a small, constant number of SQL statements whatever the page size', async () => {
    const fifty = await statementsFor(50);
    const five = await statementsFor(5);
    // One per relation level (leads, profile, handoffs, events, interactions, conversation), one per distinct
    // knowledge node (all these leads share their industry: one), and a few to spare.
    expect(fifty).toBeLessThanOrEqual(10);
    expect(fifty).toBe(five);
  });
});
