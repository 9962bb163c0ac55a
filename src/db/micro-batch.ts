// Group commit: calls that arrive together are served by one run over all of
// them, so concurrent leads share a transaction and multi-row statements instead
// of each paying its own round trips (on this machine a statement's round trip,
// not its work, is most of what it costs). "Together" means in the same turn of
// the event loop: a call waits for no timer, so a lone caller is not slowed down,
// and under load every request or job that became ready in one turn joins the
// same batch.
//
// A batch that fails is split: each of its calls runs again alone, so one bad
// call (a lead naming a missing campaign, a row that deadlocked) fails by
// itself and the others succeed.

export interface MicroBatchOptions<I> {
  /** At most this many calls per run; the rest wait for the next turn. */
  maxSize: number;
  /**
   * At most this many runs at once (default: no limit). Calls that arrive while
   * that many are running wait for one to end and go together in the next, so
   * the busier the step, the larger its batches.
   */
  maxRunning?: number;
  /**
   * Calls with the same key never share a run (two writes of one lead cannot be
   * one multi-row statement): a later one waits for the next batch.
   */
  keyOf?: (item: I) => string;
}

/** Runs a batch: one result per item, in the items' order. */
export type BatchRun<I, O> = (items: readonly I[]) => Promise<readonly O[]>;

interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

/** A function of one item that runs in batches: see the file's comment. */
export function microBatch<I, O>(
  run: BatchRun<I, O>,
  { maxSize, keyOf, maxRunning = Number.POSITIVE_INFINITY }: MicroBatchOptions<I>,
): (item: I) => Promise<O> {
  let pending: Pending<I, O>[] = [];
  let scheduled = false;
  let running = 0;

  function schedule(): void {
    if (scheduled || pending.length === 0 || running >= maxRunning) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    if (running >= maxRunning) return;
    const batch: Pending<I, O>[] = [];
    const keys = new Set<string>();
    const later: Pending<I, O>[] = [];
    for (const call of pending) {
      const key = keyOf?.(call.item);
      if (batch.length >= maxSize || (key !== undefined && keys.has(key))) later.push(call);
      else {
        batch.push(call);
        if (key !== undefined) keys.add(key);
      }
    }
    pending = later;
    if (batch.length === 0) return;
    running++;
    void runBatch(batch).finally(() => {
      running--;
      schedule();
    });
    schedule();
  }

  async function runBatch(batch: readonly Pending<I, O>[]): Promise<void> {
    let results: readonly O[];
    try {
      results = await run(batch.map((call) => call.item));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} returned ${results.length} results`);
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const call of batch) void runBatch([call]);
      return;
    }
    for (const [index, call] of batch.entries()) call.resolve(results[index]!);
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      schedule();
    });
}
