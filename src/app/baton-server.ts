// Wires Baton together from its configuration: stores, the job queue, agents,
// and, by role (BATON_ROLES), the GraphQL API and the adapters and/or the agents'
// workers. Every process serves /health and /metrics; an `api` process also
// serves the doors (and their WebSocket upgrades); an agent process works its queues.
import { createServer, type Server } from 'node:http';
import { createContinuations } from '../agents/handoff/continuations.js';
import { createEngagementAgent } from '../agents/engagement/engagement-agent.js';
import { createEscalationDesk } from '../agents/handoff/escalation-desk.js';
import { createContextSupply } from '../agents/handoff/context-supply.js';
import { createFlowWaiter } from '../agents/flows/flow-waiter.js';
import { createLeadIntake } from '../agents/flows/lead-intake.js';
import { createHandoffOrchestrator } from '../agents/handoff/handoff-orchestrator.js';
import { createManagerNotifier } from '../agents/handoff/manager-notices.js';
import { createHandoffReceipt } from '../agents/handoff/handoff-receipt.js';
import { createOptimizationAgent } from '../agents/optimization/optimization-agent.js';
import { createTriageAgent } from '../agents/triage/triage-agent.js';
import { systemStatus } from '../agents/system-status.js';
import { createTokenService, type TokenService } from '../auth/jwt.js';
import { createAuditLog } from '../audit/audit-log.js';
import { countRefusedTokens } from '../auth/observed-tokens.js';
import { resolveJwtSecret, type JwtSecret } from '../auth/secret.js';
import { resolveKeyRing } from '../privacy/development-key.js';
import { replayCipher } from '../privacy/replay-cipher.js';
import { openPersonalDataCipher, type PersonalDataCipher } from '../privacy/personal-data-cipher.js';
import { createReencryption } from '../privacy/re-encryption.js';
import { reencryptionSchedule } from '../privacy/re-encryption-schedule.js';
import { createLeadEraser } from '../privacy/erasure/erase-lead.js';
import { createRetention } from '../privacy/erasure/retention.js';
import { retentionSchedule } from '../privacy/erasure/retention-schedule.js';
import type { Config } from '../config.js';
import { databaseTarget, openDatabase, type Database } from '../db/database.js';
import { openWhenReachable } from '../db/open-when-reachable.js';
import { readableByOthers } from '../db/private-directory.js';
import type { EventBus } from '../events/event-bus.js';
import { createGraphQLWebSocketEndpoint } from '../graphql/graphql-ws.js';
import { createGraphQLServer, type GraphQLServer } from '../graphql/graphql-server.js';
import { graphqlRoute } from '../graphql/graphql-route.js';
import { createHealthHandler } from '../http/health.js';
import { createDependencies, type DependencyCheck } from '../http/dependencies.js';
import { createMetrics, createMetricsHandler, type Metrics } from '../http/metrics.js';
import { handoffObserver, triageObserver } from './handoff-metrics.js';
import { deliveryObserver } from './delivery-metrics.js';
import { createDeliveryTransports } from '../delivery/transports/transport-selection.js';
import { createRequestListener, type Route } from '../http/router.js';
import { createUpgradeListener, type UpgradeHandler } from '../http/upgrade-router.js';
import { isLoopbackHost, listen } from '../http/listen.js';
import { closeGracefully, SHUTDOWN_GRACE_MS } from '../http/shutdown.js';
import { createLogger, type Logger } from '../logger.js';
import { createGraphQLExecutor } from '../adapter/graphql-executor.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { consolidationSchedule } from '../memory/consolidation/consolidation-schedule.js';
import { consolidationSkipObserver } from './consolidation-metrics.js';
import { triageModelFittedEvent } from './triage-model-events.js';
import { triageModelMetrics } from './triage-model-metrics.js';
import type { ConsolidationReport } from '../memory/consolidation/consolidation.js';
import { createMemory } from '../memory/memory.js';
import { sealedIdempotencyStore } from '../rest/idempotency/sealed-idempotency-store.js';
import { createAdapterRoutes } from './adapter-routes.js';
import { createDashboardRoutes } from '../dashboard/dashboard-routes.js';
import { loadDashboardAssets } from '../dashboard/dashboard-assets.js';
import { createDeliveryEventReceiver } from '../delivery/inbound/receive-delivery-events.js';
import { deliveryEventsRoute } from '../rest/delivery-events/delivery-events-route.js';
import { createJsonRpcWebSocketEndpoint } from '../jsonrpc/websocket-endpoint.js';
import type { Services } from '../schema/context.js';
import { agentJobHandlers, isAgentRole } from './agent-workers.js';
import { openJobQueue } from './jobs.js';
import { openSharedStores } from './stores.js';

