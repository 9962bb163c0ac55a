// Wires Baton together from its configuration: stores, agents, the GraphQL API
// and the adapters, behind one HTTP server (and its WebSocket upgrades).
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { createContinuations } from '../agents/handoff/continuations.js';
import { createEngagementAgent } from '../agents/engagement/engagement-agent.js';
import { createEscalationDesk } from '../agents/handoff/escalation-desk.js';
import { createHandoffOrchestrator } from '../agents/handoff/handoff-orchestrator.js';
import { createLeadPipeline } from '../agents/lead-pipeline.js';
import { createOptimizationAgent } from '../agents/optimization/optimization-agent.js';
import { systemStatus } from '../agents/system-status.js';
import { createTokenService, type TokenService } from '../auth/jwt.js';
import { resolveJwtSecret, type JwtSecret } from '../auth/secret.js';
import type { Config } from '../config.js';
import { databaseTarget, openDatabase, type Database } from '../db/database.js';
import type { EventBus } from '../events/event-bus.js';
import { serveGraphQLOverWebSocket } from '../graphql/graphql-ws.js';
import { createGraphQLServer, type GraphQLServer } from '../graphql/graphql-server.js';
import { createHealthHandler } from '../http/health.js';
import { createMetrics, createMetricsHandler, type Metrics } from '../http/metrics.js';
import { handoffObserver } from './handoff-metrics.js';
import { createRequestListener, type Route } from '../http/router.js';
import { createUpgradeListener } from '../http/upgrade-router.js';
import { listen } from '../http/listen.js';
import { closeGracefully } from '../http/shutdown.js';
import { createLogger, type Logger } from '../logger.js';
import { createGraphQLExecutor } from '../adapter/graphql-executor.js';
import { createMemory } from '../memory/memory.js';
import { createAdapterRoutes } from './adapter-routes.js';
import { createJsonRpcWebSocketEndpoint } from '../jsonrpc/websocket-endpoint.js';
import type { Services } from '../schema/context.js';
import { openSharedStores } from './stores.js';

export interface BatonServer {
  config: Config;
  database: Database;
  eventBus: EventBus;
  services: Services;
  tokens: TokenService;
  jwtSecret: JwtSecret;
  /** Only when Baton generated its secret (no JWT_SECRET): an admin token, printed at start-up and pre-filled in GraphiQL. */
  developmentToken: string | undefined;
  metrics: Metrics;
  yoga: GraphQLServer;
  server: Server;
  /** Listens on config.port/host (0 picks a free port); resolves with the base URL. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

export interface BatonServerOptions {
  /** The clock (epoch ms) the rate limiter counts its windows by; tests pass one they control. */
  now?: () => number;
}

const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function createBatonServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel, config.serverId),
  { now }: BatonServerOptions = {},
): Promise<BatonServer> {
  const metrics = createMetrics(config.serverId);
  const jwtSecret = await resolveJwtSecret(config);
  const tokens = createTokenService(jwtSecret.value);
  const database = await openDatabase(databaseTarget(config));
  if (database.appliedMigrations.length > 0) logger.info({ migrations: database.appliedMigrations }, 'applied migrations');
  database.onQuery((_statement, durationMs) => metrics.databaseQueryDuration.observe(durationMs / 1000));
  metrics.watchDatabasePool(() => database.connections());
  const stores = openSharedStores({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger });
  const eventBus = stores.eventBus();
  const idempotency = stores.idempotencyStore();
  const rateLimiter = stores.rateLimiter({ perMinute: config.rateLimitPerMinute, now });
  const shortTerm = stores.shortTermMemory({ defaultTtlSeconds: config.shortTermTtlSeconds, maxEntries: config.shortTermMaxEntries });

  const memory = await createMemory(config, { prisma: database.prisma, shortTerm }, logger, (tier, operation, outcome, seconds) =>
    metrics.memoryOperationDuration.observe({ tier, operation, outcome }, seconds),
  );

  const engagement = createEngagementAgent({ prisma: database.prisma, semantic: memory.semantic });
  const optimization = createOptimizationAgent({ prisma: database.prisma });
  const orchestrator = createHandoffOrchestrator({ observe: handoffObserver(metrics) });
  const startedAt = new Date();
  const services: Services = {
    systemStatus: () => systemStatus({ prisma: database.prisma, memory, serverId: config.serverId, startedAt }),
    prisma: database.prisma,
    pubsub: eventBus.pubsub,
    memory,
    optimization,
    orchestrator,
    escalations: createEscalationDesk({
      prisma: database.prisma,
      pubsub: eventBus.pubsub,
      observe: handoffObserver(metrics),
      continuations: createContinuations({ prisma: database.prisma, engagement }),
    }),
    leadPipeline: createLeadPipeline({
      prisma: database.prisma,
      pubsub: eventBus.pubsub,
      triageModel: () => memory.triageModels.current(),
      episodes: memory.episodes,
      profiles: memory.profiles,
      shortTerm: memory.shortTerm,
      engagement,
      optimization,
      orchestrator,
    }),
  };
  const developmentToken = jwtSecret.generated ? await tokens.sign({ subject: 'admin', roles: ['admin'] }) : undefined;
  const yoga = createGraphQLServer({ services, tokens, rateLimiter, metrics, logger, graphiqlToken: developmentToken });
  // The adapters call the API the way a sidecar would, minus the network hop and
  // a second token check: the principal they verified rides in Yoga's server context.
  const executor = createGraphQLExecutor((request, { principal }) => yoga.fetch(request, { principal }), 'http://baton.internal/graphql');

  const routes: Route[] = [
    { method: 'GET', path: '/health', handle: createHealthHandler(database.prisma, config.serverId) },
    { method: 'GET', path: '/metrics', handle: createMetricsHandler(metrics) },
    { path: '/graphql', handle: (request, response) => yoga(request, response) },
    ...createAdapterRoutes({ executor, tokens, logger, idempotency }),
  ];
  const listener = createRequestListener(routes, metrics, logger);
  const server = createServer(listener);
  // Idle keep-alive connections outlive the load balancer's (60 s on AWS ALB), so the
  // balancer, never Baton, closes them: otherwise a request racing the close is reset.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  const graphqlSockets = new WebSocketServer({ noServer: true });
  const graphqlWs = serveGraphQLOverWebSocket(graphqlSockets, yoga, tokens, metrics);
  const jsonRpcSockets = createJsonRpcWebSocketEndpoint({ executor, tokens, logger }, metrics);
  server.on(
    'upgrade',
    createUpgradeListener(
      {
        '/graphql': (request, socket, head) => graphqlSockets.handleUpgrade(request, socket, head, (ws) => graphqlSockets.emit('connection', ws, request)),
        '/mcp': jsonRpcSockets.upgrade,
      },
      logger,
    ),
  );

  return {
    config,
    database,
    eventBus,
    services,
    tokens,
    jwtSecret,
    developmentToken,
    metrics,
    yoga,
    server,
    start: () => listen(server, config.port, config.host),
    async stop() {
      await graphqlWs.dispose();
      await jsonRpcSockets.close();
      await closeGracefully(server, listener);
      await memory.close();
      await idempotency.close();
      await rateLimiter.close();
      await stores.close();
      await database.close();
    },
  };
}
