// The audit log, for admins: `auditLog` pages through who read people's data in
// clear, or wrote or erased it (src/audit/audit-log.ts), newest first. The REST
// export (GET /api/v1/audit-log, src/rest/audit-log-export.ts) runs this query.
import { z } from 'zod';
import { AUDIT_ORDER, auditWhere } from '../audit/audit-log.js';
import { DOORS } from '../audit/doors.js';
import { AuditAction } from '../db/generated/prisma/enums.js';
import { builder } from './builder.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from './page-size.js';

export const AuditActionEnum = builder.enumType(AuditAction, {
  name: 'AuditAction',
  description: "READ_CLEAR: a caller read a person's data unmasked. WRITE: stored or changed it. ERASE: erased the person.",
});

/** `internal`: work no caller asked for (a job, the retention sweep). */
export const AUDIT_DOORS = [...DOORS, 'internal'] as const;

builder.prismaObject('AuditEntry', {
  description: "One access to people's data. Append-only: no API changes or deletes an entry. It names leads and fields, never a value.",
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    subject: t.exposeString('subject', { description: "The caller's subject (JWT `sub`)." }),
    roles: t.exposeStringList('roles', { description: 'Its roles at the time.' }),
    action: t.expose('action', { type: AuditActionEnum }),
    leadIds: t.exposeIDList('leadIds', { description: 'The leads concerned.' }),
    fields: t.exposeStringList('fields', {
      description: 'READ_CLEAR: the fields read in clear (`Lead.email`). WRITE: the input fields given (`input.email`).',
    }),
    door: t.exposeString('door', { description: `How the caller came: ${AUDIT_DOORS.join(', ')}.` }),
    operation: t.exposeString('operation', { nullable: true, description: 'The GraphQL operation (for REST, JSON-RPC and MCP: the adapter operation).' }),
    requestId: t.exposeString('requestId', { nullable: true, description: "The request's x-request-id, as in its log line." }),
  }),
});

const AuditLogFilterRef = builder.inputType('AuditLogFilter', {
  description: 'Every condition given must hold.',
  fields: (t) => ({
    leadId: t.id({ description: 'Entries concerning this lead.' }),
    subject: t.string({ description: "Entries of this caller's subject." }),
    action: t.field({ type: AuditActionEnum }),
    door: t.string({ description: AUDIT_DOORS.join(', ') }),
    from: t.field({ type: 'DateTime', description: 'At or after.' }),
    to: t.field({ type: 'DateTime', description: 'Before.' }),
  }),
});

const text = z.string().trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters').nullish();

/** The filter's rules, with the paths GraphQL callers see (`filter.door`). */
export const auditLogFilterArg = z
  .looseObject({ leadId: text, subject: text, door: z.enum(AUDIT_DOORS, `must be one of ${AUDIT_DOORS.join(', ')}`).nullish() })
  .nullish()
  .refine((filter) => !filter?.from || !filter.to || filter.from <= filter.to, { path: ['from'], message: 'must not be after to' });

builder.queryField('auditLog', (t) =>
  t.prismaConnection({
    type: 'AuditEntry',
    cursor: 'id',
    description: "Who read people's data in clear, or wrote or erased it, newest first. Admins only.",
    authScopes: { admin: true },
    maxSize: MAX_PAGE_SIZE,
    defaultSize: DEFAULT_PAGE_SIZE,
    args: { filter: t.arg({ type: AuditLogFilterRef }) },
    // Loose: the validated args replace the originals, and after/before must survive.
    validate: z.looseObject({ first: pageSize, last: pageSize, filter: auditLogFilterArg }),
    resolve: (query, _root, { filter }, { services }) =>
      services.prisma.auditEntry.findMany({ ...query, where: auditWhere(filter ?? {}), orderBy: AUDIT_ORDER }),
  }),
);
