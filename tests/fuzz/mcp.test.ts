// Fuzz: MCP with the official SDK Client over Streamable HTTP, as an agent would
// call Baton: every tool with arguments from the inputSchema tools/list
// publishes, every resource template with hostile and malformed URIs, every
// prompt with hostile arguments. Invariants: no 5xx, no -32603, no tool result
// whose error is INTERNAL, an answer within the deadline, no lead stored from a
// rejected triage_lead.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, GetPromptResultSchema, McpError, ReadResourceResultSchema } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FuzzBaton, startFuzzBaton } from './support/fuzz-baton.js';
import { describeFailures, FuzzDoor, REQUEST_TIMEOUT_MS, truncate, within } from './support/fuzz-runner.js';
import { hostileString, POISON_STRINGS, rarely, type TokenKind } from './support/hostile-values.js';
import { type JsonSchema, jsonSchemaArbitrary } from './support/json-schema-arbitrary.js';

let baton: FuzzBaton;
const clients = new Map<TokenKind, Client>();
const doors = { tools: new FuzzDoor('MCP tools'), resources: new FuzzDoor('MCP resources'), prompts: new FuzzDoor('MCP prompts') };

async function connect(kind: TokenKind): Promise<Client> {
  const client = new Client({ name: 'baton-fuzz', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers: baton.auth(kind) } }));
  return client;
}

beforeAll(async () => {
  baton = await startFuzzBaton();
  clients.set('admin', await connect('admin'));
  clients.set('viewer', await connect('viewer'));
});
afterAll(async () => {
  await Promise.all(Object.values(doors).map((door) => door.save()));
  for (const client of clients.values()) await client.close();
  await baton?.stop();
});

function expectNoFailures(door: FuzzDoor): void {
  expect(door.report.failures, describeFailures(door.report.failures)).toEqual([]);
}

/** Sends one MCP request; its JSON-RPC error, if any, is returned (and -32603 or a transport failure thrown). */
async function send<T>(what: string, work: () => Promise<T>): Promise<{ result?: T; error?: McpError }> {
  try {
    return { result: await within(REQUEST_TIMEOUT_MS, what, work()) };
  } catch (error) {
    if (!(error instanceof McpError)) throw new Error(`${what}: ${(error as Error).message}`);
    if (error.code === -32603) throw new Error(`-32603 for ${what}: ${truncate(error.message, 300)}`);
    return { error };
  }
}

const clientOf = fc.oneof({ arbitrary: fc.constant<TokenKind>('admin'), weight: 5 }, { arbitrary: fc.constant<TokenKind>('viewer'), weight: 1 });

