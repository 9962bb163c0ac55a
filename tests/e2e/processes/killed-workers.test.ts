// A worker process killed with SIGKILL in the middle of a step loses nothing and
// does nothing twice. The API and the agents run as separate `node dist/main.js`
// processes on one PostgreSQL database. The test stops a worker inside its step
// with no hook in the product: its own transaction holds the row the step must
// lock (the lead, for engagement's work; the flow, for triage), so the worker's
// transaction waits on it, as pg_stat_activity shows. Then the worker is killed,
// the lock let go (the dead worker's transaction rolls back), and a new worker
// of the same role started: the stale-worker sweep hands the dead worker's job
// back (WORKER_HEARTBEAT_S=1: within about three seconds) and the new worker
// finishes the flow, once.
//
// Needs PostgreSQL (graphile-worker, several processes): it runs in CI's
// PostgreSQL pass, with DATABASE_URL set, and is skipped otherwise.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished, vi } from 'vitest';
import { uniqueLeadId } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { ingestProfitableWeek } from '../support/campaign-week.js';
import { apiClient, type ApiClient } from '../support/api-client.js';
import { batonFleet, type BatonFleet, type BatonProcess } from '../support/baton-process.js';
import { postgresProbe, type PostgresProbe } from '../support/postgres-probe.js';

const POSTGRES = process.env.DATABASE_URL;
if (!POSTGRES) console.warn("tests/e2e/processes/killed-workers.test.ts: skipped, it needs DATABASE_URL (it runs in CI's PostgreSQL pass)");

const CLEAN_EXIT = { code: 0, signal: null };
const ENGAGEMENT_STATES = ['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED'];
/** Time for a flow to settle after a kill: the sweep's three heartbeats, a poll, the work. */
const SETTLE = { timeout: 30_000, interval: 50 };

