// Jobs of one queue that a worker holds at the same time are worked together:
// one transaction and a few multi-row statements for all of them (group commit,
// src/db/micro-batch.ts), where one per job cost most of a lead's time in
// round trips. The queue still sees one job at a time: each is completed,
// retried or given up on its own.
import { microBatch } from '../db/micro-batch.js';
import type { JobContext, JobHandler } from './job-queue.js';

/** A job as a batch sees it. */
export interface BatchedJob {
  payload: Record<string, unknown>;
  job: JobContext;
}

export interface JobBatchHandler {
  /** Works the jobs together. A throw fails the batch: each of its jobs is then worked alone. */
  run(jobs: readonly BatchedJob[]): Promise<void>;
  /**
   * Records a job's failed try (worked alone) before the queue hears of it. On
   * the last attempt, once recorded, the job ends: what it stood for has failed
   * for good, and the record says so.
   */
  recordFailure?(job: BatchedJob, error: unknown): Promise<void>;
  /** Jobs with the same key are never in one batch (they touch the same rows). */
  keyOf?(job: BatchedJob): string;
}

/**
 * At most this many jobs per batch; a worker holds WORKER_CONCURRENCY jobs at a
 * time in all. One batch of a queue runs at a time: jobs that arrive meanwhile
 * go together in the next (measured: larger batches beat overlapping ones here).
 */
export const JOB_BATCH_SIZE = 32;

export function batchedJobHandler(handler: JobBatchHandler): JobHandler {
  const work = microBatch(
    async (jobs: readonly BatchedJob[]) => {
      await handler.run(jobs);
      return jobs.map(() => undefined);
    },
    { maxSize: JOB_BATCH_SIZE, maxRunning: 1, ...(handler.keyOf ? { keyOf: handler.keyOf } : {}) },
  );
  return async (payload, job) => {
    try {
      await work({ payload, job });
    } catch (error) {
      if (!handler.recordFailure) throw error;
      await handler.recordFailure({ payload, job }, error);
      if (job.attempt < job.maxAttempts) throw error;
    }
  };
}
