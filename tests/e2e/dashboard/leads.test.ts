// The Leads list and a lead's page in Chromium against a started Baton: a lead
// processed from the API appears in the list and its page's handoff timeline
// advances without a reload; the list sorts, filters and pages through the
// address (the back button undoes a filter); a viewer reads masked contact
// details and is offered no process form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadPath } from '../../../dashboard/src/routes.js';
import { processOneLeadPerCategory } from '../../support/lead-fixtures.js';
import { startTestApp, type TestApp, uniqueLeadId } from '../../support/test-app.js';
import { CHROMIUM, type DashboardSession, expectPageSound, HAS_CHROMIUM, openDashboard, TABLET } from './support/dashboard-browser.js';

const PROCESS_LATER = 'mutation ($input: LeadInput!) { processLead(input: $input, wait: false) { status } }';
const PROCESS = 'mutation ($input: LeadInput!) { processLead(input: $input) { status } }';

let baton: TestApp;
const tag = uniqueLeadId('src');
const pagingTag = uniqueLeadId('paging');
const personalLead = uniqueLeadId('pii');

async function process(document: string, input: Record<string, unknown>) {
  const { body } = await baton.graphql(document, { input });
  expect(body.errors).toBeUndefined();
}

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  await processOneLeadPerCategory(baton, tag);
  // One more than a page of the list (20), each settled before the tests start.
  await Promise.all(Array.from({ length: 21 }, () => process(PROCESS, { leadId: uniqueLeadId(), industry: 'FINANCE', companySize: 'SMB', source: pagingTag })));
  await process(PROCESS, {
    leadId: personalLead,
    industry: 'TECHNOLOGY',
    companySize: 'ENTERPRISE',
    persona: 'DECISION_MAKER',
    source: 'demo_request',
    email: 'jane.doe@acme.com',
    phone: '+44 20 7946 0958',
  });
});
afterAll(async () => {
  await baton?.stop();
});

/** Marks the document: still marked later means the page changed without a reload. */
async function markDocument(dashboard: DashboardSession): Promise<() => Promise<boolean>> {
  await dashboard.page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  return () => dashboard.page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true);
}

async function flowStatus(leadId: string): Promise<string | undefined> {
  const { body } = await baton.graphql<{ lead: { latestFlow: { status: string } | null } | null }, object>(
    'query ($id: ID!) { lead(id: $id) { latestFlow { status } } }',
    {
      id: leadId,
    },
  );
  return body.data?.lead?.latestFlow?.status;
}

const fitsWidth = (dashboard: DashboardSession) => dashboard.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

const search = (dashboard: DashboardSession) => new URL(dashboard.page.url()).searchParams;

