// How many GraphQL operations one caller (the token's subject) may run per
// minute: RATE_LIMIT_PER_MINUTE, counted in fixed one-minute windows. Every door
// runs operations through the GraphQL API (the adapters, in-process or as the
// sidecar, send one operation per call), so the limit is enforced once, where
// the caller is authenticated (src/graphql/graphql-server.ts), and holds for
// GraphQL, REST, JSON-RPC and MCP alike.
//
// The counts live in Redis when REDIS_URL is set, so the limit is per caller
// across all replicas, and in the process otherwise. If Redis does not answer,
// the operation is allowed (and logged): Baton stays available rather than
// refusing everyone for a broken counter. src/app/stores.ts picks the twin
// (redis.ts or in-process.ts), or NO_RATE_LIMIT when the limit is 0.

export const RATE_LIMIT_WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Operations left in this window (0 once refused). */
  remaining: number;
  /** Whole seconds until the window resets (at least 1). */
  resetSeconds: number;
}

export interface RateLimiter {
  readonly backend: 'redis' | 'in-process' | 'off';
  /** Counts one operation of `subject` and says whether it may run. */
  consume(subject: string): Promise<RateDecision>;
  close(): Promise<void>;
}

/** RATE_LIMIT_PER_MINUTE=0: every operation may run. */
export const NO_RATE_LIMIT: RateLimiter = {
  backend: 'off',
  consume: async () => ({ allowed: true, limit: 0, remaining: 0, resetSeconds: 1 }),
  close: async () => {},
};

/** The decision for the `count`th operation of a window that resets in `resetMs`. */
export function decide(count: number, limit: number, resetMs: number): RateDecision {
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)) };
}
