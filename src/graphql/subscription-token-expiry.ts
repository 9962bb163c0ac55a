// A subscription over Server-Sent Events ends when the token that opened it
// expires, as a graphql-ws socket does (src/graphql/graphql-ws.ts closes it with
// 4401): its last event is an UNAUTHENTICATED error, then the stream completes,
// and the client subscribes again with a fresh token. The token was verified when
// the request's context was built (graphql-server.ts), which kept its `exp`.
import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { whenExpired } from '../auth/token-expiry.js';
import { OVER_GRAPHQL_WS } from './active-subscriptions.js';

export function useSubscriptionsEndAtTokenExpiry(): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args, result, setResult }) {
          if (!isAsyncIterable(result)) return;
          const context = args.contextValue as { transport?: unknown; tokenExpiresAtMs?: number };
          if (context.transport === OVER_GRAPHQL_WS.transport) return; // the socket ends at exp
          const expiresAtMs = context.tokenExpiresAtMs;
          if (expiresAtMs === undefined) return;
          setResult(endingAt(result as AsyncIterable<ExecutionResult>, expiresAtMs));
        },
      };
    },
  };
}

const EXPIRED: ExecutionResult = {
  errors: [new GraphQLError('The bearer token has expired: subscribe again with a fresh one', { extensions: { code: 'UNAUTHENTICATED' } })],
};

/** The same stream until `expiresAtMs`; then the source is returned, EXPIRED is the last result and the stream ends. */
function endingAt(source: AsyncIterable<ExecutionResult>, expiresAtMs: number): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let state: 'open' | 'expired' | 'ended' = 'open';
  let expire!: () => void;
  const expired = new Promise<'expired'>((resolve) => (expire = () => resolve('expired')));
  const cancel = whenExpired(expiresAtMs, expire);
  const end = async () => {
    state = 'ended';
    cancel();
    await iterator.return?.();
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (state === 'ended') return { done: true, value: undefined };
      if (state === 'expired') {
        await end();
        return { done: true, value: undefined };
      }
      const step = await Promise.race([iterator.next(), expired]);
      if (step === 'expired') {
        state = 'expired';
        void iterator.return?.();
        return { done: false, value: EXPIRED };
      }
      if (step.done) {
        state = 'ended';
        cancel();
      }
      return step;
    },
    async return() {
      await end();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await end();
      throw error;
    },
  };
}
