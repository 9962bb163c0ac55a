// Live progress, not a replay: a graphql-ws subscriber to handoffProgress gets a
// flow's states in order, each step's as that step commits, spread over the time
// the agents work, not in one burst once the flow is done. The test holds the
// work at a step boundary and looks at what the subscriber has by then: the
// engagement job in its queue (after triage), and on PostgreSQL also the work
// step, held on the lead's row from a connection of the test's own (the embedded
// database has one connection: nothing can hold a row there without holding everything).
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { HandoffProgressDocument, type HandoffProgressSubscription } from '../../__generated__/graphql.js';
import { untilSubscribed } from '../../support/live-subscriptions.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
let client: Client;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  client = createClient({
    url: `${baton.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${await baton.token('viewer')}` },
  });
});
afterAll(async () => {
  await client?.dispose();
  await baton?.stop();
});

type Event = HandoffProgressSubscription['handoffProgress'];
interface Arrival {
  event: Event;
  /** When the subscriber got it, in milliseconds (performance.now(): finer than occurredAt's). */
  at: number;
  /** The same instant by the wall clock occurredAt is stamped with (the server's: one process). */
  receivedAt: number;
}

const PROCESS_LEAD = 'mutation ($input: LeadInput!) { processLead(input: $input, wait: false) { flowId status } }';
const WAIT = { timeout: 15_000, interval: 10 };

/** Subscribes to `leadId`'s handoff progress over graphql-ws; resolves once the server listens. */
async function follow(leadId: string) {
  const arrivals: Arrival[] = [];
  let failure: unknown;
  const unsubscribe = client.subscribe<HandoffProgressSubscription>(
    { query: String(HandoffProgressDocument), variables: { leadId } },
    {
      next: ({ data, errors }) => {
        if (errors) failure = errors;
        else arrivals.push({ event: data!.handoffProgress, at: performance.now(), receivedAt: Date.now() });
      },
      error: (error) => {
        failure = error;
      },
      complete: () => {},
    },
  );
  await untilSubscribed(baton, { transport: 'graphql_ws', event: 'handoff:progress' });
  const statuses = () => arrivals.map((arrival) => arrival.event.status);
  return {
    arrivals,
    statuses,
    /** Resolves once the subscriber has had `count` events. */
    async until(count: number) {
      await vi.waitFor(() => {
        expect(failure).toBeUndefined();
        expect(arrivals.length).toBeGreaterThanOrEqual(count);
      }, WAIT);
    },
    arrivalOf: (status: string) => arrivals.find((arrival) => arrival.event.status === status)!,
    unsubscribe,
  };
}

/**
 * Until released, a job added to the engagement queue waits there, an hour ahead,
 * as if no engagement worker were free: the flow stops after triage.
 */
