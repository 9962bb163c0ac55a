// The standalone adapter's configuration (`npm run sidecar`): where it listens,
// the GraphQL API it forwards to, and the settings it shares with the API
// (JWT_SECRET to verify the same tokens, REDIS_URL for Idempotency-Key records,
// DATA_ENCRYPTION_KEY to seal them).
import { resolve } from 'node:path';
import { z } from 'zod';
import type { IdentityProviderConfig } from '../config.js';
import { corsOriginsOf, identityProviderFrom, parseEnvironment, requiredInProduction, serverIdOf, sharedEnvironment } from '../config.js';

const sidecarEnvironment = z.object({
  SIDECAR_PORT: z.coerce.number().int().min(0).max(65_535).default(8766),
  HOST: z.string().min(1).default('0.0.0.0'),
  GRAPHQL_URL: z
    .url({ protocol: /^https?$/, error: 'GRAPHQL_URL must be the http(s) URL of the API, e.g. http://127.0.0.1:8080/graphql' })
    .default('http://127.0.0.1:8080/graphql'),
  /** A GraphQL operation taking longer than this fails with an internal error (the agents answer in well under a second). */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** As the API's: Idempotency-Key replays are sealed under keys derived from it (src/privacy/replay-cipher.ts). */
  DATA_ENCRYPTION_KEY: z.string().optional(),
  ...sharedEnvironment,
});

export interface SidecarConfig {
  port: number;
  host: string;
  graphqlUrl: string;
  upstreamTimeoutMs: number;
  dataDir: string;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  jwtSecret: string | undefined;
  /** As the API's (DATA_ENCRYPTION_KEY; required in production): seals the Idempotency-Key replays the sidecar keeps. */
  dataEncryptionKey: string | undefined;
  /** As the API's (JWT_JWKS_URL…; config.ts). */
  identityProvider: IdentityProviderConfig | undefined;
  /** As the API's (PUBLIC_URL, OAUTH_AUTHORIZATION_SERVER ?? JWT_ISSUER): the sidecar serves /mcp too. */
  publicUrl: string | undefined;
  authorizationServer: string | undefined;
  logLevel: string;
  serverId: string;
  /** As the API's (CORS_ORIGINS; config.ts). */
  corsOrigins: readonly string[] | 'loopback';
  /** WS_MAX_PAYLOAD_BYTES: the largest message read on the JSON-RPC WebSocket. */
  websocketMaxPayloadBytes: number;
}

export function loadSidecarConfig(env: NodeJS.ProcessEnv = process.env): SidecarConfig {
  const e = parseEnvironment(sidecarEnvironment, env);
  return {
    port: e.SIDECAR_PORT,
    host: e.HOST,
    graphqlUrl: e.GRAPHQL_URL,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    dataDir: resolve(e.DATA_DIR),
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    jwtSecret: e.JWT_SECRET,
    dataEncryptionKey: requiredInProduction(e.DATA_ENCRYPTION_KEY, e.NODE_ENV),
    identityProvider: identityProviderFrom(e),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    authorizationServer: e.OAUTH_AUTHORIZATION_SERVER ?? e.JWT_ISSUER,
    logLevel: e.LOG_LEVEL,
    serverId: serverIdOf(e.SERVER_ID, 'baton-sidecar'),
    corsOrigins: corsOriginsOf(e),
    websocketMaxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
  };
}
