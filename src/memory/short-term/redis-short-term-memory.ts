// Short-term memory on Redis, shared by every replica. Each context is one JSON
// string whose key expires with the conversation; two sorted sets index the
// contexts by write time (for updatedSince) and by expiry time (for counting
// live ones without a SCAN). Merging runs inside Redis as a Lua script, so
// concurrent writers to one conversation cannot overwrite each other's slots.
import type { Redis, Result } from 'ioredis';
import {
  checkPositiveInteger,
  checkTtlSeconds,
  DEFAULT_UPDATED_SINCE_LIMIT,
  type ConversationContext,
  type ConversationContextPatch,
  type ShortTermMemory,
  type ShortTermMemoryOptions,
  type ShortTermMemoryStats,
} from './short-term-memory.js';
import type { JsonValue } from '../json.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    batonStmStore(
      context: string,
      byUpdate: string,
      byExpiry: string,
      id: string,
      patch: string,
      nowMs: number,
      expiresAtMs: number,
      ttlSeconds: number,
    ): Result<string, Context>;
    batonStmRetrieve(context: string, hits: string, misses: string): Result<string | null, Context>;
    /** numberOfKeys, then both indexes, then the context keys; then their ids. */
    batonStmPrune(...args: (string | number)[]): Result<number, Context>;
  }
}

/**
 * Slot values and the action list travel and rest as JSON strings inside the
 * document, so cjson never re-encodes them: it would turn [] into {} and
 * print numbers with 14 significant digits.
 */
interface StoredContext {
  conversationId: string;
  leadId: string | null;
  activeIntent: string | null;
  lastAgent: string | null;
  extractedSlots: Record<string, string>;
  pendingActions: string;
  updatedAt: number;
  expiresAt: number;
}

const STORE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
local context
if raw then
  context = cjson.decode(raw)
else
  context = { conversationId = ARGV[1], leadId = cjson.null, activeIntent = cjson.null,
              lastAgent = cjson.null, extractedSlots = {}, pendingActions = '[]' }
end
local patch = cjson.decode(ARGV[2])
for _, field in ipairs({ 'leadId', 'activeIntent', 'lastAgent', 'pendingActions' }) do
  if patch[field] ~= nil then context[field] = patch[field] end
end
if patch.extractedSlots then
  for name, value in pairs(patch.extractedSlots) do
    if value == cjson.null then context.extractedSlots[name] = nil else context.extractedSlots[name] = value end
  end
