// GET /api/v1/audit-log: the audit log as JSON lines (application/x-ndjson), newest
// first, every page of the auditLog query (admins only, as in GraphQL) streamed as it
// is read, so an export of any size holds one page in memory. The query parameters
// are the filter (lead_id, subject, action, door, from, to). A refused or invalid
// request is answered like every REST route, before the first line: 401, 403, or 400
// naming the parameter.
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from '../auth/jwt.js';
import { httpRequestOrigin } from '../audit/doors.js';
import { runAdapterOperation } from '../adapter/adapter-operation.js';
import type { GraphQLExecutor } from '../adapter/graphql-executor.js';
import { exportAuditLog } from '../adapter/operations/export-audit-log.js';
import { authenticateRequest } from '../adapter/request-authentication.js';
import { bearerChallenge, type ProtectedResourceSettings } from '../http/protected-resource.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { errorResponse } from './error-response.js';
import { queryOf } from './routes.js';

export const AUDIT_LOG_EXPORT_PATH = '/api/v1/audit-log';

/** `protectedResource`: where a 401's WWW-Authenticate points, as on every REST route. */
export function auditLogExportRoute(executor: GraphQLExecutor, tokens: TokenService, protectedResource?: ProtectedResourceSettings): Route {
  return {
    method: 'GET',
    path: AUDIT_LOG_EXPORT_PATH,
    async handle(request: IncomingMessage, response: ServerResponse) {
      const authentication = await authenticateRequest(tokens, request);
      if (!authentication.ok) {
        const { status, body } = errorResponse({ code: 'UNAUTHENTICATED', message: authentication.error.message, issues: [] });
        sendJson(response, status, body, { 'www-authenticate': protectedResource ? bearerChallenge(request, '', protectedResource) : 'Bearer' });
        return;
      }
      const caller = { ...authentication.caller, origin: httpRequestOrigin('rest', response) };
      const query = queryOf(request);
      let page = await runAdapterOperation(exportAuditLog, query, executor, caller);
      if (!page.ok) {
        const { status, body } = errorResponse(page.failure);
        sendJson(response, status, body);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
      for (;;) {
        for (const entry of page.value.entries) {
          if (!response.write(`${JSON.stringify(entry)}\n`)) await once(response, 'drain');
        }
        if (page.value.after === null || response.destroyed) break;
        page = await runAdapterOperation(exportAuditLog, { ...query, after: page.value.after }, executor, caller);
        // The status is out already: a failure now can only cut the stream short, which the client sees as an unfinished body.
        if (!page.ok) throw new Error(`audit log export stopped: ${page.failure.code} ${page.failure.message}`);
      }
      response.end();
    },
  };
}
