// Masking by role: a field declared personal (`...pii('email')` in its Pothos
// options) resolves masked for a caller without a role that needs the clear value.
// It is applied to the built schema, so every door that runs GraphQL with the
// caller's principal (HTTP, SSE, graphql-ws, REST, JSON-RPC, MCP) gets the same rule.
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
 * reaches the caller in clear or masked, never sealed) and masking, and notes it in its description.
 */
export function maskPersonalData(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const kind = piiKindOf(field.extensions);
      if (!kind) continue;
      field.description = field.description ? `${field.description} ${PII_NOTE}` : PII_NOTE;
      field.resolve = masked(kind, field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

function masked<TSource>(kind: PiiKind, resolve: GraphQLFieldResolver<TSource, Context>): GraphQLFieldResolver<TSource, Context> {
  return (source, args, context, info) => {
    const resolved = resolve(source, args, context, info);
    const answer = (value: unknown) => {
      const opened = context.services.cipher.openJson(value);
      return seesClearPii(context.principal) ? opened : maskPii(kind, opened);
    };
    return resolved instanceof Promise ? resolved.then(answer) : answer(resolved);
  };
}
