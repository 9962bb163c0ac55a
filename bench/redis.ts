// Redis for the configuration with separate processes, as it is deployed: the
// API and the workers share their events (and short-term memory) through it.
// Used when reachable, under a key prefix of the run's own, whose keys are
// deleted afterwards; without it the processes share events through
// PostgreSQL LISTEN/NOTIFY alone.
import { Redis } from 'ioredis';
import type { Cleanup } from './cleanup.js';
import { redactUrl } from './databases.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const CONNECT_TIMEOUT_MS = 2000;
/** BENCH_REDIS_URL=none: the separate processes use PostgreSQL alone. */
const NONE = 'none';

/** Which Redis to use and why (BENCH_REDIS_URL, REDIS_URL, else the local one); null when BENCH_REDIS_URL=none. */
export function redisUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.BENCH_REDIS_URL || env.REDIS_URL || DEFAULT_REDIS_URL;
  return url === NONE ? null : url;
}

/** Resolves with the reason when Redis does not answer a PING: the run goes on without it. */
export async function probeRedis(url: string): Promise<{ ok: true } | { unusable: string }> {
  const client = connect(url);
  try {
    await client.connect();
    await client.ping();
    return { ok: true };
  } catch (error) {
    return { unusable: `${redactUrl(url)} does not answer: ${(error as Error).message}` };
  } finally {
    client.disconnect();
  }
}

/** Registers the removal of every key under `prefix` (what the servers stored during the run). */
export function deleteKeysAfterwards(cleanup: Cleanup, url: string, prefix: string): () => Promise<void> {
  return cleanup.defer(`delete Redis keys ${prefix}*`, async () => {
    const client = connect(url);
    try {
      await client.connect();
      for await (const keys of client.scanStream({ match: `${prefix}*`, count: 1000 })) {
        if ((keys as string[]).length > 0) await client.unlink(...(keys as string[]));
      }
    } finally {
      client.disconnect();
    }
  });
}

function connect(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // Failures surface through the awaited calls; without a listener they would also be thrown as unhandled.
  client.on('error', () => {});
  return client;
}
