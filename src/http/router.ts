// Dispatches requests to routes by exact path and method, and observes every
// request once: a duration metric by route template and one log line.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import { sendJson } from './respond.js';

export type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface Route {
  /** Omitted: any method (GraphQL serves GET, POST and OPTIONS itself). */
  method?: 'GET' | 'POST';
  path: string;
  handle: Handler;
}

export function createRequestListener(routes: Route[], metrics: Metrics, logger: Logger): RequestListener {
  const routesByPath = new Map<string, Route[]>();
  for (const route of routes) routesByPath.set(route.path, [...(routesByPath.get(route.path) ?? []), route]);

  return (request, response) => {
    const started = performance.now();
    const requestId = headerValue(request.headers['x-request-id']) ?? randomUUID();
    response.setHeader('x-request-id', requestId);
    const path = (request.url ?? '/').split('?', 1)[0]!;
    const candidates = routesByPath.get(path);
    const route = candidates?.find((candidate) => !candidate.method || candidate.method === request.method);
    const label = route ? path : 'unmatched';

    response.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const status = response.statusCode;
      metrics.httpRequestDuration.observe({ method: request.method ?? 'UNKNOWN', route: label, status_code: String(status) }, seconds);
      logger.info(
        { request_id: requestId, method: request.method, route: label, url: request.url, status, duration_ms: Math.round(seconds * 10_000) / 10 },
        'request',
      );
    });

    if (!route) {
      if (candidates) {
        const allowed = candidates.map((candidate) => candidate.method).join(', ');
        sendJson(response, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `Use ${allowed} for ${path}` } }, { allow: allowed });
      } else {
        sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${path}` } });
      }
      return;
    }
    Promise.resolve()
      .then(() => route.handle(request, response))
      .catch((error: unknown) => {
        if (clientWentAway(request, error)) {
          // Not a server failure: the client hung up (a load generator stopping, a closed tab).
          logger.info({ request_id: requestId, route: label }, 'client closed the connection');
          response.destroy();
          return;
        }
        logger.error({ err: error, request_id: requestId }, 'request failed');
        if (!response.headersSent) sendJson(response, 500, { error: { code: 'INTERNAL', message: 'Internal error' } });
        else response.destroy();
      });
  };
}

function clientWentAway(request: IncomingMessage, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return request.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single && /^[\w.:-]{1,128}$/.test(single) ? single : undefined;
}
