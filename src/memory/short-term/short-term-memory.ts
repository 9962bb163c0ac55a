// The short-term memory tier: the context an agent keeps while a conversation
// is active, forgotten on its own once the conversation goes quiet (TTL).
// Redis when REDIS_URL is set, so every replica sees the same conversations
// (redis-short-term-memory.ts); in-process otherwise (in-process-short-term-memory.ts).
// src/app/stores.ts picks one.
import type { JsonValue } from '../json.js';

/** The conversation context an agent keeps while a conversation is active. */
export interface ConversationContext {
  conversationId: string;
  /** The lead this conversation belongs to, when known (consolidation uses it). */
  leadId: string | null;
  activeIntent: string | null;
  extractedSlots: Record<string, JsonValue>;
  lastAgent: string | null;
  pendingActions: string[];
  updatedAt: Date;
  expiresAt: Date;
  /**
   * Set by `updatedSince` only, on a record the store holds but cannot decode (an
   * edit by hand in Redis): its other fields are empty. Consolidation skips and
   * reports it rather than failing on it.
   */
  unreadable?: true;
}

/** What a write may change; omitted fields keep their stored value. */
export interface ConversationContextPatch {
  leadId?: string | null;
  activeIntent?: string | null;
  /** Merged key by key into the stored slots; a slot set to null is removed. */
  extractedSlots?: Record<string, JsonValue>;
  lastAgent?: string | null;
  /** Replaces the stored list. */
  pendingActions?: string[];
}

export interface ShortTermMemoryStats {
  backend: 'redis' | 'in-process';
  /** Contexts not yet expired. */
  activeContexts: number;
  /** retrieve() calls that found a live context / found none, since start (Redis: shared across replicas). */
  hits: number;
  misses: number;
  /** hits / (hits + misses); null before the first lookup. */
  hitRate: number | null;
}

export interface ShortTermMemory {
  readonly backend: 'redis' | 'in-process';
  /** Merges the patch into the stored context (creating it if absent) and refreshes its TTL. */
  store(conversationId: string, patch: ConversationContextPatch, options?: { ttlSeconds?: number }): Promise<ConversationContext>;
  /** The live context, or null when absent or expired. Counts a hit or a miss. */
  retrieve(conversationId: string): Promise<ConversationContext | null>;
  /** Several at once (no hit/miss counting: this is for batch loaders and consolidation). Order matches ids; null where absent. */
  retrieveMany(conversationIds: readonly string[]): Promise<(ConversationContext | null)[]>;
  forget(conversationId: string): Promise<boolean>;
  /** Live contexts written at or after `since`, oldest first, at most `limit` (consolidation reads these incrementally). */
  updatedSince(since: Date, limit?: number): Promise<ConversationContext[]>;
  /** The live contexts written most recently, newest first, at most `limit` (what a dashboard lists; no hit/miss counting). */
  recent(limit: number): Promise<ConversationContext[]>;
  stats(): Promise<ShortTermMemoryStats>;
  close(): Promise<void>;
}

export interface ShortTermMemoryOptions {
  /** Prefix of every Redis key, e.g. 'baton:'. Keys look like `${keyPrefix}stm:...`. */
  keyPrefix: string;
  /** Default TTL (seconds) when a write gives none. */
  defaultTtlSeconds: number;
  /** In-process size bound. */
  maxEntries: number;
  /**
   * The clock behind updatedAt and expiresAt (and, in-process, behind expiry itself).
   * Redis expires keys by its own clock.
   */
  now?: () => Date;
}

/** Redis would accept longer, but a "short-term" context living over a month is a bug upstream. */
export const MAX_TTL_SECONDS = 30 * 24 * 60 * 60;

/** Page size of updatedSince() when the caller gives none. */
export const DEFAULT_UPDATED_SINCE_LIMIT = 100;

export function checkTtlSeconds(ttlSeconds: number): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}, got ${ttlSeconds}`);
  }
  return ttlSeconds;
}

export function checkPositiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive whole number, got ${value}`);
  return value;
}
