// The re-encryption job on a schedule, as a job of the queue the agents use (like
// consolidation): armed at start, so values left under an older data key after a
// rotation move soon after every replica restarted with the new key, then once a
// day, for values a replica still on the old ring wrote meanwhile. One pending run
// of each across replicas (the job keys: the start's own, so a daily run pending
// far ahead does not hold back the run a rotation needs). A failed run is logged;
// the schedule goes on.
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';
import type { Reencryption } from './re-encryption.js';

export const REENCRYPTION_JOB_KEY = 'privacy-reencryption';
const AFTER_START_JOB_KEY = 'privacy-reencryption:after-start';
/** After start: long enough for the other replicas of a rolling restart to come up with the new key. */
export const REENCRYPTION_START_DELAY_MS = 5 * 60_000;
export const REENCRYPTION_INTERVAL_MS = 24 * 60 * 60_000;

export interface ReencryptionSchedule {
  /** Makes sure a run is scheduled soon after start; keeps the one already scheduled (by any replica). */
  armAfterStart(): Promise<void>;
  /** The scheduled job: a run, then the next one armed. */
  run(): Promise<void>;
}

export function reencryptionSchedule(deps: {
  prisma: PrismaClient;
  jobs: Pick<JobQueue, 'enqueue'>;
  reencryption: Reencryption;
  logger: Pick<Logger, 'info' | 'error'>;
  now?: () => Date;
}): ReencryptionSchedule {
  const now = deps.now ?? (() => new Date());
  async function arm(key: string, delayMs: number): Promise<void> {
    const runAt = new Date(now().getTime() + delayMs);
    await deps.prisma.$transaction((tx) => deps.jobs.enqueue(tx, [{ queue: 'reencryption', payload: {}, key, runAt }]));
  }
  return {
    armAfterStart: () => arm(AFTER_START_JOB_KEY, REENCRYPTION_START_DELAY_MS),
    async run() {
      try {
        const report = await deps.reencryption.run();
        deps.logger.info(
          { resealed: report.resealed, indexed: report.indexed, deleted_keys: report.deletedKeys, key_id: report.keyId },
          'personal data re-encrypted',
        );
      } catch (error) {
        deps.logger.error({ err: error }, 'personal data re-encryption failed');
      } finally {
        await arm(REENCRYPTION_JOB_KEY, REENCRYPTION_INTERVAL_MS);
      }
    },
  };
}
