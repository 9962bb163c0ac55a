// A stand-in identity provider for tests: a JWKS document served on 127.0.0.1 by
// node:http, keys generated here (RS256, ES256), and tokens signed with them as
// Keycloak or Auth0 would. The key set can be changed while Baton runs (rotation).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { loadSidecarConfig } from '../../src/app/sidecar-config.js';
import { createSidecarServer } from '../../src/app/sidecar-server.js';
import { createLogger } from '../../src/logger.js';
import type { TestApp } from './test-app.js';

export interface TestKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface TestIdentityProvider {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** How many times the key set was fetched. */
  fetches(): number;
  /** The keys the JWKS publishes from now on. */
  publish(keys: TestKey[]): void;
  /** From now on the JWKS answers this status with no key set (a provider in trouble); undefined: the keys again. */
  failWith(status: number | undefined): void;
  sign(key: TestKey, claims: JWTPayload, options?: { expiresIn?: string | number; issuer?: string; audience?: string }): Promise<string>;
  stop(): Promise<void>;
}

export async function generateTestKey(kid: string, alg: TestKey['alg']): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startTestIdentityProvider(initial: TestKey[]): Promise<TestIdentityProvider> {
  let published = initial;
  let fetches = 0;
  let failure: number | undefined;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/jwks') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    if (failure !== undefined) {
      response.writeHead(failure, { 'content-type': 'text/plain' }).end('identity provider in trouble');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}/realms/baton`;
  const audience = 'baton-api';
  return {
    jwksUrl: `${origin}/jwks`,
    issuer,
    audience,
    fetches: () => fetches,
    publish: (keys) => {
      published = keys;
    },
    failWith: (status) => {
      failure = status;
    },
    sign: (key, claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(key.privateKey),
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * The adapter sidecar in front of `baton`, on a port of its own, checking tokens against `idp` itself
 * (as a deployment runs it beside the API); `env` adds to or overrides its configuration.
 */
export async function startSidecarTrusting(
  baton: TestApp,
  idp: TestIdentityProvider,
  env: Record<string, string> = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const sidecar = await createSidecarServer(
    loadSidecarConfig({
      SIDECAR_PORT: '0',
      HOST: '127.0.0.1',
      GRAPHQL_URL: `${baton.url}/graphql`,
      JWT_JWKS_URL: idp.jwksUrl,
      JWT_ISSUER: idp.issuer,
      JWT_AUDIENCE: idp.audience,
      DATA_DIR: baton.app.config.dataDir,
      ...env,
    }),
    createLogger('silent', 'sidecar-test'),
  );
  return { url: await sidecar.start(), stop: () => sidecar.stop() };
}
