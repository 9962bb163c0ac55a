// Short-term memory in this process's heap: for a single replica and for tests.
// A Map keeps insertion order, so re-inserting an entry on every use makes its
// first key the least recently used one, the one to evict when full.
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

export class InProcessShortTermMemory implements ShortTermMemory {
  readonly backend = 'in-process';
  readonly #contexts = new Map<string, ConversationContext>();
  readonly #defaultTtlSeconds: number;
  readonly #maxEntries: number;
  readonly #now: () => Date;
  #hits = 0;
  #misses = 0;
  #closed = false;

  constructor(options: Pick<ShortTermMemoryOptions, 'defaultTtlSeconds' | 'maxEntries' | 'now'>) {
    this.#defaultTtlSeconds = checkTtlSeconds(options.defaultTtlSeconds);
    this.#maxEntries = checkPositiveInteger('maxEntries', options.maxEntries);
    this.#now = options.now ?? (() => new Date());
  }

  async store(conversationId: string, patch: ConversationContextPatch, options?: { ttlSeconds?: number }): Promise<ConversationContext> {
    this.#assertOpen();
    const ttlSeconds = checkTtlSeconds(options?.ttlSeconds ?? this.#defaultTtlSeconds);
    const now = this.#now();
    const stored = this.#live(conversationId, now.getTime());
    const context: ConversationContext = {
      conversationId,
      leadId: patch.leadId !== undefined ? patch.leadId : (stored?.leadId ?? null),
      activeIntent: patch.activeIntent !== undefined ? patch.activeIntent : (stored?.activeIntent ?? null),
      // Copied in, so a caller mutating its own objects later cannot reach the stored ones.
      extractedSlots: mergeSlots(stored?.extractedSlots ?? {}, structuredClone(patch.extractedSlots ?? {})),
      lastAgent: patch.lastAgent !== undefined ? patch.lastAgent : (stored?.lastAgent ?? null),
      pendingActions: patch.pendingActions !== undefined ? [...patch.pendingActions] : (stored?.pendingActions ?? []),
      updatedAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    };
    this.#contexts.delete(conversationId);
    this.#contexts.set(conversationId, context);
    for (const leastRecentlyUsed of this.#contexts.keys()) {
      if (this.#contexts.size <= this.#maxEntries) break;
      this.#contexts.delete(leastRecentlyUsed);
    }
    return structuredClone(context);
  }

  async retrieve(conversationId: string): Promise<ConversationContext | null> {
    this.#assertOpen();
    const context = this.#live(conversationId, this.#now().getTime());
    if (!context) {
      this.#misses += 1;
      return null;
    }
    this.#hits += 1;
    this.#contexts.delete(conversationId);
    this.#contexts.set(conversationId, context);
    return structuredClone(context);
  }

  // Batch reads (loaders, consolidation sweeps) leave recency alone: a sweep
  // touching everything would make the eviction order meaningless.
  async retrieveMany(conversationIds: readonly string[]): Promise<(ConversationContext | null)[]> {
    this.#assertOpen();
    const now = this.#now().getTime();
    return conversationIds.map((id) => {
      const context = this.#live(id, now);
      return context ? structuredClone(context) : null;
    });
  }

  async forget(conversationId: string): Promise<boolean> {
    this.#assertOpen();
    const live = this.#live(conversationId, this.#now().getTime()) !== undefined;
    this.#contexts.delete(conversationId);
    return live;
  }

  async updatedSince(since: Date, limit: number = DEFAULT_UPDATED_SINCE_LIMIT): Promise<ConversationContext[]> {
    this.#assertOpen();
    checkPositiveInteger('limit', limit);
    const from = since.getTime();
    return (
      this.#liveContexts()
        .filter((context) => context.updatedAt.getTime() >= from)
        // Ties broken by id, as Redis orders equal scores, so both page alike.
        .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.conversationId < b.conversationId ? -1 : 1))
        .slice(0, limit)
        .map((context) => structuredClone(context))
    );
  }

  async recent(limit: number): Promise<ConversationContext[]> {
    this.#assertOpen();
    checkPositiveInteger('limit', limit);
    return this.#liveContexts()
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.conversationId < b.conversationId ? 1 : -1))
      .slice(0, limit)
      .map((context) => structuredClone(context));
  }

  async stats(): Promise<ShortTermMemoryStats> {
    this.#assertOpen();
    const lookups = this.#hits + this.#misses;
    return {
      backend: this.backend,
      activeContexts: this.#liveContexts().length,
      hits: this.#hits,
      misses: this.#misses,
      hitRate: lookups === 0 ? null : this.#hits / lookups,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#contexts.clear();
  }

  /** The stored context unless it has expired; an expired one is dropped on the way. */
  #live(conversationId: string, now: number): ConversationContext | undefined {
    const context = this.#contexts.get(conversationId);
    if (context && context.expiresAt.getTime() <= now) {
      this.#contexts.delete(conversationId);
      return undefined;
    }
    return context;
  }

  #liveContexts(): ConversationContext[] {
    const now = this.#now().getTime();
    return [...this.#contexts.keys()].flatMap((id) => this.#live(id, now) ?? []);
  }

  #assertOpen(): void {
    // Same as a closed Redis client: use after close() is a wiring bug, better loud.
    if (this.#closed) throw new Error('Short-term memory is closed');
  }
}

/** A Map rather than object spreading, so a slot named "__proto__" stays a slot. */
function mergeSlots(stored: Record<string, JsonValue>, patch: Record<string, JsonValue>): Record<string, JsonValue> {
  const slots = new Map(Object.entries(stored));
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) slots.delete(name);
    else if (value !== undefined) slots.set(name, value);
  }
  return Object.fromEntries(slots);
}
