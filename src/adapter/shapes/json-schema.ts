// Builders for the result schemas the adapter publishes: JSON Schema in OpenAPI
// 3.0's dialect (`nullable: true`, no type arrays), because the same objects go
// into the served OpenAPI document; OpenRPC and MCP get them converted
// (src/adapter/schema-dialects.ts). Objects list every property as required and
// allow no others unless told: a shape that grows a field must say so here.

export type JsonSchema = Readonly<Record<string, unknown>>;

export const string = (description?: string): JsonSchema => ({ type: 'string', ...(description ? { description } : {}) });
export const dateTime = (description?: string): JsonSchema => ({ ...string(description), format: 'date-time' });
export const integer = (description?: string): JsonSchema => ({ type: 'integer', ...(description ? { description } : {}) });
export const count = (description?: string): JsonSchema => ({ ...integer(description), minimum: 0 });
export const number = (description?: string): JsonSchema => ({ type: 'number', ...(description ? { description } : {}) });
export const boolean = (description?: string): JsonSchema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const array = (items: JsonSchema, description?: string): JsonSchema => ({ type: 'array', items, ...(description ? { description } : {}) });
export const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, nullable: true });
export const oneOfStrings = (values: readonly string[], description?: string): JsonSchema => ({ ...string(description), enum: [...values] });

/** A JSON object whose keys are the caller's own. */
export const freeformObject = (description?: string): JsonSchema => ({ type: 'object', additionalProperties: true, ...(description ? { description } : {}) });

export function object(
  properties: Record<string, JsonSchema>,
  options: { title?: string; description?: string; optional?: readonly string[] } = {},
): JsonSchema {
  const optional = new Set(options.optional ?? []);
  return {
    type: 'object',
    ...(options.title ? { title: options.title } : {}),
    ...(options.description ? { description: options.description } : {}),
    additionalProperties: false,
    required: Object.keys(properties).filter((key) => !optional.has(key)),
    properties,
  };
}
