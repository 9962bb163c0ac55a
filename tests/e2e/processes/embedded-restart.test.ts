// The embedded database (PGlite, nothing installed) is durable across a crash:
// one `node dist/main.js` on a DATA_DIR takes leads with `Prefer: respond-async`
// and is killed with SIGKILL right after acknowledging them (202), while its
// in-process workers are still on them. Every acknowledged lead is on disk, and
// once the process starts again on the same DATA_DIR its queue (the "QueuedJob"
// rows) resumes every flow: each settles, with one touchpoint.
//
// No DATABASE_URL or REDIS_URL reaches the process, so this runs in every pass.
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { uniqueLeadId } from '../../support/test-app.js';
import { createPgliteDatabase, type TestDatabase } from '../../support/test-database.js';
import { ingestProfitableWeek } from '../support/campaign-week.js';
import { apiClient, type ApiClient } from '../support/api-client.js';
import { batonFleet, type BatonFleet } from '../support/baton-process.js';

const LEADS = 8;
const CLEAN_EXIT = { code: 0, signal: null };

interface LeadFlow {
  lead_id: string;
  status: 'in_progress' | 'completed' | 'failed' | 'escalated';
  success: boolean;
}

describe('the embedded database, its process killed with SIGKILL mid-flow', () => {
  let database: TestDatabase;
  let fleet: BatonFleet;

  beforeAll(async () => {
    // A copy of the migrated template, as every test database: the crash and the
    // restart are the subject here, not a first start from nothing (initdb).
    database = await createPgliteDatabase();
    fleet = batonFleet(database.env);
  });

  afterAll(async () => {
    await fleet?.killAll();
    await database?.drop();
  });

  const flowOf = async (client: ApiClient, leadId: string) => (await (await client.rest('GET', `/api/v1/leads/${leadId}`)).json()) as LeadFlow;

  it('resumes every acknowledged flow after a restart on the same DATA_DIR, and sends one touchpoint per lead', async () => {
    onTestFailed(() => console.error(fleet.logs()));
    // One job at a time, so the process is still working when it is killed.
    const first = await fleet.start('embedded', { WORKER_CONCURRENCY: '1' });
    const before = await apiClient(first.url);
    const campaignId = `camp-${uniqueLeadId()}`;
    await before.graphql('mutation ($input: CampaignInput!) { createCampaign(input: $input) { id } }', {
      input: { id: campaignId, name: 'Crash and restart', budgetUsd: 50_000 },
    });
    await ingestProfitableWeek(before, campaignId);
    const leadIds = Array.from({ length: LEADS }, () => uniqueLeadId('embedded-kill'));
    const answers = await Promise.all(
      leadIds.map((leadId) =>
        before.rest(
          'POST',
          '/api/v1/leads',
          {
            lead_data: {
              lead_id: leadId,
              industry: 'Healthcare',
              company_size: 'Enterprise',
              persona: 'Decision Maker',
              email: `${leadId}@example.com`,
              campaign_id: campaignId,
            },
          },
          { prefer: 'respond-async' },
        ),
      ),
    );
    expect(await first.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(answers.map((answer) => answer.status)).toEqual(leadIds.map(() => 202));

    // Back up as the API alone (no workers): every acknowledged lead is there, and the kill caught flows in progress.
    const reader = await fleet.start('embedded, API only', { BATON_ROLES: 'api' });
    const readBack = await apiClient(reader.url);
    const stranded = await Promise.all(leadIds.map((leadId) => flowOf(readBack, leadId)));
    expect(stranded.map((flow) => flow.lead_id)).toEqual(leadIds);
    expect(stranded.filter((flow) => flow.status === 'in_progress').length).toBeGreaterThan(0);
    expect(await reader.stop()).toEqual(CLEAN_EXIT);

    // Back up with every role: the queue resumes the flows the kill interrupted.
    const restarted = await fleet.start('embedded, restarted', {});
    const after = await apiClient(restarted.url);
    for (const leadId of leadIds) {
      await vi.waitFor(async () => expect(await flowOf(after, leadId)).toMatchObject({ status: 'completed', success: true }), {
        timeout: 30_000,
        interval: 50,
      });
      // The touchpoint is recorded when the delivery worker sends it (to the local mailbox), just after the flow settles.
      const lead = await vi.waitFor(
        async () => {
          const { lead } = await after.graphql<{ lead: { interactions: { type: string }[]; handoffs: { type: string; status: string }[] } }>(
            'query ($id: ID!) { lead(id: $id) { interactions { type } handoffs { type status } } }',
            { id: leadId },
          );
          expect(
            lead.interactions.filter((interaction) => interaction.type === 'TOUCHPOINT_SENT'),
            leadId,
          ).toHaveLength(1);
          return lead;
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(lead.handoffs.map(({ type, status }) => `${type} ${status}`).sort(), leadId).toEqual([
        'ENGAGEMENT_TO_OPTIMIZATION COMPLETED',
        'TRIAGE_TO_ENGAGEMENT COMPLETED',
      ]);
    }
    expect(await restarted.stop()).toEqual(CLEAN_EXIT);
  }, 90_000);
});