end
context.updatedAt = tonumber(ARGV[3])
context.expiresAt = tonumber(ARGV[4])
local encoded = cjson.encode(context)
redis.call('SET', KEYS[1], encoded, 'EX', ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return encoded
`;

const RETRIEVE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if raw then redis.call('INCR', KEYS[2]) else redis.call('INCR', KEYS[3]) end
return raw
`;

// Checking existence here, not in the caller, keeps a context re-created in
// between from being dropped from the indexes.
const PRUNE_SCRIPT = `
local removed = 0
for i, id in ipairs(ARGV) do
  if redis.call('EXISTS', KEYS[i + 2]) == 0 then
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    removed = removed + 1
  end
end
return removed
`;

/** Expired index members cleaned per stats()/updatedSince() call, so a backlog costs a bounded amount each time. */
const PRUNE_BATCH = 500;

export class RedisShortTermMemory implements ShortTermMemory {
  readonly backend = 'redis';
  readonly #client: Redis;
  #closed = false;
  readonly #defaultTtlSeconds: number;
  readonly #now: () => Date;
  readonly #keys: { byUpdate: string; byExpiry: string; hits: string; misses: string; context: (id: string) => string };

  /** `client`: the process's Redis connection (src/redis/redis-connection.ts), which outlives this store. */
  constructor(client: Redis, options: Pick<ShortTermMemoryOptions, 'keyPrefix' | 'defaultTtlSeconds' | 'now'>) {
    this.#defaultTtlSeconds = checkTtlSeconds(options.defaultTtlSeconds);
    this.#now = options.now ?? (() => new Date());
    const prefix = `${options.keyPrefix}stm:`;
    this.#keys = {
      byUpdate: `${prefix}by-update`,
      byExpiry: `${prefix}by-expiry`,
      hits: `${prefix}hits`,
      misses: `${prefix}misses`,
      context: (id) => `${prefix}ctx:${id}`,
    };
    this.#client = client;
    this.#client.defineCommand('batonStmStore', { numberOfKeys: 3, lua: STORE_SCRIPT });
    this.#client.defineCommand('batonStmRetrieve', { numberOfKeys: 3, lua: RETRIEVE_SCRIPT });
    this.#client.defineCommand('batonStmPrune', { lua: PRUNE_SCRIPT });
  }

  async store(conversationId: string, patch: ConversationContextPatch, options?: { ttlSeconds?: number }): Promise<ConversationContext> {
    const ttlSeconds = checkTtlSeconds(options?.ttlSeconds ?? this.#defaultTtlSeconds);
    const now = this.#now().getTime();
    const encoded = await this.#live.batonStmStore(
      this.#keys.context(conversationId),
      this.#keys.byUpdate,
      this.#keys.byExpiry,
      conversationId,
      encodePatch(patch),
      now,
      now + ttlSeconds * 1000,
      ttlSeconds,
    );
    return decodeContext(encoded);
  }

  async retrieve(conversationId: string): Promise<ConversationContext | null> {
    const raw = await this.#live.batonStmRetrieve(this.#keys.context(conversationId), this.#keys.hits, this.#keys.misses);
    return raw === null ? null : decodeContext(raw);
  }

  async retrieveMany(conversationIds: readonly string[]): Promise<(ConversationContext | null)[]> {
    if (conversationIds.length === 0) return [];
    const raws = await this.#live.mget(conversationIds.map((id) => this.#keys.context(id)));
    return raws.map((raw) => (raw === null ? null : decodeContext(raw)));
  }

  async forget(conversationId: string): Promise<boolean> {
    const replies = await this.#client
      .multi()
      .del(this.#keys.context(conversationId))
      .zrem(this.#keys.byUpdate, conversationId)
      .zrem(this.#keys.byExpiry, conversationId)
      .exec();
    const [error, deleted] = replies?.[0] ?? [new Error('forget: transaction aborted'), 0];
    if (error) throw error;
    return deleted === 1;
  }

  async updatedSince(since: Date, limit: number = DEFAULT_UPDATED_SINCE_LIMIT): Promise<ConversationContext[]> {
    checkPositiveInteger('limit', limit);
    await this.#pruneExpired();
    const found: ConversationContext[] = [];
    // Members whose key expired after the prune still sit in the index: drop
    // them and read on, so a page is short only when the index runs out.
    let offset = 0;
    while (found.length < limit) {
      const scored = await this.#live.zrangebyscore(this.#keys.byUpdate, since.getTime(), '+inf', 'WITHSCORES', 'LIMIT', offset, limit - found.length);
      const ids = scored.filter((_, index) => index % 2 === 0);
      if (ids.length === 0) break;
      const raws = await this.#live.mget(ids.map((id) => this.#keys.context(id)));
      const gone = ids.filter((_, index) => raws[index] == null);
      for (const [index, raw] of raws.entries()) {
        if (raw != null) found.push(decodeOrUnreadable(ids[index]!, raw, new Date(Number(scored[index * 2 + 1]))));
      }
      offset += ids.length - (await this.#prune(gone));
    }
    return found;
  }

  // The write-time index read backwards: no SCAN over the key space, and an
  // unreadable record (edited by hand) is left out rather than failing the list.
  async recent(limit: number): Promise<ConversationContext[]> {
    checkPositiveInteger('limit', limit);
    await this.#pruneExpired();
    const found: ConversationContext[] = [];
    let offset = 0;
    while (found.length < limit) {
      const ids = await this.#live.zrevrangebyscore(this.#keys.byUpdate, '+inf', '-inf', 'LIMIT', offset, limit - found.length);
      if (ids.length === 0) break;
      const raws = await this.#live.mget(ids.map((id) => this.#keys.context(id)));
      const gone = ids.filter((_, index) => raws[index] == null);
      for (const raw of raws) {
        const context = raw == null ? null : decodeOrNull(raw);
        if (context) found.push(context);
      }
      offset += ids.length - (await this.#prune(gone));
    }
    return found;
  }

  async stats(): Promise<ShortTermMemoryStats> {
    await this.#pruneExpired();
    const [active, counters] = await Promise.all([
      this.#live.zcount(this.#keys.byExpiry, `(${this.#now().getTime()}`, '+inf'),
      this.#live.mget(this.#keys.hits, this.#keys.misses),
    ]);
    const hits = Number(counters[0] ?? 0);
    const misses = Number(counters[1] ?? 0);
    return {
      backend: this.backend,
      activeContexts: active,
      hits,
      misses,
      hitRate: hits + misses === 0 ? null : hits / (hits + misses),
    };
  }

  /** The connection, for one more command: use after close() is a wiring bug, better loud (as in-process). */
  get #live(): Redis {
    if (this.#closed) throw new Error('Short-term memory is closed');
    return this.#client;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Removes from both indexes the contexts whose expiry time has passed and whose key is gone. */
  async #pruneExpired(): Promise<void> {
    const expired = await this.#live.zrangebyscore(this.#keys.byExpiry, '-inf', this.#now().getTime(), 'LIMIT', 0, PRUNE_BATCH);
    await this.#prune(expired);
  }

  async #prune(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const keys = [this.#keys.byUpdate, this.#keys.byExpiry, ...ids.map((id) => this.#keys.context(id))];
    return this.#live.batonStmPrune(keys.length, ...keys, ...ids);
  }
}

function encodePatch(patch: ConversationContextPatch): string {
  const encoded: Partial<Omit<StoredContext, 'extractedSlots'>> & { extractedSlots?: Record<string, string | null> } = {};
  // Omitted fields stay omitted (undefined vanishes from the JSON); null is kept and clears the field.
  if (patch.leadId !== undefined) encoded.leadId = patch.leadId;
  if (patch.activeIntent !== undefined) encoded.activeIntent = patch.activeIntent;
  if (patch.lastAgent !== undefined) encoded.lastAgent = patch.lastAgent;
  if (patch.pendingActions !== undefined) encoded.pendingActions = JSON.stringify(patch.pendingActions);
  if (patch.extractedSlots !== undefined) {
    encoded.extractedSlots = Object.fromEntries(
      Object.entries(patch.extractedSlots)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, value === null ? null : JSON.stringify(value)]),
    );
  }
  return JSON.stringify(encoded);
}

/** A record as `updatedSince` reads it: decoded, or marked unreadable at its place in the index (so paging goes on past it). */
function decodeOrUnreadable(conversationId: string, raw: string, updatedAt: Date): ConversationContext {
  try {
    return decodeContext(raw);
  } catch {
    return {
      conversationId,
      leadId: null,
      activeIntent: null,
      extractedSlots: {},
      lastAgent: null,
      pendingActions: [],
      updatedAt,
      expiresAt: updatedAt,
      unreadable: true,
    };
  }
}

function decodeOrNull(raw: string): ConversationContext | null {
  try {
    return decodeContext(raw);
  } catch {
    return null;
  }
}

function decodeContext(raw: string): ConversationContext {
  const stored = JSON.parse(raw) as StoredContext;
  return {
    conversationId: stored.conversationId,
    leadId: stored.leadId,
    activeIntent: stored.activeIntent,
    extractedSlots: Object.fromEntries(Object.entries(stored.extractedSlots).map(([name, value]) => [name, JSON.parse(value) as JsonValue])),
    lastAgent: stored.lastAgent,
    pendingActions: JSON.parse(stored.pendingActions) as string[],
    updatedAt: new Date(stored.updatedAt),
    expiresAt: new Date(stored.expiresAt),
  };
}
