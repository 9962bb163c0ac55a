// The job queue on PostgreSQL: graphile-worker. Any number of processes add and
// take jobs; a job added inside a transaction is announced by graphile-worker's
// own NOTIFY when that transaction commits, and a worker of its queue takes it
// within milliseconds. Each queue is a graphile-worker task identifier, so a
// process that runs only some roles asks only for their jobs. Fetches and
// completions are batched (localQueue, completeJobBatchDelay) to spare the
// database a round trip per job.
//
// A worker killed mid-job (SIGKILL, a lost node) would keep its jobs locked for
// graphile-worker's 4 hours; src/jobs/stale-workers.ts hands them back within
// seconds instead.
import { EventEmitter } from 'node:events';
import { Logger as WorkerLogger, run, runMigrations, type Runner, type Task, type TaskList, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { Prisma } from '../db/generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { DEFAULT_MAX_ATTEMPTS, type JobHandler, type JobHandlers, type JobQueue, type JobSpec, QUEUES, type QueueDepth } from './job-queue.js';
import { watchStaleWorkers, type StaleWorkerWatch } from './stale-workers.js';

export interface GraphileWorkerQueueOptions {
  databaseUrl: string;
  /** Names this process's locks in WorkerHeartbeat. */
  serverId: string;
  logger: Logger;
  /** How often this process says it is alive; after three silent periods its jobs go back to the queue. */
  heartbeatMs: number;
  /** How long to wait for a job that was not there (scheduled jobs and retries are found by polling). */
  pollIntervalMs?: number;
  /** Jobs this process runs at a time (WORKER_CONCURRENCY): the queue's pool is sized for them. */
  concurrency: number;
}

/**
 * The queue's own connections, apart from the API's: its LISTEN, the batched
 * fetches and completions (localQueue, completeJobBatchDelay), the heartbeat.
 * A running job holds none: its work uses the application's pool. So the pool
 * does not grow with WORKER_CONCURRENCY (at 128 jobs, one connection per job
 * would exhaust a default PostgreSQL's 100).
 */
const POOL_SIZE = 8;

/** A runner that ended with PostgreSQL is restarted after this, doubling up to the maximum. */
const RESTART_FIRST_DELAY_MS = 250;
const RESTART_MAX_DELAY_MS = 4_000;

export async function createGraphileWorkerQueue(options: GraphileWorkerQueueOptions): Promise<JobQueue> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: POOL_SIZE });
  pool.on('error', (error) => options.logger.warn({ err: error }, 'job queue connection error'));
  // A connection that breaks while checked out (the queue's LISTEN) reports here, not as an uncaught error;
  // without this listener graphile-worker prints a warning to stderr at every start.
  pool.on('connect', (client) => client.on('error', (error) => options.logger.warn({ err: error }, 'job queue connection error')));
  const logger = workerLogger(options.logger);
  // Installs or upgrades graphile-worker's schema; concurrent start-ups serialize on its own lock.
  await runMigrations({ pgPool: pool, logger });
  let runner: Runner | undefined;
  let staleWorkers: StaleWorkerWatch | undefined;
  let stopping = false;

  return {
    backend: 'graphile-worker',

    async enqueue(tx: Prisma.TransactionClient, jobs: readonly JobSpec[]) {
      if (jobs.length === 0) return;
      const specs = jobs.map((job) => ({
        identifier: job.queue,
        payload: job.payload,
        run_at: job.runAt?.toISOString() ?? null,
        max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        job_key: job.key ?? null,
      }));
      // add_jobs returns rows Prisma cannot read; only that it ran matters. `true`: a pending keyed job keeps its run time.
      await tx.$executeRaw`SELECT count(*) FROM graphile_worker.add_jobs(
        array(SELECT json_populate_recordset(null::graphile_worker.job_spec, ${JSON.stringify(specs)}::json)), true)`;
    },

    async work(handlers: JobHandlers, { concurrency }) {
      const events: WorkerEvents = new EventEmitter();
      staleWorkers = watchStaleWorkers({ pool, events, serverId: options.serverId, heartbeatMs: options.heartbeatMs, logger: options.logger });
      const start = () =>
        run({
          pgPool: pool,
          logger,
          events,
          noHandleSignals: true,
          taskList: taskList(handlers),
          // Scheduled work is keyed jobs (consolidation-schedule.ts), not cron: no crontab file to look for.
          crontab: '',
          preset: {
            worker: {
              concurrentJobs: concurrency,
              // Fetch a few jobs per round trip and complete them together: one query serves several.
              localQueue: { size: concurrency + 1 },
              completeJobBatchDelay: 2,
              failJobBatchDelay: 2,
              pollInterval: options.pollIntervalMs ?? 1_000,
            },
          },
        });
      // graphile-worker's runner ends when PostgreSQL drops its connections (a restart, a
      // failover, pg_terminate_backend). Baton starts a new one until PostgreSQL answers
      // again; the jobs the dead one held are handed back by the stale-worker sweep.
      const supervise = (current: Runner) => {
        current.promise.then(
          () => {},
          async (error: unknown) => {
            for (let delay = RESTART_FIRST_DELAY_MS; !stopping; delay = Math.min(delay * 2, RESTART_MAX_DELAY_MS)) {
              options.logger.warn({ err: error, retry_in_ms: delay }, 'job runner stopped; starting a new one');
              await new Promise((resolve) => setTimeout(resolve, delay));
              if (stopping) return;
              try {
                runner = await start();
                supervise(runner);
                return;
              } catch (failed) {
                error = failed;
              }
            }
          },
        );
      };
      runner = await start();
      supervise(runner);
    },

    async depths() {
      const { rows } = await pool.query<QueueDepth>(DEPTHS_SQL, [QUEUES]);
      const byQueue = new Map(rows.map((row) => [row.queue, row]));
      return QUEUES.map((queue) => byQueue.get(queue) ?? { queue, ready: 0, scheduled: 0, running: 0, failed: 0, oldestReadyAgeSeconds: 0 });
    },

    async stop() {
      stopping = true;
      // A runner that already ended (PostgreSQL went away) has nothing left to stop.
      await runner?.stop().catch((error: unknown) => options.logger.warn({ err: error }, 'job runner had already stopped'));
      await staleWorkers?.stop();
      await pool.end();
    },
  };
}

