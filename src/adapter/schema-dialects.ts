// A hand-written JSON Schema (OpenAPI 3.0's dialect, shapes/json-schema.ts) in
// draft-07. Only the optimization shapes still have such schemas, while they are
// rewritten (issue 12); every other wire shape is zod and zod writes each dialect.
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