describe.skipIf(!HAS_CHROMIUM)(`the leads pages, in Chromium (needs ${CHROMIUM})`, () => {
  it('shows a lead processed from the API in the list, and its timeline advancing, without a reload', async () => {
    const dashboard = await openDashboard(baton, ['admin']);
    try {
      const { page } = dashboard;
      await dashboard.open('/leads');
      await page.getByText('Process a lead').waitFor();
      await expectPageSound(dashboard, 'leads-admin');

      const sameDocument = await markDocument(dashboard);
      const listed = uniqueLeadId('live');
      await process(PROCESS_LATER, { leadId: listed, industry: 'HEALTHCARE', companySize: 'MID_MARKET', source: 'webinar' });
      await expect.poll(() => page.getByRole('link', { name: listed }).count()).toBe(1);
      expect(await sameDocument()).toBe(true);
      await expect.poll(() => flowStatus(listed), { timeout: 20_000 }).not.toBe('IN_PROGRESS');

      // The same from the page's own form.
      const fromForm = uniqueLeadId('form');
      await page.getByText('Process a lead').click();
      const form = page.getByRole('form', { name: 'Process a lead' });
      await form.getByLabel('Lead id').fill(fromForm);
      await form.getByLabel('Industry').selectOption('FINANCE');
      await form.getByLabel('Email').fill('lee@example.net');
      await form.getByRole('button', { name: 'Process lead' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Lead ${fromForm} is with the agents` })
        .waitFor();
      await expect.poll(() => page.getByRole('link', { name: fromForm }).count()).toBe(1);
      await expectPageSound(dashboard, 'leads-processed-from-form');
      await expect.poll(() => flowStatus(fromForm), { timeout: 20_000 }).not.toBe('IN_PROGRESS');

      // The lead's page, open before the lead is even submitted: it follows the flow from the first handoff on.
      const followed = uniqueLeadId('live');
      await dashboard.open(leadPath(followed));
      await page.getByText(`No lead with id ${followed}.`).waitFor();
      await expectPageSound(dashboard, 'lead-not-found');
      const stillSameDocument = await markDocument(dashboard);
      await process(PROCESS_LATER, {
        leadId: followed,
        industry: 'TECHNOLOGY',
        companySize: 'ENTERPRISE',
        persona: 'DECISION_MAKER',
        source: 'demo_request',
        email: 'sam@example.org',
      });
      await page.getByRole('heading', { name: `Lead ${followed}`, level: 1 }).waitFor();
      const statuses = page.getByRole('list', { name: 'Triage to engagement statuses' }).getByRole('listitem');
      await expect.poll(() => statuses.last().textContent(), { timeout: 20_000 }).toMatch(/^Completed/);
      const seen = (await statuses.allTextContents()).map((text) => text.split(' ')[0]);
      expect(seen[0]).toBe('Requested');
      expect(seen).toEqual(expect.arrayContaining(['Validated', 'Accepted', 'Completed']));
      expect(await stillSameDocument()).toBe(true);
      await expect.poll(() => page.getByText(/^Flow\s*Completed/).count()).toBe(1);

      // What the page shows of a scored, contacted lead; an admin reads contact details in clear.
      await expect.poll(() => page.getByRole('list', { name: 'What moved the score' }).getByRole('listitem').count()).toBeGreaterThan(0);
      await page.getByRole('table', { name: 'Touchpoints and their delivery' }).waitFor();
      await page.getByText('sam@example.org').first().waitFor();
      await expectPageSound(dashboard, 'lead-admin');
    } finally {
      await dashboard.close();
    }
  });

  it('sorts, filters and pages through the address, and the back button undoes a filter', async () => {
    const dashboard = await openDashboard(baton, ['operator']);
    try {
      const { page } = dashboard;
      await dashboard.open(`/leads?source=${tag}`);
      const status = page.getByRole('status').filter({ hasText: /leads? (in all|match)/ });
      await expect.poll(() => status.textContent()).toBe('3 leads match these filters');
      const scores = () => page.locator('tbody tr td:nth-child(2)').allTextContents();
      const filters = page.getByRole('form', { name: 'Filter leads' });

      await page.getByRole('button', { name: /^Score/ }).click();
      await expect.poll(() => search(dashboard).get('sort')).toBe('SCORE');
      await expect.poll(scores).toEqual(['86', '65', '17']);
      expect(await page.getByRole('columnheader', { name: /^Score/ }).getAttribute('aria-sort')).toBe('descending');
      await expectPageSound(dashboard, 'leads-sorted');

      await filters.getByLabel('Industry').selectOption('MANUFACTURING');
      await expect.poll(() => status.textContent()).toBe('1 lead matches these filters');
      expect(search(dashboard).get('industry')).toBe('MANUFACTURING');
      expect(search(dashboard).get('sort')).toBe('SCORE');
      await expect.poll(scores).toEqual(['17']);
      await filters.getByLabel('Persona').selectOption('INFLUENCER');
      await page.getByText('No lead matches these filters').waitFor();
      await expectPageSound(dashboard, 'leads-filtered-empty');

      await page.goBack();
      await page.goBack();
      await expect.poll(() => status.textContent()).toBe('3 leads match these filters');
      expect(await filters.getByLabel('Industry').inputValue()).toBe('');
      await filters.getByLabel('Score from').fill('50');
      await filters.getByLabel('Score to').fill('80');
      await filters.getByRole('button', { name: 'Apply filters' }).click();
      await expect.poll(() => status.textContent()).toBe('1 lead matches these filters');
      expect(await scores()).toEqual(['65']);
      expect([search(dashboard).get('scoreMin'), search(dashboard).get('scoreMax')]).toEqual(['50', '80']);

      await dashboard.open(`/leads?source=${pagingTag}`);
      await expect.poll(() => status.textContent()).toBe('21 leads match these filters');
      const rows = page.locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(20);
      const firstPage = await page.locator('tbody tr td:first-child').allTextContents();
      expect(await page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect.poll(() => rows.count()).toBe(1);
      expect(search(dashboard).get('after')).toBeTruthy();
      const lastLead = (await page.locator('tbody tr td:first-child').textContent())!;
      expect(firstPage).not.toContain(lastLead);
      expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
      await expectPageSound(dashboard, 'leads-second-page');
      await page.getByRole('button', { name: 'Previous page' }).click();
      await expect.poll(() => rows.count()).toBe(20);
      expect(await page.locator('tbody tr td:first-child').allTextContents()).toEqual(firstPage);
    } finally {
      await dashboard.close();
    }
  });

  it("shows a viewer the lead's contact details masked, similar past episodes, and no process form", async () => {
    // A like lead that converted, consolidated into an episode the page can show.
    const like = await baton.graphql<{ leads: { edges: { node: { id: string } }[] } }, object>(
      'query ($filter: LeadFilter) { leads(filter: $filter) { edges { node { id } } } }',
      { filter: { source: tag, persona: 'DECISION_MAKER' } },
    );
    const [converted] = like.body.data!.leads.edges.map((edge) => edge.node.id);
    for (const mutation of [
      `mutation { recordOutcome(leadId: "${converted}", outcome: CONVERTED) { __typename } }`,
      'mutation { consolidateMemory { __typename } }',
    ]) {
      const { body } = await baton.graphql(mutation);
      expect(body.errors).toBeUndefined();
    }
    const dashboard = await openDashboard(baton, ['viewer']);
    try {
      const { page } = dashboard;
      await dashboard.open('/leads');
      await page.getByRole('table').waitFor();
      expect(await page.getByText('Process a lead').count()).toBe(0);
      await expectPageSound(dashboard, 'leads-viewer');

      await dashboard.open(leadPath(personalLead));
      await page.getByText('j***@acme.com').first().waitFor();
      await page.getByText('+44 *** *** 58').first().waitFor();
      expect(await page.getByText('jane.doe', { exact: false }).count()).toBe(0);
      expect(await page.getByText('7946', { exact: false }).count()).toBe(0);
      const episodes = page.getByRole('table', { name: 'Similar past episodes, most similar first' });
      await episodes.getByText('Converted').first().waitFor();
      await expectPageSound(dashboard, 'lead-viewer');
    } finally {
      await dashboard.close();
    }
  });

  it('fits a tablet held upright', async () => {
    const dashboard = await openDashboard(baton, ['operator'], { viewport: TABLET });
    try {
      await dashboard.open(leadPath(personalLead));
      await dashboard.page.getByRole('heading', { name: 'Handoff timeline' }).waitFor();
      expect(await fitsWidth(dashboard)).toBe(true);
      await expectPageSound(dashboard, 'lead-tablet');
      await dashboard.open('/leads');
      await dashboard.page.getByRole('table').waitFor();
      // Wide tables scroll inside their own box; the page itself does not scroll sideways.
      expect(await fitsWidth(dashboard)).toBe(true);
      await expectPageSound(dashboard, 'leads-tablet');
    } finally {
      await dashboard.close();
    }
  });
});
