// HS256 bearer tokens: `sub` names the caller, `roles` what it may do, `iss` is
// "baton" and `exp` ends its life (README: "Bearer tokens"). A refused token says
// which check it failed, never anything secret, so an integrator minting tokens
// with the shared key can tell a wrong issuer from a wrong key.
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AuthenticationError } from '../errors.js';
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

export function createTokenService(secret: string): TokenService {
  const key = new TextEncoder().encode(secret);
  const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  async function verifySession(token: string): Promise<TokenSession> {
    const known = verified.get(token);
    if (known && known.expiresAtMs > Date.now()) return known;
    verified.delete(token);
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, requiredClaims: ['exp'] }).catch((error: unknown) => {
      throw new AuthenticationError(rejection(error));
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      const claim = claims.error.issues[0]!.path[0] as keyof typeof CLAIM_RULES;
      throw new AuthenticationError(`The bearer token's "${claim}" claim must be ${CLAIM_RULES[claim]}`);
    }
    const principal: Principal = { subject: claims.data.sub, roles: claims.data.roles };
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    const session = { principal, expiresAtMs: (payload.exp as number) * 1000 };
    verified.set(token, session);
    return session;
  }

  function bearerToken(authorization: string | null | undefined): string {
    if (!authorization) throw new AuthenticationError('Missing Authorization header (expected "Bearer <token>")');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AuthenticationError('Malformed Authorization header (expected "Bearer <token>")');
    return match[1];
  }

  return {
    async sign({ subject, roles }, ttlSeconds = 12 * 3600) {
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
function rejection(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The bearer token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return `The bearer token's "iss" claim must be "${ISSUER}"`;
    if (error.reason === 'missing') return `The bearer token has no "${error.claim}" claim`;
    if (error.claim === 'nbf') return 'The bearer token is not valid yet (its "nbf" is in the future)';
    return `The bearer token's "${error.claim}" claim is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The bearer token's signature does not match this server's key (JWT_SECRET)";
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The bearer token must be signed with HS256';
  if (error instanceof errors.JOSEError) return `The bearer token is not a well-formed JWT (${error.message})`;
  return 'The bearer token is not a well-formed JWT';
}
