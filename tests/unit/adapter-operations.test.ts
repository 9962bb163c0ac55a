// The adapter's operations: one file per operation beside its GraphQL document,
// one list of them all, and the doors' registries derived from that list, each
// name and route once.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AnyAdapterOperation } from '../../src/adapter/adapter-operation.js';
import { ADAPTER_OPERATIONS } from '../../src/adapter/operations/all-operations.js';
import { JSON_RPC_METHODS } from '../../src/jsonrpc/methods.js';
import { MCP_TOOLS } from '../../src/mcp/tools.js';
import { REST_ROUTES } from '../../src/rest/routes.js';

const OPERATIONS_DIR = new URL('../../src/adapter/operations/', import.meta.url);
const files = readdirSync(OPERATIONS_DIR);
const operationFiles = files.filter((file) => file.endsWith('.ts') && file !== 'all-operations.ts');

/** `ProcessLead` → `process-lead`. */
const kebabCase = (name: string) => name.replace(/(?<!^)[A-Z]/g, (letter) => `-${letter}`).toLowerCase();

describe('adapter operations', () => {
  it('are listed once each, every operation file with its operation', async () => {
    const exported: AnyAdapterOperation[] = [];
    for (const file of operationFiles) {
      const module = (await import(new URL(file, OPERATIONS_DIR).href)) as Record<string, unknown>;
      const operations = Object.values(module).filter((value): value is AnyAdapterOperation => ADAPTER_OPERATIONS.includes(value as AnyAdapterOperation));
      expect(operations, file).toHaveLength(1);
      exported.push(...operations);
    }
    expect(new Set(ADAPTER_OPERATIONS).size).toBe(ADAPTER_OPERATIONS.length);
    expect(new Set(exported)).toEqual(new Set(ADAPTER_OPERATIONS));
  });

  it('sit beside the GraphQL document each runs', () => {
    const documents = files.filter((file) => file.endsWith('.graphql') && /^\s*(query|mutation)\s/m.test(readFileSync(new URL(file, OPERATIONS_DIR), 'utf8')));
    expect(documents.map((file) => `${kebabCase(file.replace('.graphql', ''))}.ts`).sort()).toEqual([...operationFiles].sort());
  });

  it('give each REST route, JSON-RPC method and MCP tool once', () => {
    const routes = REST_ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    expect(REST_ROUTES).toHaveLength(ADAPTER_OPERATIONS.filter((operation) => operation.rest).length);
    expect(Object.keys(JSON_RPC_METHODS)).toHaveLength(ADAPTER_OPERATIONS.filter((operation) => operation.jsonRpc).length);
    const tools = MCP_TOOLS.map((tool) => tool.name);
    expect(new Set(tools).size).toBe(tools.length);
    expect(tools).toHaveLength(ADAPTER_OPERATIONS.filter((operation) => operation.mcp).length);
  });

  it("read a REST route's path segments as input fields, and its body as the input's other fields", () => {
    for (const route of REST_ROUTES) {
      const fields = Object.keys((route.operation.input as z.ZodObject).shape).sort();
      const inPath = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
      expect(fields, route.path).toEqual(expect.arrayContaining(inPath));
      if (route.method === 'GET' || inPath.length === 0) {
        expect(route.body, `${route.path}: the body is the input itself`).toBeUndefined();
        continue;
      }
      const bodyFields = Object.keys((route.body as z.ZodObject | undefined)?.shape ?? {});
      expect([...bodyFields, ...inPath].sort(), route.path).toEqual(fields);
    }
  });
});
