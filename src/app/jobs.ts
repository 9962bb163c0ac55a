// The one place the job queue's engine is chosen: graphile-worker on PostgreSQL
// (DATABASE_URL: any number of processes), the in-process executor on the
// embedded database (one process; its pending jobs are PGlite rows).
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createGraphileWorkerQueue } from '../jobs/graphile-worker-queue.js';
import { createInProcessQueue } from '../jobs/in-process-queue.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';

export async function openJobQueue(config: Config, database: Database, logger: Logger): Promise<JobQueue> {
  if (database.kind === 'postgres' && config.databaseUrl) {
    return createGraphileWorkerQueue({
      databaseUrl: config.databaseUrl,
      serverId: config.serverId,
      logger,
      heartbeatMs: config.workerHeartbeatMs,
      concurrency: config.workerConcurrency,
    });
  }
  return createInProcessQueue({ prisma: database.prisma, notifications: database.notifications, logger });
}
