// The job queue of the embedded database (PGlite): one process adds and runs the
// jobs, and the jobs not yet done live in the same database ("QueuedJob"), so a
// restart resumes them. It keeps graphile-worker's contract where Baton relies
// on it: a job added inside a transaction exists once that commits (and wakes
// the worker through a NOTIFY delivered on commit), a throw is retried with the
// same exponential backoff, a key holds at most one pending job, and a job out
// of attempts stays in the table for an operator.
//
// Why not graphile-worker itself: PGlite is one connection, and its socket
// server multiplexes clients onto that one session, which graphile-worker's
// LISTEN connection and prepared statements do not survive (tried: 1 of 200
// jobs ran in 30 s). Nothing else runs against an embedded database, so its
// jobs need no locking between processes.
import type { Prisma, PrismaClient } from '../db/generated/prisma/client.js';
import type { Notifications } from '../db/notifications.js';
import type { Logger } from '../logger.js';
import { DEFAULT_MAX_ATTEMPTS, type JobHandler, type JobHandlers, type JobQueue, type JobSpec, QUEUES, type QueueDepth, type QueueName } from './job-queue.js';

const CHANNEL = 'baton_jobs';
/** Looks for due jobs at least this often, whatever it was told. */
const MAX_IDLE_MS = 30_000;

interface QueuedJobRow {
  id: bigint;
  queue: QueueName;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  waitedMs: number;
}

/** graphile-worker's backoff: e^min(attempt, 10) seconds (2.7 s, 7.4 s, 20 s, … at most about 6 hours). */
export function retryDelayMs(attempt: number): number {
  return Math.round(Math.exp(Math.min(attempt, 10)) * 1000);
}

