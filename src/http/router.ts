// Dispatches requests to routes by path and method, and observes every request
// once: a duration metric by route template and one log line.
//
// A route's path is exact (`/api/v1/leads`) or a template with named segments
// (`/api/v1/campaigns/{campaign_id}/optimize`): each `{name}` matches one
// non-empty path segment, percent-decoded, handed to the handler as
// `params.name`. An exact path wins over a template, and a template with fewer
// named segments over one with more; routes sharing a template share its methods.
// No route for the path: 404. Routes for the path, none for the method: 405 with
// `allow`. Metrics are labelled by template, never by the concrete path.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { redactUrl, type Logger } from '../logger.js';
import { applyCors, type CorsOrigins } from './cors.js';
import { credentialParamsIn, credentialsInUrlError } from './credentials-in-url.js';
import type { Metrics } from './metrics.js';
import { asUnavailable } from '../db/unavailable.js';
import { sendJson } from './respond.js';

/** A template's named segments, by name. Empty for an exact path. */
export type RouteParams = Readonly<Record<string, string>>;

export type Handler = (request: IncomingMessage, response: ServerResponse, params: RouteParams) => Promise<void> | void;

export interface Route {
  /** Omitted: any method (GraphQL serves GET, POST and OPTIONS itself). */
  method?: 'GET' | 'POST' | 'DELETE';
  /** An exact path, or a template with `{name}` segments. */
  path: string;
  handle: Handler;
  /**
   * The body of this route's 503 (shutting down, or a dependency not answering),
   * in its door's own shape; omitted: REST's `{ error: { code, message, retry_after_seconds } }`.
   */
  unavailableBody?: (message: string, retryAfterSeconds: number) => unknown;
}

function restUnavailableBody(message: string, retryAfterSeconds: number): unknown {
  return { error: { code: 'UNAVAILABLE', message, retry_after_seconds: retryAfterSeconds } };
}

type Segment = { literal: string } | { param: string };

/** All routes of one path template. */
interface PathRoutes {
  template: string;
  segments: Segment[];
  paramCount: number;
  routes: Route[];
}

const PARAM_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Splits a template into segments; a malformed template is a programming error, thrown at start-up. */
export function compilePath(template: string): Segment[] {
  if (!template.startsWith('/')) throw new Error(`Route path must start with "/": ${template}`);
  const names = new Set<string>();
  return template
    .slice(1)
    .split('/')
    .map((segment) => {
      const param = PARAM_SEGMENT.exec(segment)?.[1];
      if (param === undefined) {
        if (/[{}]/.test(segment)) throw new Error(`Route path segment must be literal or a whole {name}: "${segment}" in ${template}`);
        return { literal: segment };
      }
      if (names.has(param)) throw new Error(`Route path names {${param}} twice: ${template}`);
      names.add(param);
      return { param };
    });
}

/** The params when `path` (split on "/", without the leading one) fits the segments. */
export function matchPath(segments: readonly Segment[], pathSegments: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== pathSegments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const actual = pathSegments[index]!;
    if ('literal' in segment) {
      if (actual !== segment.literal) return undefined;
      continue;
    }
    if (actual === '') return undefined;
    // Malformed percent-encoding is kept as sent: the route's input rules then refuse it naming the param (a 400, not a 404).
    params[segment.param] = safelyDecoded(actual);
  }
  return params;
}

function safelyDecoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function routeTable(routes: Route[]) {
  const byTemplate = new Map<string, PathRoutes>();
  for (const route of routes) {
    const entry = byTemplate.get(route.path);
    if (entry) {
      entry.routes.push(route);
      continue;
    }
    const segments = compilePath(route.path);
    byTemplate.set(route.path, { template: route.path, segments, paramCount: segments.filter((s) => 'param' in s).length, routes: [route] });
  }
  const exact = new Map([...byTemplate].filter(([, entry]) => entry.paramCount === 0));
  // Fewest named segments first; Array.prototype.sort is stable, so registration order breaks ties.
  const templated = [...byTemplate.values()].filter((entry) => entry.paramCount > 0).sort((a, b) => a.paramCount - b.paramCount);

  /** The templates fitting `path`, most specific first, with their params. */
  return (path: string): { entry: PathRoutes; params: RouteParams }[] => {
    const matches: { entry: PathRoutes; params: RouteParams }[] = [];
    const exactEntry = exact.get(path);
    if (exactEntry) matches.push({ entry: exactEntry, params: {} });
    if (templated.length === 0) return matches;
    const pathSegments = path.slice(1).split('/');
    for (const entry of templated) {
      const params = matchPath(entry.segments, pathSegments);
      if (params) matches.push({ entry, params });
    }
    return matches;
  };
}

