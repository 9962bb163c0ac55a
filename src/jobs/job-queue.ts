// The job queue agents hand work to each other through. A job is added inside
// the transaction that records the work it stands for (a handoff, a triage
// request), so both exist or neither does; a worker takes it once that
// transaction commits, within milliseconds (the database's NOTIFY), and retries
// it with backoff when it throws.
//
// Two engines behind this interface, chosen by src/app/jobs.ts:
//   graphile-worker-queue.ts  PostgreSQL: graphile-worker; any number of worker processes
//   in-process-queue.ts       PGlite: one process, its pending jobs in the same database
import type { Prisma } from '../db/generated/prisma/client.js';

/** One queue per kind of work; a worker process takes the queues of its roles. */
export const QUEUES = ['triage', 'engagement', 'optimization', 'delivery', 'consolidation', 'reencryption'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobSpec {
  queue: QueueName;
  payload: Record<string, unknown>;
  /** At most one pending job per key: adding another with the same key keeps the first's run time. */
  key?: string;
  /** Not before this instant (default: now). */
  runAt?: Date;
  /** Tries before the job is given up (default: DEFAULT_MAX_ATTEMPTS). */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 10;

export interface JobContext {
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  /** How long the job waited between becoming due and this try starting. */
  queueWaitMs: number;
}

/** Runs one job; a throw is a failed try (retried with backoff until the last attempt). */
export type JobHandler = (payload: Record<string, unknown>, job: JobContext) => Promise<void>;

export type JobHandlers = Partial<Record<QueueName, JobHandler>>;

export interface QueueDepth {
  queue: QueueName;
  /** Due and waiting for a worker. */
  ready: number;
  /** Waiting for their run time (scheduled, or backing off before a retry). */
  scheduled: number;
  /** Held by a worker now. */
  running: number;
  /** Out of attempts: kept for an operator to look at. */
  failed: number;
  /** Age of the longest-waiting due job, 0 when none. */
  oldestReadyAgeSeconds: number;
}

export interface JobQueue {
  readonly backend: 'graphile-worker' | 'in-process';
  /** Adds jobs as part of `tx`, in one statement: they exist once `tx` commits, and not otherwise. */
  enqueue(tx: Prisma.TransactionClient, jobs: readonly JobSpec[]): Promise<void>;
  /** Starts taking jobs of the given queues in this process; `concurrency` jobs at a time. */
  work(handlers: JobHandlers, options: { concurrency: number }): Promise<void>;
  /** Every queue's depth, for /metrics (the autoscalers read it) and analytics. */
  depths(): Promise<QueueDepth[]>;
  /** Stops taking jobs, lets the running ones finish, and closes what it opened. */
  stop(): Promise<void>;
}
