// Fixed-window counts in this process: enough for one replica (each replica
// would count on its own). Windows of past minutes are dropped as they pass.
import { decide, RATE_LIMIT_WINDOW_MS, type RateDecision, type RateLimiter } from './rate-limiter.js';

export class InProcessRateLimiter implements RateLimiter {
  readonly backend = 'in-process';
  #window = -1;
  #counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  async consume(subject: string): Promise<RateDecision> {
    const now = this.now();
    const window = Math.floor(now / RATE_LIMIT_WINDOW_MS);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts = new Map();
    }
    const count = (this.#counts.get(subject) ?? 0) + 1;
    this.#counts.set(subject, count);
    return decide(count, this.limit, (window + 1) * RATE_LIMIT_WINDOW_MS - now);
  }

  async close(): Promise<void> {}
}
