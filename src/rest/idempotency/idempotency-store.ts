// Where the REST adapter keeps Idempotency-Key records (IETF draft "The
// Idempotency-Key HTTP Header Field", applied as Stripe applies it): the first
// request with a key claims it, runs, and leaves its response here for 24 hours;
// a repeat of that request gets the response back instead of running twice.
//
// Why Redis or the process heap and not PostgreSQL: the adapter also runs as a
// standalone sidecar (src/sidecar.ts) that reaches Baton only through
// GRAPHQL_URL, with no database, and optionally REDIS_URL. So the records live
// in Redis when REDIS_URL is set (one view for every replica and sidecar), in
// this process otherwise (enough for a single process; each replica would keep
// its own keys). src/app/stores.ts picks the twin (redis.ts or in-process.ts).

/** A response as it is replayed: the HTTP status and the JSON body. */
export interface StoredResponse {
  status: number;
  body: unknown;
  /** Headers the answer needs beyond those its status and body decide (a 202's Location). */
  headers?: Record<string, string>;
}

/** A key as the caller sent it, within its scope (whose key it is: the caller's subject). */
export interface ScopedKey {
  scope: string;
  key: string;
}

export type IdempotencyClaim =
  /** The key was free: the caller runs the request, then completes or releases the claim with `lease`. */
  | { outcome: 'acquired'; lease: string }
  /** A request with this key and fingerprint is still running. */
  | { outcome: 'in-flight' }
  /** The key belongs to a request with another fingerprint (running or done). */
  | { outcome: 'mismatch' }
  /** A request with this key and fingerprint has completed: here is its response. */
  | { outcome: 'replay'; response: StoredResponse };

export interface IdempotencyStore {
  readonly backend: 'redis' | 'in-process';
  /** Atomically claims a free key, or says what holds it. */
  claim(key: ScopedKey, fingerprint: string): Promise<IdempotencyClaim>;
  /** Keeps the response of the claimed request for the replay TTL. False when the claim was lost (its lock expired). */
  complete(key: ScopedKey, lease: string, response: StoredResponse): Promise<boolean>;
  /** Frees a claimed key without a response (the request failed and may be retried). False when the claim was lost. */
  release(key: ScopedKey, lease: string): Promise<boolean>;
  /**
   * Erasure: drops every kept response about the lead (see `leadIdOf`), so no replay
   * brings the person back. Returns how many were dropped.
   */
  forgetLead(leadId: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The lead a kept response is about: the `lead_id` of its body (POST /api/v1/leads answers
 * one, 200 and 202 alike). Stores index replays by it when they complete, for `forgetLead`.
 */
export function leadIdOf(response: StoredResponse): string | undefined {
  const body = response.body as { lead_id?: unknown } | null | undefined;
  return typeof body === 'object' && body !== null && typeof body.lead_id === 'string' ? body.lead_id : undefined;
}

/** How long a completed request's response is replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How long a claim holds without completing: a process that dies mid-request
 * must not lock its key for a day. A request running longer than this may run
 * a second time if retried.
 */
export const IDEMPOTENCY_LOCK_TTL_MS = 5 * 60 * 1000;

export interface IdempotencyStoreOptions {
  /** Prefix of every Redis key, e.g. 'baton:'. Keys look like `${keyPrefix}idempotency:<sha256>`. */
  keyPrefix: string;
  ttlMs?: number;
  lockTtlMs?: number;
  /** In-process size bound: the oldest written records go first beyond it. */
  maxEntries?: number;
  /** In-process clock (milliseconds). Redis expires keys by its own. */
  now?: () => number;
}

export interface ResolvedIdempotencyStoreOptions {
  keyPrefix: string;
  ttlMs: number;
  lockTtlMs: number;
  maxEntries: number;
  now: () => number;
}

/** Defaults filled in and checked: a bad bound is a wiring bug, thrown at start-up. */
export function resolveIdempotencyStoreOptions(options: IdempotencyStoreOptions): ResolvedIdempotencyStoreOptions {
  const resolved: ResolvedIdempotencyStoreOptions = {
    keyPrefix: options.keyPrefix,
    ttlMs: checkDuration('ttlMs', options.ttlMs ?? IDEMPOTENCY_TTL_MS),
    lockTtlMs: checkDuration('lockTtlMs', options.lockTtlMs ?? IDEMPOTENCY_LOCK_TTL_MS),
    maxEntries: options.maxEntries ?? 10_000,
    now: options.now ?? Date.now,
  };
  if (!Number.isSafeInteger(resolved.maxEntries) || resolved.maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive whole number, got ${resolved.maxEntries}`);
  }
  return resolved;
}

function checkDuration(name: string, ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 1) throw new RangeError(`${name} must be a positive whole number of milliseconds, got ${ms}`);
  return ms;
}
