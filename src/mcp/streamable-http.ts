// MCP over Streamable HTTP on POST /mcp, stateless: each request gets its own
// McpServer and transport (no Mcp-Session-Id), so behind a load balancer any
// replica answers and a restart loses nothing. Tool results and progress
// notifications stream back as SSE on the POST's own response, as the SDK does.
//
// The endpoint is shared with plain JSON-RPC clients: a message is MCP's when its
// method is in MCP's namespaces (initialize, ping, tools/…, resources/…,
// prompts/…, notifications/…), and a plain JSON-RPC method otherwise. MCP
// (2025-06-18) clients never batch, so a batch is always plain JSON-RPC.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, GetPromptRequestSchema, ReadResourceRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { sendJson } from '../http/respond.js';
import { failure, JsonRpcErrorCode, type JsonRpcId } from '../jsonrpc/protocol.js';
import type { McpContext } from './mcp-context.js';
import { createMcpServer } from './mcp-server.js';

const MCP_METHOD = /^(?:initialize|ping|(?:notifications|tools|resources|prompts|completion|logging|tasks|roots|sampling|elicitation)\/.+)$/;

/** True for a single MCP message; false for plain JSON-RPC (including every batch). */
export function isMcpMessage(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const method = (payload as { method?: unknown }).method;
  return typeof method === 'string' && MCP_METHOD.test(method);
}

/**
 * The SDK answers a request whose params do not fit the method's schema (tool
 * `arguments` that are a string, a resource `uri` that is a number) with -32603,
 * as if it had failed itself: such a request is checked here first and gets
 * -32602 naming what is wrong.
 */
const PARAMS_SCHEMAS: Record<string, { safeParse(value: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }> = {
  'tools/call': CallToolRequestSchema,
  'resources/read': ReadResourceRequestSchema,
  'prompts/get': GetPromptRequestSchema,
};

function invalidParams(message: { method?: unknown; id?: unknown }): { id: JsonRpcId; issues: { path: string; message: string }[] } | undefined {
  const schema = typeof message.method === 'string' ? PARAMS_SCHEMAS[message.method] : undefined;
  const parsed = schema?.safeParse(message);
  if (!parsed) return undefined;
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
  if (!parsed.success) {
    return { id, issues: (parsed.error?.issues ?? []).map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message })) };
  }
  // The SDK parses a resource's uri with `new URL` before any template sees it, and a TypeError there is -32603 too.
  const uri = message.method === 'resources/read' ? (message as { params: { uri: string } }).params.uri : undefined;
  if (uri !== undefined && !URL.canParse(uri))
    return { id, issues: [{ path: 'params.uri', message: 'must be an absolute URI such as baton://leads/{lead_id}' }] };
  return undefined;
}

export async function serveMcpRequest(request: IncomingMessage, response: ServerResponse, message: unknown, context: McpContext): Promise<void> {
  const invalid = invalidParams(message as { method?: unknown; id?: unknown });
  if (invalid) {
    const text = invalid.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    sendJson(response, 200, failure(invalid.id, JsonRpcErrorCode.INVALID_PARAMS, `Invalid params: ${text}`, { issues: invalid.issues }));
    return;
  }
  const server = createMcpServer(context);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  response.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response, message);
}
