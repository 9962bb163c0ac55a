// SIGINT/SIGTERM (Ctrl-C, an orchestrator stopping the container) drain the
// process once: `stop` finishes in-flight work, then the process exits 0, or 1
// when stopping failed. A second signal while draining changes nothing.
import type { Logger } from '../logger.js';

export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
