// GraphQL requests from the schema itself: for every root field with arguments,
// an operation calling it with arguments derived from their input types, passed
// as variables (mostly) or inline literals. Values are mostly of the right type
// with hostile contents, sometimes null where non-null is required, missing, of
// the wrong type, or carrying an input field the type does not have.
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isRequiredArgument,
} from 'graphql';
import { readFileSync } from 'node:fs';
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

/** The published schema (schema.graphql, generated from src/schema by `npm run codegen`). */
export const PUBLISHED_SCHEMA: GraphQLSchema = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/** A generated call of one field: the request, and the argument values it carries (as variables or inline). */
export interface FieldCall {
  request: GraphQLRequest;
  args: Record<string, unknown>;
}

const MISSING = Symbol('missing');
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Values of `type`: valid ones (for skeletons `oneLeafPoisoned` poisons), or hostile and sometimes of the wrong type. */
export function inputValueArbitrary(type: GraphQLInputType, depth = 0, valid = false, name = ''): fc.Arbitrary<unknown> {
  if (depth > 4) return fc.constant(null);
  const corrupt = { arbitrary: anyJson(), weight: 1 };
  const orCorrupt = (arbitrary: fc.Arbitrary<unknown>, weight = 14) => (valid ? arbitrary : fc.oneof({ arbitrary, weight }, corrupt));
  if (isNonNullType(type)) {
    const inner = inputValueArbitrary(type.ofType, depth, valid, name);
    return valid ? inner : fc.oneof({ arbitrary: inner, weight: 14 }, { arbitrary: fc.constant(null), weight: 1 });
  }
  if (isListType(type)) {
    const item = inputValueArbitrary(type.ofType, depth + 1, valid, name);
    return valid
      ? fc.array(item, { maxLength: 3 })
      : fc.oneof({ arbitrary: fc.array(item, { maxLength: 4 }), weight: 8 }, { arbitrary: item, weight: 1 }, corrupt);
  }
  if (isEnumType(type)) {
    const names = type.getValues().map((value) => value.name);
    if (valid) return fc.constantFrom(...names);
    return fc.oneof(
      { arbitrary: fc.constantFrom(...names), weight: 12 },
      { arbitrary: fc.constantFrom(...names.map((name) => name.toLowerCase())), weight: 1 },
      corrupt,
    );
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).map((field) => {
      const value = inputValueArbitrary(field.type, depth + 1, valid, field.name);
      const required = isNonNullType(field.type);
      return (valid && required ? value : fc.option(value, { nil: MISSING, freq: required ? 20 : 2 })).map((field_) => [field.name, field_] as const);
    });
    const extraKey = valid ? fc.constant(null) : rarely(fc.constantFrom('unknownField', 'leadID', '__proto__'), 15);
    const object = fc.tuple(fc.tuple(...fields), extraKey).map(([entries, extra]) => {
      const value: Record<string, unknown> = {};
      for (const [name, field] of entries) if (field !== MISSING) value[name] = field;
      if (extra) value[extra] = 'x';
      return value;
    });
    return orCorrupt(object, 12);
  }
  if (valid) {
    switch (type.name) {
      case 'Int':
        return fc.integer({ min: 0, max: 100 });
      case 'Float':
        return fc.double({ min: 0, max: 1000, noNaN: true });
      case 'Boolean':
        return fc.boolean();
      case 'DateTime':
        return fc.date({ min: new Date('2025-01-01'), max: new Date('2026-12-01'), noInvalidDate: true }).map((date) => date.toISOString());
      case 'JSON':
        return fc.dictionary(plausibleId(), validString(), { maxKeys: 3 });
      default:
        return validString(name);
    }
  }
  const scalar = ((): fc.Arbitrary<unknown> => {
    switch (type.name) {
      case 'ID':
        return fc.oneof({ arbitrary: plausibleId(), weight: 3 }, { arbitrary: hostileString(), weight: 3 }, { arbitrary: hostileInt(), weight: 1 });
      case 'String':
        return hostileString();
      case 'Int':
        return hostileInt();
      case 'Float':
        return hostileNumber();
      case 'Boolean':
        return fc.boolean();
      case 'DateTime':
        return hostileDate();
      case 'JSON':
        return fc.oneof({ arbitrary: hostileJsonObject(), weight: 4 }, { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 });
      default:
        return hostileString();
    }
  })();
  return orCorrupt(scalar);
}