export function createInProcessQueue(deps: { prisma: PrismaClient; notifications: Notifications; logger: Pick<Logger, 'warn' | 'error'> }): JobQueue {
  const { prisma, notifications, logger } = deps;
  let handlers: JobHandlers = {};
  let queues: QueueName[] = [];
  let concurrency = 1;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  const running = new Set<Promise<void>>();
  /** A fetch is running; another was asked for meanwhile. */
  let fetching = false;
  let fetchAgain = false;

  async function fetchAndRun(): Promise<void> {
    if (stopping) return;
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    try {
      do {
        fetchAgain = false;
        const room = concurrency - running.size;
        if (room <= 0) break;
        const jobs = await lockDueJobs(room);
        for (const job of jobs) track(runJob(job));
        if (jobs.length === room) fetchAgain = true;
      } while (fetchAgain && !stopping);
      await armTimer();
    } catch (error) {
      logger.error({ err: error }, 'job queue could not fetch jobs');
      armTimerIn(1_000);
    } finally {
      fetching = false;
    }
  }

  function track(work: Promise<void>): void {
    running.add(work);
    void work.finally(() => {
      running.delete(work);
      void fetchAndRun();
    });
  }

  async function lockDueJobs(limit: number): Promise<QueuedJobRow[]> {
    return prisma.$queryRawUnsafe<QueuedJobRow[]>(
      `UPDATE "QueuedJob" SET "lockedAt" = now(), "attempts" = "attempts" + 1
       WHERE "id" IN (SELECT "id" FROM "QueuedJob"
                      WHERE "lockedAt" IS NULL AND "failedAt" IS NULL AND "runAt" <= now() AND "queue" = ANY($1::text[])
                      ORDER BY "runAt", "id" LIMIT $2)
       RETURNING "id", "queue", "payload", "attempts", "maxAttempts",
                 (extract(epoch FROM now() - "runAt") * 1000)::int AS "waitedMs"`,
      queues,
      limit,
    );
  }

  async function runJob(job: QueuedJobRow): Promise<void> {
    const handler = handlers[job.queue] as JobHandler;
    try {
      await handler(job.payload, { attempt: job.attempts, maxAttempts: job.maxAttempts, queueWaitMs: Math.max(0, job.waitedMs) });
      await prisma.$executeRawUnsafe('DELETE FROM "QueuedJob" WHERE "id" = $1', job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const lastAttempt = job.attempts >= job.maxAttempts;
      if (lastAttempt) logger.error({ err: error, queue: job.queue, attempts: job.attempts }, 'job failed for good');
      else logger.warn({ err: error, queue: job.queue, attempt: job.attempts }, 'job failed; it will be retried');
      await prisma.$executeRawUnsafe(
        lastAttempt
          ? 'UPDATE "QueuedJob" SET "lockedAt" = NULL, "failedAt" = now(), "lastError" = $2 WHERE "id" = $1'
          : `UPDATE "QueuedJob" SET "lockedAt" = NULL, "lastError" = $2, "runAt" = now() + ($3::int * interval '1 millisecond') WHERE "id" = $1`,
        job.id,
        message,
        ...(lastAttempt ? [] : [retryDelayMs(job.attempts)]),
      );
    }
  }

  /** Wakes up for the next scheduled job (or a retry), or after MAX_IDLE_MS. */
  async function armTimer(): Promise<void> {
    const [next] = await prisma.$queryRawUnsafe<{ inMs: number | null }[]>(
      `SELECT (extract(epoch FROM min("runAt") - now()) * 1000)::int AS "inMs"
       FROM "QueuedJob" WHERE "lockedAt" IS NULL AND "failedAt" IS NULL AND "queue" = ANY($1::text[])`,
      queues,
    );
    armTimerIn(next?.inMs === null || next?.inMs === undefined ? MAX_IDLE_MS : Math.min(MAX_IDLE_MS, Math.max(0, next.inMs)));
  }

  function armTimerIn(ms: number): void {
    if (stopping) return;
    clearTimeout(timer);
    timer = setTimeout(() => void fetchAndRun(), ms);
    timer.unref();
  }

  return {
    backend: 'in-process',

    async enqueue(tx: Prisma.TransactionClient, given: readonly JobSpec[]) {
      // Of two jobs under one key in a call, the later one counts, as if added one after the other.
      const byKey = new Map(given.filter((job) => job.key).map((job) => [job.key, job]));
      const jobs = given.filter((job) => !job.key || byKey.get(job.key) === job);
      if (jobs.length === 0) return;
      const keys = [...byKey.keys()];
      if (keys.length > 0) {
        // As graphile-worker does: a running job lets go of its key, so one that re-arms itself is kept;
        // so does a job that failed for good, which stays for the operator while the new one runs.
        await tx.$executeRaw`UPDATE "QueuedJob" SET "key" = NULL WHERE "key" = ANY(${keys}::text[]) AND ("lockedAt" IS NOT NULL OR "failedAt" IS NOT NULL)`;
      }
      const rows = jobs.map((job) => ({
        queue: job.queue,
        payload: job.payload,
        key: job.key ?? null,
        runAt: job.runAt?.toISOString() ?? null,
        maxAttempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      }));
      // A pending job under the key takes the new payload and starts afresh; it keeps its run time unless it
      // was backing off before a retry (graphile-worker's preserve_run_at).
      await tx.$executeRaw`
        INSERT INTO "QueuedJob" ("queue", "payload", "key", "runAt", "maxAttempts")
        SELECT j."queue", j."payload", j."key", coalesce(j."runAt", now()), j."maxAttempts"
        FROM json_to_recordset(${JSON.stringify(rows)}::json) AS j("queue" text, "payload" jsonb, "key" text, "runAt" timestamptz, "maxAttempts" int)
        ON CONFLICT ("key") DO UPDATE SET
          "payload" = EXCLUDED."payload",
          "maxAttempts" = EXCLUDED."maxAttempts",
          "runAt" = CASE WHEN "QueuedJob"."attempts" = 0 THEN "QueuedJob"."runAt" ELSE EXCLUDED."runAt" END,
          "attempts" = 0,
          "lastError" = NULL`;
      const queues = [...new Set(jobs.map((job) => job.queue))];
      await tx.$executeRaw`SELECT pg_notify(${CHANNEL}, queue) FROM unnest(${queues}::text[]) AS queue`;
    },

    async work(given, options) {
      handlers = given;
      queues = QUEUES.filter((queue) => given[queue]);
      concurrency = options.concurrency;
      // One process owns an embedded database: a job still locked was held by a process that is gone.
      await prisma.$executeRawUnsafe('UPDATE "QueuedJob" SET "lockedAt" = NULL WHERE "lockedAt" IS NOT NULL');
      unlisten = await notifications.listen(CHANNEL, (queue) => {
        if (queues.includes(queue as QueueName)) void fetchAndRun();
      });
      await fetchAndRun();
    },

    async depths() {
      const rows = await prisma.$queryRawUnsafe<QueueDepth[]>(
        `SELECT "queue",
                (count(*) FILTER (WHERE "lockedAt" IS NULL AND "failedAt" IS NULL AND "runAt" <= now()))::int AS "ready",
                (count(*) FILTER (WHERE "lockedAt" IS NULL AND "failedAt" IS NULL AND "runAt" > now()))::int AS "scheduled",
                (count(*) FILTER (WHERE "lockedAt" IS NOT NULL))::int AS "running",
                (count(*) FILTER (WHERE "failedAt" IS NOT NULL))::int AS "failed",
                coalesce(extract(epoch FROM now() - min("runAt") FILTER (WHERE "lockedAt" IS NULL AND "failedAt" IS NULL AND "runAt" <= now())), 0)::float8
                  AS "oldestReadyAgeSeconds"
         FROM "QueuedJob" GROUP BY "queue"`,
      );
      const byQueue = new Map(rows.map((row) => [row.queue, row]));
      return QUEUES.map((queue) => byQueue.get(queue) ?? { queue, ready: 0, scheduled: 0, running: 0, failed: 0, oldestReadyAgeSeconds: 0 });
    },

    async stop() {
      stopping = true;
      clearTimeout(timer);
      await unlisten?.();
      await Promise.allSettled([...running]);
    },
  };
}
