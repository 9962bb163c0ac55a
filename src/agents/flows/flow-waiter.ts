// The synchronous contract on the event spine: a door that answers with a lead's
// whole flow (POST /api/v1/leads, processLead, agent/engagement/execute) waits
// for the flow's `flow:settled` event, not by polling the database. One
// subscription per process serves every waiter.
import type { BatonPubSub, FlowSettledEvent } from '../../events/event-bus.js';

export interface FlowWait {
  /** The settlement of the flow, or null when the time ran out first. */
  settled: Promise<FlowSettledEvent | null>;
  /** Stops waiting (the flow was never submitted, say): `settled` resolves null. */
  cancel(): void;
}

export interface FlowWaiter {
  /** Starts waiting for `flowId` to settle, for at most `timeoutMs`. Call it before the flow can settle (before submitting it). */
  wait(flowId: string, timeoutMs: number): FlowWait;
  close(): Promise<void>;
}

export function createFlowWaiter(pubsub: BatonPubSub): FlowWaiter {
  // Several callers may wait for one flow: a lead sent again waits for its earlier flow (resubmission.ts).
  const waiting = new Map<string, Set<(settled: FlowSettledEvent | null) => void>>();
  const subscription = pubsub.subscribe('flow:settled');
  const listening = (async () => {
    for await (const settled of subscription) for (const finish of waiting.get(settled.flowId) ?? []) finish(settled);
  })();

  return {
    wait(flowId, timeoutMs) {
      let finish: (settled: FlowSettledEvent | null) => void = () => {};
      const settled = new Promise<FlowSettledEvent | null>((resolve) => {
        const timer = setTimeout(() => finish(null), timeoutMs);
        timer.unref();
        finish = (event) => {
          clearTimeout(timer);
          const waiters = waiting.get(flowId);
          waiters?.delete(finish);
          if (waiters?.size === 0) waiting.delete(flowId);
          resolve(event);
        };
        const waiters = waiting.get(flowId) ?? new Set();
        waiters.add(finish);
        waiting.set(flowId, waiters);
      });
      return { settled, cancel: () => finish(null) };
    },
    async close() {
      for (const waiters of [...waiting.values()]) for (const finish of [...waiters]) finish(null);
      await subscription.return?.();
      await listening;
    },
  };
}
