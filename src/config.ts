// Environment → typed, validated configuration. Read once at start-up; every
// store implementation is chosen from here (embedded by default, real services
// when their URL is set).
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .pipe(z.url().optional())
  .optional();

/** `true`/`false` (or 1/0); unset leaves the default to NODE_ENV. */
const flag = z
  .enum(['true', 'false', '1', '0'], 'must be true or false')
  .transform((value) => value === 'true' || value === '1')
  .optional();

/** Comma-separated origins (`https://app.example.com`), exactly as a browser sends its Origin header. */
const corsOrigins = z
  .string()
  .transform((value, context) => {
    const origins = value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
    const bad = origins.filter((origin) => !isOrigin(origin));
    if (bad.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `must list origins such as https://app.example.com, comma-separated, no path and no * (got ${bad.join(', ')})`,
      });
      return z.NEVER;
    }
    return origins;
  })
  .optional();

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

// Tokens from an identity provider (src/auth/identity-provider.ts uses them).
export interface IdentityProviderConfig {
  /** JWT_JWKS_URL: the provider's JSON Web Key Set (keys fetched, cached, refetched on an unknown `kid`). */
  jwksUrl: string;
  /** JWT_ISSUER: the `iss` its tokens must carry (also the authorization server named in /.well-known/oauth-protected-resource). */
  issuer: string;
  /** JWT_AUDIENCE: the `aud` its tokens must carry (Baton's client or API identifier at the provider). */
  audience: string;
  /** JWT_ROLES_CLAIM: where the roles are (`roles`, `realm_access.roles`, `https://baton.example/roles`). */
  rolesClaim: string;
  /** JWT_JWKS_COOLDOWN_MS: the least time between two fetches of the key set (jose's cooldownDuration). */
  jwksCooldownMs: number;
}

const identityProviderEnvironment = {
  JWT_JWKS_URL: z
    .string()
    .trim()
    .transform((value) => value || undefined)
    .pipe(z.url({ protocol: /^https?$/ }).optional())
    .optional(),
  JWT_ISSUER: z.string().trim().min(1).optional(),
  JWT_AUDIENCE: z.string().trim().min(1).optional(),
  JWT_ROLES_CLAIM: z.string().trim().min(1).default('roles'),
  JWT_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
};

type IdentityProviderEnvironment = z.infer<z.ZodObject<typeof identityProviderEnvironment>>;

/**
 * Undefined without JWT_JWKS_URL; JWT_ISSUER and JWT_AUDIENCE are required with it (a token the
 * provider issued to any other client or tenant would pass otherwise). Problems are returned for
 * config.ts to name in its ConfigError.
 */
function identityProviderOf(e: IdentityProviderEnvironment): IdentityProviderConfig | { problems: string[] } | undefined {
  if (!e.JWT_JWKS_URL) return undefined;
  const problems = [
    ...(e.JWT_ISSUER ? [] : ['JWT_ISSUER: required when JWT_JWKS_URL is set (the "iss" of the identity provider\'s tokens)']),
    ...(e.JWT_AUDIENCE ? [] : ['JWT_AUDIENCE: required when JWT_JWKS_URL is set (the "aud" the identity provider gives tokens for Baton)']),
  ];
  if (problems.length > 0) return { problems };
  return { jwksUrl: e.JWT_JWKS_URL, issuer: e.JWT_ISSUER!, audience: e.JWT_AUDIENCE!, rolesClaim: e.JWT_ROLES_CLAIM, jwksCooldownMs: e.JWT_JWKS_COOLDOWN_MS };
}

// The dashboard's sign-in through the identity provider (src/dashboard/dashboard-config.ts hands it to the browser).
export interface DashboardOidcConfig {
  /** JWT_ISSUER: the provider the dashboard discovers (its /.well-known/openid-configuration) and signs in at. */
  issuer: string;
  /** DASHBOARD_OIDC_CLIENT_ID: the dashboard's public client at the provider (no secret: code flow with PKCE). */
  clientId: string;
  /** DASHBOARD_OIDC_SCOPES: what the dashboard asks for, space-separated (`openid profile` by default). */
  scopes: string;
  /** DASHBOARD_OIDC_RESOURCE: the RFC 8707 resource indicator sent with the request, for providers that need one to issue a token for Baton. */
  resource: string | undefined;
}