/** The root fields of `operation` that take arguments: the ones a caller's input reaches. */
export function fieldsWithArguments(kind: 'query' | 'mutation' | 'subscription'): GraphQLField<unknown, unknown>[] {
  const root =
    kind === 'query' ? PUBLISHED_SCHEMA.getQueryType() : kind === 'mutation' ? PUBLISHED_SCHEMA.getMutationType() : PUBLISHED_SCHEMA.getSubscriptionType();
  return Object.values(root?.getFields() ?? {}).filter((field) => field.args.length > 0);
}

/** Selects every leaf field of the result that needs no argument, so its resolvers run too. */
function selectionOf(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return '';
  if (!isObjectType(type)) return '{ __typename }';
  const leaves = Object.values((type as GraphQLObjectType).getFields())
    .filter((child) => isLeafType(getNamedType(child.type)) && child.args.every((arg) => !isRequiredArgument(arg)))
    .map((child) => child.name);
  return `{ __typename ${leaves.join(' ')} }`;
}

/** A literal of `value` as `type` would parse it (or not: a wrong-typed value prints as what it is). */
export function printLiteral(value: unknown, type: GraphQLInputType): string {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => printLiteral(item, isListType(inner) ? inner.ofType : inner)).join(', ')}]`;
  if (typeof value === 'string') return isEnumType(inner) && NAME.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'object') {
    const fields = isInputObjectType(inner) ? inner.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => NAME.test(key));
    return `{${entries.map(([key, field]) => `${key}: ${printLiteral(field, fields[key]?.type ?? inner)}`).join(', ')}}`;
  }
  return String(value);
}

/** Requests calling `field`: arguments as variables (declared with their schema type), or inline. */
export function fieldCallArbitrary(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): fc.Arbitrary<FieldCall> {
  const argsOf = (valid: boolean) =>
    fc
      .tuple(
        ...field.args.map((arg) => {
          // The field's name says what an `id` argument names (handoff(id:), resolveEscalation(id:)).
          const value = inputValueArbitrary(arg.type, 0, valid, `${field.name}.${arg.name}`);
          const required = isRequiredArgument(arg);
          return (valid && required ? value : fc.option(value, { nil: MISSING, freq: required ? 20 : 2 })).map((value_) => [arg.name, value_] as const);
        }),
      )
      .map((entries) => Object.fromEntries(entries.filter(([, value]) => value !== MISSING)) as Record<string, unknown>);
  const generated = poisonedOrWild(argsOf(true), argsOf(false)) as fc.Arbitrary<Record<string, unknown>>;
  return fc.tuple(generated, fc.nat(9)).map(([args, style]) => {
    const present = field.args.filter((arg) => Object.hasOwn(args, arg.name)).map((arg) => ({ arg, value: args[arg.name] }));
    const selection = selectionOf(field);
    if (style < 2) {
      const inline = present.map(({ arg, value }) => `${arg.name}: ${printLiteral(value, arg.type)}`).join(', ');
      return { args, request: { query: `${kind} Fuzz { ${field.name}${inline ? `(${inline})` : ''} ${selection} }` } };
    }
    const declared = present.map(({ arg }) => `$${arg.name}: ${String(arg.type)}`).join(', ');
    const passed = present.map(({ arg }) => `${arg.name}: $${arg.name}`).join(', ');
    return {
      args,
      request: { query: `${kind} Fuzz${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selection} }`, variables: args },
    };
  });
}

/** Documents no schema describes: broken syntax, deep nesting, unknown fields, many aliases. */
export const strangeDocument = (): fc.Arbitrary<GraphQLRequest> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }).map((query) => ({ query })),
    fc
      .constantFrom(
        '{',
        'query { lead(id: "x") { id } ',
        '{ __typename }',
        '{ nope }',
        'subscription { leadProcessed { nope } }',
        '{ leads(filter: { source: "%" }) { totalCount } }',
        '{ leads(filter: { source: "\\\\" }) { totalCount } }',
        `{ leads(first: ${'['.repeat(200)}1${']'.repeat(200)}) { totalCount } }`,
        `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
        `{ lead(id: "x") { ${'conversation { lead { '.repeat(20)}id${' } }'.repeat(20)} } }`,
        'query A { __typename } query A { __typename }',
        'fragment F on Query { ...F } { ...F }',
        '{ lead(id: "\\u0000") { id } }',
        '{ lead(id: "\\uD800") { id } }',
        'mutation { consolidateMemory { runId } }',
      )
      .map((query) => ({ query })),
  );
