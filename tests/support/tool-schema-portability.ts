// The checks MCP Inspector's `--strict` mode runs over a server's tool schemas
// (`tools/list`), so that Baton's stay clean without the Inspector installed.
// Read from @modelcontextprotocol/inspector 2.12.0, core/json/schemaLint.ts
// (bundled in clients/cli/build/index.js): it walks every subschema of each
// tool's inputSchema and outputSchema and reports
//   boolean-schema (error)    a bare true/false where a schema object is expected
//                             (allowed under additionalProperties and its kin);
//   type-union (warning)      `type` as an array (["string", "null"]), which clients
//                             mapping tool schemas onto a one-type dialect reject;
//   remote-ref (warning)      a `$ref` outside the document (clients do not fetch them);
//   untyped-schema (warning)  a schema with no validation keyword at all (`{}`,
//                             or only a description): it accepts anything.

export interface PortabilityFinding {
  schema: 'inputSchema' | 'outputSchema';
  path: string;
  rule: 'boolean-schema' | 'type-union' | 'remote-ref' | 'untyped-schema';
}

const BOOLEAN_ALLOWED_UNDER = new Set(['additionalProperties', 'unevaluatedProperties', 'additionalItems', 'unevaluatedItems']);
const SUBSCHEMA = ['items', 'contains', 'not', 'propertyNames', 'if', 'then', 'else', 'contentSchema', ...BOOLEAN_ALLOWED_UNDER];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'dependentSchemas', 'dependencies', '$defs', 'definitions'];
/** JSON Schema's assertions, applicators and references: a schema with none of them accepts any value. */
const CONSTRAINING = new Set([
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'contentMediaType',
  'contentEncoding',
  'contentSchema',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'items',
  'prefixItems',
  'contains',
  'additionalItems',
  'unevaluatedItems',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'dependentSchemas',
  'dependencies',
  '$ref',
  '$dynamicRef',
  '$recursiveRef',
]);

export function toolSchemaFindings(tool: { inputSchema?: unknown; outputSchema?: unknown }): PortabilityFinding[] {
  const findings: PortabilityFinding[] = [];
  for (const schema of ['inputSchema', 'outputSchema'] as const) {
    if (tool[schema] !== undefined) walk(tool[schema], '', undefined, (path, rule) => findings.push({ schema, path, rule }));
  }
  return findings;
}

function walk(node: unknown, path: string, keyword: string | undefined, report: (path: string, rule: PortabilityFinding['rule']) => void): void {
  if (typeof node === 'boolean') {
    if (keyword === undefined || !BOOLEAN_ALLOWED_UNDER.has(keyword)) report(path, 'boolean-schema');
    return;
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  const schema = node as Record<string, unknown>;
  if (Array.isArray(schema.type)) report(path, 'type-union');
  if (typeof schema.$ref === 'string' && !schema.$ref.startsWith('#')) report(path, 'remote-ref');
  const constrains = Object.keys(schema).some((key) => CONSTRAINING.has(key)) || ('if' in schema && ('then' in schema || 'else' in schema));
  if (!constrains && keyword !== 'not') report(path, 'untyped-schema');

  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of SUBSCHEMA_MAPS) {
    const map = schema[key];
    if (typeof map === 'object' && map !== null && !Array.isArray(map)) {
      for (const [name, sub] of Object.entries(map)) walk(sub, at(`${key}.${name}`), key, report);
    }
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    for (const [index, sub] of list.entries()) walk(sub, at(`${key}[${index}]`), key, report);
  }
  for (const key of SUBSCHEMA) {
    if (!(key in schema)) continue;
    const sub = schema[key];
    if (key === 'items' && Array.isArray(sub)) {
      for (const [index, item] of sub.entries()) walk(item, at(`items[${index}]`), key, report);
    } else {
      walk(sub, at(key), key, report);
    }
  }
}
