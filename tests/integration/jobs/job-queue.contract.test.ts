// The job queue contract (src/jobs/job-queue.ts), against each engine: the
// in-process executor on an embedded database always, graphile-worker when
// DATABASE_URL points at a PostgreSQL. What the agents rely on: a job exists
// exactly when the transaction that added it commits, waits for its run time,
// is retried with backoff and kept once out of attempts, is not duplicated under
// its key, is counted by depths(), is let finish by stop(), and is handed back
// when the worker holding it is gone.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { databaseTarget, openDatabase, type Database } from '../../../src/db/database.js';
import { createGraphileWorkerQueue } from '../../../src/jobs/graphile-worker-queue.js';
import { createInProcessQueue, retryDelayMs } from '../../../src/jobs/in-process-queue.js';
import { QUEUES, type JobContext, type JobHandler, type JobQueue, type JobSpec, type QueueDepth, type QueueName } from '../../../src/jobs/job-queue.js';
import { createLogger } from '../../../src/logger.js';
import { createPgliteDatabase, createTestDatabase, type TestDatabase } from '../../support/test-database.js';

/** A worker's heartbeat in these tests: a job held by a silent locker goes back after three (600 ms). */
const HEARTBEAT_MS = 200;
const SLOW = { timeout: 10_000, interval: 20 };

interface Engine {
  database: Database;
  /** A queue on the engine's database, not yet working. */
  open(): Promise<JobQueue>;
  /** Jobs still in the engine's table (done ones are deleted), readable after a queue stopped. */
  remaining(): Promise<number>;
  /** Empties the engine's table between tests. */
  clear(): Promise<void>;
  /** Marks a due job of `queue` as taken by a worker that then vanished: locked by `lockerId` since `lockedAgoMs` ago, one attempt spent. */
  lockAsDeadWorker(queue: QueueName, lockerId: string, lockedAgoMs: number): Promise<void>;
  /**
   * Whether another session may read while a transaction is open. PGlite is one
   * connection: everything else waits for the open transaction, so nothing can
   * even look at an uncommitted job there.
   */
  concurrentSessions: boolean;
  close(): Promise<void>;
}

async function inProcessEngine(): Promise<Engine> {
  const testDatabase = await createPgliteDatabase();
  const database = await openDatabase(databaseTarget(loadConfig(testDatabase.env)));
  return {
    database,
    open: async () => createInProcessQueue({ prisma: database.prisma, notifications: database.notifications, logger: silent }),
    remaining: async () => database.prisma.queuedJob.count(),
    clear: async () => void (await database.prisma.queuedJob.deleteMany()),
    async lockAsDeadWorker(queue, _lockerId, lockedAgoMs) {
      await database.prisma.$executeRaw`
        UPDATE "QueuedJob" SET "lockedAt" = now() - (${lockedAgoMs}::int * interval '1 millisecond'), "attempts" = "attempts" + 1
        WHERE "queue" = ${queue} AND "lockedAt" IS NULL`;
    },
    concurrentSessions: false,
    close: () => closeAll(database, testDatabase),
  };
}

