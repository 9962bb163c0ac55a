// The GraphQL side of Baton's input rules (src/domain/input-rules.ts): every
// argument of every field, literal or variable, at any depth of input objects and
// lists, and every string inside a JSON argument, is checked once, here, before
// the field resolves; a value PostgreSQL could not hold (NUL, an unpaired
// surrogate, a date outside its calendar, a float beyond what any amount needs)
// is BAD_USER_INPUT naming the field (`input.extractedSlots.budget`) and
// nothing runs. The adapters' doors reach GraphQL with variables, so this covers
// them too; they map the paths back into their own vocabulary.
import {
  defaultFieldResolver,
  GraphQLFloat,
  GraphQLID,
  GraphQLString,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { amountProblem, dateProblem, idProblem, jsonProblems, textProblem } from '../domain/input-rules.js';
import { InputError, type InputIssue } from '../errors.js';

/** Wraps each field that takes arguments so they are checked before it resolves (or subscribes). */
export function guardInputs(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      field.resolve = checked(field.args, field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = checked(field.args, field.subscribe);
    }
  }
  return schema;
}

function checked<TSource, TContext>(
  definitions: readonly GraphQLArgument[],
  resolve: GraphQLFieldResolver<TSource, TContext>,
): GraphQLFieldResolver<TSource, TContext> {
  return (source, args: Record<string, unknown>, context, info) => {
    const issues = definitions.flatMap((argument) => valueIssues(args[argument.name], argument.type, argument.name));
    if (issues.length > 0) throw new InputError(issues);
    return resolve(source, args, context, info);
  };
}

/** The issues of one coerced input value of `type`, found at `path`. */
export function valueIssues(value: unknown, type: GraphQLInputType, path: string): InputIssue[] {
  if (value === null || value === undefined) return [];
  if (isNonNullType(type)) return valueIssues(value, type.ofType, path);
  if (isListType(type)) {
    return Array.isArray(value) ? value.flatMap((item, index) => valueIssues(item, type.ofType, `${path}.${index}`)) : valueIssues(value, type.ofType, path);
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    return Object.entries(value as Record<string, unknown>).flatMap(([name, item]) => {
      const field = fields[name];
      return field ? valueIssues(item, field.type, `${path}.${name}`) : [];
    });
  }
  const problem = scalarProblem(value, type.name);
  if (problem === 'json') return jsonProblems(value, path);
  return problem ? [{ path, message: problem }] : [];
}

function scalarProblem(value: unknown, scalar: string): string | undefined | 'json' {
  switch (scalar) {
    case GraphQLID.name:
      return idProblem(String(value));
    case GraphQLString.name:
      return typeof value === 'string' ? textProblem(value) : undefined;
    case GraphQLFloat.name:
      return typeof value === 'number' ? amountProblem(value) : undefined;
    case 'DateTime':
      return value instanceof Date ? dateProblem(value) : undefined;
    case 'JSON':
      return 'json';
    default:
      return undefined;
  }
}
