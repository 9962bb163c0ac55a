// graphql-ws on /graphql. Each operation runs through Yoga's envelop
// (`getEnveloped`), so authorization, metrics and error masking apply exactly
// as over HTTP. The connection authenticates at `connection_init`, from
// `connectionParams.authorization` ("Bearer <jwt>"); a socket that sends none in
// time is closed (4408), one with a bad token is refused (4403), one whose token
// cannot be checked now (the identity provider does not answer) closed with 1013. Open sockets are
// counted in baton_websocket_connections_active{endpoint="/graphql"}; the
// subscriptions they carry in baton_graphql_subscriptions_active (see
// active-subscriptions.ts).
//
// One socket carries many operations, so an operation that cannot start (a
// syntax error, a validation error or query limit, variables that do not fit, a
// refused context such as the rate limit, one operation more than the socket's
// limit) is answered on its own with an `error` message; the socket and the
// other operations on it stay open.
//
// The token lives as long as its `exp`, not as long as the socket: each
// operation checks it again, and the socket is closed with 4401 when it expires,
// ending its subscriptions. The client reconnects with a fresh token.
import { getOperationAST, getVariableValues, GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, makeServer } from 'graphql-ws';
import type { TokenService } from '../auth/jwt.js';
import type { Principal } from '../auth/roles.js';
import { whenExpired } from '../auth/token-expiry.js';
import type { WebSocketLimits } from '../config.js';
import { AuthenticationError, UnavailableError } from '../errors.js';
import { closeAllSockets, createBoundedWebSocketServer } from '../http/bounded-websockets.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import { upgradeRequestId } from '../audit/doors.js';
import { OVER_GRAPHQL_WS } from './active-subscriptions.js';
import { serveGraphQLWsSockets, type SocketExtra } from './graphql-ws-sockets.js';
import type { GraphQLServer } from './graphql-server.js';

type Enveloped = ReturnType<GraphQLServer['getEnveloped']>;
type EnvelopedArgs = ExecutionArgs & { rootValue: { execute: Enveloped['execute']; subscribe: Enveloped['subscribe'] } };

/** What one socket knows of its caller, from `connection_init` on. */
type Connection = SocketExtra & {
  /** The `authorization` connection param, checked again at each operation. */
  authorization?: string;
  principal?: Principal;
};

export interface GraphQLWebSocketEndpoint {
  /** Takes over an HTTP upgrade request for /graphql. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket (1001 Going Away; destroyed if the client does not answer) and stops accepting new ones. */
  close(): Promise<void>;
}

/** RFC 6455 §7.4 (IANA registry): the server is overloaded or a dependency does not answer; reconnect later. */
const TRY_AGAIN_LATER = 1013;

export function createGraphQLWebSocketEndpoint(
  yoga: GraphQLServer,
  tokens: TokenService,
  { websocketConnections }: Pick<Metrics, 'websocketConnections'>,
  limits: WebSocketLimits,
  logger: Logger,
): GraphQLWebSocketEndpoint {
  const wss = createBoundedWebSocketServer(limits.maxPayloadBytes);
  // Every socket, authenticated yet or not: each holds a connection on this replica.
  wss.on('connection', (socket) => {
    websocketConnections.inc({ endpoint: '/graphql' });
    socket.once('close', () => websocketConnections.dec({ endpoint: '/graphql' }));
  });
  const server = makeServer<Record<string, unknown> | undefined, Connection>({
    connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
    async onConnect(ctx) {
      const authorization = authorizationParam(ctx.connectionParams);
      try {
        const { principal, expiresAtMs } = await tokens.authenticateSession(authorization);
        Object.assign(ctx.extra, { authorization, principal });
        const { socket } = ctx.extra;
        const cancel = whenExpired(expiresAtMs, () => socket.close(CloseCode.Unauthorized, 'Token expired: reconnect with a fresh one'));
        socket.once('close', cancel);
        return true;
      } catch (error) {
        // The identity provider not answering is no refusal: 1013 Try Again Later, as HTTP's 503.
        if (error instanceof UnavailableError)
          ctx.extra.socket.close(TRY_AGAIN_LATER, `Service temporarily unavailable; retry in ${error.retryAfterSeconds} s`);
        return false; // closes with 4403 Forbidden
      }
    },
    async onSubscribe(ctx, _id, params) {
      // The token as of now: expired since connection_init, the socket ends here.
      let principal: Principal;
      try {
        principal = await tokens.authenticate(ctx.extra.authorization);
      } catch (error) {
        if (error instanceof UnavailableError) {
          return [new GraphQLError(error.message, { extensions: { code: error.code, retryAfterSeconds: error.retryAfterSeconds } })];
        }
        if (!(error instanceof AuthenticationError)) throw error;
        // Once this operation's `error` message is on its way: the client learns why.
        setImmediate(() => ctx.extra.socket.close(CloseCode.Unauthorized, 'Token expired: reconnect with a fresh one'));
        return [new GraphQLError(error.message, { extensions: { code: error.code } })];
      }
      // The new operation is already among ctx.subscriptions.
      if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptions) {
        return [
          new GraphQLError(`At most ${limits.maxSubscriptions} operations run at once on one socket: complete one, or open another socket`, {
            extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
          }),
        ];
      }
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
        ...ctx,
        req: ctx.extra.request,
        socket: ctx.extra.socket,
        params,
        principal,
        origin: { door: 'graphql-ws', requestId: upgradeRequestId(ctx.extra.request.headers['x-request-id']) },
        ...OVER_GRAPHQL_WS,
      });
      // graphql-ws closes the whole socket (4500) on anything thrown here, and
      // answers only this operation for the GraphQLErrors returned.
      try {
        const document = parseOperation(parse, params.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const variableErrors = variableValueErrors(schema, document, params.operationName, params.variables);
        if (variableErrors) return variableErrors;
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
  });
  serveGraphQLWsSockets(wss, server, logger);
  return {
    upgrade: (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)),
    close: () => closeAllSockets(wss),
  };
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

/**
 * Variables that do not fit the operation, as BAD_USER_INPUT (as over HTTP): checked
 * before the operation starts, so they are answered with an `error` message, not a
 * `next` carrying errors. An operation graphql-ws cannot pick is left to graphql-ws.
 */
function variableValueErrors(
  schema: ExecutionArgs['schema'],
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError[] | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 10 });
  if (!coerced.errors) return undefined;
  for (const error of coerced.errors) (error.extensions as Record<string, unknown>).code ??= 'BAD_USER_INPUT';
  return [...coerced.errors];
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
