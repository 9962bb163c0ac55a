// Baton's MCP tools: one per adapter operation that names one (its `mcp`
// binding, src/adapter/door-bindings.ts), so a tool call passes the same
// authorization, validation and metrics as the REST and JSON-RPC doors. The
// binding adds a name, a title and hints for the LLM deciding when to call it.
import type { AnyAdapterOperation } from '../adapter/adapter-operation.js';
import type { McpToolBinding } from '../adapter/door-bindings.js';
import { ADAPTER_OPERATIONS } from '../adapter/operations/all-operations.js';

export type AdapterTool = McpToolBinding & { operation: AnyAdapterOperation };

export const MCP_TOOLS: readonly AdapterTool[] = ADAPTER_OPERATIONS.flatMap((operation) => (operation.mcp ? [{ ...operation.mcp, operation }] : []));
