// Credentials belong in the Authorization header (or, on graphql-ws, in
// connection_init's payload), never in a URL: URLs are written to access logs,
// proxies' logs and browser history. A request that carries a token in its query
// string is refused before any route sees it, and every URL Baton logs has such
// values replaced (redactUrl, in src/logger.ts).
import { isCredentialParam } from '../logger.js';

/** The credential parameters present in `url`'s query string (by the name as sent), in order. */
export function credentialParamsIn(url: string): string[] {
  const at = url.indexOf('?');
  if (at < 0) return [];
  return [...new Set([...new URLSearchParams(url.slice(at + 1)).keys()].filter(isCredentialParam))];
}

/** The answer to a URL with credentials: what to do instead, naming the parameters. */
export function credentialsInUrlError(params: string[]) {
  return {
    error: {
      code: 'BAD_USER_INPUT',
      message: `Credentials are refused in the URL (query parameter ${params.map((param) => `"${param}"`).join(', ')}): send the token in the Authorization header ("Authorization: Bearer <token>"), or, on the graphql-ws WebSocket, in connection_init's payload`,
      issues: params.map((param) => ({ path: param, message: 'a credential in the URL is refused; use the Authorization header' })),
    },
  };
}
