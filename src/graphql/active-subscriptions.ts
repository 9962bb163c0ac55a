// baton_graphql_subscriptions_active: one envelop plugin counts the GraphQL
// subscriptions open on both transports, since graphql-ws runs its operations
// through Yoga's envelop too (src/graphql/graphql-ws.ts marks them). A subscription
// counts from the moment its transport starts reading the stream until the stream
// ends: it finished, failed, the client completed it, or the client went away
// (graphql-ws returns every stream of a closed socket; Yoga returns an SSE
// stream when its request is aborted). Each ending is counted once. A stream
// nobody reads never counts: Yoga subscribes before it picks a response format,
// and answers 406 without reading when the client accepts no streaming one.
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Metrics, SubscriptionTransport } from '../http/metrics.js';

/** What graphql-ws.ts puts in the context of the operations it runs. */
export const OVER_GRAPHQL_WS = { transport: 'graphql_ws' } as const;

export function useActiveSubscriptions({ subscriptionsActive }: Pick<Metrics, 'subscriptionsActive'>): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args, result, setResult }) {
          if (!isAsyncIterable(result)) return; // refused before it started: nothing is open
          const transport: SubscriptionTransport =
            (args.contextValue as { transport?: unknown }).transport === OVER_GRAPHQL_WS.transport ? 'graphql_ws' : 'sse';
          setResult(
            observed(result, {
              started: () => subscriptionsActive.inc({ transport }),
              ended: () => subscriptionsActive.dec({ transport }),
            }),
          );
        },
      };
    },
  };
}

/** The same stream, calling `started` on the first read and `ended` once when a started stream ends, however it ends. */
function observed<T>(source: AsyncIterable<T>, on: { started: () => void; ended: () => void }): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let state: 'unread' | 'open' | 'ended' = 'unread';
  const end = () => {
    if (state === 'open') on.ended();
    state = 'ended';
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (state === 'unread') {
        state = 'open';
        on.started();
      }
      try {
        const step = await iterator.next();
        if (step.done) end();
        return step;
      } catch (error) {
        end();
        throw error;
      }
    },
    async return(value?: unknown) {
      end();
      return (await iterator.return?.(value)) ?? { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      end();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  };
}
