// A dashboard's lead tiles: `leads(filter)` answers how many leads match, in all and
// per triage category, whatever page it returns, in one grouped SQL statement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadCountsDocument, type LeadFilter } from '../../__generated__/graphql.js';
import { processOneLeadPerCategory } from '../../support/lead-fixtures.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
const tag = uniqueLeadId('counts');

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  await processOneLeadPerCategory(baton, tag);
});
afterAll(() => baton?.stop());

async function counts(filter: LeadFilter, first = 1) {
  const { body } = await baton.graphql(LeadCountsDocument, { filter, first });
  expect(body.errors).toBeUndefined();
  const { totalCount, countsByCategory, edges } = body.data!.leads;
  return { totalCount, byCategory: Object.fromEntries(countsByCategory.map(({ category, count }) => [category, count])), page: edges.length };
}

describe('leads counts', () => {
  it('count every lead the filter matches, not the page, per category with zeros', async () => {
    expect(await counts({ source: tag })).toEqual({ totalCount: 3, byCategory: { CAMPAIGN_QUALIFIED: 1, COLD_LEAD: 1, GENERAL_INQUIRY: 1 }, page: 1 });
    expect(await counts({ source: tag, companySize: 'ENTERPRISE' }, 5)).toEqual({
      totalCount: 2,
      byCategory: { CAMPAIGN_QUALIFIED: 1, COLD_LEAD: 0, GENERAL_INQUIRY: 1 },
      page: 2,
    });
    expect(await counts({ source: tag, category: 'COLD_LEAD' })).toEqual({
      totalCount: 1,
      byCategory: { CAMPAIGN_QUALIFIED: 0, COLD_LEAD: 1, GENERAL_INQUIRY: 0 },
      page: 1,
    });
    expect(await counts({ source: tag, scoreMin: 99 })).toEqual({
      totalCount: 0,
      byCategory: { CAMPAIGN_QUALIFIED: 0, COLD_LEAD: 0, GENERAL_INQUIRY: 0 },
      page: 0,
    });
  });

  it('answers the categories in the enum order', async () => {
    const { body } = await baton.graphql(LeadCountsDocument, { filter: { source: tag }, first: 1 });
    expect(body.data!.leads.countsByCategory.map((entry) => entry.category)).toEqual(['CAMPAIGN_QUALIFIED', 'COLD_LEAD', 'GENERAL_INQUIRY']);
  });

  it('costs one grouped statement for totalCount and countsByCategory together', async () => {
    const statements: string[] = [];
    const stop = baton.app.database.onQuery((query) => statements.push(query));
    try {
      await counts({ source: tag });
    } finally {
      stop();
    }
    const counting = statements.filter((sql) => /group by/i.test(sql));
    expect(counting).toHaveLength(1);
    expect(statements).toHaveLength(2); // the page, and the counts
  });
});
