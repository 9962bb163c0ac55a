// The memory page in Chromium: the knowledge graph around a segment drawn as a
// graph (and given as a table), recentred by choosing a node; how much each
// tier holds; the live short-term conversations (a viewer reads their personal
// slots masked); consolidation runs, and an admin's "Consolidate now".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsolidateMemoryDocument, ProcessLeadForTestDocument, StoreShortTermMemoryDocument } from '../../__generated__/graphql.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import { CHROMIUM, expectPageSound, HAS_CHROMIUM, openDashboard, TABLET } from './support/dashboard-browser.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(async () => {
  await baton?.stop();
});

describe.skipIf(!HAS_CHROMIUM)(`the memory page, in Chromium (needs ${CHROMIUM})`, () => {
  it('on a fresh Baton: the seeded graph around a segment, and what to do for conversations and runs', async () => {
    const dashboard = await openDashboard(baton, ['viewer']);
    try {
      const { page } = dashboard;
      await dashboard.open('/memory');
      await page.getByRole('heading', { level: 1, name: 'Memory' }).waitFor();
      await page.getByRole('img', { name: /^Knowledge graph around .+: \d+ nodes, \d+ facts$/ }).waitFor();
      await page.getByText('No live conversation').waitFor();
      await page.getByText('No consolidation has run yet').waitFor();
      // Viewers read; only admins consolidate.
      expect(await page.getByRole('button', { name: 'Consolidate now' }).count()).toBe(0);
      await expectPageSound(dashboard, 'memory-empty');
    } finally {
      await dashboard.close();
    }
  });

  it('shows conversations, tiers and runs of processed leads; an admin consolidates; the graph recentres', async () => {
    const leadId = uniqueLeadId();
    const processed = await baton.graphql(ProcessLeadForTestDocument, {
      input: { leadId, industry: 'HEALTHCARE', companySize: 'ENTERPRISE', source: 'organic', email: 'jane.doe@acme.com', persona: 'DECISION_MAKER' },
    });
    expect(processed.body.errors).toBeUndefined();
    const conversationId = `conv-${uniqueLeadId()}`;
    const stored = await baton.graphql(StoreShortTermMemoryDocument, {
      conversationId,
      input: { leadId, activeIntent: 'demo_request', extractedSlots: { email: 'jane.doe@acme.com', interest: 'analytics' } },
    });
    expect(stored.body.errors).toBeUndefined();
    const consolidated = await baton.graphql(ConsolidateMemoryDocument, {});
    expect(consolidated.body.errors).toBeUndefined();

    const dashboard = await openDashboard(baton, ['admin']);
    try {
      const { page } = dashboard;
      await dashboard.open('/memory');
      const conversations = page.getByRole('table', { name: 'Live short-term conversations' });
      const row = conversations.getByRole('row', { name: new RegExp(conversationId) });
      await row.waitFor();
      await expect.poll(() => row.textContent()).toContain('jane.doe@acme.com');
      const runs = page.getByRole('table', { name: 'Consolidation runs, newest first' });
      await expect.poll(() => runs.getByRole('row').count()).toBe(2);
      const tiers = page.getByRole('region', { name: 'Memory tiers' });
      await tiers.getByText('Lead profiles').waitFor();

      // The graph: a canvas named for screen readers, its nodes in a table whose names recentre it.
      const graph = page.getByRole('img', { name: /^Knowledge graph around / });
      await graph.waitFor();
      const before = await graph.getAttribute('aria-label');
      await page.getByText(/The graph as a table/).click();
      const recentre = page.getByRole('button', { name: /^Recentre on / }).first();
      const target = (await recentre.getAttribute('aria-label'))!.replace('Recentre on ', '');
      await recentre.click();
      await page.getByRole('img', { name: new RegExp(`^Knowledge graph around ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `) }).waitFor();
      expect(await graph.getAttribute('aria-label')).not.toBe(before);
      await expectPageSound(dashboard, 'memory-laptop');

      // Searching picks another centre.
      await page.getByLabel('Kind').selectOption('Industry');
      await page.getByLabel('Name contains').fill('health');
      await page.getByRole('img', { name: /^Knowledge graph around Healthcare: / }).waitFor();

      // Consolidate now: one more run, newest first.
      await page.getByRole('button', { name: 'Consolidate now' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Consolidated in/ })
        .waitFor();
      await expect.poll(() => runs.getByRole('row').count()).toBe(3);
      await expectPageSound(dashboard, 'memory-consolidated');
    } finally {
      await dashboard.close();
    }
  });

  it("masks a viewer's personal slots", async () => {
    const dashboard = await openDashboard(baton, ['viewer']);
    try {
      const { page } = dashboard;
      await dashboard.open('/memory');
      const conversations = page.getByRole('table', { name: 'Live short-term conversations' });
      await conversations.getByText('demo_request').waitFor();
      expect(await conversations.textContent()).not.toContain('jane.doe@acme.com');
      await expectPageSound(dashboard, 'memory-viewer');
    } finally {
      await dashboard.close();
    }
  });

  it('reads well at a tablet width', async () => {
    const dashboard = await openDashboard(baton, ['admin'], { viewport: TABLET });
    try {
      const { page } = dashboard;
      await dashboard.open('/memory');
      await page.getByRole('img', { name: /^Knowledge graph around / }).waitFor();
      await page.getByRole('table', { name: 'Consolidation runs, newest first' }).waitFor();
      await expectPageSound(dashboard, 'memory-tablet');
    } finally {
      await dashboard.close();
    }
  });
});
