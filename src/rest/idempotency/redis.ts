// Idempotency records on Redis, shared by every replica and sidecar. One key per
// (scope, key), named by their sha256 so any key text makes a short, safe Redis
// key. A claim is SET NX of a pending marker with the lock TTL; completing
// replaces the marker with the response for the replay TTL. Both steps run as
// Lua scripts that check the marker is still the claimant's own (its lease), so
// a request whose lock expired cannot overwrite the one that claimed the key after it.
import { createHash, randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import {
  leadIdOf,
  type IdempotencyClaim,
  type IdempotencyStore,
  type ResolvedIdempotencyStoreOptions,
  type ScopedKey,
  type StoredResponse,
} from './idempotency-store.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Sets the pending marker if the key is free (null), else returns what holds it. */
    batonIdempotencyClaim(key: string, pending: string, lockTtlMs: number): Result<string | null, Context>;
    batonIdempotencyComplete(key: string, lease: string, completed: string, ttlMs: number): Result<number, Context>;
    batonIdempotencyRelease(key: string, lease: string): Result<number, Context>;
  }
}

type StoredRecord = { state: 'pending'; fingerprint: string; lease: string } | { state: 'completed'; fingerprint: string; response: StoredResponse };

const CLAIM_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])
`;

// The stored JSON is only decoded to read the lease, never re-encoded.
const COMPLETE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw or cjson.decode(raw).lease ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

const RELEASE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw or cjson.decode(raw).lease ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;

export class RedisIdempotencyStore implements IdempotencyStore {
  readonly backend = 'redis';
  readonly #client: Redis;
  #closed = false;
  readonly #options: ResolvedIdempotencyStoreOptions;

  /** `client`: the process's Redis connection (src/redis/redis-connection.ts), which outlives this store. */
  constructor(client: Redis, options: ResolvedIdempotencyStoreOptions) {
    this.#options = options;
    this.#client = client;
    this.#client.defineCommand('batonIdempotencyClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
    this.#client.defineCommand('batonIdempotencyComplete', { numberOfKeys: 1, lua: COMPLETE_SCRIPT });
    this.#client.defineCommand('batonIdempotencyRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }

  async claim(key: ScopedKey, fingerprint: string): Promise<IdempotencyClaim> {
    const lease = randomUUID();
    const pending: StoredRecord = { state: 'pending', fingerprint, lease };
    const held = await this.#live.batonIdempotencyClaim(this.#redisKey(key), JSON.stringify(pending), this.#options.lockTtlMs);
    if (held === null) return { outcome: 'acquired', lease };
    const record = JSON.parse(held) as StoredRecord;
    if (record.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (record.state === 'pending') return { outcome: 'in-flight' };
    return { outcome: 'replay', response: record.response };
  }

  async complete(key: ScopedKey, lease: string, response: StoredResponse): Promise<boolean> {
    const redisKey = this.#redisKey(key);
    // The fingerprint stays with the response: read it from this claim's marker. The script checks
    // the lease again, and leases are unique, so a marker replaced in between is never overwritten.
    const raw = await this.#live.get(redisKey);
    const pending = raw === null ? undefined : (JSON.parse(raw) as StoredRecord);
    if (pending?.state !== 'pending' || pending.lease !== lease) return false;
    const completed: StoredRecord = { state: 'completed', fingerprint: pending.fingerprint, response };
    const kept = (await this.#live.batonIdempotencyComplete(redisKey, lease, JSON.stringify(completed), this.#options.ttlMs)) === 1;
    const leadId = leadIdOf(response);
    if (kept && leadId !== undefined) {
      // The lead's index lives as long as its newest replay; forgetLead reads it.
      const index = this.#leadIndexKey(leadId);
      await this.#live.multi().sadd(index, redisKey).pexpire(index, this.#options.ttlMs).exec();
    }
    return kept;
  }

  async forgetLead(leadId: string): Promise<number> {
    const index = this.#leadIndexKey(leadId);
    const keys = await this.#live.smembers(index);
    const dropped = keys.length > 0 ? await this.#live.del(...keys) : 0;
    await this.#live.del(index);
    return dropped;
  }

  async release(key: ScopedKey, lease: string): Promise<boolean> {
    return (await this.#live.batonIdempotencyRelease(this.#redisKey(key), lease)) === 1;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** The connection, for one more command: use after close() is a wiring bug, better loud (as in-process). */
  get #live(): Redis {
    if (this.#closed) throw new Error('Idempotency store is closed');
    return this.#client;
  }

  /** Named by the lead id's digest: no key of Redis spells a lead id. */
  #leadIndexKey(leadId: string): string {
    return `${this.#options.keyPrefix}idempotency-lead:${createHash('sha256').update(leadId).digest('hex')}`;
  }

  #redisKey({ scope, key }: ScopedKey): string {
    const digest = createHash('sha256')
      .update(JSON.stringify([scope, key]))
      .digest('hex');
    return `${this.#options.keyPrefix}idempotency:${digest}`;
  }
}
