// A real OpenID provider on 127.0.0.1 for the dashboard's sign-in: panva's
// oidc-provider (OpenID certified), with one public client that must use PKCE,
// access tokens for Baton as RS256 JWTs (a resource indicator whose audience is
// Baton's JWT_AUDIENCE) carrying the account's roles in a claim, and the
// provider's own development login and consent forms for a browser to fill in.
//
// The provider listens before it is configured: Baton needs its issuer and key
// set to start, and the client's redirect URI needs Baton's port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';
import type { Role } from '../../../../src/auth/roles.js';

/** Baton's identifier at the provider: the resource indicator the dashboard sends, and the access token's `aud`. */
export const BATON_RESOURCE = 'https://baton.test/api';
export const DASHBOARD_CLIENT_ID = 'baton-dashboard';
export const ROLES_CLAIM = 'https://baton.test/roles';

export interface OidcTestProvider {
  issuer: string;
  jwksUrl: string;
  /** Baton's environment for this provider and the dashboard's client. */
  batonEnv(): Record<string, string>;
  /** Registers the dashboard (redirect URI `<batonUrl>/sign-in`) and starts answering; `roles` maps a login name to its roles. */
  serve(batonUrl: string, roles: Record<string, Role[]>): Promise<void>;
  stop(): Promise<void>;
}

export async function startOidcTestProvider(): Promise<OidcTestProvider> {
  let handle: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server: Server = createServer((request, response) => {
    if (handle) return handle(request, response);
    response.writeHead(503).end('not configured yet');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    batonEnv: () => ({
      JWT_JWKS_URL: `${issuer}/jwks`,
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: BATON_RESOURCE,
      JWT_ROLES_CLAIM: ROLES_CLAIM,
      DASHBOARD_OIDC_CLIENT_ID: DASHBOARD_CLIENT_ID,
      DASHBOARD_OIDC_RESOURCE: BATON_RESOURCE,
    }),
    async serve(batonUrl, roles) {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' };
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: DASHBOARD_CLIENT_ID,
            token_endpoint_auth_method: 'none',
            redirect_uris: [`${batonUrl}/sign-in`],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        jwks: { keys: [signingKey] },
        cookies: { keys: ['oidc-test-provider-cookie-key'] },
        pkce: { required: () => true },
        features: {
          devInteractions: { enabled: true },
          resourceIndicators: {
            enabled: true,
            getResourceServerInfo: async (_context: unknown, indicator: string) => {
              if (indicator !== BATON_RESOURCE) throw new errors.InvalidTarget(`no resource server ${indicator}`);
              return { scope: 'baton', audience: BATON_RESOURCE, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'RS256' } } };
            },
          },
        },
        // devInteractions signs in whatever login is typed: the login is the account.
        findAccount: async (_context, id) => ({ accountId: id, claims: async () => ({ sub: id, name: id }) }),
        extraTokenClaims: async (_context, token) => (token.kind === 'AccessToken' ? { [ROLES_CLAIM]: roles[token.accountId] ?? [] } : undefined),
      });
      handle = provider.callback();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
