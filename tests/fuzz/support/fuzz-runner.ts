// Runs one fuzz property per operation of a door (so one failing operation does
// not stop the others), counts the inputs each door was sent, and keeps every
// failure with what replays it: fast-check's seed, path and shrunk counterexample.
//
//   FUZZ_SEED   the seed (default 1515): the same seed, the same inputs
//   FUZZ_RUNS   a multiplier of every property's runs (default 1; 0.2 for a smoke run, 5 for a long one)
//   FUZZ_ONLY   run only the properties whose name contains it
//   FUZZ_PATH   with FUZZ_ONLY: fast-check's path, to replay the failing case straight away
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { inject } from 'vitest';
import { type DoorReport, FUZZ_SEED, truncate } from './fuzz-report-format.js';

export { describeFailures, type DoorReport, type FuzzFailure, FUZZ_SEED, truncate } from './fuzz-report-format.js';

declare module 'vitest' {
  export interface ProvidedContext {
    fuzzReportDir: string;
  }
}

const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const ONLY = process.env.FUZZ_ONLY;
const PATH = process.env.FUZZ_PATH;

/** Requests a shrink may still send after the first failure: enough for a readable counterexample, bounded time. */
const SHRINK_BUDGET = 40;

export class FuzzDoor {
  readonly report: DoorReport;
  constructor(door: string) {
    this.report = { door, inputs: 0, failures: [] };
  }

  /**
   * Checks `predicate` (throws on a broken invariant) on `runs` generated inputs.
   * A failure is recorded, not thrown: `assertNoFailures` fails the test once every property ran.
   */
  async property<T>(name: string, arbitrary: fc.Arbitrary<T>, runs: number, predicate: (value: T) => Promise<void>): Promise<void> {
    const property = `${this.report.door} ${name}`;
    if (ONLY && !property.includes(ONLY)) return;
    let failed = false;
    let shrinkRequests = 0;
    const result = await fc.check(
      fc.asyncProperty(arbitrary, async (value) => {
        if (failed && ++shrinkRequests > SHRINK_BUDGET) return;
        this.report.inputs++;
        try {
          await predicate(value);
        } catch (error) {
          failed = true;
          throw error;
        }
      }),
      { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(runs * SCALE)), ...(ONLY && PATH ? { path: PATH } : {}) },
    );
    if (!result.failed) return;
    const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    this.report.failures.push({
      property,
      seed: result.seed,
      path: result.counterexamplePath ?? undefined,
      counterexample: truncate(fc.stringify(result.counterexample?.[0]), 600),
      error: truncate(error, 600),
    });
  }

  /** Writes the door's figures where the run's report (./fuzz-report.ts) collects them, and prints its failures. */
  async save(): Promise<void> {
    const dir = inject('fuzzReportDir');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${this.report.door.replace(/[^\w-]+/g, '_')}.json`), JSON.stringify(this.report));
  }
}

/** Rejects when `work` takes longer than `ms`: a hang is a failure like any other. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Per request: generous, so only a real hang trips it. */
export const REQUEST_TIMEOUT_MS = 15_000;
