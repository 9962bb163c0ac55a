// Typed errors: the failures a caller should expect and handle, as members of a
// mutation's result union (@pothos/plugin-errors).
//
// Two kinds of failure, answered two ways:
// - A malformed request (arguments that fail validation, a REASSIGN without
//   reassignTo, a lead naming a campaign that does not exist) is the caller's bug:
//   a top-level GraphQL error with extensions.code BAD_USER_INPUT and
//   extensions.issues [{ path, message }], as is UNAUTHENTICATED / FORBIDDEN.
// - A well-formed request the world says no to (the lead, campaign or escalation
//   it names does not exist; the escalation was already decided) is an outcome:
//   the mutation returns a NotFoundError or ConflictError object instead of its
//   payload, with no top-level error, and nothing is stored. Select it with
//   `... on Error { code message }`.
// A mutation lists the failures it can meet in `errors: { types: [...] }`; any
// other error stays a top-level error (masked unless it is a BatonError). Queries
// are not wrapped: a lookup by id answers null for "not found".
import { ConflictError, ERROR_CODES, NotFoundError, type BatonError, type ResourceKind } from '../errors.js';
import { builder } from './builder.js';

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'What kind of failure: the same codes as extensions.code of top-level errors, the REST error body and JSON-RPC errors.',
  values: ERROR_CODES,
});

const ResourceKindEnum = builder.enumType('ResourceKind', {
  description: 'What a NotFoundError or ConflictError is about.',
  values: {
    LEAD: { value: 'Lead' },
    CAMPAIGN: { value: 'Campaign' },
    ESCALATION: { value: 'Escalation' },
    HANDOFF: { value: 'Handoff' },
  } as const satisfies Record<string, { value: ResourceKind }>,
});

export const ErrorInterface = builder.interfaceRef<BatonError>('Error').implement({
  description: "An expected failure, returned in place of a mutation's result. Malformed requests are top-level errors (BAD_USER_INPUT) instead.",
  fields: (t) => ({
    message: t.exposeString('message', { description: 'For people; do not parse it.' }),
    code: t.expose('code', { type: ErrorCodeEnum }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The lead, campaign or escalation the request names does not exist. Nothing was stored.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    kind: t.expose('kind', { type: ResourceKindEnum }),
    id: t.exposeID('id', { description: 'The id the request gave.' }),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The thing the request names exists, but its state forbids the request (e.g. an escalation already decided). Nothing was stored.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    kind: t.expose('kind', { type: ResourceKindEnum }),
    id: t.exposeID('id'),
  }),
});
