// One page of the audit log for the REST export (GET /api/v1/audit-log, which
// streams every page as JSON lines: src/rest/audit-log-export.ts). One GraphQL
// operation (ExportAuditLog.graphql); no door binding of its own, since the
// export streams rather than answering one JSON body.
import { z } from 'zod';
import { ExportAuditLogDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { isoDateTime, strictParams, text } from '../shapes/params.js';

/** Entries per GraphQL page: the most auditLog answers at once. */
export const EXPORT_PAGE_SIZE = 100;

/** One line of the export. */
export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  subject: z.string(),
  roles: z.array(z.string()),
  action: z.enum(['READ_CLEAR', 'WRITE', 'ERASE']),
  lead_ids: z.array(z.string()),
  fields: z.array(z.string()),
  door: z.string(),
  operation: z.string().nullable(),
  request_id: z.string().nullable(),
});

/** The export's query parameters: the auditLog filter, in the REST vocabulary. */
export const auditLogFilterParams = {
  lead_id: text().optional(),
  subject: text().optional(),
  action: z.enum(['READ_CLEAR', 'WRITE', 'ERASE'], 'must be READ_CLEAR, WRITE or ERASE').optional(),
  door: text().optional(),
  from: isoDateTime().optional(),
  to: isoDateTime().optional(),
};

export const exportAuditLog = defineAdapterOperation({
  description: 'One page of the audit log, newest first, filtered by lead, subject, action, door and time. Admins only.',
  input: strictParams({ ...auditLogFilterParams, after: text().optional() }),
  document: ExportAuditLogDocument,
  toVariables: ({ lead_id, subject, action, door, from, to, after }) => ({
    filter: { leadId: lead_id ?? null, subject: subject ?? null, action: action ?? null, door: door ?? null, from: from ?? null, to: to ?? null },
    first: EXPORT_PAGE_SIZE,
    after: after ?? null,
  }),
  output: z.object({ entries: z.array(auditEntrySchema), after: z.string().nullable() }),
  toOutput: ({ auditLog }) => ({
    entries: auditLog.edges.map(({ node }) => ({
      id: node.id,
      at: node.at,
      subject: node.subject,
      roles: node.roles,
      action: node.action,
      lead_ids: node.leadIds,
      fields: node.fields,
      door: node.door,
      operation: node.operation,
      request_id: node.requestId,
    })),
    after: auditLog.pageInfo.hasNextPage ? (auditLog.pageInfo.endCursor ?? null) : null,
  }),
  issuePath: issuePaths({ 'filter.leadId': 'lead_id', filter: '' }),
});
