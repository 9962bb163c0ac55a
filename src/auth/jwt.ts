// HS256 bearer tokens: `sub` names the caller, `roles` what it may do.
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AuthenticationError } from '../errors.js';
import { ROLES, type Principal, type Role } from './roles.js';

const ISSUER = 'baton';
const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
});

export interface TokenService {
  sign(principal: { subject: string; roles: Role[] }, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<Principal>;
  /** Parses an `Authorization: Bearer <jwt>` header value. */
  authenticate(authorization: string | null | undefined): Promise<Principal>;
}

export function createTokenService(secret: string): TokenService {
  const key = new TextEncoder().encode(secret);

  async function verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER });
      const claims = claimsSchema.parse(payload);
      return { subject: claims.sub, roles: claims.roles };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AuthenticationError('The bearer token has expired');
      throw new AuthenticationError('The bearer token is invalid');
    }
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
    verify,
    async authenticate(authorization) {
      if (!authorization) throw new AuthenticationError('Missing Authorization header (expected "Bearer <token>")');
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match?.[1]) throw new AuthenticationError('Malformed Authorization header (expected "Bearer <token>")');
      return verify(match[1]);
    },
  };
}
