// Consolidation on a schedule, as a job of the same queue the agents use: one
// pending run across every replica (the job key), each run arming the next one
// CONSOLIDATION_INTERVAL_S later. A run that fails is logged and the schedule
// goes on; the advisory lock in consolidation.ts still keeps runs apart.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import type { Consolidator } from './consolidation.js';

export const CONSOLIDATION_JOB_KEY = 'memory-consolidation';

export interface ConsolidationSchedule {
  /** Makes sure a run is scheduled; keeps the one already scheduled (by any replica) as it is. */
  arm(): Promise<void>;
  /** The scheduled job: a run, then the next one armed. */
  run(): Promise<void>;
}

export function consolidationSchedule(deps: {
  prisma: PrismaClient;
  jobs: Pick<JobQueue, 'enqueue'>;
  consolidator: Pick<Consolidator, 'run'>;
  intervalMs: number;
  logger: Pick<Logger, 'error'>;
  now?: () => Date;
}): ConsolidationSchedule {
  const now = deps.now ?? (() => new Date());
  async function arm(): Promise<void> {
    const runAt = new Date(now().getTime() + deps.intervalMs);
    await deps.prisma.$transaction((tx) => deps.jobs.enqueue(tx, [{ queue: 'consolidation', payload: {}, key: CONSOLIDATION_JOB_KEY, runAt }]));
  }
  return {
    arm,
    async run() {
      try {
        await deps.consolidator.run({ wait: false });
      } catch (error) {
        deps.logger.error({ err: error }, 'memory consolidation failed');
      } finally {
        await arm();
      }
    },
  };
}
