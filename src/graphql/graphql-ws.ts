// graphql-ws on /graphql. Each operation runs through Yoga's envelop
// (`getEnveloped`), so authorization, metrics and error masking apply exactly
// as over HTTP. The connection authenticates once, from
// `connectionParams.authorization` ("Bearer <jwt>"). Open sockets are counted
// in baton_websocket_connections_active{endpoint="/graphql"}; the subscriptions
// they carry in baton_graphql_subscriptions_active (see active-subscriptions.ts).
//
// One socket carries many operations, so an operation that cannot start (a
// syntax error, a validation error or query limit, a refused context such as
// the rate limit) is answered on its own with an `error` message; the socket
// and the other operations on it stay open.
import { GraphQLError, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
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
        // graphql-ws closes the whole socket (4500) on anything thrown here, and
        // answers only this operation for the GraphQLErrors returned.
        try {
          const document = parseOperation(parse, params.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
          return {
            schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          } satisfies EnvelopedArgs;
        } catch (error) {
          // The query limits throw from parse and validate; a context that cannot be
          // built throws too (masked by Yoga when it is not the caller's fault).
          // Anything else is a bug, left to close the socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args),
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args),
      onError: (_ctx, _id, _payload, errors) => errors.map(forTheSocket),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map(forTheSocket) } : undefined),
    },
    wss,
  );
}

/** Yoga names a syntax error GRAPHQL_PARSE_FAILED only for HTTP requests: the same code here. */
function parseOperation(parse: Enveloped['parse'], query: string) {
  try {
    return parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) (error.extensions as Record<string, unknown>).code ??= 'GRAPHQL_PARSE_FAILED';
    throw error;
  }
}

/** An error as sent on the socket: without `extensions.http`, Yoga's status and headers for an HTTP response. */
function forTheSocket(error: GraphQLError): GraphQLFormattedError {
  const { extensions: _withHttp, ...formatted } = error.toJSON();
  const { http: _http, ...extensions } = error.extensions;
  return Object.keys(extensions).length > 0 ? { ...formatted, extensions } : formatted;
}

/** `authorization` or `Authorization`, as clients spell it. */
function authorizationParam(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}
