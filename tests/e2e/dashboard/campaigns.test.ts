// Campaigns in Chromium: a campaign with seven weeks of metrics on two variants and
// three channels, reviewed through the real API; the list shows its headline KPIs;
// its page draws CTR, CVR, CPL and ROAS over the periods, and shows the variant
// test with its interval and P(B beats A), the anomaly, the budget moves and every
// recommendation with its evidence. An operator runs a review from the page; a
// viewer reads it at a tablet width; a campaign without metrics says what to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sevenWeeksSocialCollapses } from '../../support/campaign-fixtures.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import { CHROMIUM, expectPageSound, HAS_CHROMIUM, openDashboard, TABLET } from './support/dashboard-browser.js';

let baton: TestApp;

async function createCampaign(name: string): Promise<string> {
  const id = `camp-${uniqueLeadId()}`;
  const { body } = await baton.graphql('mutation Create($input: CampaignInput!) { createCampaign(input: $input) { id } }', {
    input: { id, name, budgetUsd: 1_000_000 },
  });
  expect(body.errors).toBeUndefined();
  return id;
}

let reviewed = '';

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  reviewed = await createCampaign('Summer launch');
  const { body } = await baton.graphql<{ optimizeCampaign: { __typename: string } }, object>(
    'mutation Review($campaignId: ID!, $metrics: [CampaignMetricsInput!]) { optimizeCampaign(campaignId: $campaignId, metrics: $metrics) { __typename } }',
    { campaignId: reviewed, metrics: sevenWeeksSocialCollapses() },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.optimizeCampaign.__typename).toBe('OptimizationResult');
});
afterAll(async () => {
  await baton?.stop();
});

describe.skipIf(!HAS_CHROMIUM)(`campaigns, in Chromium (needs ${CHROMIUM})`, () => {
  it('lists campaigns with their KPIs, and a campaign page charts them with the review and its evidence', async () => {
    const dashboard = await openDashboard(baton, ['operator']);
    try {
      const { page } = dashboard;
      await dashboard.open('/campaigns');
      const row = page.getByRole('row').filter({ hasText: 'Summer launch' });
      await row.waitFor();
      // 7 weeks × (search + social) × (A + B): 28,000 clicks of 1,120,000 impressions.
      await expect.poll(() => row.textContent()).toContain('2.50 %');
      await expectPageSound(dashboard, 'campaigns-list');

      await row.getByRole('link', { name: 'Summer launch' }).click();
      await page.getByRole('heading', { level: 1, name: 'Summer launch' }).waitFor();
      for (const kpi of ['CTR (clicks per impression)', 'CVR (conversions per click)', 'CPL (cost per lead, USD)', 'ROAS (revenue per dollar spent)']) {
        const chart = page.getByRole('img', { name: new RegExp(`^${kpi.replace(/[()]/g, '\\$&')} by period, 7 periods`) });
        await chart.locator('canvas').first().waitFor();
      }
      await page
        .getByRole('img', { name: /^Current and proposed spend per channel/ })
        .locator('canvas')
        .first()
        .waitFor();
      await page.getByRole('term').filter({ hasText: 'ROAS' }).waitFor();

      const variantTests = page.getByRole('table', { name: 'Variant tests' });
      const test = variantTests.getByRole('row').filter({ hasText: 'B vs A' });
      await test.waitFor();
      expect(await test.textContent()).toMatch(/\[.+ pp, .+ pp\]/);
      expect(await test.textContent()).toMatch(/Variant winner/);
      await page
        .getByRole('list', { name: 'Recommendations' })
        .getByText(/B converts better than A/)
        .first()
        .waitFor();
      await page
        .getByText(/Adverse/)
        .first()
        .waitFor();
      await page.getByRole('table', { name: 'Budget moves per channel' }).getByRole('row').filter({ hasText: 'search' }).waitFor();
      await expectPageSound(dashboard, 'campaign-reviewed');

      // An operator reviews again from the page: a second run, said in a notice.
      await page.getByRole('button', { name: 'Review this campaign now' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Review done: \d+ recommendation/ })
        .waitFor();
      const runs = await baton.graphql<{ campaign: { optimizations: { id: string }[] } }, object>(
        'query Runs($id: ID!) { campaign(id: $id) { optimizations(first: 10) { id } } }',
        { id: reviewed },
      );
      expect(runs.body.data!.campaign.optimizations).toHaveLength(2);
      await expectPageSound(dashboard, 'campaign-review-run');
    } finally {
      await dashboard.close();
    }
  });

  it('a viewer reads a campaign at a tablet width without running a review', async () => {
    const dashboard = await openDashboard(baton, ['viewer'], { viewport: TABLET });
    try {
      const { page } = dashboard;
      await dashboard.open(`/campaigns/${reviewed}`);
      await page.getByRole('heading', { level: 1, name: 'Summer launch' }).waitFor();
      await page
        .getByRole('img', { name: /^ROAS \(revenue per dollar spent\) by period/ })
        .locator('canvas')
        .first()
        .waitFor();
      await page.getByRole('table', { name: 'Variant tests' }).waitFor();
      expect(await page.getByRole('button', { name: 'Review this campaign now' }).count()).toBe(0);
      await expectPageSound(dashboard, 'campaign-viewer-tablet');
    } finally {
      await dashboard.close();
    }
  });

  it('a review made elsewhere appears live on an open campaign page', async () => {
    const id = await createCampaign('Spring relaunch');
    const ingested = await baton.graphql(
      'mutation Ingest($id: ID!, $metrics: [CampaignMetricsInput!]!) { ingestCampaignMetrics(campaignId: $id, metrics: $metrics) { __typename } }',
      {
        id,
        metrics: sevenWeeksSocialCollapses(),
      },
    );
    expect(ingested.body.errors).toBeUndefined();
    const dashboard = await openDashboard(baton, ['viewer']);
    try {
      const { page } = dashboard;
      await dashboard.open(`/campaigns/${id}`);
      await page.getByText('Not reviewed yet').waitFor();
      await page.getByText(/An operator or admin can run a review/).waitFor();
      await expectPageSound(dashboard, 'campaign-not-reviewed');
      // The review breaches (social's CPL spike): its campaign alert refreshes the page.
      const review = await baton.graphql('mutation Review($id: ID!) { optimizeCampaign(campaignId: $id) { __typename } }', { id });
      expect(review.body.errors).toBeUndefined();
      await page.getByRole('heading', { name: 'Latest review' }).waitFor();
      await page.getByText(/Its breaches escalated to a manager, waiting for a decision/).waitFor();
    } finally {
      await dashboard.close();
    }
  });

  it('a campaign without metrics, or an unknown one, says what to do next', async () => {
    const empty = await createCampaign('Winter teaser');
    const dashboard = await openDashboard(baton, ['admin']);
    try {
      const { page } = dashboard;
      await dashboard.open(`/campaigns/${empty}`);
      await page.getByText('No metrics yet').waitFor();
      await page.getByText('ingestCampaignMetrics').waitFor();
      await expectPageSound(dashboard, 'campaign-empty');
      await dashboard.open('/campaigns/no-such-campaign');
      await page.getByRole('heading', { level: 1, name: 'Campaign not found' }).waitFor();
      await expectPageSound(dashboard, 'campaign-unknown');
    } finally {
      await dashboard.close();
    }
  });
});
