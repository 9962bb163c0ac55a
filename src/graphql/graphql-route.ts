// The /graphql HTTP route: Yoga, behind the body limit every door has (1 MiB,
// src/http/json-body.ts). Yoga itself reads any body whole, however large; here
// the body is read first, within the limit, and handed to Yoga as bytes (its Node
// adapter takes a `body` already read, as behind Express's body parsers). A body
// over the limit is answered 413 PAYLOAD_TOO_LARGE, and the connection closed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OVERSIZED_BODY_HEADERS, readRawBody } from '../http/json-body.js';
import { sendJson } from '../http/respond.js';
import type { GraphQLServer } from './graphql-server.js';

const WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

export function graphqlRoute(yoga: GraphQLServer) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (WITHOUT_BODY.has(request.method ?? 'GET')) return yoga(request, response);
    const body = await readRawBody(request);
    if (!body.ok) {
      sendJson(response, 413, { errors: [{ message: body.message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, OVERSIZED_BODY_HEADERS);
      return;
    }
    Object.assign(request, { body: body.bytes });
    return yoga(request, response);
  };
}
