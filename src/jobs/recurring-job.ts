// Work that comes back on a schedule (consolidation, re-encryption, retention), as
// a job of the queue the agents use: one pending run across every replica (its job
// key), each run arming the next one `intervalMs` later. A run that fails is
// logged and the schedule goes on.
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { JobQueue, JobSpec } from './job-queue.js';

export interface RecurringJob {
  /**
   * Makes sure a run is scheduled, at `at` (default: an interval from now), under `key` (default:
   * the job's own); keeps the one already scheduled under that key (by any replica) as it is.
   */
  arm(at?: Date, key?: string): Promise<void>;
  /** The scheduled job: a run, then the next one armed. */
  run(): Promise<void>;
}

export interface RecurringJobOptions {
  prisma: PrismaClient;
  jobs: Pick<JobQueue, 'enqueue'>;
  queue: JobSpec['queue'];
  /** What tells the queue's handler which work this is, when a queue carries several. */
  payload?: JobSpec['payload'];
  key: string;
  intervalMs: number;
  /** One run; its failure is logged with `failure` as the message. */
  work: () => Promise<void>;
  failure: string;
  logger: Pick<Logger, 'error'>;
  now?: () => Date;
}

export function recurringJob({
  prisma,
  jobs,
  queue,
  payload = {},
  key,
  intervalMs,
  work,
  failure,
  logger,
  now = () => new Date(),
}: RecurringJobOptions): RecurringJob {
  async function arm(at = new Date(now().getTime() + intervalMs), runKey = key): Promise<void> {
    await prisma.$transaction((tx) => jobs.enqueue(tx, [{ queue, payload, key: runKey, runAt: at }]));
  }
  return {
    arm,
    async run() {
      try {
        await work();
      } catch (error) {
        logger.error({ err: error }, failure);
      } finally {
        await arm();
      }
    },
  };
}
