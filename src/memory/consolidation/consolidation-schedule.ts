// Consolidation on a schedule (src/jobs/recurring-job.ts): each run arms the next
// one CONSOLIDATION_INTERVAL_S later; the advisory lock in consolidation.ts still
// keeps runs apart.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { recurringJob, type RecurringJob } from '../../jobs/recurring-job.js';
import type { Logger } from '../../logger.js';
import type { Consolidator } from './consolidation.js';

export const CONSOLIDATION_JOB_KEY = 'memory-consolidation';

export type ConsolidationSchedule = RecurringJob;

export function consolidationSchedule(deps: {
  prisma: PrismaClient;
  jobs: Pick<JobQueue, 'enqueue'>;
  consolidator: Pick<Consolidator, 'run'>;
  intervalMs: number;
  logger: Pick<Logger, 'error'>;
  now?: () => Date;
}): ConsolidationSchedule {
  return recurringJob({
    ...deps,
    queue: 'consolidation',
    key: CONSOLIDATION_JOB_KEY,
    work: async () => {
      await deps.consolidator.run({ wait: false });
    },
    failure: 'memory consolidation failed',
  });
}