function taskList(handlers: JobHandlers): TaskList {
  const tasks: TaskList = {};
  for (const queue of QUEUES) {
    const handler = handlers[queue];
    if (handler) tasks[queue] = task(handler);
  }
  return tasks;
}

function task(handler: JobHandler): Task {
  return async (payload, helpers) => {
    const { attempts, max_attempts, run_at } = helpers.job;
    await handler((payload ?? {}) as Record<string, unknown>, {
      attempt: attempts,
      maxAttempts: max_attempts,
      queueWaitMs: Math.max(0, Date.now() - new Date(run_at).getTime()),
    });
  };
}

const DEPTHS_SQL = `
  SELECT task_identifier AS "queue",
         (count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at <= now()))::int AS "ready",
         (count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at > now()))::int AS "scheduled",
         (count(*) FILTER (WHERE locked_at IS NOT NULL))::int AS "running",
         (count(*) FILTER (WHERE locked_at IS NULL AND attempts >= max_attempts))::int AS "failed",
         coalesce(extract(epoch FROM now() - min(run_at) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at <= now())), 0)::float8
           AS "oldestReadyAgeSeconds"
  FROM graphile_worker.jobs
  WHERE task_identifier = ANY($1::text[])
  GROUP BY task_identifier`;

/** graphile-worker's log lines into Baton's pino logger, by level. */
function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const entry = { ...meta, scope };
    if (level === 'error') logger.error(entry, message);
    // Advice for pools whose jobs hold a connection each; Baton's do not (see POOL_SIZE).
    else if (level === 'warning' && message.includes('smaller than concurrency')) logger.debug(entry, message);
    else if (level === 'warning') logger.warn(entry, message);
    else if (level === 'info') logger.info(entry, message);
    else logger.debug(entry, message);
  });
}
