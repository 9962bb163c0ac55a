// The adapter's schemas in the dialects its callers read. Results are written once,
// in OpenAPI 3.0's JSON Schema (they are served in the OpenAPI document); OpenRPC
// and MCP speak plain JSON Schema (draft-07), and the MCP SDK wants zod. Params
// are zod (they validate requests) and are published as draft-07.
import { z } from 'zod';
import type { JsonSchema } from './shapes/json-schema.js';

/** OpenAPI 3.0 → draft-07: `nullable: true` becomes a union with null; `example` becomes `examples`. */
export function toDraft07(schema: JsonSchema): JsonSchema {
  const { nullable, example, ...rest } = schema as Record<string, unknown>;
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) converted[key] = convertKeyword(key, value);
  if (example !== undefined) converted.examples = [example];
  if (nullable !== true) return converted;
  if (typeof converted.type === 'string') {
    const withNull: Record<string, unknown> = { ...converted, type: [converted.type, 'null'] };
    if (Array.isArray(converted.enum)) withNull.enum = [...converted.enum, null];
    return withNull;
  }
  return { anyOf: [converted, { type: 'null' }] };
}

function convertKeyword(key: string, value: unknown): unknown {
  if (key === 'properties' && isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toDraft07(schema as JsonSchema)]));
  }
  if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isRecord(value)) return toDraft07(value);
  if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(value)) {
    return value.map((schema) => toDraft07(schema as JsonSchema));
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A result schema as zod, for the MCP SDK's `outputSchema`. */
export function resultAsZod(schema: JsonSchema): z.ZodType {
  return z.fromJSONSchema(schema as never, { defaultTarget: 'openapi-3.0' });
}

/**
 * What a params schema accepts, as draft-07 (transforms show their input side),
 * self-contained: OpenRPC lists each param's schema on its own, so nothing may
 * point into a shared `definitions`. Arbitrary JSON values (z.json(), recursive)
 * are published as `{}`, "any JSON".
 */
export function paramsAsDraft07(params: z.ZodType): JsonSchema {
  const { $schema: _dialect, definitions = {}, ...schema } = z.toJSONSchema(params, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
    reused: 'inline',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'lazy') for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Record<string, unknown>)[key];
    },
  }) as Record<string, unknown> & { definitions?: Record<string, unknown> };
  return inlineDefinitions(schema, definitions) as JsonSchema;
}

function inlineDefinitions(node: unknown, definitions: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineDefinitions(item, definitions));
  if (!isRecord(node)) return node;
  const { $ref, ...rest } = node;
  const inlined = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, inlineDefinitions(value, definitions)]));
  if (typeof $ref !== 'string' || !$ref.startsWith('#/definitions/')) return $ref === undefined ? inlined : { $ref, ...inlined };
  const target = inlineDefinitions(definitions[$ref.slice('#/definitions/'.length)], definitions);
  return { ...(isRecord(target) ? target : {}), ...inlined };
}
