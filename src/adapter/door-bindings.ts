// How an adapter operation shows at each door. An operation names its REST
// route, JSON-RPC method and MCP tool itself (each optional), so the doors'
// registries are derived from the list of operations and nothing is listed twice.
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';

/**
 * A REST route. The operation's input is read from the request: the path's
 * `{name}` segments are input fields of the same name; a POST's other fields are
 * its JSON body, a GET's are its query parameters (a repeated one is an array).
 */
export interface RestBinding {
  /** DELETE: like GET, its fields are the path's and the query's; it has no body. */
  method: 'GET' | 'POST' | 'DELETE';
  /** Exact, or a template with `{name}` segments (src/http/router.ts). */
  path: string;
  /** One line, for the OpenAPI document. */
  summary: string;
  /**
   * A POST's body when the path carries some of the input's fields: the input is
   * this body plus those fields (the OpenAPI document publishes it as the request
   * body). Omitted when the body is the input itself.
   */
  body?: z.ZodType;
  /** Honours an Idempotency-Key header: a repeated request replays the first response. */
  idempotent?: boolean;
  /** When the route answers each failure status, for the OpenAPI document (401 is every route's). */
  failures: Partial<Record<400 | 403 | 404 | 409, string>>;
  /**
   * Work that may outlast the request (a lead's flow on the agents' workers). The
   * caller may ask for an answer at once with `Prefer: respond-async` (RFC 7240);
   * an output that says the work goes on is answered 202 Accepted, with a Location
   * to follow it.
   */
  async?: {
    /** The 200 answer: the work is done. */
    completed: z.ZodType;
    /** The 202 answer: the work goes on. */
    accepted: z.ZodType;
    /** Where to follow the work when `output` is the 202 answer; null when it is the 200 one. */
    location(output: unknown): string | null;
  };
}

/** What a door says of the request beyond its fields. */
export interface DoorRequest {
  /** The caller asked not to wait for work that outlasts the request (REST: `Prefer: respond-async`). */
  respondAsync: boolean;
}

export const WAITING: DoorRequest = { respondAsync: false };

export interface JsonRpcBinding {
  /** The method name, e.g. `agent/triage/lead`. */
  method: string;
}

export interface McpToolBinding {
  /** snake_case, e.g. `triage_lead`. */
  name: string;
  title: string;
  /** Hints for the model deciding when to call the tool. */
  annotations: ToolAnnotations;
  /** Runs the agents (seconds, not milliseconds): reports progress when the client asks for it. */
  longRunning?: boolean;
  /**
   * MCP's structuredContent must be an object: an output that may be null
   * travels as `{ [wrapIn]: output }`.
   */
  wrapIn?: string;
}

/** Reads nothing but Baton's own data and changes nothing. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };

/** Writes Baton's memory; repeating the call with the same arguments changes nothing more. */
export const IDEMPOTENT_WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };
