// The handoff analytics page in Chromium: on a fresh Baton it says what to do
// first; with leads processed through the API it shows success, quality,
// latency percentiles, triggers and types as charts with their figures, each
// agent's throughput, and the latest handoffs linking to their leads; it moves
// on live as another lead is processed, and the window can be changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessLeadForTestDocument } from '../../__generated__/graphql.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import { CHROMIUM, expectPageSound, HAS_CHROMIUM, openDashboard, TABLET } from './support/dashboard-browser.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(async () => {
  await baton?.stop();
});

async function processLead(industry: 'TECHNOLOGY' | 'HEALTHCARE' | 'FINANCE'): Promise<string> {
  const leadId = uniqueLeadId();
  const { body } = await baton.graphql(ProcessLeadForTestDocument, {
    input: { leadId, industry, companySize: 'ENTERPRISE', source: 'organic', email: 'jane.doe@acme.com', persona: 'DECISION_MAKER' },
  });
  expect(body.errors).toBeUndefined();
  return leadId;
}

describe.skipIf(!HAS_CHROMIUM)(`handoff analytics, in Chromium (needs ${CHROMIUM})`, () => {
  it('says what to do first on a fresh Baton', async () => {
    const dashboard = await openDashboard(baton, ['viewer']);
    try {
      const { page } = dashboard;
      await dashboard.open('/handoffs');
      await page.getByRole('heading', { level: 1, name: 'Handoffs & agents' }).waitFor();
      await page.getByText('No handoffs in this window').waitFor();
      await page.getByText('No agent worked in this window').waitFor();
      await page.getByText('No handoff matches').waitFor();
      await expectPageSound(dashboard, 'handoffs-empty');
    } finally {
      await dashboard.close();
    }
  });

  it('shows the figures and charts of processed leads, live, and follows a lead link', async () => {
    const leads = [await processLead('TECHNOLOGY'), await processLead('HEALTHCARE'), await processLead('FINANCE')];
    const dashboard = await openDashboard(baton, ['operator']);
    try {
      const { page } = dashboard;
      await dashboard.open('/handoffs');
      const outcome = page.getByRole('region', { name: 'Outcome' });
      await outcome.getByText('Success rate').waitFor();
      await expect.poll(() => outcome.locator('.stat-value').first().textContent()).toBe('3');
      await expect.poll(() => outcome.getByText('100.0 %').count()).toBeGreaterThan(0);
      // Latency percentiles are figures, not dashes.
      const latency = page.getByRole('region', { name: 'Latency' });
      await expect.poll(() => latency.locator('.stat-value').first().textContent()).toMatch(/\d+ ms|\d s/);
      // The charts are canvases named for screen readers, with their figures in tables.
      await page.getByRole('img', { name: /^Handoffs by trigger: .*Task completion 3/ }).waitFor();
      await page.getByRole('img', { name: /^Handoffs by type: .*Triage to engagement 3/ }).waitFor();
      await page.getByRole('img', { name: /^Processing time per agent/ }).waitFor();
      expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(5);
      const agents = page.getByRole('table', { name: 'Throughput and processing time per agent' });
      await expect.poll(() => agents.getByRole('row', { name: /triage 3/ }).count()).toBe(1);
      const recent = page.getByRole('table', { name: 'Recent handoffs' });
      for (const leadId of leads) await recent.getByRole('link', { name: leadId }).waitFor();
      await expectPageSound(dashboard, 'handoffs-laptop');

      // Live: a lead processed elsewhere shows up without a reload.
      const another = await processLead('TECHNOLOGY');
      await recent.getByRole('link', { name: another }).waitFor();
      await expect.poll(() => outcome.locator('.stat-value').first().textContent()).toBe('4');

      // Filters narrow the list: no escalation happened.
      await page.getByLabel('Handoff type').selectOption('MANAGER_ESCALATION');
      await page.getByText('No handoff matches').waitFor();
      await page.getByLabel('Handoff type').selectOption('');
      await recent.getByRole('link', { name: another }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/leads/${another}`);
    } finally {
      await dashboard.close();
    }
  });

  it('changes the window: the last hour keeps them, a fixed window in the past has none', async () => {
    const dashboard = await openDashboard(baton, ['viewer']);
    try {
      const { page } = dashboard;
      await dashboard.open('/handoffs');
      await page.getByRole('region', { name: 'Outcome' }).waitFor();
      await page.getByLabel('Show').selectOption('hour');
      await page.getByRole('img', { name: /^Handoffs by trigger: .*Task completion 4/ }).waitFor();
      await page.getByLabel('Show').selectOption('week');
      await page.getByRole('img', { name: /^Handoffs by trigger: .*Task completion 4/ }).waitFor();
      await page.getByLabel('Show').selectOption('custom');
      await page.getByLabel('Since').fill('2001-01-01T00:00');
      await page.getByLabel('Until').fill('2001-01-02T00:00');
      await page.getByText('No handoffs in this window').waitFor();
      await expectPageSound(dashboard, 'handoffs-past-window');
      // Since after until: the API's message, said plainly.
      await page.getByLabel('Since').fill('2001-01-03T00:00');
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/since.*before until|before until/i);
    } finally {
      await dashboard.close();
    }
  });

  it('reads well at a tablet width', async () => {
    const dashboard = await openDashboard(baton, ['manager'], { viewport: TABLET });
    try {
      const { page } = dashboard;
      await dashboard.open('/handoffs');
      await page.getByRole('img', { name: /^Handoffs by type/ }).waitFor();
      await expectPageSound(dashboard, 'handoffs-tablet');
    } finally {
      await dashboard.close();
    }
  });
});
