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
  const waiting = new Map<string, (settled: FlowSettledEvent | null) => void>();
  const subscription = pubsub.subscribe('flow:settled');
  const listening = (async () => {
    for await (const settled of subscription) waiting.get(settled.flowId)?.(settled);
  })();

  return {
    wait(flowId, timeoutMs) {
      let finish: (settled: FlowSettledEvent | null) => void = () => {};
      const settled = new Promise<FlowSettledEvent | null>((resolve) => {
        const timer = setTimeout(() => finish(null), timeoutMs);
        timer.unref();
        finish = (event) => {
          clearTimeout(timer);
          waiting.delete(flowId);
          resolve(event);
        };
        waiting.set(flowId, finish);
      });
      return { settled, cancel: () => finish(null) };
    },
    async close() {
      for (const finish of waiting.values()) finish(null);
      await subscription.return?.();
      await listening;
    },
  };
}
