// Retention on a schedule, as a job of the consolidation queue (memory upkeep,
// worked by every agent process): one pending run across every replica (the job
// key), the first when Baton starts, then each run arming the next one
// RETENTION_CHECK_INTERVAL_MS later. A run that fails is logged and the schedule
// goes on; rows are taken FOR UPDATE SKIP LOCKED, so two runs never collide.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import type { RetentionReport } from './retention.js';

export const RETENTION_JOB_KEY = 'lead-retention';

/** The payload that tells a consolidation-queue job it is a retention run. */
export const RETENTION_TASK = 'retention';

/** Leads fall out of the window by the day: hourly checks are plenty. */
export const RETENTION_CHECK_INTERVAL_MS = 3_600_000;

export interface RetentionSchedule {
  /** Makes sure a run is scheduled (`at`, default: an interval from now); keeps one already scheduled as it is. */
  arm(at?: Date): Promise<void>;
  /** The scheduled job: a run, then the next one armed. */
  run(): Promise<void>;
}

export function retentionSchedule(deps: {
  prisma: PrismaClient;
  jobs: Pick<JobQueue, 'enqueue'>;
  retention: { run(): Promise<RetentionReport> };
  logger: Pick<Logger, 'error' | 'info'>;
  intervalMs?: number;
  now?: () => Date;
}): RetentionSchedule {
  const now = deps.now ?? (() => new Date());
  const intervalMs = deps.intervalMs ?? RETENTION_CHECK_INTERVAL_MS;
  async function arm(at: Date = new Date(now().getTime() + intervalMs)): Promise<void> {
    await deps.prisma.$transaction((tx) =>
      deps.jobs.enqueue(tx, [{ queue: 'consolidation', payload: { task: RETENTION_TASK }, key: RETENTION_JOB_KEY, runAt: at }]),
    );
  }
  return {
    arm,
    async run() {
      try {
        const { anonymized } = await deps.retention.run();
        if (anonymized > 0) deps.logger.info({ anonymized }, 'retention: inactive leads anonymized');
      } catch (error) {
        deps.logger.error({ err: error }, 'retention run failed');
      } finally {
        await arm();
      }
    },
  };
}
