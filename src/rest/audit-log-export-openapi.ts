// The OpenAPI description of GET /api/v1/audit-log (./audit-log-export.ts): not an
// adapter route (it streams JSON lines rather than answering one JSON body), so it
// is described here, from the same zod shapes the route validates and writes.
import { z } from 'zod';
import { auditEntrySchema, auditLogFilterParams } from '../adapter/operations/export-audit-log.js';
import { AUDIT_LOG_EXPORT_PATH } from './audit-log-export.js';

type JsonSchema = Record<string, unknown>;

const openApiSchema = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as JsonSchema;

const failure = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export const AUDIT_LOG_EXPORT_PATHS = {
  [AUDIT_LOG_EXPORT_PATH]: {
    get: {
      summary: 'Export the audit log as JSON lines (admins)',
      description:
        "Who read people's data in clear, or wrote or erased it: one JSON object per line (application/x-ndjson), newest first, " +
        'streamed page by page to the end. Each entry names leads and fields, never a value.',
      security: [{ bearerAuth: [] }],
      parameters: Object.entries(auditLogFilterParams).map(([name, schema]) => ({ name, in: 'query', required: false, schema: openApiSchema(schema) })),
      responses: {
        '200': { description: 'The entries, one per line.', content: { 'application/x-ndjson': { schema: openApiSchema(auditEntrySchema) } } },
        '400': failure('BAD_USER_INPUT: a parameter is invalid or unknown (each named)'),
        '401': failure('UNAUTHENTICATED'),
        '403': failure('FORBIDDEN: only admins read the audit log'),
      },
    },
  },
};
