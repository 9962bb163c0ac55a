// The escalation queue in Chromium: a campaign review that breaches its ROAS floor
// escalates (through the real API); a manager sees it with its reason and the
// review's evidence, a new one appears live, and the manager approves one, and
// reassigns (it stays open, for the one it went to) then rejects another, from the
// queue with the real resolveEscalation mutation; the API then says so. A viewer reads the queue without any action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, losingWeeks } from '../../support/campaign-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { CHROMIUM, expectPageSound, HAS_CHROMIUM, openDashboard, TABLET } from './support/dashboard-browser.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(async () => {
  await baton?.stop();
});

/** A campaign losing money week after week, reviewed: its breach escalates to a manager. */
async function seedEscalation(): Promise<{ campaignId: string; escalationId: string }> {
  const campaignId = await createCampaign(baton, losingWeeks());
  const { body } = await baton.graphql<{ optimizeCampaign: { escalation: { id: string } | null } }, { campaignId: string }>(
    'mutation Review($campaignId: ID!) { optimizeCampaign(campaignId: $campaignId) { ... on OptimizationResult { escalation { id } } } }',
    { campaignId },
  );
  expect(body.errors).toBeUndefined();
  return { campaignId, escalationId: body.data!.optimizeCampaign.escalation!.id };
}

async function decision(id: string) {
  const { body } = await baton.graphql<
    { handoff: { status: string; resolution: string | null; resolvedBy: string | null; resolutionNote: string | null } },
    { id: string }
  >('query Decided($id: ID!) { handoff(id: $id) { status resolution resolvedBy resolutionNote } }', { id });
  expect(body.errors).toBeUndefined();
  return body.data!.handoff;
}

describe.skipIf(!HAS_CHROMIUM)(`the escalation queue, in Chromium (needs ${CHROMIUM})`, () => {
  it('a manager sees the reason and evidence, a new escalation live, and decides from the queue', async () => {
    const first = await seedEscalation();
    const dashboard = await openDashboard(baton, ['manager']);
    try {
      const { page } = dashboard;
      await dashboard.open('/escalations');
      const card = page.getByRole('article').filter({ hasText: first.escalationId });
      await card.waitFor();
      await expect.poll(() => card.locator('p', { hasText: 'Reason:' }).textContent()).toMatch(/Reason: ROAS .* below the floor/);
      // The review that raised it, with its breach and the evidence behind it.
      await card.getByText(/Review of Autumn push/).waitFor();
      await card.getByText(/Evidence for the ROAS breach/).click();
      await card.getByRole('table', { name: 'Evidence for the ROAS breach' }).waitFor();
      await expectPageSound(dashboard, 'escalations-manager');

      // Live: an escalation raised while the page is open appears without a reload.
      const second = await seedEscalation();
      await page.getByRole('article').filter({ hasText: second.escalationId }).waitFor();

      await card.getByLabel('Note for the record (optional)').fill('Pause social, keep search');
      await card.getByRole('button', { name: 'Approve' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Approved escalation ${first.escalationId}` })
        .waitFor();
      await expect.poll(() => page.getByRole('article').filter({ hasText: first.escalationId }).count()).toBe(0);
      expect(await decision(first.escalationId)).toMatchObject({
        status: 'COMPLETED',
        resolution: 'APPROVED',
        resolvedBy: 'test-manager',
        resolutionNote: 'Pause social, keep search',
      });
      await expectPageSound(dashboard, 'escalations-approved');

      // Reassigning needs someone to hand the decision to: said plainly, nothing sent.
      const other = page.getByRole('article').filter({ hasText: second.escalationId });
      await other.getByRole('button', { name: 'Reassign' }).click();
      await other.getByRole('alert').filter({ hasText: 'Reassign to' }).waitFor();
      expect((await decision(second.escalationId)).resolution).toBeNull();
      await other.getByLabel('Reassign to').fill('cmo');
      await other.getByRole('button', { name: 'Reassign' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Reassigned escalation ${second.escalationId} to cmo` })
        .waitFor();
      // Reassigned, it stays open for the one it went to, and says so.
      await other.getByText(/Reassigned to cmo by test-manager/).waitFor();
      expect(await decision(second.escalationId)).toMatchObject({ status: 'ESCALATED', resolution: 'REASSIGNED', resolvedBy: 'test-manager' });
      await expectPageSound(dashboard, 'escalations-reassigned');
      await other.getByRole('button', { name: 'Reject' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Rejected escalation ${second.escalationId}` })
        .waitFor();
      await expect.poll(() => page.getByRole('article').filter({ hasText: second.escalationId }).count()).toBe(0);
      expect(await decision(second.escalationId)).toMatchObject({ resolution: 'REJECTED', resolvedBy: 'test-manager' });
      await expectPageSound(dashboard, 'escalations-rejected');
    } finally {
      await dashboard.close();
    }
  });

  it('a viewer reads the queue, at a tablet width, with no action to take', async () => {
    const { escalationId } = await seedEscalation();
    const dashboard = await openDashboard(baton, ['viewer'], { viewport: TABLET });
    try {
      const { page } = dashboard;
      await dashboard.open('/escalations');
      const card = page.getByRole('article').filter({ hasText: escalationId });
      await card.waitFor();
      await page.getByText('Managers and admins decide escalations; you can read them.').waitFor();
      await card.getByText(/Review of Autumn push/).waitFor();
      expect(await page.getByRole('button', { name: /Approve|Reject|Reassign/ }).count()).toBe(0);
      expect(await page.getByLabel('Reassign to').count()).toBe(0);
      await expectPageSound(dashboard, 'escalations-viewer-tablet');
    } finally {
      await dashboard.close();
    }
  });
});
