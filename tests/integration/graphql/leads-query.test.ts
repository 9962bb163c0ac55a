// `leads` as a dashboard uses it: filters, ordering by score, recency, last activity,
// category or industry, paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilteredLeadsDocument } from '../../__generated__/graphql.js';
import { processOneLeadPerCategory } from '../../support/lead-fixtures.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
const tag = uniqueLeadId('src');

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  await processOneLeadPerCategory(baton, tag);
});
afterAll(() => baton?.stop());

async function leads(variables: Parameters<typeof baton.graphql<unknown, object>>[1] & object) {
  const { body } = await baton.graphql(FilteredLeadsDocument, { filter: { source: tag }, ...variables } as never);
  expect(body.errors).toBeUndefined();
  return body.data!.leads;
}

describe('leads', () => {
  it('orders by score, highest first, and pages through it', async () => {
    const first = await leads({ first: 2, orderBy: 'SCORE' });
    expect(first.edges.map((edge) => edge.node.industry)).toEqual(['TECHNOLOGY', 'TECHNOLOGY']);
    const scores = first.edges.map((edge) => edge.node.score!);
    expect(scores[0]).toBeGreaterThanOrEqual(scores[1]!);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await leads({ first: 2, orderBy: 'SCORE', after: first.pageInfo.endCursor });
    expect(rest.edges.map((edge) => edge.node.industry)).toEqual(['MANUFACTURING']);
  });

  it('filters by category, industry, size, score range and creation time', async () => {
    expect((await leads({ filter: { source: tag, industry: 'MANUFACTURING' } })).edges).toHaveLength(1);
    expect((await leads({ filter: { source: tag, companySize: 'ENTERPRISE' } })).edges).toHaveLength(2);
    expect((await leads({ filter: { source: tag, companySize: 'ENTERPRISE', category: 'CAMPAIGN_QUALIFIED' } })).edges).toHaveLength(1);
    expect((await leads({ filter: { source: tag, scoreMin: 50, scoreMax: 80 } })).edges.map((edge) => edge.node.score)).toEqual([65]);
    expect((await leads({ filter: { source: tag.toUpperCase(), createdBefore: '2000-01-01T00:00:00Z' } })).edges).toHaveLength(0);
    expect((await leads({ filter: { source: tag.toUpperCase(), createdAfter: '2000-01-01T00:00:00Z' } })).edges).toHaveLength(3);
  });

  it('rejects a score range that is out of bounds or upside down', async () => {
    const { body } = await baton.graphql(FilteredLeadsDocument, { filter: { scoreMin: 80, scoreMax: 20 } });
    expect(body.errors?.[0]?.extensions?.issues).toEqual([{ path: 'filter.scoreMin', message: 'must not exceed scoreMax' }]);
    const outOfBounds = await baton.graphql(FilteredLeadsDocument, { filter: { scoreMax: 101 } });
    expect(outOfBounds.body.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('filter.scoreMax');
  });
});

describe('leads, as the dashboard list sorts and narrows them', () => {
  const ids = (connection: Awaited<ReturnType<typeof leads>>) => connection.edges.map((edge) => edge.node.id);

  async function mutate(document: string, variables: object) {
    const { body } = await baton.graphql<Record<string, { __typename: string }>, object>(document, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  it('filters by persona and by outcome', async () => {
    const [manufacturing] = ids(await leads({ filter: { source: tag, industry: 'MANUFACTURING' } }));
    expect((await leads({ filter: { source: tag, persona: 'END_USER' } })).edges.map((edge) => edge.node.id)).toEqual([manufacturing]);
    expect((await leads({ filter: { source: tag, persona: 'INFLUENCER' } })).edges).toHaveLength(0);
    await mutate('mutation ($leadId: ID!) { recordOutcome(leadId: $leadId, outcome: LOST) { __typename } }', { leadId: manufacturing });
    expect(ids(await leads({ filter: { source: tag, outcome: 'LOST' } }))).toEqual([manufacturing]);
    expect((await leads({ filter: { source: tag, outcome: 'CONVERTED' } })).edges).toHaveLength(0);
  });

  it('orders by the latest signal from the lead, leads without one last, and pages through it', async () => {
    const [manufacturing] = ids(await leads({ filter: { source: tag, industry: 'MANUFACTURING' } }));
    await mutate('mutation ($input: InteractionInput!) { recordInteraction(input: $input) { __typename } }', {
      input: { leadId: manufacturing, type: 'REPLY', channel: 'EMAIL' },
    });
    await mutate('mutation { consolidateMemory { __typename } }', {});
    const recent = ids(await leads({}));
    const first = await leads({ first: 1, orderBy: 'LAST_ACTIVITY' });
    expect(ids(first)).toEqual([manufacturing]);
    const rest = await leads({ first: 5, orderBy: 'LAST_ACTIVITY', after: first.pageInfo.endCursor });
    // The two without a signal, newest first.
    expect(ids(rest)).toEqual(recent.filter((id) => id !== manufacturing));
  });

  it('groups by category and by industry in the enum order, newest first within a group, page by page', async () => {
    const all: (string | null | undefined)[] = [];
    let after: string | null | undefined;
    do {
      const page = await leads({ first: 1, orderBy: 'CATEGORY', after });
      all.push(...page.edges.map((edge) => edge.node.category));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
    } while (after);
    expect(all).toEqual(['CAMPAIGN_QUALIFIED', 'COLD_LEAD', 'GENERAL_INQUIRY']);
    const byIndustry = await leads({ orderBy: 'INDUSTRY' });
    expect(byIndustry.edges.map((edge) => edge.node.industry)).toEqual(['TECHNOLOGY', 'TECHNOLOGY', 'MANUFACTURING']);
  });

  it('names the campaign a lead came from', async () => {
    const campaignId = `camp-${uniqueLeadId()}`;
    await mutate('mutation ($input: CampaignInput!) { createCampaign(input: $input) { __typename } }', { input: { id: campaignId, name: 'Winter push' } });
    const leadId = uniqueLeadId();
    await mutate('mutation ($input: LeadInput!) { processLead(input: $input) { __typename } }', {
      input: { leadId, industry: 'FINANCE', companySize: 'SMB', campaignId },
    });
    const { body } = await baton.graphql<{ leads: { edges: { node: { id: string; campaign: { id: string; name: string } | null } }[] } }, object>(
      'query ($filter: LeadFilter) { leads(filter: $filter) { edges { node { id campaign { id name } } } } }',
      { filter: { campaignId } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.leads.edges.map((edge) => edge.node)).toEqual([{ id: leadId, campaign: { id: campaignId, name: 'Winter push' } }]);
  });
});
