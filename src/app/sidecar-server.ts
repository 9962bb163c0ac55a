// The adapter as its own process (`npm run sidecar`): JSON-RPC and MCP on /mcp
// (HTTP and WebSocket), the specification's REST API, OpenAPI and OpenRPC,
// forwarding every operation to the GraphQL API at GRAPHQL_URL with the
// caller's own bearer token. It keeps no state of its own (Idempotency-Key
// records go to Redis when REDIS_URL is set, sealed), so it scales with the API pod it
// sits in (deploy/k8s).
import { createServer, type Server } from 'node:http';
import { createTokenService } from '../auth/jwt.js';
import { countRefusedTokens } from '../auth/observed-tokens.js';
import { resolveJwtSecret } from '../auth/secret.js';
import { createMetrics, createMetricsHandler } from '../http/metrics.js';
import { sendJson } from '../http/respond.js';
import { createRequestListener, type Handler } from '../http/router.js';
import { createUpgradeListener } from '../http/upgrade-router.js';
import { listen } from '../http/listen.js';
import { closeGracefully } from '../http/shutdown.js';
import type { Logger } from '../logger.js';
import { createAdapterRoutes } from './adapter-routes.js';
import { createGraphQLExecutor, type GraphQLTransport } from '../adapter/graphql-executor.js';
import { createJsonRpcWebSocketEndpoint } from '../jsonrpc/websocket-endpoint.js';
import { resolveKeyRing } from '../privacy/development-key.js';
import { replayCipher } from '../privacy/replay-cipher.js';
import { sealedIdempotencyStore } from '../rest/idempotency/sealed-idempotency-store.js';
import type { SidecarConfig } from './sidecar-config.js';
import { openSharedStores } from './stores.js';

export interface SidecarServer {
  server: Server;
  /** Listens on config.port/host (0 picks a free port); resolves with the base URL. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

const UPSTREAM_HEALTH_TIMEOUT_MS = 2_000;
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function createSidecarServer(config: SidecarConfig, logger: Logger): Promise<SidecarServer> {
  const metrics = createMetrics(config.serverId);
  // The sidecar checks tokens before forwarding them, so it counts the ones it refuses on its own /metrics, as the API does.
  const tokens = countRefusedTokens(createTokenService((await resolveJwtSecret(config)).value, config.identityProvider), { metrics, logger });
  const stores = openSharedStores({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger });
  // Replays quote the lead's email and phone: sealed like the API's, under the same derived key, so a shared Redis holds no plaintext.
  const idempotency = sealedIdempotencyStore(stores.idempotencyStore(), replayCipher(await resolveKeyRing(config)));
  const executor = createGraphQLExecutor(forwardTo(config.upstreamTimeoutMs), config.graphqlUrl);

  const listener = createRequestListener(
    [
      { method: 'GET', path: '/health', handle: upstreamHealth(new URL('/health', config.graphqlUrl), config.serverId) },
      { method: 'GET', path: '/metrics', handle: createMetricsHandler(metrics) },
      ...createAdapterRoutes({ executor, tokens, logger, idempotency, protectedResource: config }),
    ],
    metrics,
    logger,
    { corsOrigins: config.corsOrigins },
  );
  const server = createServer(listener);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  const jsonRpcSockets = createJsonRpcWebSocketEndpoint({ executor, tokens, logger, protectedResource: config }, metrics, {
    maxPayloadBytes: config.websocketMaxPayloadBytes,
  });
  server.on('upgrade', createUpgradeListener({ '/mcp': jsonRpcSockets.upgrade }, logger));

  return {
    server,
    start: () => listen(server, config.port, config.host),
    async stop() {
      await Promise.all([jsonRpcSockets.close(), closeGracefully(server, listener)]);
      await idempotency.close();
      await stores.close();
    },
  };
}

/** Sends the adapter's GraphQL request over the network; the caller's Authorization header travels in it. */
function forwardTo(timeoutMs: number): GraphQLTransport {
  return (request) => fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
}

/** Healthy when the API it forwards to is: a sidecar without its API serves nothing. */
function upstreamHealth(apiHealth: URL, serverId: string): Handler {
  return async (_request, response) => {
    const upstream = await fetch(apiHealth, { signal: AbortSignal.timeout(UPSTREAM_HEALTH_TIMEOUT_MS) }).then(
      (reply) => (reply.ok ? 'healthy' : 'unhealthy'),
      () => 'unreachable',
    );
    const healthy = upstream === 'healthy';
    sendJson(response, healthy ? 200 : 503, { status: healthy ? 'healthy' : 'unhealthy', timestamp: new Date().toISOString(), server_id: serverId, upstream });
  };
}