async function holdEngagementJobs() {
  const prisma = baton.app.database.prisma;
  const inProcess = baton.app.jobs.backend === 'in-process';
  const [table, isEngagement, runAt] = inProcess
    ? ['"QueuedJob"', `NEW."queue" = 'engagement'`, '"runAt"']
    : ['graphile_worker._private_jobs', `NEW.task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'engagement')`, 'run_at'];
  await prisma.$executeRawUnsafe(`
    CREATE FUNCTION hold_engagement() RETURNS trigger AS $$
    BEGIN IF ${isEngagement} THEN NEW.${runAt} := now() + interval '1 hour'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
  await prisma.$executeRawUnsafe(`CREATE TRIGGER hold_engagement BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION hold_engagement()`);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await prisma.$executeRawUnsafe(`DROP TRIGGER hold_engagement ON ${table}`);
      await prisma.$executeRawUnsafe('DROP FUNCTION hold_engagement()');
      if (inProcess) {
        await prisma.$executeRaw`UPDATE "QueuedJob" SET "runAt" = now() WHERE "queue" = 'engagement'`;
        // The in-process queue wakes on its channel; graphile-worker finds the job at its next poll.
        await prisma.$executeRaw`SELECT pg_notify('baton_jobs', 'engagement')`;
      } else {
        await prisma.$executeRawUnsafe(`
          UPDATE graphile_worker._private_jobs SET run_at = now()
          WHERE task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'engagement')`);
      }
    },
  };
}

/** PostgreSQL only: the lead's row locked FOR UPDATE from a connection of the test's own, until released. */
async function lockLeadRow(leadId: string) {
  const connection = new pg.Client({ connectionString: baton.database.env.DATABASE_URL });
  await connection.connect();
  await connection.query('BEGIN');
  const { rowCount } = await connection.query('SELECT 1 FROM "Lead" WHERE "id" = $1 FOR UPDATE', [leadId]);
  expect(rowCount, "the lead's row to lock").toBe(1);
  return {
    /** Sessions waiting for this connection's locks: the work step, once it reached the lead's row. */
    async waiting(): Promise<number> {
      // Inside a transaction PostgreSQL lists pg_stat_activity's sessions once and
      // keeps that list until the transaction ends (only their wait columns stay
      // live), and this connection's transaction is the one holding the lock: the
      // work step, on a pool connection opened after the first look, would stay
      // out of the list, and the count 0, however long it waited.
      await connection.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await connection.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))',
      );
      return rows[0]!.n;
    },
    async release() {
      await connection.query('COMMIT');
      await connection.end();
    },
  };
}

const TRIAGE_STEP = ['REQUESTED', 'CONTEXT_BUILT'];
const GATE_STEP = ['VALIDATED', 'ACCEPTED', 'IN_PROGRESS'];
const WORK_STEP = ['COMPLETED'];

describe('handoffProgress over graphql-ws', () => {
  it("delivers a flow's states in order, each step's as it commits, spread over the time the agents work", async () => {
    const leadId = uniqueLeadId('live');
    const progress = await follow(leadId);
    const heldJob = await holdEngagementJobs();
    let heldRow: Awaited<ReturnType<typeof lockLeadRow>> | undefined;
    try {
      const { body } = await baton.graphql<{ processLead: { flowId: string; status: string } }, object>(PROCESS_LEAD, {
        input: { leadId, industry: 'TECHNOLOGY', companySize: 'SMB', email: 'a.b@corp.example' },
      });
      expect(body.errors).toBeUndefined();
      expect(body.data!.processLead.status).toBe('IN_PROGRESS');

      // Triage committed: its events are here, while the engagement waits in its queue.
      await progress.until(TRIAGE_STEP.length);
      await vi.waitFor(async () => expect((await baton.app.jobs.depths()).find((depth) => depth.queue === 'engagement')!.scheduled).toBe(1), WAIT);
      expect(progress.statuses()).toEqual(TRIAGE_STEP);
      if (baton.database.kind === 'postgres') heldRow = await lockLeadRow(leadId);
      const engagementReleasedAt = Date.now();
      const triageArrived = performance.now();
      await heldJob.release();

      if (heldRow) {
        // The gate committed: its events are here, while the work step waits for the lead's row.
        await progress.until(TRIAGE_STEP.length + GATE_STEP.length);
        await vi.waitFor(async () => expect(await heldRow!.waiting()).toBeGreaterThan(0), WAIT);
        expect(progress.statuses()).toEqual([...TRIAGE_STEP, ...GATE_STEP]);
        const handoff = await baton.app.database.prisma.handoff.findFirstOrThrow({ where: { leadId } });
        expect(handoff.status).toBe('IN_PROGRESS');
      }
      const workReleasedAt = Date.now();
      const gateArrived = performance.now();
      await heldRow?.release();
      heldRow = undefined;

      await progress.until(TRIAGE_STEP.length + GATE_STEP.length + WORK_STEP.length);
      const stored = await baton.app.database.prisma.handoffEvent.findMany({ where: { handoff: { leadId } }, orderBy: { sequence: 'asc' } });
      const events = progress.arrivals.map((arrival) => arrival.event);
      // In order, each once, as committed: the stored history, with its timestamps.
      expect(events.map((event) => event.status)).toEqual([...TRIAGE_STEP, ...GATE_STEP, ...WORK_STEP]);
      expect(events.map((event) => [event.sequence, event.status, Date.parse(event.occurredAt)])).toEqual(
        stored.map((event) => [event.sequence, event.status, event.occurredAt.getTime()]),
      );
      const occurred = events.map((event) => Date.parse(event.occurredAt));
      expect(occurred).toEqual([...occurred].sort((a, b) => a - b));

      // Spread over time, not a burst: each step's events reached the subscriber before the next step began.
      const arrived = (status: string) => progress.arrivalOf(status).at;
      expect(arrived('CONTEXT_BUILT')).toBeLessThan(triageArrived);
      expect(Date.parse(progress.arrivalOf('VALIDATED').event.occurredAt)).toBeGreaterThanOrEqual(engagementReleasedAt);
      expect(arrived('VALIDATED')).toBeGreaterThan(arrived('CONTEXT_BUILT'));
      if (baton.database.kind === 'postgres') {
        expect(arrived('IN_PROGRESS')).toBeLessThan(gateArrived);
        expect(Date.parse(progress.arrivalOf('COMPLETED').event.occurredAt)).toBeGreaterThanOrEqual(workReleasedAt);
        expect(arrived('COMPLETED')).toBeGreaterThan(arrived('IN_PROGRESS'));
      } else {
        // Nothing holds the work here; still, the gate's events reached the subscriber before the work ended.
        expect(progress.arrivalOf('IN_PROGRESS').receivedAt).toBeLessThanOrEqual(Date.parse(progress.arrivalOf('COMPLETED').event.occurredAt));
        expect(arrived('COMPLETED')).toBeGreaterThan(arrived('IN_PROGRESS'));
      }
    } finally {
      progress.unsubscribe();
      await heldRow?.release();
      await heldJob.release();
    }
  });
});
