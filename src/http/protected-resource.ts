// OAuth 2.0 Protected Resource Metadata (RFC 9728), as the MCP authorization
// specification (2025-06-18) asks of an MCP server: a client that gets a 401 from
// /mcp reads `resource_metadata` in WWW-Authenticate, fetches the document, and
// finds there the authorization server to get a token from. Every other door's 401
// (REST, /graphql, JSON-RPC over WebSocket) carries the same challenge (RFC 9728 §5.1).
//
// Two documents, as RFC 9728 §3.1 derives them from a resource identifier:
// - /.well-known/oauth-protected-resource/mcp describes `<base>/mcp` (what MCP clients ask for),
// - /.well-known/oauth-protected-resource describes `<base>`, the whole API (every door takes the same tokens).
// `resource` must equal the identifier the client derived the URL from, or a client rejects it.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { sendJson } from './respond.js';
import type { Route } from './router.js';

export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

export interface ProtectedResourceSettings {
  /** PUBLIC_URL without its trailing slash; unset: the address the request came to (Host, X-Forwarded-Proto). */
  publicUrl: string | undefined;
  /** OAUTH_AUTHORIZATION_SERVER, else JWT_ISSUER; unset: the document names none (the field is optional). */
  authorizationServer: string | undefined;
}

/** A request as node:http (REST, JSON-RPC, MCP) or the Fetch API (Yoga's /graphql) hands it over: only its headers are read. */
export type ChallengedRequest = { headers: IncomingHttpHeaders | Pick<Headers, 'get'> };

function headerOf({ headers }: ChallengedRequest, name: 'host' | 'x-forwarded-proto' | 'authorization'): string | undefined {
  // Yoga's Headers are @whatwg-node's, not the global class: told apart by their `get`.
  const value = typeof headers.get === 'function' ? (headers as Pick<Headers, 'get'>).get(name) : (headers as IncomingHttpHeaders)[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

/** The base URL clients reach Baton at: PUBLIC_URL, or the request's own scheme and Host (loopback development, or a proxy passing them on). */
export function publicBaseOf(request: ChallengedRequest, { publicUrl }: ProtectedResourceSettings): string {
  if (publicUrl) return publicUrl;
  const protocol = headerOf(request, 'x-forwarded-proto')?.split(',')[0]?.trim() || 'http';
  // Host is the caller's to write: only a plain host[:port] goes into a URL and a quoted header parameter.
  const claimedHost = headerOf(request, 'host');
  const host = claimedHost && /^[A-Za-z0-9.:[\]-]+$/.test(claimedHost) ? claimedHost : 'localhost';
  return `${protocol === 'https' ? 'https' : 'http'}://${host}`;
}

/** `resourcePath` '' (the API) or '/mcp'. */
export function protectedResourceMetadata(base: string, resourcePath: string, settings: ProtectedResourceSettings): OAuthProtectedResourceMetadata {
  return {
    resource: `${base}${resourcePath}`,
    ...(settings.authorizationServer ? { authorization_servers: [settings.authorizationServer] } : {}),
    bearer_methods_supported: ['header'],
    resource_name: 'Baton',
  };
}

/** The GET routes of both documents. */
export function protectedResourceRoutes(settings: ProtectedResourceSettings): Route[] {
  const serve = (resourcePath: string) => (request: IncomingMessage, response: ServerResponse) =>
    sendJson(response, 200, protectedResourceMetadata(publicBaseOf(request, settings), resourcePath, settings), { 'cache-control': 'max-age=300' });
  return [
    { method: 'GET', path: PROTECTED_RESOURCE_METADATA_PATH, handle: serve('') },
    { method: 'GET', path: `${PROTECTED_RESOURCE_METADATA_PATH}/mcp`, handle: serve('/mcp') },
  ];
}

/**
 * The WWW-Authenticate of every 401 (RFC 6750 §3, RFC 9728 §5.1), whichever door refused: where the metadata is,
 * and `error="invalid_token"` when a token was sent but refused (none sent: no error code, as §3.1 says).
 * `resourcePath` '/mcp' for /mcp (HTTP and WebSocket), '' for the rest of the API (REST, /graphql).
 */
export function bearerChallenge(request: ChallengedRequest, resourcePath: '' | '/mcp', settings: ProtectedResourceSettings): string {
  const metadata = `${publicBaseOf(request, settings)}${PROTECTED_RESOURCE_METADATA_PATH}${resourcePath}`;
  return `Bearer resource_metadata="${metadata}"${headerOf(request, 'authorization') ? ', error="invalid_token"' : ''}`;
}
