// Everything the benchmark starts (child servers, temporary directories,
// databases) registers its undo here, so a failure or Ctrl-C half-way through
// leaves nothing behind. Undo runs last-in first-out: a server stops before the
// directory or database under it is removed.

type Task = { label: string; undo: () => Promise<void> | void };

export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor() {
    super('interrupted');
  }
}

/** Bounds the cleanup after a signal: Baton needs at most ~12 s to stop. */
const CLEANUP_DEADLINE_MS = 30_000;

export class Cleanup {
  private readonly tasks: Task[] = [];
  private readonly closing = new AbortController();
  /** Aborted when cleanup begins: running work (a load run) should stop. */
  readonly signal = this.closing.signal;
  private draining: Promise<void> | undefined;

  /**
   * Registers `undo`; the returned function runs it early (once) and
   * unregisters it. Registering after cleanup began (a server that was being
   * spawned when Ctrl-C came) still queues the undo for the cleanup in
   * progress, and throws so the caller goes no further.
   */
  defer(label: string, undo: () => Promise<void> | void): () => Promise<void> {
    const task: Task = { label, undo };
    this.tasks.push(task);
    if (this.signal.aborted) throw new InterruptedError();
    return async () => {
      const index = this.tasks.indexOf(task);
      if (index === -1) return;
      this.tasks.splice(index, 1);
      await runTask(task);
    };
  }

  /** Runs every pending undo, newest first; one failing does not stop the others. */
  async runAll(): Promise<void> {
    this.closing.abort();
    // One drain at a time: a signal's cleanup and the normal end's can overlap,
    // and two drains would undo out of order (a directory removed under a running server).
    while (this.draining) await this.draining;
    if (this.tasks.length === 0) return;
    this.draining = this.drain().finally(() => (this.draining = undefined));
    await this.draining;
  }

  private async drain(): Promise<void> {
    for (let task = this.tasks.pop(); task; task = this.tasks.pop()) await runTask(task);
  }
}

async function runTask({ label, undo }: Task): Promise<void> {
  try {
    await undo();
  } catch (error) {
    process.stderr.write(`cleanup: ${label} failed: ${(error as Error).message}\n`);
  }
}

/** Ctrl-C / SIGTERM: undo everything, then exit with 130. */
export function cleanUpOnSignals(cleanup: Cleanup): void {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // One Ctrl-C can arrive twice: tsx (npm run bench) relays it to us when
      // we are slow to acknowledge the terminal's copy. So repeats do not
      // cut the cleanup short; a deadline bounds it instead.
      if (interrupted) return;
      interrupted = true;
      process.stderr.write(`\n${signal}: stopping servers and removing temporary data…\n`);
      setTimeout(() => {
        process.stderr.write('cleanup did not finish in time; exiting anyway\n');
        process.exit(130);
      }, CLEANUP_DEADLINE_MS).unref();
      void cleanup.runAll().finally(() => process.exit(130));
    });
  }
}
