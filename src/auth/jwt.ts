// Bearer tokens (README: "Bearer tokens"), of two kinds told apart by the header's `alg`:
// - HS256, signed with JWT_SECRET: `sub` names the caller, `roles` what it may do,
//   `iss` is "baton" and `exp` ends its life;
// - RS256/ES256 from an identity provider (JWT_JWKS_URL): verified against its key set,
//   `iss` JWT_ISSUER, `aud` JWT_AUDIENCE, `sub`, `exp`, and Baton's roles at JWT_ROLES_CLAIM.
// A token naming one kind is never tried as the other, so a public key can never be
// used as an HMAC secret. A refused token says which check it failed, never anything
// secret, so an integrator can tell a wrong issuer from a wrong key. A key set that
// cannot be read refuses nothing: the provider is a dependency that did not answer
// (UnavailableError, 503), and the same token may pass a moment later.
import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AuthenticationError, UnavailableError } from '../errors.js';
import { claimAt, IDENTITY_PROVIDER_ALGORITHMS, type IdentityProviderConfig, rolesIn } from './identity-provider.js';
import { ROLES, type Principal, type Role } from './roles.js';

const ISSUER = 'baton';
const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
});
/** What each claim Baton reads must be, for the message that refuses it. */
const CLAIM_RULES: Record<keyof z.infer<typeof claimsSchema>, string> = {
  sub: 'a non-empty string naming the caller',
  roles: `a non-empty array of ${ROLES.map((role) => `"${role}"`).join(', ')}`,
};

export interface TokenService {
  sign(principal: { subject: string; roles: Role[] }, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<Principal>;
  /** Parses an `Authorization: Bearer <jwt>` header value. */
  authenticate(authorization: string | null | undefined): Promise<Principal>;
  /** The same, with the moment the token expires: a long-lived socket ends there (src/http/socket-session.ts). */
  authenticateSession(authorization: string | null | undefined): Promise<TokenSession>;
}

export interface TokenSession {
  principal: Principal;
  /** The token's `exp`, in epoch milliseconds. */
  expiresAtMs: number;
}

/**
 * Tokens verified lately, until they expire: a client sends the same token with
 * every request, and importing the key and computing the HMAC again for each
 * was an eighth of a read's cost. Bounded: the oldest entries go first.
 */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * `secret`: JWT_SECRET (or the generated one), undefined when only the identity provider's tokens count.
 * `provider`: JWT_JWKS_URL's settings, undefined when only HS256 tokens count.
 */
export function createTokenService(secret: string | undefined, provider?: IdentityProviderConfig): TokenService {
  const key = secret === undefined ? undefined : new TextEncoder().encode(secret);
  // jose keeps the key set, refetches it at most every cooldown when a token names an unknown
  // `kid` (the provider rotated), and in any case after cacheMaxAge (10 min by default).
  const keySet = provider && unavailableWhenUnreadable(createRemoteJWKSet(new URL(provider.jwksUrl), { cooldownDuration: provider.jwksCooldownMs }));
  const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
  const accepted = [...(key ? ['HS256'] : []), ...(provider ? IDENTITY_PROVIDER_ALGORITHMS : [])].join(' or ');

  async function verifyWithSecret(token: string): Promise<Principal> {
    if (!key)
      throw new AuthenticationError(
        `The bearer token is signed with HS256, but this server takes only its identity provider's tokens (${IDENTITY_PROVIDER_ALGORITHMS.join(', ')})`,
      );
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, requiredClaims: ['exp'] }).catch((error: unknown) => {
      throw new AuthenticationError(rejection(error, { issuer: ISSUER, key: 'JWT_SECRET', algorithms: accepted }));
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      const claim = claims.error.issues[0]!.path[0] as keyof typeof CLAIM_RULES;
      throw new AuthenticationError(`The bearer token's "${claim}" claim must be ${CLAIM_RULES[claim]}`);
    }
    return { subject: claims.data.sub, roles: claims.data.roles };
  }