describe('fuzz: MCP', () => {
  it('tools: every tool, arguments from its published inputSchema (and, apart, arguments that are no object)', async () => {
    const { tools } = await clients.get('admin')!.listTools();
    expect(tools.length).toBeGreaterThan(0);
    const call = (tool: string, args: unknown, client: TokenKind) =>
      send(`tools/call ${tool}`, () =>
        clients.get(client)!.request({ method: 'tools/call', params: { name: tool, arguments: args as Record<string, unknown> } }, CallToolResultSchema, {
          timeout: REQUEST_TIMEOUT_MS,
        }),
      );
    // A property of its own, so that a failure common to every tool does not stop each tool's own.
    const notAnObject = fc.record({
      tool: fc.constantFrom(...tools.map((tool) => tool.name)),
      args: fc.oneof(hostileString(), fc.constantFrom(null, 1, true, [], ['x'])),
    });
    await doors.tools.property('arguments not an object', notAnObject, 20, async ({ tool, args }) => {
      await call(tool, args, 'admin');
    });
    for (const tool of tools) {
      const args = jsonSchemaArbitrary(tool.inputSchema as JsonSchema).filter((value) => typeof value === 'object' && value !== null && !Array.isArray(value));
      await doors.tools.property(tool.name, fc.record({ args, client: clientOf }), 28, async ({ args, client }) => {
        const what = `tools/call ${tool.name}`;
        const { result, error } = await call(tool.name, args, client);
        const text = (result?.content?.[0] as { text?: string } | undefined)?.text;
        if (result?.isError && text && /"code":"INTERNAL"/.test(text)) throw new Error(`INTERNAL tool error for ${what}: ${truncate(text, 300)}`);
        if (tool.name !== 'triage_lead') return;
        const leadId = (args as { lead_data?: { lead_id?: unknown } } | null)?.lead_data?.lead_id;
        if (error || result?.isError) await baton.leads.assertNotStored(leadId, what);
        else baton.leads.accepted(args);
      });
    }
    expectNoFailures(doors.tools);
  });

  it('resources: every template with hostile ids, and URIs no template has', async () => {
    const admin = clients.get('admin')!;
    const { resourceTemplates } = await admin.listResourceTemplates();
    const { resources } = await admin.listResources();
    const id = fc.oneof(
      { arbitrary: hostileString().map((text) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))), weight: 4 },
      { arbitrary: hostileString(), weight: 2 },
      { arbitrary: fc.constantFrom('%ZZ', '%', '%00', '%ED%A0%80', '', '..', 'a/b', '%2F'), weight: 2 },
    );
    const read = (uri: string, client: TokenKind) =>
      send(`resources/read ${truncate(JSON.stringify(uri), 200)}`, () =>
        clients.get(client)!.request({ method: 'resources/read', params: { uri } }, ReadResourceResultSchema, { timeout: REQUEST_TIMEOUT_MS }),
      );
    const templated = fc.oneof(
      ...resourceTemplates.map((template) => id.map((value) => template.uriTemplate.replace(/\{[^}]+\}/, value))),
      ...(resources.length ? [fc.constantFrom(...resources.map((resource) => resource.uri))] : []),
    );
    await doors.resources.property(
      'resources/read, templates with hostile ids',
      fc.record({ uri: templated, client: clientOf }),
      120,
      async ({ uri, client }) => {
        await read(uri, client);
      },
    );
    // Apart, so that one answer for all of them does not stop the templates' property.
    const untemplated = fc.oneof(
      fc.constantFrom(
        'baton://leads/%ZZ',
        'baton://leads/\u0000',
        'baton://campaigns//metrics',
        'baton://nope',
        'http://example.com/',
        '',
        'baton:',
        ...POISON_STRINGS,
      ),
      hostileString(),
    );
    await doors.resources.property('resources/read, URIs no template has', untemplated, 30, async (uri) => {
      await read(uri, 'admin');
    });
    expectNoFailures(doors.resources);
  });

  it('prompts: every prompt with hostile arguments, names no prompt has, and (apart) arguments that are no strings', async () => {
    const { prompts } = await clients.get('admin')!.listPrompts();
    const request = fc.oneof(
      ...prompts.map((prompt) =>
        fc
          .record({
            values: fc.tuple(...(prompt.arguments ?? []).map(() => fc.option(hostileString(), { freq: 6 }))),
            extra: rarely(fc.tuple(hostileString(), hostileString()), 6),
          })
          .map(({ values, extra }) => {
            const args: Record<string, unknown> = {};
            (prompt.arguments ?? []).forEach((argument, index) => {
              if (values[index] !== null) args[argument.name] = values[index];
            });
            if (extra !== null) args[extra[0]] = extra[1];
            return { name: prompt.name, arguments: args };
          }),
      ),
      fc.record({ name: hostileString(), arguments: fc.constant({}) }),
    );
    const get = (params: unknown, client: TokenKind) =>
      send(`prompts/get ${truncate(JSON.stringify(params), 200)}`, () =>
        clients.get(client)!.request({ method: 'prompts/get', params: params as { name: string } }, GetPromptResultSchema, { timeout: REQUEST_TIMEOUT_MS }),
      );
    await doors.prompts.property('prompts/get', fc.record({ request, client: clientOf }), 100, async ({ request, client }) => {
      await get(request, client);
    });
    const notStrings = fc.record({
      name: fc.constantFrom(...prompts.map((prompt) => prompt.name)),
      arguments: fc.dictionary(fc.constantFrom('email', 'source', 'campaign_id', 'lead_id'), fc.constantFrom<unknown>(null, 1, false, {}, ['x']), {
        minKeys: 1,
      }),
    });
    await doors.prompts.property('prompts/get, arguments not strings', notStrings, 20, async (request) => {
      await get(request, 'admin');
    });
    expectNoFailures(doors.prompts);
  });
});
