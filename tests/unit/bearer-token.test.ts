// Tokens as an integrator mints them with the shared key (jose, HS256): the
// claims Baton requires, and a refusal that names the check that failed.
import { SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenService } from '../../src/auth/jwt.js';
import { AuthenticationError } from '../../src/errors.js';

const SECRET = 'a-shared-secret-of-at-least-32-characters';
const tokens = createTokenService(SECRET);
const now = () => Math.floor(Date.now() / 1000);

function mint(claims: JWTPayload, { secret = SECRET, alg = 'HS256' } = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
}

const VALID = { sub: 'crm-sync', roles: ['operator'], iss: 'baton', exp: now() + 600 };

async function refusal(token: string): Promise<string> {
  const error = await tokens.verify(token).then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as AuthenticationError).message;
}

describe('bearer tokens', () => {
  it('accepts sub, roles, iss "baton" and exp, signed HS256 with JWT_SECRET', async () => {
    expect(await tokens.verify(await mint(VALID))).toEqual({ subject: 'crm-sync', roles: ['operator'] });
    expect(await tokens.authenticate(`Bearer ${await tokens.sign({ subject: 'cli', roles: ['admin'] })}`)).toEqual({ subject: 'cli', roles: ['admin'] });
  });

  it.each([
    ['expired', { ...VALID, exp: now() - 60 }, 'The bearer token has expired'],
    ['without exp', { ...VALID, exp: undefined }, 'The bearer token has no "exp" claim'],
    ['from another issuer', { ...VALID, iss: 'my-crm' }, 'The bearer token\'s "iss" claim must be "baton"'],
    ['without iss', { ...VALID, iss: undefined }, 'The bearer token\'s "iss" claim must be "baton"'],
    ['not valid yet', { ...VALID, nbf: now() + 600 }, 'The bearer token is not valid yet (its "nbf" is in the future)'],
    ['without sub', { ...VALID, sub: undefined }, 'The bearer token\'s "sub" claim must be a non-empty string naming the caller'],
    [
      'with an unknown role',
      { ...VALID, roles: ['root'] },
      'The bearer token\'s "roles" claim must be a non-empty array of "viewer", "operator", "agent", "manager", "admin"',
    ],
    [
      'without roles',
      { ...VALID, roles: [] },
      'The bearer token\'s "roles" claim must be a non-empty array of "viewer", "operator", "agent", "manager", "admin"',
    ],
  ])('refuses a token %s, saying so', async (_case, claims, message) => {
    expect(await refusal(await mint(claims))).toBe(message);
  });

  it('refuses a token signed with another key or algorithm, or not a JWT, without telling the key', async () => {
    const otherKey = await refusal(await mint(VALID, { secret: 'another-secret-of-at-least-32-characters' }));
    expect(otherKey).toBe("The bearer token's signature does not match this server's key (JWT_SECRET)");
    expect(await refusal(await mint(VALID, { alg: 'HS512' }))).toBe('The bearer token must be signed with HS256');
    expect(await refusal('not-a-jwt')).toMatch(/^The bearer token is not a well-formed JWT/);
    for (const message of [otherKey, await refusal('not-a-jwt')]) expect(message).not.toContain(SECRET);
  });

  it('names what is wrong with the Authorization header itself', async () => {
    await expect(tokens.authenticate(undefined)).rejects.toThrow('Missing Authorization header (expected "Bearer <token>")');
    await expect(tokens.authenticate('Token abc')).rejects.toThrow('Malformed Authorization header (expected "Bearer <token>")');
  });
});