describe.runIf(POSTGRES)('a worker killed with SIGKILL mid-step', () => {
  let database: TestDatabase;
  let dataDir: string;
  let fleet: BatonFleet;
  let probe: PostgresProbe;
  let client: ApiClient;
  let campaignId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'baton-kill-'));
    fleet = batonFleet({ ...database.env, DATA_DIR: dataDir, REDIS_KEY_PREFIX: `baton-kill-${randomBytes(4).toString('hex')}:`, WORKER_HEARTBEAT_S: '1' });
    // The API and the campaign reviewer stay up throughout; each test starts the workers it kills.
    const api = await fleet.start('api', { BATON_ROLES: 'api' });
    await fleet.start('optimization', { BATON_ROLES: 'optimization' });
    probe = await postgresProbe(database.env.DATABASE_URL!);
    client = await apiClient(api.url);
    campaignId = `camp-${uniqueLeadId()}`;
    await client.graphql('mutation ($input: CampaignInput!) { createCampaign(input: $input) { id } }', {
      input: { id: campaignId, name: 'Killed workers', budgetUsd: 50_000 },
    });
    await ingestProfitableWeek(client, campaignId);
  }, 60_000);

  afterAll(async () => {
    await fleet?.killAll();
    await probe?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** A worker for this test only: whatever the test's outcome, it is gone before the next test starts. */
  async function startWorker(name: string, roles: string): Promise<BatonProcess> {
    const worker = await fleet.start(name, { BATON_ROLES: roles });
    onTestFinished(async () => {
      await worker.kill();
    });
    return worker;
  }

  /** POST /api/v1/leads without waiting (Prefer: respond-async): 202 and the flow's id. */
  async function submit(leadId: string): Promise<string> {
    const response = await client.rest(
      'POST',
      '/api/v1/leads',
      {
        lead_data: {
          lead_id: leadId,
          industry: 'Technology',
          company_size: 'Enterprise',
          persona: 'Decision Maker',
          source: 'webinar',
          email: 'cto@example.com',
          campaign_id: campaignId,
        },
      },
      { prefer: 'respond-async' },
    );
    expect(response.status).toBe(202);
    return ((await response.json()) as { flow_id: string }).flow_id;
  }

  /** Kills `worker` with SIGKILL, then lets go of the lock it waits on: its transaction dies with its connection. */
  async function killWhileWaiting(worker: BatonProcess, lock: { release(): Promise<void> }): Promise<void> {
    expect(await worker.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    await lock.release();
  }

  /** The flow through the API's REST door, once it settled. */
  async function untilSettled(leadId: string): Promise<{ status: string; success: boolean; handoff_ids: string[] }> {
    return vi.waitFor(async () => {
      const response = await client.rest('GET', `/api/v1/leads/${leadId}`);
      const flow = (await response.json()) as { status: string; success: boolean; handoff_ids: string[] };
      expect(flow.status).not.toBe('in_progress');
      return flow;
    }, SETTLE);
  }

  /** What the lead's flow left behind, read from the database: to count effects, not just statuses. */
  async function effects(leadId: string) {
    const handoffs = await probe.query<{
      id: string;
      type: string;
      status: string;
      attempts: number;
      result: { touchpointId: string; nextActions: unknown[] };
    }>(`SELECT "id", "type", "status", "attempts", "result" FROM "Handoff" WHERE "leadId" = $1 ORDER BY "createdAt"`, [leadId]);
    const events = await probe.query<{ handoffId: string; sequence: number; status: string; occurredAt: Date }>(
      `SELECT e."handoffId", e."sequence", e."status", e."occurredAt" FROM "HandoffEvent" e JOIN "Handoff" h ON h."id" = e."handoffId"
       WHERE h."leadId" = $1 ORDER BY e."handoffId", e."sequence"`,
      [leadId],
    );
    const touchpoints = await probe.query<{ id: string }>(`SELECT "id" FROM "Interaction" WHERE "leadId" = $1 AND "type" = 'TOUCHPOINT_SENT'`, [leadId]);
    const outbox = await probe.query<{ id: string; interactionId: string | null; status: string }>(
      `SELECT "id", "interactionId", "status" FROM "OutboundMessage" WHERE "leadId" = $1`,
      [leadId],
    );
    const [profile] = await probe.query<{ scoreHistory: unknown[] }>(`SELECT "scoreHistory" FROM "LeadProfile" WHERE "leadId" = $1`, [leadId]);
    const flows = await probe.query<{ status: string }>(`SELECT "status" FROM "LeadFlow" WHERE "leadId" = $1`, [leadId]);
    const statesOf = (handoffId: string) => events.filter((event) => event.handoffId === handoffId);
    return { handoffs, statesOf, touchpoints, outbox, scoreHistory: profile?.scoreHistory ?? [], flows };
  }

  /** Everything the flow should have done, each exactly once. */
  async function expectDoneOnce(leadId: string, flowId: string) {
    const { handoffs, statesOf, touchpoints, outbox, scoreHistory, flows } = await effects(leadId);
    expect(flows).toEqual([{ status: 'COMPLETED' }]);
    // Triaged once: one verdict in the lead's score history, one handoff to engagement.
    expect(scoreHistory).toHaveLength(1);
    expect(handoffs.map(({ type, status }) => [type, status])).toEqual([
      ['TRIAGE_TO_ENGAGEMENT', 'COMPLETED'],
      ['ENGAGEMENT_TO_OPTIMIZATION', 'COMPLETED'],
    ]);
    const [engagement, optimization] = handoffs as [(typeof handoffs)[0], (typeof handoffs)[0]];
    // Each state once, in order, in time.
    for (const handoff of handoffs) {
      const states = statesOf(handoff.id);
      expect(states.map((state) => state.sequence)).toEqual(states.map((_, index) => index + 1));
      const times = states.map((state) => state.occurredAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    expect(statesOf(engagement.id).map((state) => state.status)).toEqual(ENGAGEMENT_STATES);
    expect(statesOf(optimization.id).map((state) => state.status)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED']);
    // One plan in the outbox: the first step (the touchpoint's id) and one row per follow-up, nothing cancelled.
    // Issue 14: engagement sends nothing itself and no delivery process runs here, so nothing is recorded as
    // sent: every step waits SCHEDULED, with its delivery job.
    expect(touchpoints).toEqual([]);
    expect(outbox).toHaveLength(1 + engagement.result.nextActions.length);
    expect(outbox.map((message) => message.id)).toContain(engagement.result.touchpointId);
    expect(outbox.every((message) => message.status === 'SCHEDULED' && message.interactionId === null)).toBe(true);
    const [deliveries] = await probe.query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM graphile_worker.jobs WHERE "task_identifier" = 'delivery' AND "key" = ANY($1::text[])`,
      [outbox.map((message) => `delivery:${message.id}`)],
    );
    expect(deliveries!.count).toBe(outbox.length);
    // Nothing else left on the queues, once the last job's completion (batched, just after the flow settled) is recorded;
    // but the re-encryption run every agent process schedules 5 minutes after its start (src/privacy/re-encryption-schedule.ts).
    await vi.waitFor(
      async () =>
        expect(await probe.query(`SELECT "task_identifier" FROM graphile_worker.jobs WHERE "task_identifier" NOT IN ('delivery', 'reencryption')`)).toEqual([]),
      SETTLE,
    );
    const { leadFlow } = await client.graphql<{ leadFlow: { status: string; success: boolean } }>('query ($id: ID!) { leadFlow(id: $id) { status success } }', {
      id: flowId,
    });
    expect(leadFlow).toEqual({ status: 'COMPLETED', success: true });
    return { engagement, optimization };
  }

  it('engagement killed inside its work step: the work is retried by the next engagement worker and sends one touchpoint', async () => {
    onTestFailed(() => console.error(fleet.logs()));
    const leadId = uniqueLeadId('kill-engagement');
    const triage = await startWorker('triage', 'triage');
    const flowId = await submit(leadId);
    // Triaged and handed over, with no engagement worker yet to take it.
    await vi.waitFor(async () => {
      const [handoff] = await probe.query<{ status: string }>(`SELECT "status" FROM "Handoff" WHERE "leadId" = $1`, [leadId]);
      expect(handoff?.status).toBe('CONTEXT_BUILT');
    }, SETTLE);

    // Engagement's work step locks the lead (to serialize its contact decisions): held here, it waits.
    const lock = await probe.holdRowLock('Lead', leadId);
    const doomed = await startWorker('engagement #1', 'engagement');
    await probe.untilWaitingOnLock('FROM "Lead"', 'FOR UPDATE');
    // It passed the gate (committed) and is inside the work step's transaction: IN_PROGRESS, attempt 1.
    const [inFlight] = await probe.query<{ status: string; attempts: number }>(`SELECT "status", "attempts" FROM "Handoff" WHERE "leadId" = $1`, [leadId]);
    expect(inFlight).toEqual({ status: 'IN_PROGRESS', attempts: 1 });
    await killWhileWaiting(doomed, lock);

    const successor = await startWorker('engagement #2', 'engagement');
    const flow = await untilSettled(leadId);
    expect(flow).toMatchObject({ status: 'completed', success: true });
    const { engagement } = await expectDoneOnce(leadId, flowId);
    // The job came back to the queue from the dead worker and ran a second time, in the successor.
    expect(engagement.attempts).toBe(2);
    await vi.waitFor(() => expect(fleet.logs()).toContain('handed back the jobs of workers that stopped answering'), SETTLE);
    const { handoffAnalytics } = await client.graphql<{ handoffAnalytics: { retriedHandoffs: number } }>('{ handoffAnalytics { retriedHandoffs } }');
    expect(handoffAnalytics.retriedHandoffs).toBe(1);
    // Workers drain and exit 0 on SIGTERM.
    expect(await Promise.all([triage.stop(), successor.stop()])).toEqual([CLEAN_EXIT, CLEAN_EXIT]);
  }, 60_000);

  it('triage killed inside its step: the lead is triaged once by the next triage worker and its flow settles once', async () => {
    onTestFailed(() => console.error(fleet.logs()));
    const leadId = uniqueLeadId('kill-triage');
    const engagement = await startWorker('engagement', 'engagement');
    const flowId = await submit(leadId);

    // Triage's step locks the flow (so a retry never triages twice): held here, it waits.
    const lock = await probe.holdRowLock('LeadFlow', flowId);
    const doomed = await startWorker('triage #1', 'triage');
    await probe.untilWaitingOnLock('FROM "LeadFlow"', 'FOR UPDATE');
    await killWhileWaiting(doomed, lock);
    // Nothing of the killed step committed.
    expect(await probe.query(`SELECT "id" FROM "Handoff" WHERE "leadId" = $1`, [leadId])).toEqual([]);

    const successor = await startWorker('triage #2', 'triage');
    const flow = await untilSettled(leadId);
    expect(flow).toMatchObject({ status: 'completed', success: true });
    await expectDoneOnce(leadId, flowId);
    expect(await Promise.all([engagement.stop(), successor.stop()])).toEqual([CLEAN_EXIT, CLEAN_EXIT]);
  }, 60_000);
});
