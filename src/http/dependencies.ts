// Which of Baton's dependencies answer right now, for GET /health, systemStatus
// and baton_dependency_up. PostgreSQL is required: without it Baton answers 503
// (unhealthy). Redis is not: without it Baton runs degraded (README, "When a
// dependency is down"): leads are still processed, short-term memory and
// cross-process events are skipped, Idempotency-Key requests get 503.
import type { Metrics } from './metrics.js';

export type DependencyName = 'database' | 'redis';

export interface DependencyCheck {
  name: DependencyName;
  /** Required: Baton is unhealthy without it; otherwise degraded. */
  required: boolean;
  /** Whether it answers; a rejection or `timeoutMs` passing counts as no. */
  up(): Promise<boolean> | boolean;
}

export interface DependencyState {
  name: DependencyName;
  required: boolean;
  up: boolean;
}

export type Health = 'healthy' | 'degraded' | 'unhealthy';

export interface Dependencies {
  check(): Promise<DependencyState[]>;
}

const CHECK_TIMEOUT_MS = 2000;

/** Checks run together, each bounded by `timeoutMs`; every check sets baton_dependency_up. */
export function createDependencies(checks: DependencyCheck[], metrics?: Pick<Metrics, 'dependencyUp'>, timeoutMs = CHECK_TIMEOUT_MS): Dependencies {
  return {
    async check() {
      return Promise.all(
        checks.map(async ({ name, required, up }) => {
          const answered = await Promise.race([
            Promise.resolve()
              .then(up)
              .catch(() => false),
            new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, false).unref()),
          ]);
          metrics?.dependencyUp.set({ dependency: name }, answered ? 1 : 0);
          return { name, required, up: answered };
        }),
      );
    },
  };
}

export function healthOf(states: readonly DependencyState[]): Health {
  if (states.some((state) => state.required && !state.up)) return 'unhealthy';
  return states.some((state) => !state.up) ? 'degraded' : 'healthy';
}
