// Waiting on the wall clock itself, for timestamps that must sort after one
// already written (stores stamp with millisecond precision).
import { vi } from 'vitest';

/** Resolves once Date.now() is past `instant`: a timestamp taken from then on is later than it. */
export async function untilClockPasses(instant: Date): Promise<void> {
  await vi.waitFor(
    () => {
      if (Date.now() <= instant.getTime()) throw new Error(`the clock has not passed ${instant.toISOString()} yet`);
    },
    { timeout: 1_000, interval: 1 },
  );
}
