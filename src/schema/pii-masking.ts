// Masking by role, and the audit of people's data: a field declared personal
// (`...pii('email')` in its Pothos options) resolves masked for a caller without
// a role that needs the clear value, and each clear value it answers is noted for
// the audit log; a mutation declared `...writesPersonalData(leadOf)` notes the
// lead it wrote. It is applied to the built schema, so every door that runs
// GraphQL with the caller's principal (HTTP, SSE, graphql-ws, REST, JSON-RPC,
// MCP) gets the same rule, and the audit plugin (src/audit/use-audit-log.ts)
// writes what was noted once per operation.
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Principal, Role } from '../auth/roles.js';
import { maskPii, PII_KINDS, PII_NOTE, type PiiKind } from '../domain/pii.js';
import type { Context } from './context.js';

/** Roles whose work needs people's data in clear; any other caller (a viewer) reads it masked. */
export const CLEAR_PII_ROLES: readonly Role[] = ['operator', 'agent', 'manager', 'admin'];

/** Spread into a field's options: declares the field personal data of `kind`. */
export function pii(kind: PiiKind): { extensions: { pii: PiiKind } } {
  return { extensions: { pii: kind } };
}

/**
 * The lead a mutation wrote, from its arguments or its result (null: none known,
 * such as a conversation not tied to a lead yet).
 */
// biome-ignore lint/suspicious/noExplicitAny: each mutation reads its own argument and result shapes
export type WrittenLead = (args: any, result: any) => string | null | undefined;

/** Spread into a mutation's options: it stores or changes a person's data, and each successful call is audited as a WRITE. */
export function writesPersonalData(leadOf: WrittenLead): { extensions: { personalWrite: PersonalWrite } } {
  return { extensions: { personalWrite: { action: 'WRITE', leadOf } } };
}

/** Spread into a mutation's options: it erases a person (eraseLead), and each successful call is audited as an ERASE. */
export function erasesPersonalData(leadOf: WrittenLead): { extensions: { personalWrite: PersonalWrite } } {
  return { extensions: { personalWrite: { action: 'ERASE', leadOf } } };
}

type PersonalWrite = { action: 'WRITE' | 'ERASE'; leadOf: WrittenLead };

export function seesClearPii(principal: Principal | undefined): boolean {
  return principal?.roles.some((role) => CLEAR_PII_ROLES.includes(role)) ?? false;
}

/** The kind a field was declared with, or undefined for a field that is not personal data. */
export function piiKindOf(extensions: Readonly<Record<string, unknown>> | null | undefined): PiiKind | undefined {
  const kind = extensions?.pii;
  return PII_KINDS.find((known) => known === kind);
}

/**
 * Wraps each declared field's resolver with opening (a value stored sealed, src/privacy/personal-data-cipher.ts,
 * reaches the caller in clear or masked, never sealed), masking, and the audit of clear reads and writes; and
 * notes it in its description.
 */
export function maskPersonalData(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const write = field.extensions?.personalWrite as PersonalWrite | undefined;
      if (write) field.resolve = audited(write, field.resolve ?? defaultFieldResolver);
      const kind = piiKindOf(field.extensions);
      if (!kind) continue;
      field.description = field.description ? `${field.description} ${PII_NOTE}` : PII_NOTE;
      field.resolve = masked(kind, `${type.name}.${field.name}`, leadOfSource(type.name), field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

/**
 * Whose data a personal field's value is, from the object it sits on: a lead is
 * itself; a handoff, outbox message, interaction, conversation context, profile or
 * handoff event carries its lead's id. Null for an object of no single lead (a
 * campaign's escalation, a notice to the managers, an engagement result).
 */
function leadOfSource(typeName: string): (source: unknown) => string | null {
  const key = typeName === 'Lead' ? 'id' : 'leadId';
  return (source) => {
    const value = (source as Record<string, unknown> | null)?.[key];
    return typeof value === 'string' ? value : null;
  };
}

function masked<TSource>(
  kind: PiiKind,
  field: string,
  leadOf: (source: TSource) => string | null,
  resolve: GraphQLFieldResolver<TSource, Context>,
): GraphQLFieldResolver<TSource, Context> {
  return (source, args, context, info) => {
    const resolved = resolve(source, args, context, info);
    const answer = (value: unknown) => {
      const opened = context.services.cipher.openJson(value);
      if (!seesClearPii(context.principal)) return maskPii(kind, opened);
      if (opened != null) context.audit.readClear(leadOf(source), field);
      return opened;
    };
    return resolved instanceof Promise ? resolved.then(answer) : answer(resolved);
  };
}

function audited<TSource>({ action, leadOf }: PersonalWrite, resolve: GraphQLFieldResolver<TSource, Context>): GraphQLFieldResolver<TSource, Context> {
  return async (source, args, context, info) => {
    const result: unknown = await resolve(source, args, context, info);
    // An error returned as the result (NotFoundError, ConflictError) wrote nothing.
    if (isError(result)) return result;
    context.audit.wrote(action, leadOf(args, result) ?? null, inputFieldsOf(args));
    return result;
  };
}

/**
 * An Error, also as the errors plugin returns it (a Proxy) and from another realm (the
 * test runner loads some modules outside the schema's), where `instanceof Error` fails.
 */
function isError(value: unknown): boolean {
  for (
    let prototype = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : null;
    prototype;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    if (prototype.constructor?.name === 'Error') return true;
  }
  return false;
}

/** The names of the arguments given, one level into input objects (`input.email`): what was written, never its value. */
function inputFieldsOf(args: Record<string, unknown>): string[] {
  return Object.entries(args).flatMap(([name, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
      ? Object.keys(value)
          .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
          .map((key) => `${name}.${key}`)
      : value === undefined
        ? []
        : [name],
  );
}
