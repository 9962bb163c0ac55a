// Retention on a schedule (src/jobs/recurring-job.ts), as a job of the
// consolidation queue (memory upkeep, worked by every agent process): the first
// run when Baton starts, then hourly. Rows are taken FOR UPDATE SKIP LOCKED, so
// two runs never collide.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { recurringJob, type RecurringJob } from '../../jobs/recurring-job.js';
import type { Logger } from '../../logger.js';
import type { RetentionReport } from './retention.js';

export const RETENTION_JOB_KEY = 'lead-retention';

/** The payload that tells a consolidation-queue job it is a retention run. */
export const RETENTION_TASK = 'retention';

/** Leads fall out of the window by the day: hourly checks are plenty. */
export const RETENTION_CHECK_INTERVAL_MS = 3_600_000;

export type RetentionSchedule = RecurringJob;

export function retentionSchedule(deps: {
  prisma: PrismaClient;
  jobs: Pick<JobQueue, 'enqueue'>;
  retention: { run(): Promise<RetentionReport> };
  logger: Pick<Logger, 'error' | 'info'>;
  intervalMs?: number;
  now?: () => Date;
}): RetentionSchedule {
  return recurringJob({
    ...deps,
    queue: 'consolidation',
    payload: { task: RETENTION_TASK },
    key: RETENTION_JOB_KEY,
    intervalMs: deps.intervalMs ?? RETENTION_CHECK_INTERVAL_MS,
    async work() {
      const { anonymized } = await deps.retention.run();
      if (anonymized > 0) deps.logger.info({ anonymized }, 'retention: inactive leads anonymized');
    },
    failure: 'retention run failed',
  });
}