const dashboardOidcEnvironment = {
  DASHBOARD_OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  DASHBOARD_OIDC_SCOPES: z
    .string()
    .trim()
    .default('openid profile')
    .refine((scopes) => scopes.split(/\s+/).includes('openid'), 'must include openid (the sign-in is OpenID Connect)'),
  DASHBOARD_OIDC_RESOURCE: optionalUrl,
};

/** Undefined without DASHBOARD_OIDC_CLIENT_ID; with it, the provider must be configured (its tokens are what Baton then verifies). */
export function dashboardOidcOf(
  e: z.infer<z.ZodObject<typeof dashboardOidcEnvironment>>,
  identityProvider: IdentityProviderConfig | undefined,
): DashboardOidcConfig | undefined {
  if (!e.DASHBOARD_OIDC_CLIENT_ID) return undefined;
  if (!identityProvider) {
    throw new ConfigError(
      'Invalid configuration:\n  DASHBOARD_OIDC_CLIENT_ID: needs JWT_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE (Baton must accept the tokens the dashboard signs in for)',
    );
  }
  return {
    issuer: identityProvider.issuer,
    clientId: e.DASHBOARD_OIDC_CLIENT_ID,
    scopes: e.DASHBOARD_OIDC_SCOPES.split(/\s+/).join(' '),
    resource: e.DASHBOARD_OIDC_RESOURCE,
  };
}

/** Settings the API and the standalone adapter sidecar (src/app/sidecar-server.ts) read alike. */
export const sharedEnvironment = {
  DATA_DIR: z.string().min(1).default('./.data'),
  REDIS_URL: optionalUrl,
  REDIS_KEY_PREFIX: z.string().default('baton:'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters (HS256 needs a 256-bit key)').optional(),
  /** JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_ROLES_CLAIM, JWT_JWKS_COOLDOWN_MS (src/auth/identity-provider.ts). */
  ...identityProviderEnvironment,
  /** The URL clients reach Baton at (behind a proxy); names /mcp in its protected-resource metadata. */
  PUBLIC_URL: optionalUrl,
  /** The authorization server named in that metadata when it is not JWT_ISSUER. */
  OAUTH_AUTHORIZATION_SERVER: optionalUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVER_ID: z.string().min(1).optional(),
  NODE_ENV: z.string().default('development'),
  CORS_ORIGINS: corsOrigins,
  /** The largest WebSocket message read on /graphql and /mcp; a bigger one closes its socket (1009). */
  WS_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
};

/** CORS_ORIGINS, or the default of NODE_ENV: none in production, loopback pages otherwise (src/http/cors.ts). */
export function corsOriginsOf(e: { NODE_ENV: string; CORS_ORIGINS?: string[] | undefined }): readonly string[] | 'loopback' {
  return e.CORS_ORIGINS ?? (e.NODE_ENV === 'production' ? [] : 'loopback');
}

/** The identity provider's settings, or the ConfigError naming what is missing. */
export function identityProviderFrom(e: Parameters<typeof identityProviderOf>[0]): IdentityProviderConfig | undefined {
  const provider = identityProviderOf(e);
  if (provider && 'problems' in provider) throw new ConfigError(`Invalid configuration:\n  ${provider.problems.join('\n  ')}`);
  return provider;
}

/** What a process does: serve the API, and/or work an agent's queue, and/or send the outbox (`delivery`). */
export const ROLES = ['api', 'triage', 'engagement', 'optimization', 'delivery'] as const;
export type Role = (typeof ROLES)[number];

const roles = z
  .string()
  .trim()
  .default(ROLES.join(','))
  .transform((value, context) => {
    const given = value
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean);
    const unknown = given.filter((role) => !(ROLES as readonly string[]).includes(role));
    if (unknown.length > 0 || given.length === 0) {
      context.addIssue({ code: 'custom', message: `must list roles among ${ROLES.join(', ')}, comma-separated (got "${value}")` });
      return z.NEVER;
    }
    return [...new Set(given)] as Role[];
  });

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: optionalUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_START_TIMEOUT_S: z.coerce.number().int().min(0).max(3600).default(30),
  NEO4J_URL: optionalUrl,
  NEO4J_USER: z.string().default('neo4j'),
  NEO4J_PASSWORD: z.string().optional(),
  SHORT_TERM_TTL_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(86_400),
  SHORT_TERM_MAX_ENTRIES: z.coerce.number().int().min(1).default(100_000),
  CONSOLIDATION_INTERVAL_S: z.coerce.number().int().min(0).default(60),
  TRIAGE_HALF_LIFE_DAYS: z.coerce.number().min(0, 'TRIAGE_HALF_LIFE_DAYS must be 0 (no decay) or a positive number of days').default(365),
  REPLY_WINDOW_DAYS: z.coerce.number().min(0).default(14),
  RETENTION_DAYS: z.coerce.number().int('RETENTION_DAYS must be a whole number of days').min(0).default(0),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  BATON_ROLES: roles,
  PROCESS_WAIT_MS: z.coerce.number().int().min(0).max(120_000).default(5_000),
  RESUBMISSION_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
  WORKER_HEARTBEAT_S: z.coerce.number().min(1).max(300).default(5),
  SMTP_URL: optionalUrl,
  SMTP_FROM: z.string().trim().min(1).optional(),
  WEBHOOK_URL: optionalUrl,
  WEBHOOK_SECRET: z.string().min(16, 'WEBHOOK_SECRET must be at least 16 characters').optional(),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  DELIVERY_BACKOFF_MS: z.coerce.number().int().min(0).default(30_000),
  DELIVERY_BACKOFF_MAX_MS: z.coerce.number().int().min(0).default(3_600_000),
  MANAGER_EMAILS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.email('MANAGER_EMAILS must be comma-separated email addresses'))),
  HANDOFF_LOW_QUALITY_POLICY: z.enum(['request_context', 'escalate']).default('request_context'),
  GRAPHQL_INTROSPECTION: flag,
  GRAPHIQL: flag,
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(10_000).default(100),
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3_000),
  /** Parsed at start by src/privacy/key-ring.ts, which names what is wrong with it. */
  DATA_ENCRYPTION_KEY: z.string().optional(),
  /** DASHBOARD_OIDC_CLIENT_ID, DASHBOARD_OIDC_SCOPES, DASHBOARD_OIDC_RESOURCE: the dashboard's sign-in at JWT_ISSUER. */
  ...dashboardOidcEnvironment,
  ...sharedEnvironment,
});

