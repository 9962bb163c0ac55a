// The settings the dashboard reads before sign-in (GET /dashboard-config.json):
// whether to offer sign-in at the identity provider, and with which public
// client. Nothing secret is in it: a public client has no secret, and the
// issuer is in every token the provider signs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardOidcConfig } from '../config.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { DASHBOARD_CONFIG_PATH, type DashboardConfigDocument } from './dashboard-config-shape.js';

export function dashboardConfigDocument(oidc: DashboardOidcConfig | undefined): DashboardConfigDocument {
  if (!oidc) return { oidc: null };
  return { oidc: { issuer: oidc.issuer, clientId: oidc.clientId, scopes: oidc.scopes, ...(oidc.resource ? { resource: oidc.resource } : {}) } };
}

/**
 * The origins the dashboard's scripts call at the provider: its discovery document and token
 * endpoint, both under the issuer for the providers Baton names (Keycloak, Auth0, Entra ID). The
 * authorization endpoint needs none: the browser navigates there, it does not fetch it.
 */
export function identityProviderOriginsOf(oidc: DashboardOidcConfig | undefined): string[] {
  if (!oidc) return [];
  const origin = URL.parse(oidc.issuer)?.origin;
  return origin && origin !== 'null' ? [origin] : [];
}

export function dashboardConfigRoute(oidc: DashboardOidcConfig | undefined): Route {
  const body = dashboardConfigDocument(oidc);
  return {
    method: 'GET',
    path: DASHBOARD_CONFIG_PATH,
    // Revalidated on every load: a restart with another client must reach open tabs' next sign-in.
    handle: (_request: IncomingMessage, response: ServerResponse) =>
      sendJson(response, 200, body, { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }),
  };
}
