// The re-encryption job on a schedule (src/jobs/recurring-job.ts): armed at start,
// so values left under an older data key after a rotation move soon after every
// replica restarted with the new key, then once a day, for values a replica still on
// the old ring wrote meanwhile. The run after start has a job key of its own, so a
// daily run pending far ahead does not hold back the run a rotation needs.
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { recurringJob, type RecurringJob } from '../jobs/recurring-job.js';
import type { Logger } from '../logger.js';
import type { Reencryption } from './re-encryption.js';

export const REENCRYPTION_JOB_KEY = 'privacy-reencryption';
const AFTER_START_JOB_KEY = 'privacy-reencryption:after-start';
/** After start: long enough for the other replicas of a rolling restart to come up with the new key. */
export const REENCRYPTION_START_DELAY_MS = 5 * 60_000;
export const REENCRYPTION_INTERVAL_MS = 24 * 60 * 60_000;

export interface ReencryptionSchedule extends RecurringJob {
  /** Makes sure a run is scheduled soon after start; keeps the one already scheduled (by any replica). */
  armAfterStart(): Promise<void>;
}

export function reencryptionSchedule(deps: {
  prisma: PrismaClient;
  jobs: Pick<JobQueue, 'enqueue'>;
  reencryption: Reencryption;
  logger: Pick<Logger, 'info' | 'error'>;
  now?: () => Date;
}): ReencryptionSchedule {
  const now = deps.now ?? (() => new Date());
  const job = recurringJob({
    ...deps,
    queue: 'reencryption',
    key: REENCRYPTION_JOB_KEY,
    intervalMs: REENCRYPTION_INTERVAL_MS,
    async work() {
      const report = await deps.reencryption.run();
      deps.logger.info(
        { resealed: report.resealed, indexed: report.indexed, deleted_keys: report.deletedKeys, key_id: report.keyId },
        'personal data re-encrypted',
      );
    },
    failure: 'personal data re-encryption failed',
  });
  return { ...job, armAfterStart: () => job.arm(new Date(now().getTime() + REENCRYPTION_START_DELAY_MS), AFTER_START_JOB_KEY) };
}
