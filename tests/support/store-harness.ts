// Contract suites of stores with an in-process and a Redis implementation
// (short-term memory, idempotency keys) open their stores through a harness.
// In-process, time moves by an injected clock; on Redis, by real waiting (Redis
// expires keys by its own clock), and every store a test opens shares that
// test's key namespace, as replicas do. Redis stores are opened through
// src/app/stores.ts, as the server opens them.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { openSharedStores, type SharedStores } from '../../src/app/stores.js';

export interface StoreHarness<Store, Options> {
  open(options?: Partial<Options>): Store;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

interface Closeable {
  close(): Promise<void>;
}

/** `create(now, options)`: a store reading the time (milliseconds) from `now`. */
export function inProcessStoreHarness<Store extends Closeable, Options>(
  create: (now: () => number, options: Partial<Options> | undefined) => Store,
): StoreHarness<Store, Options> {
  let now = Date.parse('2026-03-01T09:00:00.000Z');
  return tracked(
    (options) => ({ store: create(() => now, options), release: async () => {} }),
    async (ms) => {
      now += ms;
    },
  );
}

/**
 * One test file's Redis harnesses: each gets a key prefix of its own under the
 * file's `filePrefix` (or the `keyPrefix` a test opens a store with), and each
 * store its own connection, as each replica has.
 */
export function redisStoreHarnesses<Store extends Closeable, Options extends { keyPrefix?: string }>(
  name: string,
  create: (stores: SharedStores, options: Partial<Options> | undefined) => Store,
) {
  const filePrefix = `test-${name}-${randomBytes(4).toString('hex')}:`;
  let count = 0;
  return {
    filePrefix,
    harness(redisUrl: string): StoreHarness<Store, Options> {
      const keyPrefix = `${filePrefix}${++count}:`;
      return tracked(
        (options) => {
          const stores = openSharedStores({ redisUrl, keyPrefix: options?.keyPrefix ?? keyPrefix, logger: { warn: () => {} } });
          try {
            return { store: create(stores, options), release: () => stores.close() };
          } catch (error) {
            void stores.close(); // a store refusing its options (RangeError) must not leave its connection open
            throw error;
          }
        },
        // Redis expires keys by its own clock: time passes for real.
        (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      );
    },
    /** Deletes every key the file's stores wrote. */
    async deleteKeys(redisUrl: string): Promise<void> {
      const client = new Redis(redisUrl);
      try {
        const keys: string[] = [];
        for await (const batch of client.scanStream({ match: `${filePrefix}*`, count: 1000 })) keys.push(...(batch as string[]));
        if (keys.length > 0) await client.del(...keys);
      } finally {
        await client.quit();
      }
    },
  };
}

function tracked<Store extends Closeable, Options>(
  create: (options: Partial<Options> | undefined) => { store: Store; release: () => Promise<void> },
  advance: (ms: number) => Promise<void>,
): StoreHarness<Store, Options> {
  const opened: { store: Store; release: () => Promise<void> }[] = [];
  return {
    open(options) {
      const entry = create(options);
      opened.push(entry);
      return entry.store;
    },
    advance,
    close: async () => {
      await Promise.all(
        opened.map(async ({ store, release }) => {
          await store.close();
          await release();
        }),
      );
    },
  };
}