export interface Config {
  port: number;
  host: string;
  /** Absolute directory for embedded data (PGlite files, generated JWT secret). */
  dataDir: string;
  /** Real PostgreSQL when set; embedded PGlite under `dataDir` otherwise. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** How long start-up retries a PostgreSQL that does not answer before exiting 1 (DATABASE_START_TIMEOUT_S). */
  databaseStartTimeoutMs: number;
  /** Redis for pub/sub and short-term memory when set; in-process otherwise. */
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  /** Semantic memory in Neo4j when set; PostgreSQL tables otherwise. */
  neo4jUrl: string | undefined;
  neo4jUser: string;
  neo4jPassword: string | undefined;
  /** Conversation contexts expire this long after their last write. */
  shortTermTtlSeconds: number;
  /** An outcome's weight in the triage model halves every this many days of age; null: no decay (TRIAGE_HALF_LIFE_DAYS=0). */
  triageHalfLifeDays: number | null;
  /** In-process short-term memory evicts the least recently used context beyond this. */
  shortTermMaxEntries: number;
  /** Seconds between scheduled consolidation runs; 0 runs it only on demand. */
  consolidationIntervalSeconds: number;
  /** A touchpoint unanswered for this long becomes an IGNORED episode. */
  replyWindowDays: number;
  /** Leads with no activity for this many days are anonymized (src/privacy/erasure/retention.ts); 0: kept. */
  retentionDays: number;
  /** GraphQL operations one caller may run per minute, across replicas with Redis; 0 is unlimited. */
  rateLimitPerMinute: number;
  /** What this process does: the API, and the agents whose queues it works. All of them by default. */
  roles: Role[];
  /** How long processLead and POST /api/v1/leads wait for a flow to settle before answering it in progress. */
  processWaitMs: number;
  /**
   * A lead submitted again with the same data within this many seconds of its latest
   * flow is that flow again: nothing runs twice (no second triage, no second
   * touchpoint). Later, or with changed data, it is a re-engagement: a new flow.
   * 0 makes every submission a new flow. A day by default.
   */
  resubmissionWindowSeconds: number;
  /** Jobs one worker process runs at a time. */
  workerConcurrency: number;
  /** How often a worker process says it is alive; three silent periods and its jobs go back to the queue. */
  workerHeartbeatMs: number;
  /** How the delivery worker sends the outbox (README "Delivery"). */
  delivery: DeliveryConfig;
  /**
   * Who is told of each new escalation (MANAGER_EMAILS, comma-separated): one MANAGER_NOTICE email
   * per address is scheduled in the escalation's transaction. Empty: one notice to the recipient
   * `managers`, which the delivery worker hands to the webhook or the local mailbox.
   */
  managerEmails: string[];
  /**
   * A handoff whose context packet is still not above the 0.7 quality gate after
   * enrichment from memory: `request_context` (default) holds it in
   * CONTEXT_REQUESTED until an operator supplies what it lacks
   * (provideHandoffContext, POST /api/v1/handoffs/{id}/context); `escalate` hands
   * it to a manager instead.
   */
  lowQualityPolicy: LowQualityPolicy;
  /**
   * NODE_ENV=production tightens the defaults of these three (and of `host`).
   * Origins whose browser pages may call Baton (CORS_ORIGINS; src/http/cors.ts). Unset: none in
   * production; pages served from a loopback address (localhost, 127.0.0.1, [::1], any port) otherwise.
   */
  corsOrigins: readonly string[] | 'loopback';
  /** GRAPHQL_INTROSPECTION: schema introspection over the API; off by default in production (the adapters do not need it). */
  graphqlIntrospection: boolean;
  /** GRAPHIQL: GraphiQL on GET /graphql; off by default in production. */
  graphiql: boolean;
  /** Limits on every WebSocket (README "Configuration"). */
  websocket: WebSocketLimits;
  /** Unset means: generate one under `dataDir` and print an admin token (unless an identity provider is set). */
  jwtSecret: string | undefined;
  /**
   * DATA_ENCRYPTION_KEY: the key-encryption keys, `id:base64,...`, newest first (src/privacy/key-ring.ts).
   * Unset means: generate one under `dataDir` (src/privacy/development-key.ts); production refuses to start without it.
   */
  dataEncryptionKey: string | undefined;
  /** JWT_JWKS_URL and friends: RS256/ES256 tokens from an identity provider, besides JWT_SECRET's HS256. */
  identityProvider: IdentityProviderConfig | undefined;
  /** DASHBOARD_OIDC_CLIENT_ID and friends: the dashboard signs in at the identity provider (code flow with PKCE); unset: tokens are pasted. */
  dashboardOidc: DashboardOidcConfig | undefined;
  /** PUBLIC_URL (no trailing slash): Baton's public address; unset, the request's own Host (src/http/protected-resource.ts). */
  publicUrl: string | undefined;
  /** OAUTH_AUTHORIZATION_SERVER, else JWT_ISSUER: where MCP clients are told to get tokens. */
  authorizationServer: string | undefined;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  serverId: string;
}

