// Values from a JSON Schema (an adapter's zod schema through z.toJSONSchema, an
// MCP tool's inputSchema from tools/list): mostly what the schema describes, with
// hostile strings and numbers in it, and sometimes corrupted: a field missing,
// a field of the wrong type, a field the schema does not know.
import fc from 'fast-check';
import {
  anyJson,
  hostileDate,
  hostileInt,
  hostileJsonObject,
  hostileNumber,
  hostileString,
  plausibleId,
  poisonedOrWild,
  rarely,
  validString,
} from './hostile-values.js';

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  format?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
};

/** Marks a field to leave out of its object. */
const MISSING = Symbol('missing');

/** Values the schema describes, sometimes with one hostile leaf, or anything at all (see `poisonedOrWild`). */
export function jsonSchemaArbitrary(root: JsonSchema): fc.Arbitrary<unknown> {
  return poisonedOrWild(schemaArbitrary(root, true), schemaArbitrary(root, false));
}

function schemaArbitrary(root: JsonSchema, valid: boolean): fc.Arbitrary<unknown> {
  const definitions = { ...root.definitions, ...root.$defs };
  const resolve = (schema: JsonSchema): JsonSchema => {
    const name = schema.$ref?.split('/').pop();
    return name && definitions[name] ? resolve(definitions[name]) : schema;
  };

  const schemaValue = (raw: JsonSchema, depth: number, name = ''): fc.Arbitrary<unknown> => {
    const schema = resolve(raw);
    const corrupt = { arbitrary: anyJson(), weight: 1 };
    if (depth > 5) return valid ? fc.constant(null) : anyJson();
    if (schema.const !== undefined) return valid ? fc.constant(schema.const) : fc.oneof({ arbitrary: fc.constant(schema.const), weight: 9 }, corrupt);
    if (valid && schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.enum) {
      const labels = schema.enum.filter((value) => typeof value === 'string') as string[];
      const mangled = labels.flatMap((label) => [label.toUpperCase(), label.toLowerCase(), ` ${label}`]);
      return fc.oneof(
        { arbitrary: fc.constantFrom(...schema.enum), weight: 12 },
        ...(mangled.length ? [{ arbitrary: fc.constantFrom(...mangled), weight: 1 }] : []),
        corrupt,
      );
    }
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches?.length) return fc.oneof(...branches.map((branch) => schemaValue(branch, depth + 1, name)));
    if (schema.allOf?.length) return schemaValue(schema.allOf[0]!, depth + 1, name);
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (types.length > 1) return fc.oneof(...types.map((type) => schemaValue({ ...schema, type }, depth, name)));
    const typed = ((): fc.Arbitrary<unknown> => {
      if (valid) {
        switch (types[0]) {
          case 'string':
            return schema.format === 'date-time'
              ? fc.date({ min: new Date('2025-01-01'), max: new Date('2026-12-01'), noInvalidDate: true }).map((date) => date.toISOString())
              : schema.format === 'email'
                ? fc.constant('a@example.com')
                : validString(name);
          case 'integer':
            return fc.integer({ min: 0, max: 100 });
          case 'number':
            return fc.double({ min: 0, max: 1000, noNaN: true });
          case 'array':
            return fc.array(schema.items ? schemaValue(schema.items, depth + 1) : validString(), { maxLength: 3 });
          case 'object':
            return schema.properties ? objectOf(schema, depth) : fc.dictionary(plausibleId(), validString(), { maxKeys: 3 });
          case 'boolean':
            return fc.boolean();
          default:
            return fc.constant(null);
        }
      }
      switch (types[0]) {
        case 'string':
          return schema.format === 'date-time' ? fc.oneof({ arbitrary: hostileDate(), weight: 4 }, { arbitrary: hostileString(), weight: 1 }) : hostileString();
        case 'integer':
          return hostileInt();
        case 'number':
          return hostileNumber();
        case 'boolean':
          return fc.boolean();
        case 'null':
          return fc.constant(null);
        case 'array':
          return fc.array(schema.items ? schemaValue(schema.items, depth + 1) : anyJson(), { maxLength: 4 });
        case 'object':
          return schema.properties ? objectOf(schema, depth) : hostileJsonObject();
        default:
          return anyJson();
      }
    })();
    return valid ? typed : fc.oneof({ arbitrary: typed, weight: 12 }, corrupt);
  };

  const objectOf = (schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> => {
    const required = new Set(schema.required ?? []);
    const fields = Object.entries(schema.properties ?? {}).map(([name, field]) =>
      (valid && required.has(name)
        ? schemaValue(field, depth + 1, name)
        : fc.option(schemaValue(field, depth + 1, name), { nil: MISSING, freq: required.has(name) ? 15 : 2 })
      ).map((value) => [name, value] as const),
    );
    const unknownKey = valid ? fc.constant(null) : rarely(fc.tuple(hostileString(), anyJson()), 12);
    return fc.tuple(fc.tuple(...fields), unknownKey).map(([entries, extra]) => {
      const object: Record<string, unknown> = {};
      for (const [name, value] of entries) if (value !== MISSING) object[name] = value;
      if (extra) object[extra[0]] = extra[1];
      return object;
    });
  };

  return schemaValue(root, 0);
}
