// Fixed-window counts in Redis, shared by every replica: one key per subject and
// minute, incremented atomically and expiring with its window.
import type { Redis, Result } from 'ioredis';
import type { Logger } from '../../logger.js';
import { decide, RATE_LIMIT_WINDOW_MS, type RateDecision, type RateLimiter } from './rate-limiter.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Increments the window's count (creating it with the window's expiry); returns [count, ms until it expires]. */
    batonRateLimitHit(key: string, windowMs: number): Result<[number, number], Context>;
  }
}

const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }
`;

export class RedisRateLimiter implements RateLimiter {
  readonly backend = 'redis';
  readonly #client: Redis;
  /** Whether the last count failed: one log line per outage, not one per operation. */
  #failing = false;

  /**
   * `client`: the process's Redis connection, which outlives this limiter. `now`
   * (epoch ms) names the window; Redis expires the window's key by its own clock.
   */
  constructor(
    client: Redis,
    private readonly limit: number,
    private readonly keyPrefix: string,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly now: () => number = Date.now,
  ) {
    this.#client = client;
    this.#client.defineCommand('batonRateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  async consume(subject: string): Promise<RateDecision> {
    const window = Math.floor(this.now() / RATE_LIMIT_WINDOW_MS);
    try {
      const [count, ttlMs] = await this.#client.batonRateLimitHit(`${this.keyPrefix}ratelimit:${window}:${subject}`, RATE_LIMIT_WINDOW_MS);
      this.#failing = false;
      return decide(count, this.limit, ttlMs > 0 ? ttlMs : RATE_LIMIT_WINDOW_MS);
    } catch (error) {
      if (!this.#failing) this.logger.warn({ err: error }, 'rate limit not checked: Redis did not answer (operations are allowed until it does)');
      this.#failing = true;
      return decide(0, this.limit, RATE_LIMIT_WINDOW_MS);
    }
  }

  async close(): Promise<void> {}
}
