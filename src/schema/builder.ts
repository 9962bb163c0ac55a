// The Pothos schema builder: plugins, context, scalars and auth scopes. It
// defines no domain types; each lives in its own module beside this file.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { type AuthFailure } from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { can, rolesGranting, type Permission } from '../auth/roles.js';
import type PrismaTypes from '../db/generated/pothos-types.js';
import { getDatamodel } from '../db/generated/pothos-types.js';
import { ForbiddenError, InputError } from '../errors.js';
import type { Context } from './context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { read: boolean; processLeads: boolean; supplyContext: boolean; resolveEscalations: boolean; admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  // Errors before Prisma (so prismaField results can be unions), after ScopeAuth (authorization runs first).
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: ({ principal }) => ({
      read: can(principal, 'read'),
      processLeads: can(principal, 'processLeads'),
      resolveEscalations: can(principal, 'resolveEscalations'),
      supplyContext: can(principal, 'supplyContext'),
      admin: can(principal, 'admin'),
    }),
    // Names the roles that would be allowed, so the caller knows which token to ask for.
    unauthorizedError: (_parent, { principal }, info, result) =>
      new ForbiddenError(`Roles [${principal.roles.join(', ')}] may not access ${info.parentType.name}.${info.fieldName}${neededRoles(result.failure)}`),
  },
  errors: {
    // A mutation with `errors` returns its own payload type or an Error type (src/schema/errors.ts),
    // in a union named after the mutation: `union RecordOutcomeResult = Lead | NotFoundError`.
    directResult: true,
    defaultUnionOptions: {
      name: ({ parentTypeName, fieldName }) =>
        `${parentTypeName === 'Mutation' ? '' : parentTypeName}${fieldName[0]!.toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
  prisma: {
    client: (ctx) => ctx.services.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Baton's ids are the callers' own (lead ids); there are no global node ids to look up.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  validation: {
    validationError: ({ issues }) =>
      new InputError(
        issues.map((issue) => ({
          path: (issue.path ?? []).map((segment) => (typeof segment === 'object' ? segment.key : segment)).join('.'),
          message: issue.message,
        })),
      ),
  },
});

/** `; needs role manager or admin` when the refusal is for scopes (a field's `authScopes`), else nothing. */
function neededRoles(failure: AuthFailure): string {
  const scopes = (f: AuthFailure): string[] =>
    f.kind === 'AuthScope' ? [f.scope] : f.kind === 'AnyAuthScopes' || f.kind === 'AllAuthScopes' ? f.failures.flatMap(scopes) : [];
  const roles = [...new Set(scopes(failure).flatMap((scope) => rolesGranting(scope as Permission)))];
  return roles.length > 0 ? `; needs role ${roles.join(' or ')}` : '';
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);

builder.queryType({ description: 'Read leads, conversations and handoffs.' });
builder.mutationType({ description: 'Run the agents.' });
builder.subscriptionType({ description: 'Live progress of the agents.' });
