// Which web pages may call Baton from another origin (CORS), the same for every
// door (GraphQL, REST, JSON-RPC and MCP on /mcp, /health, /metrics): the router
// applies it before any route. An allowed Origin is answered with itself in
// Access-Control-Allow-Origin; any other gets no CORS header at all, so the
// browser keeps the response from the page (the request itself is still
// answered: CORS protects pages' readers, not the server, and same-origin pages
// send an Origin too). Never `Access-Control-Allow-Credentials`: Baton
// authenticates with a bearer token the page sets itself, never with cookies,
// so no cross-origin request needs the browser's ambient credentials.
// WebSocket upgrades are not subject to CORS; their tokens travel in
// connection_init or the Authorization header, never ambiently.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './respond.js';

/** `loopback`: pages served from localhost, 127.0.0.1 or [::1], on any port (the development default). */
export type CorsOrigins = readonly string[] | 'loopback';

const ALLOWED_METHODS = 'GET, POST, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type, accept, idempotency-key, x-request-id, mcp-protocol-version, mcp-session-id';
const EXPOSED_HEADERS = 'x-request-id, retry-after, www-authenticate, mcp-session-id';
const PREFLIGHT_MAX_AGE_SECONDS = '600';
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

export function originAllowed(origins: CorsOrigins, origin: string): boolean {
  return origins === 'loopback' ? LOOPBACK_ORIGIN.test(origin) : origins.includes(origin);
}

/**
 * Sets the CORS headers of `request`'s answer; answers a preflight itself
 * (204 for an allowed origin, 403 otherwise) and then returns true: the
 * request is done.
 */
export function applyCors(origins: CorsOrigins, request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  if (origin === undefined) return false;
  response.setHeader('vary', 'Origin');
  const allowed = originAllowed(origins, origin);
  if (allowed) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  }
  if (!preflight) return false;
  if (!allowed) {
    sendJson(response, 403, {
      error: { code: 'FORBIDDEN', message: `Origin ${origin} may not call Baton from a browser page: add it to CORS_ORIGINS (comma-separated)` },
    });
    return true;
  }
  response
    .writeHead(204, {
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
      'content-length': '0',
    })
    .end();
  return true;
}
