// Tokens from an organisation's identity provider (Keycloak, Auth0, Entra ID…):
// RS256/ES256 JWTs verified against its JWKS, with its issuer and audience, and
// Baton's roles read from a claim the provider is configured to put them in.
// Its configuration (JWT_JWKS_URL…) is in config.ts, shared by the API and the sidecar.
import type { IdentityProviderConfig } from '../config.js';
import { ROLES, type Role } from './roles.js';

export type { IdentityProviderConfig };

/** Algorithms an identity provider's tokens may use; HS256 is only ever JWT_SECRET's. */
export const IDENTITY_PROVIDER_ALGORITHMS = ['RS256', 'ES256'] as const;

/**
 * The claim at `path`: the whole string as one key first (Auth0's namespaced
 * claims are URLs full of dots), else a dotted walk (Keycloak's `realm_access.roles`).
 */
export function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Baton's roles among the claim's values (an array, or a space-separated string as in `scope`); others are the provider's business and ignored. */
export function rolesIn(claim: unknown): Role[] {
  const values = typeof claim === 'string' ? claim.split(/\s+/) : Array.isArray(claim) ? claim : [];
  return [...new Set(values.filter((value): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value)))];
}
