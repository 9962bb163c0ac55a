// The OpenRPC document of Baton's JSON-RPC methods, served at GET /mcp/openrpc.json:
// each method's params (by name) and result, generated from the zod schemas of
// the adapter operation that serves it, so the document cannot drift from what
// the methods accept and return. Schemas are draft-07 and self-contained (each
// content descriptor stands alone), as the MCP SDK publishes tool schemas.
import { z } from 'zod';
import { JSON_RPC_METHODS } from './methods.js';
import { JsonRpcErrorCode } from './protocol.js';

type JsonSchema = Record<string, unknown>;

const ERRORS = [
  { code: JsonRpcErrorCode.INVALID_PARAMS, message: 'Invalid params', data: { issues: [{ path: 'lead_data.industry', message: 'must be one of …' }] } },
  { code: JsonRpcErrorCode.UNAUTHENTICATED, message: 'Unauthenticated: a missing, invalid or expired bearer token' },
  { code: JsonRpcErrorCode.FORBIDDEN, message: "Forbidden: the token's role may not call this method" },
  { code: JsonRpcErrorCode.NOT_FOUND, message: 'Not found: the lead or campaign named does not exist' },
  { code: JsonRpcErrorCode.RATE_LIMITED, message: 'Rate limited: the caller is over RATE_LIMIT_PER_MINUTE; retry after the minute' },
  {
    code: JsonRpcErrorCode.UNAVAILABLE,
    message:
      "Unavailable: the database or the identity provider's key set does not answer, or Baton is shutting down; nothing was stored, retry after data.retry_after_seconds",
  },
  { code: JsonRpcErrorCode.INTERNAL_ERROR, message: 'Internal error (details are logged, never returned)' },
];

/** `endpoint`: the absolute URL of /mcp as the caller reached it (OpenRPC server URLs are absolute). */
export function buildOpenRpcDocument(version: string, endpoint: string) {
  return {
    openrpc: '1.2.6',
    info: {
      title: 'Baton JSON-RPC API',
      version,
      description:
        'JSON-RPC 2.0 on POST /mcp (and over WebSocket on /mcp), authenticated with `Authorization: Bearer <JWT>`. ' +
        'Single requests, batches (answered as an array, in any order) and notifications (no response) are served. ' +
        "Each method runs one named GraphQL operation of Baton's schema. Invalid params answer -32602 with " +
        '`data.issues` naming each invalid field. MCP clients (initialize, tools/*, resources/*, prompts/*) use the same endpoint.',
    },
    servers: [{ name: 'Baton', url: endpoint }],
    methods: Object.entries(JSON_RPC_METHODS).map(([name, operation]) => ({
      name,
      description: operation.description,
      paramStructure: 'by-name',
      params: paramDescriptors(draft07(operation.input, 'input')),
      result: { name: 'result', schema: draft07(operation.output, 'output') },
      errors: ERRORS,
    })),
  };
}

/** What a schema accepts (`input`: transforms show the side a caller sends) or gives, as draft-07. */
function draft07(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...published } = z.toJSONSchema(schema, { target: 'draft-7', io });
  return published;
}

/** One content descriptor per top-level param: OpenRPC lists by-name params individually. */
function paramDescriptors(params: JsonSchema) {
  const properties = (params.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((params.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    required: required.has(name),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    schema,
  }));
}