export interface DeliveryConfig {
  /** SMTP_URL (smtp:// or smtps://, credentials in the URL): email goes out through it when set. */
  smtpUrl: string | undefined;
  /** SMTP_FROM: the From address of email; required with SMTP_URL. */
  smtpFrom: string | undefined;
  /** WEBHOOK_URL: SMS, LinkedIn, calls (as CRM tasks) and, without SMTP, email are POSTed here, signed. */
  webhookUrl: string | undefined;
  /**
   * WEBHOOK_SECRET: the HMAC-SHA256 key of the Baton-Signature header (src/delivery/webhook-signature.ts),
   * both ways: the webhook transport signs what it posts (required with WEBHOOK_URL), and providers sign
   * the events they post to /api/v1/events/deliveries (unset: that endpoint refuses every event).
   */
  webhookSecret: string | undefined;
  /** Tries of a message before it is FAILED (transient failures only; a permanent one fails it at once). */
  maxAttempts: number;
  /** The base of the exponential backoff between tries (full jitter), and its ceiling. */
  backoffMs: number;
  backoffMaxMs: number;
}
export type LowQualityPolicy = 'request_context' | 'escalate';

export interface WebSocketLimits {
  /** WS_MAX_PAYLOAD_BYTES: the largest message read on any WebSocket; a bigger one closes the socket with 1009. */
  maxPayloadBytes: number;
  /** WS_MAX_SUBSCRIPTIONS: operations one graphql-ws socket runs at once; one more is answered with an error, the socket stays open. */
  maxSubscriptions: number;
  /** WS_CONNECTION_INIT_TIMEOUT_MS: a graphql-ws socket without `connection_init` this long after it opened is closed (4408). */
  connectionInitTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnvironment(environmentSchema, env);
  return {
    port: e.PORT,
    // Development listens on loopback only (what `npm start` on a laptop wants, and where the printed
    // admin token is safe); production, as the image and the manifests set explicitly, on every interface.
    host: e.HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseStartTimeoutMs: e.DATABASE_START_TIMEOUT_S * 1000,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    neo4jUrl: e.NEO4J_URL,
    neo4jUser: e.NEO4J_USER,
    neo4jPassword: e.NEO4J_PASSWORD,
    shortTermTtlSeconds: e.SHORT_TERM_TTL_S,
    triageHalfLifeDays: e.TRIAGE_HALF_LIFE_DAYS > 0 ? e.TRIAGE_HALF_LIFE_DAYS : null,
    shortTermMaxEntries: e.SHORT_TERM_MAX_ENTRIES,
    consolidationIntervalSeconds: e.CONSOLIDATION_INTERVAL_S,
    replyWindowDays: e.REPLY_WINDOW_DAYS,
    retentionDays: e.RETENTION_DAYS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    roles: e.BATON_ROLES,
    processWaitMs: e.PROCESS_WAIT_MS,
    resubmissionWindowSeconds: e.RESUBMISSION_WINDOW_SECONDS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerHeartbeatMs: e.WORKER_HEARTBEAT_S * 1000,
    delivery: deliveryConfig(e),
    managerEmails: e.MANAGER_EMAILS,
    lowQualityPolicy: e.HANDOFF_LOW_QUALITY_POLICY,
    corsOrigins: corsOriginsOf(e),
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    websocket: {
      maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      maxSubscriptions: e.WS_MAX_SUBSCRIPTIONS,
      connectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT_MS,
    },
    jwtSecret: e.JWT_SECRET,
    dataEncryptionKey: requiredInProduction(e.DATA_ENCRYPTION_KEY, e.NODE_ENV),
    identityProvider: identityProviderFrom(e),
    dashboardOidc: dashboardOidcOf(e, identityProviderFrom(e)),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    authorizationServer: e.OAUTH_AUTHORIZATION_SERVER ?? e.JWT_ISSUER,
    logLevel: e.LOG_LEVEL,
    serverId: serverIdOf(e.SERVER_ID, 'baton'),
  };
}

