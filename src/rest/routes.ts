// The specification's REST API (Agent Orchestrator API, /api/v1): one route per
// adapter operation that names one (its `rest` binding, src/adapter/door-bindings.ts).
// Failures become HTTP statuses with a JSON error body (./error-response.ts).
//
// A route with `idempotent: true` honours an Idempotency-Key header
// (src/rest/idempotency/idempotent-request.ts). A route with `async` may answer
// 202 Accepted with a Location, at once when asked with `Prefer: respond-async`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from '../auth/jwt.js';
import { OVERSIZED_BODY_HEADERS, readJsonBody } from '../http/json-body.js';
import { bearerChallenge, type ProtectedResourceSettings } from '../http/protected-resource.js';
import { sendJson } from '../http/respond.js';
import type { RouteParams } from '../http/router.js';
import type { Logger } from '../logger.js';
import { badInput, runAdapterOperation, type AnyAdapterOperation, type OperationFailure } from '../adapter/adapter-operation.js';
import type { RestBinding } from '../adapter/door-bindings.js';
import type { GraphQLExecutor } from '../adapter/graphql-executor.js';
import { ADAPTER_OPERATIONS } from '../adapter/operations/all-operations.js';
import { authenticateRequest } from '../adapter/request-authentication.js';
import { httpRequestOrigin } from '../audit/doors.js';
import { errorResponse } from './error-response.js';
import type { IdempotencyStore, StoredResponse } from './idempotency/idempotency-store.js';
import { readIdempotencyKey, requestFingerprint, runIdempotently, scopedKey } from './idempotency/idempotent-request.js';

export type RestRoute = Pick<RestBinding, 'method' | 'path' | 'idempotent' | 'async'> & { operation: AnyAdapterOperation };

export const REST_ROUTES: readonly (RestBinding & RestRoute)[] = ADAPTER_OPERATIONS.flatMap((operation) =>
  operation.rest ? [{ ...operation.rest, operation }] : [],
);

export interface RestHandlerOptions {
  /** Where idempotent routes keep their keys; without it they ignore the header. */
  idempotency?: IdempotencyStore | undefined;
  logger?: Pick<Logger, 'error' | 'warn'> | undefined;
  /** Where a 401's WWW-Authenticate points (RFC 9728 §5.1); without it, a bare `Bearer` challenge. */
  protectedResource?: ProtectedResourceSettings | undefined;
}

export function createRestHandler(
  route: RestRoute,
  executor: GraphQLExecutor,
  tokens: TokenService,
  { idempotency, logger, protectedResource }: RestHandlerOptions = {},
) {
  return async (request: IncomingMessage, response: ServerResponse, params: RouteParams = {}): Promise<void> => {
    const challenge = protectedResource ? bearerChallenge(request, '', protectedResource) : 'Bearer';
    const send = (reply: StoredResponse, headers: Record<string, string> = {}) => sendStored(response, reply, challenge, headers);
    const authentication = await authenticateRequest(tokens, request);
    if (!authentication.ok) {
      send(errorResponse({ code: 'UNAUTHENTICATED', message: authentication.error.message, issues: [] }));
      return;
    }
    const body = route.method === 'POST' && hasBody(request) ? await readJsonBody(request) : { ok: true as const, value: undefined };
    if (!body.ok) {
      const tooLarge = body.reason === 'too_large';
      sendJson(
        response,
        tooLarge ? 413 : 400,
        { error: { code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT', message: body.message } },
        tooLarge ? OVERSIZED_BODY_HEADERS : {},
      );
      return;
    }
    const respondAsync = route.async !== undefined && prefersRespondAsync(request);
    const applied: Record<string, string> = respondAsync ? { 'preference-applied': 'respond-async' } : {};
    const run = async (): Promise<StoredResponse> => {
      const input = operationInput(params, route.method === 'POST' ? body.value : queryOf(request));
      if (!input.ok) return errorResponse(input.failure);
      const caller = { ...authentication.caller, origin: httpRequestOrigin('rest', response) };
      const outcome = await runAdapterOperation(route.operation, input.value, executor, caller, { respondAsync });
      if (!outcome.ok) return errorResponse(outcome.failure);
      const location = route.async?.location(outcome.value);
      return location ? { status: 202, body: outcome.value, headers: { location } } : { status: 200, body: outcome.value };
    };
    const idempotencyKey = route.idempotent && idempotency ? readIdempotencyKey(request) : undefined;
    if (!idempotency || idempotencyKey === undefined) {
      send(await run(), applied);
      return;
    }
    if ('invalid' in idempotencyKey) {
      send(idempotencyKey.invalid);
      return;
    }
    const path = (request.url ?? '/').split('?', 1)[0]!;
    const { response: reply, headers } = await runIdempotently({
      store: idempotency,
      key: scopedKey(authentication.caller.principal, idempotencyKey.key),
      fingerprint: requestFingerprint(route.method, path, body.value),
      run,
      logger,
    });
    send(reply, { ...applied, ...headers });
  };
}

/** `Prefer: respond-async` (RFC 7240), alone or among other preferences. */
function prefersRespondAsync(request: IncomingMessage): boolean {
  return /(?:^|[\s,;])respond-async(?:$|[\s,;=])/i.test(String(request.headers.prefer ?? ''));
}

/**
 * The operation's input: the body (POST) or the query (GET), plus the path's
 * named segments as fields of the same name. Without path segments the body is
 * passed as it is, for the operation to judge.
 */
function operationInput(params: RouteParams, fields: unknown): { ok: true; value: unknown } | { ok: false; failure: OperationFailure } {
  const names = Object.keys(params);
  if (names.length === 0) return { ok: true, value: fields };
  if (fields === undefined) return { ok: true, value: { ...params } };
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    return { ok: false, failure: badInput([{ path: 'body', message: 'must be a JSON object' }]) };
  }
  const repeated = names.filter((name) => Object.hasOwn(fields, name));
  if (repeated.length > 0) {
    return { ok: false, failure: badInput(repeated.map((name) => ({ path: name, message: 'is given by the URL path; leave it out' }))) };
  }
  return { ok: true, value: { ...fields, ...params } };
}

/** A request without Content-Length or Transfer-Encoding, or with Content-Length 0, has no body (RFC 9112 §6.3). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The query parameters as given; a repeated one is an array (which an input schema expecting one value refuses, naming it). */
export function queryOf(request: IncomingMessage): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(request.url ?? '/', 'http://localhost').searchParams) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

/** A response as it is sent the first time and replayed: its status, body and own headers decide what goes out. */
function sendStored(response: ServerResponse, { status, body, headers: own = {} }: StoredResponse, challenge: string, headers: Record<string, string>): void {
  const retryAfter = (body as { error?: { retry_after_seconds?: unknown } } | null)?.error?.retry_after_seconds;
  sendJson(response, status, body, {
    ...(status === 401 ? { 'www-authenticate': challenge } : {}),
    ...((status === 429 || status === 503) && typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}),
    ...own,
    ...headers,
  });
}
