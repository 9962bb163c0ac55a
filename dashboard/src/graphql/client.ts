// One urql client per signed-in token: queries and mutations over HTTP POST to
// /graphql, subscriptions over graphql-ws on the same path, both with the token.
// A 401 (expired or revoked token) signs the dashboard out.
import { createClient as createSocketClient } from 'graphql-ws';
import { cacheExchange, Client, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { clearToken } from '../auth/token-store.ts';

export interface DashboardClient {
  client: Client;
  dispose(): void;
}

export function createDashboardClient(token: string): DashboardClient {
  const socketUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;
  const sockets = createSocketClient({
    url: socketUrl,
    lazy: true,
    connectionParams: { authorization: `Bearer ${token}` },
    // Reconnects after a restart of Baton; subscriptions resume where the pages hold them.
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
  });
  const client = new Client({
    url: '/graphql',
    requestPolicy: 'cache-and-network',
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    exchanges: [
      mapExchange({
        onError(error) {
          if ((error.response as Response | undefined)?.status === 401)
            clearToken(`Baton refused the token: ${error.graphQLErrors[0]?.message ?? 'it is not valid'}.`);
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = sockets.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void sockets.dispose() };
}