/** People's data must not be sealed by a key that lives beside it: production brings its own. */
export function requiredInProduction(dataEncryptionKey: string | undefined, nodeEnv: string): string | undefined {
  if (!dataEncryptionKey && nodeEnv === 'production') {
    throw new ConfigError(
      'Invalid configuration:\n  DATA_ENCRYPTION_KEY: required with NODE_ENV=production (`id:key`, a 32-byte base64 key: openssl rand -base64 32)',
    );
  }
  return dataEncryptionKey;
}

/** With neither SMTP_URL nor WEBHOOK_URL, messages go to the local mailbox; a transport set half-way is an error, not a silent mailbox. */
function deliveryConfig(e: z.infer<typeof environmentSchema>): DeliveryConfig {
  const problems: string[] = [];
  if (e.SMTP_URL && !e.SMTP_FROM) problems.push('SMTP_FROM: required when SMTP_URL is set (the From address of email)');
  if (e.SMTP_URL && !/^smtps?:$/.test(new URL(e.SMTP_URL).protocol)) problems.push('SMTP_URL: must be an smtp:// or smtps:// URL');
  if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) problems.push('WEBHOOK_SECRET: required when WEBHOOK_URL is set (the key of the Baton-Signature header)');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    webhookUrl: e.WEBHOOK_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
    backoffMs: e.DELIVERY_BACKOFF_MS,
    backoffMaxMs: e.DELIVERY_BACKOFF_MAX_MS,
  };
}

/** Validates the environment against a schema; every problem is named in one ConfigError. */
export function parseEnvironment<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** SERVER_ID, or one unique to this process: it labels logs and metrics. */
export function serverIdOf(configured: string | undefined, role: string): string {
  return configured ?? `${role}-${hostname()}-${process.pid}`;
}
