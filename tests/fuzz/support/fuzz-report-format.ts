// The fuzz report's shape and wording, shared by the test files (which write it)
// and the run's global setup (which prints it): no vitest import, so both load it.

/** The seed (FUZZ_SEED, default 1515): the same seed, the same inputs. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 1515);

export interface FuzzFailure {
  property: string;
  seed: number;
  path: string | undefined;
  counterexample: string;
  error: string;
}

export interface DoorReport {
  door: string;
  inputs: number;
  failures: FuzzFailure[];
}

export function describeFailures(failures: readonly FuzzFailure[]): string {
  return failures
    .map(
      (failure) =>
        `✗ ${failure.property}\n  error: ${failure.error}\n  counterexample: ${failure.counterexample}\n` +
        `  replay: FUZZ_SEED=${failure.seed} FUZZ_ONLY='${failure.property}' FUZZ_PATH='${failure.path}' npx vitest run --project fuzz`,
    )
    .join('\n');
}

export function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text;
}
