// Times every asynchronous operation of a memory tier, so /metrics shows each
// tier's latency against the specification's targets (short-term < 10 ms,
// long-term < 50 ms, episodic < 100 ms, semantic < 150 ms).
export type MemoryTier = 'short_term' | 'long_term' | 'episodic' | 'semantic';

export type MemoryObserver = (tier: MemoryTier, operation: string, outcome: 'ok' | 'error', seconds: number) => void;

export function instrumented<T extends object>(store: T, tier: MemoryTier, observe: MemoryObserver): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        const done = (outcome: 'ok' | 'error') => observe(tier, property, outcome, (performance.now() - started) / 1000);
        return result.then(
          (resolved: unknown) => {
            done('ok');
            return resolved;
          },
          (error: unknown) => {
            done('error');
            throw error;
          },
        );
      };
    },
  });
}