async function graphileEngine(): Promise<Engine> {
  const testDatabase = await createTestDatabase();
  const database = await openDatabase(databaseTarget(loadConfig(testDatabase.env)));
  const databaseUrl = testDatabase.env.DATABASE_URL!;
  const open = () =>
    createGraphileWorkerQueue({ databaseUrl, serverId: `test-${randomBytes(3).toString('hex')}`, logger: silent, heartbeatMs: HEARTBEAT_MS, concurrency: 4 });
  // graphile-worker installs its schema when a queue is first opened, and a queue's name when its first job is
  // added: a first job added in a transaction held open would make every other adder wait on that name's row.
  const setup = await open();
  for (const queue of QUEUES) await database.prisma.$transaction((tx) => setup.enqueue(tx, [{ queue, payload: {} }]));
  await setup.stop();
  return {
    database,
    open,
    remaining: async () => Number((await database.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs`)[0]!.n),
    async clear() {
      await database.prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
      await database.prisma.$executeRaw`DELETE FROM "WorkerHeartbeat"`;
    },
    async lockAsDeadWorker(queue, lockerId, lockedAgoMs) {
      // What graphile-worker's own fetch leaves on a job it took: its locker, the time, an attempt spent.
      await database.prisma.$executeRaw`
        UPDATE graphile_worker._private_jobs AS jobs
        SET locked_by = ${lockerId}, locked_at = now() - (${lockedAgoMs}::int * interval '1 millisecond'), attempts = attempts + 1
        FROM graphile_worker._private_tasks AS tasks
        WHERE tasks.id = jobs.task_id AND tasks.identifier = ${queue} AND jobs.locked_at IS NULL`;
    },
    concurrentSessions: true,
    close: () => closeAll(database, testDatabase),
  };
}

const silent = createLogger('silent', 'job-queue-test');

async function closeAll(database: Database, testDatabase: TestDatabase): Promise<void> {
  await database.close();
  await testDatabase.drop();
}

/** A handler that records each try: its payload, its JobContext and when it started. */
function recorder(behaviour: (payload: Record<string, unknown>, job: JobContext) => Promise<void> = async () => {}) {
  const runs: { payload: Record<string, unknown>; job: JobContext; at: number }[] = [];
  const handler: JobHandler = async (payload, job) => {
    runs.push({ payload, job, at: Date.now() });
    await behaviour(payload, job);
  };
  const ran = (n: number) => runs.filter((run) => run.payload.n === n);
  return { runs, handler, ran };
}

/** A promise the test settles by hand. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const depthOf = async (queue: JobQueue, name: QueueName): Promise<Omit<QueueDepth, 'queue' | 'oldestReadyAgeSeconds'>> => {
  const { ready, scheduled, running, failed } = (await queue.depths()).find((entry) => entry.queue === name)!;
  return { ready, scheduled, running, failed };
};
const EMPTY = { ready: 0, scheduled: 0, running: 0, failed: 0 };

function contract(name: string, start: () => Promise<Engine>) {
  describe(`JobQueue contract: ${name}`, () => {
    let engine: Engine;
    const opened: JobQueue[] = [];
    /** A queue of this test's, stopped after it. */
    async function queue(): Promise<JobQueue> {
      const fresh = await engine.open();
      opened.push(fresh);
      return fresh;
    }
    const enqueue = (into: JobQueue, spec: JobSpec) => engine.database.prisma.$transaction((tx) => into.enqueue(tx, [spec]));

    beforeAll(async () => {
      engine = await start();
    });
    afterAll(() => engine?.close());
    beforeEach(() => engine.clear());
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((each) => each.stop()));
    });

    it('runs a job added inside a transaction once that transaction commits, and not before', async () => {
      const jobs = await queue();
      const { ran, handler } = recorder();
      await jobs.work({ triage: handler }, { concurrency: 2 });
      await engine.database.prisma.$transaction(async (tx) => {
        await jobs.enqueue(tx, [{ queue: 'triage', payload: { n: 1 } }]);
        if (engine.concurrentSessions) {
          // A job committed meanwhile runs; the one in this open transaction does not.
          await enqueue(jobs, { queue: 'triage', payload: { n: 2 } });
          await vi.waitFor(() => expect(ran(2)).toHaveLength(1), SLOW);
        }
        expect(ran(1)).toEqual([]);
      });
      await vi.waitFor(() => expect(ran(1)).toHaveLength(1), SLOW);
      expect(ran(1)[0]!.job).toMatchObject({ attempt: 1, maxAttempts: 10 });
      await vi.waitFor(async () => expect(await engine.remaining()).toBe(0), SLOW);
    });

    it('never runs a job added in a transaction that rolled back', async () => {
      const jobs = await queue();
      const { ran, handler } = recorder();
      await jobs.work({ triage: handler }, { concurrency: 2 });
      await expect(
        engine.database.prisma.$transaction(async (tx) => {
          await jobs.enqueue(tx, [{ queue: 'triage', payload: { n: 1 } }]);
          throw new Error('the work it stood for failed');
        }),
      ).rejects.toThrow('the work it stood for failed');
      // A job added after it runs; by then the first would have run too, had it existed.
      await enqueue(jobs, { queue: 'triage', payload: { n: 2 } });
      await vi.waitFor(() => expect(ran(2)).toHaveLength(1), SLOW);
      expect(ran(1)).toEqual([]);
      await vi.waitFor(async () => expect(await engine.remaining()).toBe(0), SLOW);
    });

    it('adds several jobs in one call, to several queues, and runs each once', async () => {
      const jobs = await queue();
      const { runs, ran, handler } = recorder();
      await jobs.work({ triage: handler, engagement: handler }, { concurrency: 4 });
      await engine.database.prisma.$transaction((tx) =>
        jobs.enqueue(tx, [
          { queue: 'triage', payload: { n: 1 } },
          { queue: 'engagement', payload: { n: 2 } },
          { queue: 'triage', payload: { n: 3 } },
        ]),
      );
      await vi.waitFor(() => expect(runs).toHaveLength(3), SLOW);
      for (const n of [1, 2, 3]) expect(ran(n)).toHaveLength(1);
      await vi.waitFor(async () => expect(await engine.remaining()).toBe(0), SLOW);
    });

    it('keeps a job with a future run time waiting until then', async () => {
      const jobs = await queue();
      const { ran, handler } = recorder();
      await jobs.work({ triage: handler }, { concurrency: 2 });
      const runAt = new Date(Date.now() + 1_500);
      await enqueue(jobs, { queue: 'triage', payload: { n: 1 }, runAt });
      await enqueue(jobs, { queue: 'triage', payload: { n: 2 } });
      await vi.waitFor(() => expect(ran(2)).toHaveLength(1), SLOW);
      expect(ran(1)).toEqual([]);
      await vi.waitFor(async () => expect(await depthOf(jobs, 'triage')).toEqual({ ...EMPTY, scheduled: 1 }), SLOW);
      await vi.waitFor(() => expect(ran(1)).toHaveLength(1), SLOW);
      expect(ran(1)[0]!.at).toBeGreaterThanOrEqual(runAt.getTime());
    });

    it('retries a handler that throws, with backoff, its attempt number growing', async () => {
      const jobs = await queue();
      const { runs, handler } = recorder(async (_payload, job) => {
        if (job.attempt === 1) throw new Error('a passing failure');
      });
      await jobs.work({ engagement: handler }, { concurrency: 2 });
      await enqueue(jobs, { queue: 'engagement', payload: { n: 1 }, maxAttempts: 3 });
      await vi.waitFor(() => expect(runs).toHaveLength(1), SLOW);
      // Backing off: waiting for its next run time.
      await vi.waitFor(async () => expect(await depthOf(jobs, 'engagement')).toEqual({ ...EMPTY, scheduled: 1 }), SLOW);
      await vi.waitFor(() => expect(runs).toHaveLength(2), SLOW);
      expect(runs.map((run) => run.job.attempt)).toEqual([1, 2]);
      expect(runs.map((run) => run.job.maxAttempts)).toEqual([3, 3]);
      // graphile-worker's backoff, which the in-process queue copies: e^attempt seconds after the failure.
      expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(retryDelayMs(1) - 50);
      await vi.waitFor(async () => expect(await engine.remaining()).toBe(0), SLOW);
    });

    it('keeps a job out of attempts as failed, and runs it no more', async () => {
      const jobs = await queue();
      const { ran, handler } = recorder(async (payload) => {
        if (payload.n === 1) throw new Error('broken for good');
      });
      await jobs.work({ optimization: handler }, { concurrency: 2 });
      await enqueue(jobs, { queue: 'optimization', payload: { n: 1 }, maxAttempts: 1 });
      await vi.waitFor(async () => expect(await depthOf(jobs, 'optimization')).toEqual({ ...EMPTY, failed: 1 }), SLOW);
      // The queue goes on: a later job runs, the failed one does not run again.
      await enqueue(jobs, { queue: 'optimization', payload: { n: 2 } });
      await vi.waitFor(() => expect(ran(2)).toHaveLength(1), SLOW);
      expect(ran(1).map((run) => run.job.attempt)).toEqual([1]);
      await vi.waitFor(async () => expect(await engine.remaining()).toBe(1), SLOW);
    });

    it('holds at most one pending job per key, keeping the first one’s run time', async () => {
      const jobs = await queue();
      const { ran, handler } = recorder();
      await jobs.work({ consolidation: handler }, { concurrency: 2 });
      await enqueue(jobs, { queue: 'consolidation', payload: { n: 1 }, key: 'nightly', runAt: new Date(Date.now() + 3_600_000) });
      // Due now, under the same key: it must neither add a job nor bring the first forward.
      await enqueue(jobs, { queue: 'consolidation', payload: { n: 1 }, key: 'nightly' });
      await enqueue(jobs, { queue: 'consolidation', payload: { n: 2 } });
      await vi.waitFor(() => expect(ran(2)).toHaveLength(1), SLOW);
      expect(ran(1)).toEqual([]);
      await vi.waitFor(async () => expect(await depthOf(jobs, 'consolidation')).toEqual({ ...EMPTY, scheduled: 1 }), SLOW);
    });

    it('adds a new job under the key of one that failed for good, and keeps the failed one for the operator', async () => {
      const jobs = await queue();
      let broken = true;
      const { runs, handler } = recorder(async () => {
        if (broken) throw new Error('broken for now');
      });
      await jobs.work({ consolidation: handler }, { concurrency: 2 });
      await enqueue(jobs, { queue: 'consolidation', payload: { n: 1 }, key: 'nightly', maxAttempts: 1 });
      await vi.waitFor(async () => expect(await depthOf(jobs, 'consolidation')).toEqual({ ...EMPTY, failed: 1 }), SLOW);
      broken = false;
      await enqueue(jobs, { queue: 'consolidation', payload: { n: 2 }, key: 'nightly', maxAttempts: 1 });
      await vi.waitFor(
        () =>
          expect(runs.map((run) => [run.payload.n, run.job.attempt])).toEqual([
            [1, 1],
            [2, 1],
          ]),
        SLOW,
      );
      await vi.waitFor(async () => expect(await depthOf(jobs, 'consolidation')).toEqual({ ...EMPTY, failed: 1 }), SLOW);
      expect(await engine.remaining()).toBe(1);
    });

    it('starts a keyed job backing off before a retry afresh when its key is added again: from the first attempt, at the new run time', async () => {
      const jobs = await queue();
      const { runs, handler } = recorder(async (payload) => {
        if (payload.n === 1) throw new Error('a passing failure');
      });
      await jobs.work({ consolidation: handler }, { concurrency: 2 });
      await enqueue(jobs, { queue: 'consolidation', payload: { n: 1 }, key: 'nightly', maxAttempts: 5 });
      await vi.waitFor(async () => expect(await depthOf(jobs, 'consolidation')).toEqual({ ...EMPTY, scheduled: 1 }), SLOW);
      const readdedAt = Date.now();
      await enqueue(jobs, { queue: 'consolidation', payload: { n: 2 }, key: 'nightly', maxAttempts: 5 });
      await vi.waitFor(
        () =>
          expect(runs.map((run) => [run.payload.n, run.job.attempt])).toEqual([
            [1, 1],
            [2, 1],
          ]),
        SLOW,
      );
      // Due at once, not after the first one's backoff.
      expect(runs[1]!.at - readdedAt).toBeLessThan(retryDelayMs(1));
      await vi.waitFor(async () => expect(await engine.remaining()).toBe(0), SLOW);
    });

    it('lets a running job re-arm its own key: the next one is kept', async () => {
      const jobs = await queue();
      const { runs, handler } = recorder(async (payload) => {
        if (payload.n === 1) await enqueue(jobs, { queue: 'consolidation', payload: { n: 2 }, key: 'nightly', runAt: new Date(Date.now() + 3_600_000) });
      });
      await jobs.work({ consolidation: handler }, { concurrency: 2 });
      await enqueue(jobs, { queue: 'consolidation', payload: { n: 1 }, key: 'nightly' });
      await vi.waitFor(async () => expect(await depthOf(jobs, 'consolidation')).toEqual({ ...EMPTY, scheduled: 1 }), SLOW);
      expect(runs).toHaveLength(1);
      expect(await engine.remaining()).toBe(1);
    });

    it('counts each queue’s ready, scheduled, running and failed jobs, and the age of the oldest ready one', async () => {
      const jobs = await queue();
      await enqueue(jobs, { queue: 'triage', payload: { n: 1 }, runAt: new Date(Date.now() - 10_000) });
      await enqueue(jobs, { queue: 'triage', payload: { n: 2 } });
      await enqueue(jobs, { queue: 'triage', payload: { n: 3 }, runAt: new Date(Date.now() + 3_600_000) });
      await enqueue(jobs, { queue: 'engagement', payload: { n: 4 }, maxAttempts: 1 });
      const before = await jobs.depths();
      expect(before.map((depth) => depth.queue)).toEqual(['triage', 'engagement', 'optimization', 'delivery', 'consolidation', 'reencryption']);
      expect(before[0]).toMatchObject({ ready: 2, scheduled: 1, running: 0, failed: 0 });
      expect(before[0]!.oldestReadyAgeSeconds).toBeGreaterThanOrEqual(10);
      expect(before[0]!.oldestReadyAgeSeconds).toBeLessThan(60);
      expect(before[1]).toMatchObject({ ready: 1, scheduled: 0, running: 0, failed: 0 });
      expect(before.slice(2)).toEqual([
        { queue: 'optimization', ...EMPTY, oldestReadyAgeSeconds: 0 },
        { queue: 'delivery', ...EMPTY, oldestReadyAgeSeconds: 0 },
        { queue: 'consolidation', ...EMPTY, oldestReadyAgeSeconds: 0 },
        { queue: 'reencryption', ...EMPTY, oldestReadyAgeSeconds: 0 },
      ]);

      const held = gate();
      const triage = recorder(() => held.opened);
      await jobs.work(
        {
          triage: triage.handler,
          engagement: async () => {
            throw new Error('out of attempts at once');
          },
        },
        { concurrency: 3 },
      );
      try {
        await vi.waitFor(async () => {
          expect(await depthOf(jobs, 'triage')).toEqual({ ...EMPTY, scheduled: 1, running: 2 });
          expect(await depthOf(jobs, 'engagement')).toEqual({ ...EMPTY, failed: 1 });
        }, SLOW);
        expect((await jobs.depths())[0]!.oldestReadyAgeSeconds).toBe(0);
      } finally {
        held.open();
      }
      await vi.waitFor(async () => expect(await depthOf(jobs, 'triage')).toEqual({ ...EMPTY, scheduled: 1 }), SLOW);
      expect(triage.runs).toHaveLength(2);
    });

    it('stop() lets a running job finish before it resolves, and the job counts as done', async () => {
      const jobs = await engine.open();
      const held = gate();
      let stopped = false;
      let finishedBeforeStop: boolean | undefined;
      const { runs, handler } = recorder(async () => {
        await held.opened;
        finishedBeforeStop = !stopped;
      });
      await jobs.work({ triage: handler }, { concurrency: 2 });
      await enqueue(jobs, { queue: 'triage', payload: { n: 1 } });
      await vi.waitFor(() => expect(runs).toHaveLength(1), SLOW);
      const stopping = jobs.stop().then(() => {
        stopped = true;
      });
      held.open();
      await stopping;
      expect(finishedBeforeStop).toBe(true);
      expect(await engine.remaining()).toBe(0);
    });

    it(`hands back a job whose worker is gone, ${name === 'graphile-worker' ? 'once three heartbeats pass without one' : 'when the queue starts'}`, async () => {
      const jobs = await queue();
      await enqueue(jobs, { queue: 'triage', payload: { n: 1 } });
      const lockedAt = Date.now();
      await engine.lockAsDeadWorker('triage', `dead-${randomBytes(3).toString('hex')}`, 0);
      const { ran, handler } = recorder();
      await jobs.work({ triage: handler }, { concurrency: 2 });
      await vi.waitFor(() => expect(ran(1)).toHaveLength(1), SLOW);
      // The dead worker's try counts: this is the second.
      expect(ran(1)[0]!.job.attempt).toBe(2);
      if (name === 'graphile-worker') expect(ran(1)[0]!.at - lockedAt).toBeGreaterThanOrEqual(3 * HEARTBEAT_MS);
      await vi.waitFor(async () => expect(await engine.remaining()).toBe(0), SLOW);
    });

    if (name === 'graphile-worker') {
      it('leaves alone a job whose worker still beats, however long it has held it', async () => {
        const jobs = await queue();
        const alive = `alive-${randomBytes(3).toString('hex')}`;
        const dead = `dead-${randomBytes(3).toString('hex')}`;
        await enqueue(jobs, { queue: 'triage', payload: { n: 1 } });
        await engine.lockAsDeadWorker('triage', alive, 60_000);
        // Its heartbeat, as its process writes it (dated ahead: it stays fresh for the whole test).
        await engine.database.prisma.$executeRaw`
          INSERT INTO "WorkerHeartbeat" ("lockerId", "serverId", "beatAt") VALUES (${alive}, 'elsewhere', now() + interval '1 hour')`;
        await enqueue(jobs, { queue: 'triage', payload: { n: 2 } });
        await engine.lockAsDeadWorker('triage', dead, 60_000);
        const { ran, handler } = recorder();
        await jobs.work({ triage: handler }, { concurrency: 2 });
        // The sweep that handed back the dead worker's job saw the live one's too.
        await vi.waitFor(() => expect(ran(2)).toHaveLength(1), SLOW);
        expect(ran(1)).toEqual([]);
        const [held] = await engine.database.prisma.$queryRaw<{ locked_by: string | null }[]>`
          SELECT locked_by FROM graphile_worker._private_jobs WHERE payload->>'n' = '1'`;
        expect(held).toEqual({ locked_by: alive });
      });
    }
  });
}

contract('in-process', inProcessEngine);
if (process.env.DATABASE_URL) contract('graphile-worker', graphileEngine);
