// Baton as a Model Context Protocol server (the official SDK's McpServer): the
// tools, resources and prompts of one caller's request. Stateless: a server is
// built per HTTP request (src/mcp/streamable-http.ts), so any replica
// answers any request and nothing lives between them.
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import { BATON_VERSION } from '../version.js';
import { executeAdapterOperation, type AdapterOutcome } from '../adapter/adapter-operation.js';
import type { McpContext } from './mcp-context.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { MCP_TOOLS, type AdapterTool } from './tools.js';

const INSTRUCTIONS =
  'Baton runs three marketing agents on leads: Lead Triage (category, 0-100 score, confidence, reasoning), Engagement ' +
  '(personalized outreach chosen from what worked before) and Campaign Optimization (KPIs, recommendations with evidence, ' +
  'escalations to a human manager). Use triage_lead to score a lead, execute_engagement to start outreach, analyze_campaign ' +
  "for a campaign's performance; read leads and campaigns as baton:// resources. Record outcomes with log_interaction: they teach triage.";

/**
 * Each tool's output schema, built once: the operation's output, or `{ [wrapIn]: output }`.
 * The SDK publishes it (as draft-07, zod's conversion) and validates every result against it.
 */
const OUTPUT_SCHEMAS = new Map(MCP_TOOLS.map((tool) => [tool.name, outputSchemaOf(tool)]));

export function createMcpServer(context: McpContext): McpServer {
  const server = new McpServer(
    { name: 'baton', title: 'Baton', version: BATON_VERSION },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS },
  );
  for (const tool of MCP_TOOLS) registerTool(server, tool, context);
  registerResources(server, context);
  registerPrompts(server);
  return server;
}

function registerTool(server: McpServer, tool: AdapterTool, context: McpContext): RegisteredTool {
  return server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.operation.description,
      inputSchema: tool.operation.input,
      outputSchema: OUTPUT_SCHEMAS.get(tool.name),
      annotations: { title: tool.title, ...tool.annotations },
    },
    async (input: Record<string, unknown>, extra: RequestHandlerExtra<ServerRequest, ServerNotification>) => {
      const progress = progressReporter(tool, extra);
      await progress(0, `${tool.title}: started`);
      const outcome = await executeAdapterOperation(tool.operation, input, context.executor, context.caller);
      await progress(1, `${tool.title}: ${outcome.ok ? 'done' : 'failed'}`);
      return toToolResult(tool, outcome);
    },
  );
}

/** A domain failure is a result the model can read and act on (`isError`), not a protocol error. */
function toToolResult(tool: AdapterTool, outcome: AdapterOutcome<unknown>): CallToolResult {
  if (!outcome.ok) {
    const { code, message, issues, retryAfterSeconds } = outcome.failure;
    const error = {
      code,
      message,
      ...(issues.length > 0 ? { issues } : {}),
      ...(retryAfterSeconds === undefined ? {} : { retry_after_seconds: retryAfterSeconds }),
    };
    return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error }) }] };
  }
  const structured = (tool.wrapIn ? { [tool.wrapIn]: outcome.value } : outcome.value) as Record<string, unknown>;
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

/** MCP's structuredContent is an object: an operation whose output is not one says what to wrap it in. */
function outputSchemaOf(tool: AdapterTool): z.ZodObject {
  const output = tool.operation.output as z.ZodType;
  if (tool.wrapIn) return z.object({ [tool.wrapIn]: output });
  if (output instanceof z.ZodObject) return output;
  throw new Error(`MCP tool ${tool.name}: its output is not an object; give it wrapIn`);
}

/**
 * notifications/progress for a long tool call whose client sent a progress
 * token: one when the agents start, one when they finish. (The call is one
 * GraphQL operation; steps inside it are not observable from here.)
 */
function progressReporter(tool: AdapterTool, extra: RequestHandlerExtra<ServerRequest, ServerNotification>) {
  const progressToken = extra._meta?.progressToken;
  return async (progress: number, message: string): Promise<void> => {
    if (!tool.longRunning || progressToken === undefined) return;
    await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total: 1, message } });
  };
}
