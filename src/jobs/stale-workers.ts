// Hands back the jobs of a worker process that died without letting go of them.
// graphile-worker frees a job locked by a vanished worker only after 4 hours;
// Baton's worker processes write a heartbeat for each id they lock jobs under
// (WorkerHeartbeat), and every process sweeps: the jobs locked longer than three
// heartbeats by an id whose heartbeat has stopped go back to their queue at once
// (graphile-worker's own force_unlock_workers), to be retried by whichever worker
// takes them next. Steps are idempotent, so a job that ran halfway runs again safely.
import type { WorkerEvents } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../logger.js';

export interface StaleWorkerWatch {
  stop(): Promise<void>;
}

export function watchStaleWorkers(options: {
  pool: pg.Pool;
  events: WorkerEvents;
  serverId: string;
  heartbeatMs: number;
  logger: Pick<Logger, 'warn' | 'info'>;
}): StaleWorkerWatch {
  const { pool, events, serverId, heartbeatMs, logger } = options;
  const lockerIds = new Set<string>();
  /**
   * A new locker beats at once, before it can lock anything; lockers created together
   * (a pool's workers, at start) share one beat. A missed beat is not fatal: the
   * next, a period later, makes up for it.
   */
  let beatScheduled = false;
  const beatNow = () => {
    if (beatScheduled) return;
    beatScheduled = true;
    setImmediate(() => {
      beatScheduled = false;
      beat().catch((error: unknown) => logger.warn({ err: error }, 'worker heartbeat failed'));
    });
  };
  events.on('pool:create', ({ workerPool }) => {
    lockerIds.add(workerPool.id);
    beatNow();
  });
  events.on('worker:create', ({ worker }) => {
    lockerIds.add(worker.workerId);
    beatNow();
  });

  const staleAfter = `${(3 * heartbeatMs) / 1000} seconds`;

  async function beat(): Promise<void> {
    if (lockerIds.size === 0) return;
    await pool.query(
      `INSERT INTO "WorkerHeartbeat" ("lockerId", "serverId", "beatAt")
       SELECT id, $2, now() FROM unnest($1::text[]) AS id
       ON CONFLICT ("lockerId") DO UPDATE SET "beatAt" = now()`,
      [[...lockerIds], serverId],
    );
  }

  async function sweep(): Promise<void> {
    const { rows } = await pool.query<{ lockerId: string }>(
      `SELECT DISTINCT j.locked_by AS "lockerId"
       FROM graphile_worker.jobs j
       WHERE j.locked_at < now() - $1::interval
         AND NOT EXISTS (SELECT 1 FROM "WorkerHeartbeat" h WHERE h."lockerId" = j.locked_by AND h."beatAt" >= now() - $1::interval)`,
      [staleAfter],
    );
    await pool.query(`DELETE FROM "WorkerHeartbeat" WHERE "beatAt" < now() - $1::interval`, [staleAfter]);
    if (rows.length === 0) return;
    const stale = rows.map((row) => row.lockerId);
    await pool.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [stale]);
    logger.warn({ lockers: stale }, 'handed back the jobs of workers that stopped answering');
  }

  const timer = setInterval(() => {
    beat()
      .then(sweep)
      .catch((error: unknown) => logger.warn({ err: error }, 'worker heartbeat failed'));
  }, heartbeatMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      if (lockerIds.size > 0) await pool.query(`DELETE FROM "WorkerHeartbeat" WHERE "lockerId" = ANY($1::text[])`, [[...lockerIds]]).catch(() => {});
    },
  };
}
