// Values PostgreSQL cannot hold, filters that say "equals", and documents that
// nest too deep: each is the caller's mistake, answered as bad input naming the
// field (or the limit), never an internal error; and an equality filter matches
// only what it names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

type Issue = { path: string; message: string };

async function expectBadInput(document: string, variables: Record<string, unknown> | undefined, path: string, message: RegExp) {
  const { status, body } = await baton.graphql(document, variables);
  expect(status, path).toBeLessThan(500);
  const [error] = body.errors ?? [];
  expect(error?.extensions?.code, `${path}: ${error?.message}`).toBe('BAD_USER_INPUT');
  expect(error?.extensions?.issues as Issue[]).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
}

const CREATE_CAMPAIGN = 'mutation ($input: CampaignInput!) { createCampaign(input: $input) { id } }';
const INGEST =
  'mutation ($campaignId: ID!, $metrics: [CampaignMetricsInput!]!) { ingestCampaignMetrics(campaignId: $campaignId, metrics: $metrics) { __typename } }';
const snapshot = (extra: Record<string, unknown> = {}) => ({
  impressions: 1000,
  clicks: 10,
  conversions: 1,
  spendUsd: 100,
  revenueUsd: 200,
  periodStart: '2026-11-01T00:00:00Z',
  periodEnd: '2026-11-08T00:00:00Z',
  ...extra,
});