/** A request listener that can wait for the handlers it started. */
export interface DrainableListener extends RequestListener {
  /**
   * Resolves when every handler started so far has finished, or at `deadline`
   * (epoch ms), whichever is first. A handler keeps running after its client
   * went away: the server's stores must outlive it.
   */
  drain(deadline: number): Promise<void>;
  /**
   * From now on, answers every new request 503 with Retry-After and
   * `Connection: close` (shutdown: requests arriving on kept-alive connections
   * are refused cleanly, before they store anything, and the client reconnects
   * to another replica or to this one once restarted).
   */
  refuseNew(): void;
}

/** What a client is told to wait before retrying a request refused while stopping. */
const DRAINING_RETRY_AFTER_SECONDS = 2;

export interface ListenerOptions {
  /** Origins whose pages may call from a browser (src/http/cors.ts); none by default. */
  corsOrigins?: CorsOrigins;
}

export function createRequestListener(routes: Route[], metrics: Metrics, logger: Logger, { corsOrigins = [] }: ListenerOptions = {}): DrainableListener {
  const lookup = routeTable(routes);
  const running = new Set<Promise<void>>();
  let refusing = false;
  /** Responses of the handlers running now: told to close their connection once shutdown begins. */
  const answering = new Set<ServerResponse>();

  const listener: RequestListener = (request, response) => {
    const started = performance.now();
    const requestId = headerValue(request.headers['x-request-id']) ?? randomUUID();
    response.setHeader('x-request-id', requestId);
    const path = (request.url ?? '/').split('?', 1)[0]!;
    const matches = lookup(path);
    let route: Route | undefined;
    let params: RouteParams = {};
    let label = 'unmatched';
    for (const match of matches) {
      route = match.entry.routes.find((candidate) => !candidate.method || candidate.method === request.method);
      if (route) {
        params = match.params;
        label = match.entry.template;
        break;
      }
    }

    response.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const status = response.statusCode;
      metrics.httpRequestDuration.observe({ method: request.method ?? 'UNKNOWN', route: label, status_code: String(status) }, seconds);
      logger.info(
        {
          request_id: requestId,
          method: request.method,
          route: label,
          url: redactUrl(request.url ?? '/'),
          status,
          duration_ms: Math.round(seconds * 10_000) / 10,
        },
        'request',
      );
    });

    // Before any route, so that every answer (errors included) carries the same CORS headers; a preflight ends here.
    if (applyCors(corsOrigins, request, response)) return;
    const unavailableBody = route?.unavailableBody ?? restUnavailableBody;
    if (refusing) {
      sendJson(response, 503, unavailableBody('Baton is shutting down; nothing was stored, retry shortly', DRAINING_RETRY_AFTER_SECONDS), {
        'retry-after': String(DRAINING_RETRY_AFTER_SECONDS),
        connection: 'close',
      });
      return;
    }
    // Before any route: a token in the URL is refused on every door (see credentials-in-url.ts).
    const credentials = credentialParamsIn(request.url ?? '/');
    if (credentials.length > 0) {
      sendJson(response, 400, credentialsInUrlError(credentials));
      return;
    }
    if (!route) {
      if (matches.length > 0) {
        const allowed = [...new Set(matches.flatMap((match) => match.entry.routes.map((candidate) => candidate.method)))].join(', ');
        sendJson(response, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `Use ${allowed} for ${path}` } }, { allow: allowed });
      } else {
        sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${path}` } });
      }
      return;
    }
    const handler = route;
    const work = Promise.resolve()
      .then(() => handler.handle(request, response, params))
      .catch((error: unknown) => {
        if (clientWentAway(request, error)) {
          // Not a server failure: the client hung up (a load generator stopping, a closed tab).
          logger.info({ request_id: requestId, route: label }, 'client closed the connection');
          response.destroy();
          return;
        }
        const unavailable = asUnavailable(error);
        if (unavailable) {
          // PostgreSQL or Redis not answering is no bug of the request's: the caller retries.
          logger.warn({ err: error, request_id: requestId, dependency: unavailable.dependency }, 'dependency unavailable');
          if (!response.headersSent) {
            const retryAfter = unavailable.retryAfterSeconds;
            sendJson(response, 503, unavailableBody(unavailable.message, retryAfter), { 'retry-after': String(retryAfter) });
          } else response.destroy();
          return;
        }
        logger.error({ err: error, request_id: requestId }, 'request failed');
        if (!response.headersSent) sendJson(response, 500, { error: { code: 'INTERNAL', message: 'Internal error' } });
        else response.destroy();
      });
    running.add(work);
    answering.add(response);
    void work.finally(() => {
      running.delete(work);
      answering.delete(response);
    });
  };

  return Object.assign(listener, {
    refuseNew() {
      refusing = true;
      // A request under way still gets its answer, then its connection closes: no kept-alive
      // connection is left idle for the client to send the next request on as the server closes it.
      for (const response of answering) if (!response.headersSent) response.setHeader('connection', 'close');
    },
    async drain(deadline: number) {
      const timeUp = new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
      await Promise.race([Promise.allSettled([...running]), timeUp]);
    },
  });
}

function clientWentAway(request: IncomingMessage, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return request.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single && /^[\w.:-]{1,128}$/.test(single) ? single : undefined;
}
