// Baton serves its dashboard: every page path answers index.html (revalidated on
// each load, under the Content-Security-Policy), and the hashed files under
// /assets/ are cached for a year (a new build has new names). The API keeps its
// own paths (/graphql, /api/v1, /mcp): none of them is a page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardOidcConfig } from '../config.js';
import type { Route } from '../http/router.js';
import { dashboardConfigRoute, identityProviderOriginsOf } from './dashboard-config.js';
import type { DashboardAsset, DashboardAssets } from './dashboard-assets.js';
import { dashboardContentSecurityPolicy } from './content-security-policy.js';
import { DASHBOARD_PAGES } from './dashboard-pages.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NOT_BUILT = "Baton's dashboard is not built: run `npm run build:dashboard` (`npm start` and `npm run build` build it).\n";

export interface DashboardRouteOptions {
  /** The dashboard's sign-in at the identity provider (DASHBOARD_OIDC_CLIENT_ID): offered by /dashboard-config.json, its origin allowed by the CSP. */
  oidc?: DashboardOidcConfig | undefined;
}

export function createDashboardRoutes(assets: DashboardAssets | null, options: DashboardRouteOptions = {}): Route[] {
  const pageHeaders = {
    'content-security-policy': dashboardContentSecurityPolicy(identityProviderOriginsOf(options.oidc)),
    'cache-control': 'no-cache',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };
  const page = (request: IncomingMessage, response: ServerResponse) => {
    if (!assets) return sendText(response, 404, NOT_BUILT);
    sendAsset(request, response, assets.index, pageHeaders);
  };
  const file = (urlPath: string) => (request: IncomingMessage, response: ServerResponse) => {
    const asset = assets?.files.get(urlPath);
    if (!asset) return sendText(response, 404, assets ? `No dashboard file ${urlPath}.\n` : NOT_BUILT);
    sendAsset(request, response, asset, { 'cache-control': urlPath.startsWith('/assets/') ? IMMUTABLE : 'no-cache', 'x-content-type-options': 'nosniff' });
  };
  const topLevelFiles = [...(assets?.files.keys() ?? [])].filter((path) => !path.startsWith('/assets/'));
  return [
    dashboardConfigRoute(options.oidc),
    ...DASHBOARD_PAGES.map((path): Route => ({ method: 'GET', path, handle: page })),
    { method: 'GET', path: '/assets/{file}', handle: (request, response, params) => file(`/assets/${params.file}`)(request, response) },
    ...topLevelFiles.map((path): Route => ({ method: 'GET', path, handle: file(path) })),
  ];
}

function sendAsset(request: IncomingMessage, response: ServerResponse, asset: DashboardAsset, headers: Record<string, string>): void {
  const etag = asset.etag();
  const common = { ...headers, etag, vary: 'accept-encoding' };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, common);
    response.end();
    return;
  }
  const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '') ? asset.gzip() : null;
  const body = gzip ?? asset.body;
  response.writeHead(200, {
    ...common,
    'content-type': asset.contentType,
    'content-length': body.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  response.end(body);
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