export interface BatonServer {
  config: Config;
  database: Database;
  eventBus: EventBus;
  jobs: JobQueue;
  services: Services;
  tokens: TokenService;
  jwtSecret: JwtSecret;
  /** Seals people's data before it is stored, opens it when read (src/privacy/personal-data-cipher.ts). */
  cipher: PersonalDataCipher;
  /**
   * Only when Baton generated its secret (no JWT_SECRET) and listens on a loopback address: an admin
   * token, printed at start-up and pre-filled in GraphiQL.
   */
  developmentToken: string | undefined;
  metrics: Metrics;
  /** Null in a process without the `api` role. */
  yoga: GraphQLServer | null;
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

/** How long start-up waits for Redis before going on without it. */
const REDIS_START_WAIT_MS = 2_000;

export async function createBatonServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel, config.serverId),
  { now }: BatonServerOptions = {},
): Promise<BatonServer> {
  const metrics = createMetrics(config.serverId);
  await warnWhenDataDirIsShared(config, logger);
  const jwtSecret = await resolveJwtSecret(config);
  const tokens = countRefusedTokens(createTokenService(jwtSecret.value, config.identityProvider), { metrics, logger });
  // Before the database: a malformed DATA_ENCRYPTION_KEY is refused at once, not after a wait for PostgreSQL.
  const keyRing = await resolveKeyRing(config);
  const target = databaseTarget(config);
  const database = await openWhenReachable(
    () => openDatabase(target, (error) => logger.warn({ err: error }, 'database listener connection lost; reconnecting')),
    config.databaseUrl ?? '',
    target.kind === 'postgres' ? config.databaseStartTimeoutMs : 0,
    logger,
  );
  if (database.appliedMigrations.length > 0) logger.info({ migrations: database.appliedMigrations }, 'applied migrations');
  const cipher = await openPersonalDataCipher(database.prisma, keyRing);
  database.onQuery((_statement, durationMs) => metrics.databaseQueryDuration.observe(durationMs / 1000));
  metrics.watchDatabasePool(() => database.connections());
  const stores = openSharedStores({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger });
  // Redis is optional at run time: Baton starts without it, degraded, and picks it up when it answers.
  if (!(await stores.ready(REDIS_START_WAIT_MS))) logger.warn('Redis does not answer: starting degraded');
  const checks: DependencyCheck[] = [{ name: 'database', required: true, up: () => database.prisma.$queryRaw`SELECT 1`.then(() => true) }];
  if (stores.redisUp() !== null) checks.push({ name: 'redis', required: false, up: () => stores.redisUp() === true });
  const dependencies = createDependencies(checks, metrics);
  metrics.watchDependencies(() => dependencies.check());
  const eventBus = stores.eventBus(database.kind === 'postgres' ? database.notifications : undefined);
  // Replays quote the lead's email and phone: sealed in Redis or the heap (the standalone sidecar has no data keys: see its header).
  const idempotency = sealedIdempotencyStore(stores.idempotencyStore(), replayCipher(keyRing));
  const rateLimiter = stores.rateLimiter({ perMinute: config.rateLimitPerMinute, now });
  const shortTerm = stores.shortTermMemory({ defaultTtlSeconds: config.shortTermTtlSeconds, maxEntries: config.shortTermMaxEntries });
  const jobs = await openJobQueue(config, database, logger);
  metrics.watchQueues(() => jobs.depths());

  const pubsub = eventBus.pubsub;
  const onSkippedRecord = consolidationSkipObserver(metrics);
  const countTriageFits = triageModelMetrics(metrics, database.prisma);
  const onReport = (report: ConsolidationReport) => {
    countTriageFits(report);
    const fitted = triageModelFittedEvent(report);
    if (fitted) void pubsub.publish('triage-model:fitted', fitted);
  };
  const memory = await createMemory(
    config,
    { prisma: database.prisma, shortTerm, cipher, onSkippedRecord, onReport },
    logger,
    (tier, operation, outcome, seconds) => metrics.memoryOperationDuration.observe({ tier, operation, outcome }, seconds),
  );

  const observe = handoffObserver(metrics);
  const triage = createTriageAgent({ triageModel: () => memory.triageModels.current(), episodes: memory.episodes, profiles: memory.profiles });
  const engagement = createEngagementAgent({ prisma: database.prisma, cipher, semantic: memory.semantic, jobs });
  const optimization = createOptimizationAgent({ prisma: database.prisma });
  const notifyManagers = createManagerNotifier({ jobs, managerEmails: config.managerEmails, cipher });
  const orchestrator = createHandoffOrchestrator({ jobs, pubsub, cipher, observe, notifyManagers });
  const receipt = createHandoffReceipt({ prisma: database.prisma, pubsub, orchestrator, observe, cipher });
  const waiter = createFlowWaiter(pubsub);
  const schedule =
    config.consolidationIntervalSeconds > 0
      ? consolidationSchedule({
          prisma: database.prisma,
          jobs,
          consolidator: memory.consolidator,
          intervalMs: config.consolidationIntervalSeconds * 1000,
          logger,
        })
      : null;
  const reencryption = createReencryption({ prisma: database.prisma, cipher });
  const reencryptionJobs = reencryptionSchedule({ prisma: database.prisma, jobs, reencryption, logger });
  const audit = createAuditLog(database.prisma);
  const retention =
    config.retentionDays > 0
      ? retentionSchedule({
          prisma: database.prisma,
          jobs,
          retention: createRetention({
            prisma: database.prisma,
            shortTerm: memory.shortTerm,
            semantic: memory.semantic,
            idempotency,
            audit,
            retentionDays: config.retentionDays,
          }),
          logger,
        })
      : null;
  const transports = createDeliveryTransports(config.delivery);
  const handlers = agentJobHandlers(config.roles, {
    prisma: database.prisma,
    cipher,
    pubsub,
    orchestrator,
    receipt,
    triage,
    engagement,
    optimization,
    shortTerm: memory.shortTerm,
    memory,
    lowQualityPolicy: config.lowQualityPolicy,
    consolidation: schedule,
    reencryption: reencryptionJobs,
    retention,
    observeTriage: triageObserver(metrics),
    delivery: { jobs, transports, retry: config.delivery, observe: deliveryObserver(metrics) },
    onShortTermSkipped(operation, error) {
      metrics.degradedOperations.inc({ dependency: 'redis', operation: `short_term_${operation}` });
      logger.warn({ err: error, operation }, 'short-term memory skipped: Redis does not answer');
    },
  });

  const startedAt = new Date();
  const services: Services = {
    systemStatus: () => systemStatus({ prisma: database.prisma, memory, serverId: config.serverId, startedAt, dependencies }),
    prisma: database.prisma,
    cipher,
    reencryption,
    pubsub,
    memory,
    optimization,
    orchestrator,
    escalations: createEscalationDesk({
      prisma: database.prisma,
      orchestrator,
      cipher,
      continuations: createContinuations({ prisma: database.prisma, cipher, engagement, orchestrator }),
    }),
    leads: createLeadIntake({
      prisma: database.prisma,
      cipher,
      pubsub,
      jobs,
      triage,
      waiter,
      waitMs: config.processWaitMs,
      resubmissionWindowMs: config.resubmissionWindowSeconds * 1000,
    }),
    erasure: createLeadEraser({ prisma: database.prisma, cipher, shortTerm: memory.shortTerm, semantic: memory.semantic, idempotency, logger }),
    handoffContext: createContextSupply({ prisma: database.prisma, jobs, orchestrator, cipher }),
    audit,
  };
  // Only for a server that answers this machine alone: on any other interface, whoever reaches GraphiQL would get it.
  const developmentToken = jwtSecret.generated && isLoopbackHost(config.host) ? await tokens.sign({ subject: 'admin', roles: ['admin'] }) : undefined;
  const api = config.roles.includes('api');
  const yoga = api
    ? createGraphQLServer({
        services,
        tokens,
        rateLimiter,
        metrics,
        logger,
        graphiqlToken: developmentToken,
        graphiql: config.graphiql,
        introspection: config.graphqlIntrospection,
        protectedResource: config,
      })
    : null;

  const routes: Route[] = [
    { method: 'GET', path: '/health', handle: createHealthHandler(dependencies, config.serverId) },
    { method: 'GET', path: '/metrics', handle: createMetricsHandler(metrics) },
  ];
  const upgrades: Record<string, UpgradeHandler> = {};
  const closeDoors: (() => Promise<void>)[] = [];
  if (yoga) {
    // The adapters call the API the way a sidecar would, minus the network hop and
    // a second token check: the principal they verified rides in Yoga's server context.
    const executor = createGraphQLExecutor((request, { principal, origin }) => yoga.fetch(request, { principal, origin }), 'http://baton.internal/graphql');
    routes.push(
      {
        path: '/graphql',
        handle: graphqlRoute(yoga),
        unavailableBody: (message, retryAfterSeconds) => ({ errors: [{ message, extensions: { code: 'UNAVAILABLE', retryAfterSeconds } }] }),
      },
      ...createAdapterRoutes({ executor, tokens, logger, idempotency, protectedResource: config }),
      // Signed by the provider, not a GraphQL operation: see the route's header.
      deliveryEventsRoute({ secret: config.delivery.webhookSecret, receiver: createDeliveryEventReceiver({ prisma: database.prisma, cipher }) }),
      // The marketing dashboard at `/`: a client of the GraphQL API above (dashboard/).
      ...createDashboardRoutes(await loadDashboardAssets(), { oidc: config.dashboardOidc }),
    );
    const graphqlSockets = createGraphQLWebSocketEndpoint(yoga, tokens, metrics, config.websocket, logger);
    const jsonRpcSockets = createJsonRpcWebSocketEndpoint({ executor, tokens, logger, protectedResource: config }, metrics, config.websocket);
    upgrades['/graphql'] = graphqlSockets.upgrade;
    upgrades['/mcp'] = jsonRpcSockets.upgrade;
    closeDoors.push(
      () => graphqlSockets.close(),
      () => jsonRpcSockets.close(),
    );
  }
  const listener = createRequestListener(routes, metrics, logger, { corsOrigins: config.corsOrigins });
  const server = createServer(listener);
  // Idle keep-alive connections outlive the load balancer's (60 s on AWS ALB), so the
  // balancer, never Baton, closes them: otherwise a request racing the close is reset.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  server.on('upgrade', createUpgradeListener(upgrades, logger));

  return {
    config,
    database,
    eventBus,
    services,
    tokens,
    jwtSecret,
    cipher,
    developmentToken,
    metrics,
    jobs,
    yoga,
    server,
    async start() {
      const url = await listen(server, config.port, config.host);
      if (Object.keys(handlers).length > 0) await jobs.work(handlers, { concurrency: config.workerConcurrency });
      if (schedule && config.roles.some(isAgentRole)) await schedule.arm();
      if (config.roles.some(isAgentRole)) await reencryptionJobs.armAfterStart();
      // The first retention run comes at start (unless one is already scheduled); then hourly.
      if (retention && config.roles.some(isAgentRole)) await retention.arm(new Date());
      return url;
    },
    async stop() {
      // From here every new request is answered 503 + Retry-After + Connection: close before it
      // stores anything, while the server still listens: the requests under way finish, and a
      // client (or load balancer) is told to retry instead of finding the port closed. Only then
      // does the server stop listening (closeGracefully, with the rest of the grace), while the
      // WebSocket doors close their sockets (bounded: src/http/bounded-websockets.ts).
      listener.refuseNew();
      await listener.drain(Date.now() + SHUTDOWN_GRACE_MS / 2);
      await Promise.all([...closeDoors.map((close) => close()), closeGracefully(server, listener, SHUTDOWN_GRACE_MS / 2)]);
      // Running jobs finish (their steps commit or roll back whole); queued ones wait for the next worker.
      await jobs.stop();
      await transports.close();
      await waiter.close();
      await memory.close();
      await idempotency.close();
      await rateLimiter.close();
      await stores.close();
      await database.close();
    },
  };
}

/** Before anything is written there: an existing DATA_DIR others can read (an older Baton made it 755) is named in a warning. */
async function warnWhenDataDirIsShared(config: Config, logger: Logger): Promise<void> {
  if (config.databaseUrl && config.jwtSecret) return; // nothing of Baton's under DATA_DIR
  const shared = await readableByOthers(config.dataDir);
  if (shared.length === 0) return;
  logger.warn(
    { data_dir: config.dataDir, readable_by_others: shared },
    `DATA_DIR is readable by other users of this machine, and holds leads' data and the JWT secret: chmod -R go-rwx ${config.dataDir}`,
  );
}
