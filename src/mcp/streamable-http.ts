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
import type { McpContext } from './mcp-context.js';
import { createMcpServer } from './mcp-server.js';

const MCP_METHOD = /^(?:initialize|ping|(?:notifications|tools|resources|prompts|completion|logging|tasks|roots|sampling|elicitation)\/.+)$/;

/** True for a single MCP message; false for plain JSON-RPC (including every batch). */
export function isMcpMessage(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const method = (payload as { method?: unknown }).method;
  return typeof method === 'string' && MCP_METHOD.test(method);
}

export async function serveMcpRequest(request: IncomingMessage, response: ServerResponse, message: unknown, context: McpContext): Promise<void> {
  const server = createMcpServer(context);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  response.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response, message);
}
