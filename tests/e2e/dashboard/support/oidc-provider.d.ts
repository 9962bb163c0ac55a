// oidc-provider ships no types (and @types/oidc-provider lags its majors): the
// little of it the dashboard's sign-in test uses, typed here.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface OidcAccessToken {
    kind: string;
    accountId: string;
  }

  export interface ProviderConfiguration {
    clients: Record<string, unknown>[];
    jwks: { keys: Record<string, unknown>[] };
    cookies: { keys: string[] };
    pkce?: { required?: () => boolean };
    features?: Record<string, unknown>;
    findAccount: (context: unknown, id: string) => Promise<{ accountId: string; claims: () => Promise<Record<string, unknown>> }>;
    extraTokenClaims?: (context: unknown, token: OidcAccessToken) => Promise<Record<string, unknown> | undefined>;
    ttl?: Record<string, number>;
  }

  export class Provider {
    constructor(issuer: string, configuration: ProviderConfiguration);
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }

  export const errors: { InvalidTarget: new (description?: string) => Error };
  export default Provider;
}
