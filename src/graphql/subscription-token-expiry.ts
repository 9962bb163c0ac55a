// A subscription over Server-Sent Events ends when the token that opened it
// expires, as a graphql-ws socket does (src/graphql/graphql-ws.ts closes it with
// 4401): its last event is an UNAUTHENTICATED error, then the stream completes,
// and the client subscribes again with a fresh token. The token was verified when
// the request's context was built, so its `exp` is read here without verifying
// it again.
import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { decodeJwt } from 'jose';
import { whenExpired } from '../auth/token-expiry.js';
import { OVER_GRAPHQL_WS } from './active-subscriptions.js';

export function useSubscriptionsEndAtTokenExpiry(): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args, result, setResult }) {
          if (!isAsyncIterable(result)) return;
          const context = args.contextValue as { transport?: unknown; request?: Request };
          if (context.transport === OVER_GRAPHQL_WS.transport) return; // the socket ends at exp
          const expiresAtMs = tokenExpiry(context.request?.headers.get('authorization'));
          if (expiresAtMs === undefined) return;
          setResult(endingAt(result as AsyncIterable<ExecutionResult>, expiresAtMs));
        },
      };
    },
  };
}

/** The bearer token's `exp` in epoch ms, if the header carries one. */
function tokenExpiry(authorization: string | null | undefined): number | undefined {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
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