  async function verifyWithProvider(token: string, idp: IdentityProviderConfig, keys: NonNullable<typeof keySet>): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: [...IDENTITY_PROVIDER_ALGORITHMS],
        issuer: idp.issuer,
        audience: idp.audience,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (error instanceof UnavailableError) throw error;
      throw new AuthenticationError(rejection(error, { issuer: idp.issuer, key: 'JWT_JWKS_URL', algorithms: accepted }));
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthenticationError(`The bearer token's "sub" claim must be ${CLAIM_RULES.sub}`);
    const roles = rolesIn(claimAt(payload, idp.rolesClaim));
    if (roles.length === 0) {
      throw new AuthenticationError(`The bearer token carries no Baton role (${ROLES.join(', ')}) in its "${idp.rolesClaim}" claim (JWT_ROLES_CLAIM)`);
    }
    return { subject: payload.sub, roles };
  }

  async function verifySession(token: string): Promise<TokenSession> {
    const known = verified.get(token);
    if (known && known.expiresAtMs > Date.now()) return known;
    verified.delete(token);
    const principal = await verifyByAlgorithm(token);
    // Both paths require `exp`; read it back from the (now verified) payload.
    const exp = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }).exp;
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    const session = { principal, expiresAtMs: exp * 1000 };
    verified.set(token, session);
    return session;
  }

  function verifyByAlgorithm(token: string): Promise<Principal> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthenticationError('The bearer token is not a well-formed JWT');
    }
    if (alg === 'HS256' || !provider || !keySet) return verifyWithSecret(token);
    return verifyWithProvider(token, provider, keySet);
  }

  function bearerToken(authorization: string | null | undefined): string {
    if (!authorization) throw new AuthenticationError('Missing Authorization header (expected "Bearer <token>")');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AuthenticationError('Malformed Authorization header (expected "Bearer <token>")');
    return match[1];
  }

  return {
    async sign({ subject, roles }, ttlSeconds = 12 * 3600) {
      if (!key) throw new Error('No JWT_SECRET: tokens come from the identity provider (JWT_JWKS_URL), Baton signs none');
      return new SignJWT({ roles })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(subject)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(key);
    },
    async verify(token) {
      return (await verifySession(token)).principal;
    },
    async authenticate(authorization) {
      return (await verifySession(bearerToken(authorization))).principal;
    },
    authenticateSession: async (authorization) => verifySession(bearerToken(authorization)),
  };
}

/** Which check a token failed, in words that give nothing secret away. */
function rejection(error: unknown, { issuer, key, algorithms }: { issuer: string; key: 'JWT_SECRET' | 'JWT_JWKS_URL'; algorithms: string }): string {
  if (error instanceof errors.JWTExpired) return 'The bearer token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return `The bearer token's "iss" claim must be "${issuer}"`;
    if (error.reason === 'missing') return `The bearer token has no "${error.claim}" claim`;
    if (error.claim === 'nbf') return 'The bearer token is not valid yet (its "nbf" is in the future)';
    return `The bearer token's "${error.claim}" claim is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return `The bearer token's signature does not match this server's key (${key})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `The bearer token must be signed with ${algorithms}`;
  if (error instanceof errors.JWKSNoMatchingKey) return "The bearer token's key (kid) is not in the identity provider's key set (JWT_JWKS_URL)";
  if (error instanceof errors.JOSEError) return `The bearer token is not a well-formed JWT (${error.message})`;
  return 'The bearer token is not a well-formed JWT';
}

/** What a client is told to wait when the identity provider's key set does not answer. */
const KEY_SET_RETRY_AFTER_SECONDS = 5;

/**
 * The key set as jwtVerify reads it, telling "the identity provider does not answer"
 * (connection refused, timeout, an answer other than a 200 with a key set) from
 * "the token names no key in it". The first is no fault of the token's: UNAVAILABLE
 * (503 and Retry-After, counted as a dependency failure, not a refused token);
 * the second stays a refusal (401).
 */
function unavailableWhenUnreadable(keySet: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      if (!keySetUnreadable(error)) throw error;
      throw new UnavailableError(
        'identity-provider',
        KEY_SET_RETRY_AFTER_SECONDS,
        `Service temporarily unavailable (the identity provider's key set, JWT_JWKS_URL, does not answer: the token could not be checked); retry in ${KEY_SET_RETRY_AFTER_SECONDS} s`,
        { cause: error },
      );
    }
  };
}

function keySetUnreadable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  // jose's plain JOSEError here is its fetch's: "Expected 200 OK…", "Failed to parse… as JSON".
  // Its subclasses (JWKSNoMatchingKey, JWKSMultipleMatchingKeys, JOSENotSupported) are about the token.
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC';
  // Anything else is fetch's own (TypeError "fetch failed", with ECONNREFUSED… as its cause).
  return true;
}
