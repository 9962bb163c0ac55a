// The doors a caller comes in by: every one of them runs GraphQL with the caller's
// principal, and the audit log says which one an access came through.
export const DOORS = ['graphql-http', 'sse', 'graphql-ws', 'rest', 'jsonrpc', 'mcp'] as const;
export type Door = (typeof DOORS)[number];

/** Where the request came from, as the GraphQL context knows it (src/schema/context.ts). */
export interface RequestOrigin {
  door: Door;
  /** The request's x-request-id (src/http/router.ts), the one its log line carries; null when there is none (a WebSocket message). */
  requestId: string | null;
}

/** The x-request-id a WebSocket's upgrade request was sent with (validated as the router does), for every operation on that socket. */
export function upgradeRequestId(header: string | string[] | undefined): string | null {
  const single = Array.isArray(header) ? header[0] : header;
  return single && /^[\w.:-]{1,128}$/.test(single) ? single : null;
}

/** A request answered over HTTP: its request id is the one the router set on the response (src/http/router.ts). */
export function httpRequestOrigin(door: Door, response: { getHeader(name: string): unknown }): RequestOrigin {
  const requestId = response.getHeader('x-request-id');
  return { door, requestId: typeof requestId === 'string' ? requestId : null };
}