describe('numbers and dates within what PostgreSQL stores', () => {
  it('refuses amounts beyond 1e15, as variables and as literals, storing nothing', async () => {
    const id = `camp-${uniqueLeadId()}`;
    await expectBadInput(CREATE_CAMPAIGN, { input: { id, name: 'Huge', budgetUsd: 1.79e308 } }, 'input.budgetUsd', /between -1e15 and 1e15/);
    await expectBadInput(
      `mutation { createCampaign(input: { id: "${id}", name: "Huge", budgetUsd: -1.79e308 }) { id } }`,
      undefined,
      'input.budgetUsd',
      /1e15/,
    );
    expect(await baton.app.services.prisma.campaign.count({ where: { id } })).toBe(0);
    await expectBadInput(INGEST, { campaignId: id, metrics: [snapshot({ spendUsd: 1.79e308 })] }, 'metrics.0.spendUsd', /1e15/);
    await expectBadInput(
      'mutation ($c: ID!) { optimizeCampaign(campaignId: $c, reported: { roas: 1e300 }) { __typename } }',
      { c: id },
      'reported.roas',
      /1e15/,
    );
    // At the bound it is stored.
    const { body } = await baton.graphql(CREATE_CAMPAIGN, { input: { id, name: 'Big', budgetUsd: 1e15 } });
    expect(body.errors).toBeUndefined();
  });

  it('refuses dates before 1900 or after 9999 (year 0000 included), naming the field', async () => {
    const leads = 'query ($after: DateTime) { leads(filter: { createdAfter: $after }) { totalCount } }';
    await expectBadInput(leads, { after: '0000-01-01T00:00:00Z' }, 'filter.createdAfter', /1900-01-01 and 9999-12-31/);
    await expectBadInput(leads, { after: '1899-12-31T23:59:59Z' }, 'filter.createdAfter', /1900-01-01/);
    await expectBadInput('{ leads(filter: { createdBefore: "0000-06-01T00:00:00Z" }) { totalCount } }', undefined, 'filter.createdBefore', /1900-01-01/);
    await expectBadInput(INGEST, { campaignId: 'camp-dates', metrics: [snapshot({ periodStart: '0000-01-01T00:00:00Z' })] }, 'metrics.0.periodStart', /1900/);
    await expectBadInput('query ($s: DateTime) { handoffAnalytics(since: $s) { until } }', { s: '0001-01-01T00:00:00Z' }, 'since', /1900/);
    // Years past 9999 are no RFC 3339 date-time at all: still bad input, not an internal error.
    const far = await baton.graphql(leads, { after: '10000-01-01T00:00:00Z' });
    expect(far.status).toBeLessThan(500);
    expect(far.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const ok = await baton.graphql(leads, { after: '1900-01-01T00:00:00Z' });
    expect(ok.body.errors).toBeUndefined();
  });

  it('refuses int32 edges where the field is a count, and lets GraphQL refuse what int4 cannot hold', async () => {
    await expectBadInput('{ knowledgeFacts(predicate: "RESPONDS_ON", minEvidence: -2147483648) { weight } }', undefined, 'minEvidence', /0 or more/);
    const ok = await baton.graphql('{ knowledgeFacts(predicate: "RESPONDS_ON", minEvidence: 2147483647) { weight } }');
    expect(ok.body.errors).toBeUndefined();
    const beyond = await baton.graphql('{ knowledgeFacts(predicate: "RESPONDS_ON", minEvidence: 2147483648) { weight } }');
    expect(beyond.status).toBeLessThan(500);
    expect(beyond.body.errors?.[0]?.message).toMatch(/Int cannot represent/);
  });
});

describe('leads(filter: { source }) compares for equality', () => {
  const sources = ['%', '\\', 'a_c', 'abc', '50%', 'Webinar'];
  const count = async (source: string) => {
    const { body } = await baton.graphql('query ($source: String) { leads(filter: { source: $source }) { totalCount } }', { source });
    expect(body.errors, source).toBeUndefined();
    return (body.data as { leads: { totalCount: number } }).leads.totalCount;
  };

  beforeAll(async () => {
    for (const source of sources) {
      const { body } = await baton.graphql('mutation ($input: LeadInput!) { triageLead(input: $input) { lead { id } } }', {
        input: { leadId: uniqueLeadId('src'), industry: 'TECHNOLOGY', companySize: 'SMB', source },
      });
      expect(body.errors, source).toBeUndefined();
    }
  });

  it('matches LIKE metacharacters literally, and a lone backslash is no broken pattern', async () => {
    expect(await count('%')).toBe(1);
    expect(await count('\\')).toBe(1);
    expect(await count('a_c')).toBe(1);
    expect(await count('_bc')).toBe(0);
    expect(await count('50%')).toBe(1);
    expect(await count('5%')).toBe(0);
    expect(await count('%%')).toBe(0);
  });

  it('still ignores case and surrounding spaces, as documented', async () => {
    expect(await count('webinar')).toBe(1);
    expect(await count('  WEBINAR ')).toBe(1);
  });
});

describe('deeply nested literals', () => {
  it('answers a list literal thousands deep with 400 BAD_USER_INPUT before parsing', async () => {
    for (const depth of [100, 3000, 20_000]) {
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const { status, body } = await baton.graphql(`{ leads(filter: { source: ${deep} }) { totalCount } }`);
      expect(status, String(depth)).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toMatch(/nested more than 64/);
    }
    const objects = `${'{a: '.repeat(200)}1${'}'.repeat(200)}`;
    const { status } = await baton.graphql(`mutation { storeShortTermMemory(conversationId: "c1", input: { extractedSlots: ${objects} }) { conversationId } }`);
    expect(status).toBe(400);
  });

  it('leaves brackets inside strings and comments alone', async () => {
    const { body } = await baton.graphql(`# ${'['.repeat(500)}\n{ leads(filter: { source: "${'['.repeat(500)}" }) { totalCount } }`);
    expect(body.errors?.[0]?.message ?? '').not.toMatch(/nested/);
  });

  it('refuses a JSON variable nested deeper than 32, naming the field', async () => {
    // Written out by hand: 50,000 levels, more than JSON.stringify would recurse through.
    const depth = 50_000;
    const query = 'mutation ($slots: JSON) { storeShortTermMemory(conversationId: "c1", input: { extractedSlots: $slots }) { conversationId } }';
    const response = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${await baton.token('admin')}` },
      body: `{"query":${JSON.stringify(query)},"variables":{"slots":{"deep":${'['.repeat(depth)}"x"${']'.repeat(depth)}}}}`,
    });
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { errors?: { extensions?: { code?: string; issues?: Issue[] } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.extensions?.issues?.[0]).toMatchObject({
      path: 'input.extractedSlots.deep.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0',
    });
    expect(body.errors?.[0]?.extensions?.issues?.[0]?.message).toMatch(/more than 32 deep/);
    expect(await baton.app.services.memory.shortTerm.retrieve('c1')).toBeNull();
  });
});
