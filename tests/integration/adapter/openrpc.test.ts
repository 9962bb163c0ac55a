// GET /mcp/openrpc.json documents every JSON-RPC method: the document is valid
// OpenRPC, names all eleven methods (the specification's nine, handoff/context/provide and escalation/resolve), and each method's real
// params and results (called over HTTP) validate against what it publishes.
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_RPC_METHODS } from '../../../src/jsonrpc/methods.js';
import { callEveryMethod } from '../../support/jsonrpc-scenario.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

interface OpenRpcMethod {
  name: string;
  description: string;
  params: { name: string; required: boolean; schema: object }[];
  result: { schema: object };
}

let baton: TestApp;
let document: { openrpc: string; methods: OpenRpcMethod[] };
const ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }));

/** The parts of the OpenRPC meta-schema that are rewritten below (it has many more). */
interface MetaSchema {
  $schema: string;
  definitions: { JSONSchema: object; referenceObject: { properties: { $ref: object } } };
}

/**
 * The OpenRPC meta-schema, with its references to meta.json-schema.tools (not
 * reachable offline) pointed at draft-07, the dialect Baton's schemas are in.
 */
function openRpcMetaSchema(): object {
  const { openrpcDocument } = createRequire(import.meta.url)('@open-rpc/meta-schema') as { openrpcDocument: MetaSchema };
  const { $schema: _dialect, ...schema } = structuredClone(openrpcDocument);
  schema.definitions.JSONSchema = { $ref: 'http://json-schema.org/draft-07/schema#' };
  schema.definitions.referenceObject.properties.$ref = { type: 'string' };
  return schema;
}

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  const response = await fetch(`${baton.url}/mcp/openrpc.json`);
  expect(response.status).toBe(200);
  document = await response.json();
});
afterAll(() => baton?.stop());

function method(name: string): OpenRpcMethod {
  const found = document.methods.find((m) => m.name === name);
  if (!found) throw new Error(`${name} is not documented`);
  return found;
}

const validators = new Map<string, ValidateFunction>();
function expectValid(schema: object, value: unknown, what: string) {
  const key = JSON.stringify(schema);
  const validate = validators.get(key) ?? ajv.compile(schema);
  validators.set(key, validate);
  expect(validate(value), `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

/** Calls a method over HTTP, checks its params and result against the document, and returns the result. */
async function call(name: string, params: Record<string, unknown>): Promise<unknown> {
  const documented = method(name);
  for (const param of documented.params) {
    if (param.required) expect(params, `${name} requires ${param.name}`).toHaveProperty(param.name);
    if (param.name in params) expectValid(param.schema, params[param.name], `${name} param ${param.name}`);
  }
  const response = await baton.post('/mcp', { jsonrpc: '2.0', id: 1, method: name, params });
  const body = await response.json();
  expect(body.error, `${name}: ${JSON.stringify(body.error)}`).toBeUndefined();
  expectValid(documented.result.schema, body.result, `${name} result`);
  return body.result;
}

describe('GET /mcp/openrpc.json', () => {
  it('is a valid OpenRPC document naming every method', () => {
    const validate = ajv.compile(openRpcMetaSchema());
    expect(validate(document), ajv.errorsText(validate.errors)).toBe(true);
    expect(document.methods.map((m) => m.name).sort()).toEqual(Object.keys(JSON_RPC_METHODS).sort());
    expect(Object.keys(JSON_RPC_METHODS)).toHaveLength(12);
    for (const m of document.methods) expect(m.description.length, m.name).toBeGreaterThan(40);
  });

  it('lists enum labels a caller can send', () => {
    const leadData = method('agent/triage/lead').params[0]!.schema as { properties: Record<string, { enum?: string[] }> };
    expect(leadData.properties.industry!.enum).toEqual(['Technology', 'Healthcare', 'Finance', 'Manufacturing']);
    expect(leadData.properties.company_size!.enum).toEqual(expect.arrayContaining(['Mid-Market']));
  });

  it("describes each method's real params and results", async () => {
    const results = await callEveryMethod(call);
    expect([...results.keys()].sort()).toEqual(Object.keys(JSON_RPC_METHODS).sort());
  }, 60_000);
});
