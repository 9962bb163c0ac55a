// graphql-ws on /graphql. Each operation runs through Yoga's envelop
// (`getEnveloped`), so authorization, metrics and error masking apply exactly
// as over HTTP. The connection authenticates once, from
// `connectionParams.authorization` ("Bearer <jwt>"). Open sockets are counted
// in baton_websocket_connections_active{endpoint="/graphql"}; the subscriptions
// they carry in baton_graphql_subscriptions_active (see active-subscriptions.ts).
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { TokenService } from '../auth/jwt.js';
import type { Principal } from '../auth/roles.js';
import { OVER_GRAPHQL_WS } from './active-subscriptions.js';
import type { GraphQLServer } from './graphql-server.js';
import type { Metrics } from '../http/metrics.js';

type Enveloped = ReturnType<GraphQLServer['getEnveloped']>;
type EnvelopedArgs = ExecutionArgs & { rootValue: { execute: Enveloped['execute']; subscribe: Enveloped['subscribe'] } };

export function serveGraphQLOverWebSocket(
  wss: WebSocketServer,
  yoga: GraphQLServer,
  tokens: TokenService,
  { websocketConnections }: Pick<Metrics, 'websocketConnections'>,
) {
  // Every socket, authenticated yet or not: each holds a connection on this replica.
  wss.on('connection', (socket) => {
    websocketConnections.inc({ endpoint: '/graphql' });
    socket.once('close', () => websocketConnections.dec({ endpoint: '/graphql' }));
  });
  return useServer<Record<string, unknown> | undefined, { principal?: Principal }>(
    {
      async onConnect(ctx) {
        try {
          ctx.extra.principal = await tokens.authenticate(authorizationParam(ctx.connectionParams));
          return true;
        } catch {
          return false; // closes with 4403 Forbidden
        }
      },
      async onSubscribe(ctx, _id, params) {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          principal: ctx.extra.principal,
          ...OVER_GRAPHQL_WS,
        });
        const args: EnvelopedArgs = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length > 0 ? errors : args;
      },
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args),
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args),
    },
    wss,
  );
}

/** `authorization` or `Authorization`, as clients spell it. */
function authorizationParam(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}
