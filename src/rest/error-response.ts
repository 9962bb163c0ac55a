// How the REST routes answer a failure: an HTTP status and
// `{ error: { code, message, issues?, retry_after_seconds? } }`.
import { z } from 'zod';
import type { OperationFailure } from '../adapter/adapter-operation.js';
import { named } from '../adapter/shapes/named-shapes.js';
import { HTTP_STATUS_BY_CODE } from '../errors.js';
import type { StoredResponse } from './idempotency/idempotency-store.js';

export const errorBodySchema = named(
  'Error',
  z.object({
    error: z.object({
      code: z.string().describe('BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, RATE_LIMITED, UNAVAILABLE (503: retry), … or INTERNAL.'),
      message: z.string(),
      issues: z
        .array(z.object({ path: z.string().describe("The field, in the request's own vocabulary: lead_data.industry."), message: z.string() }))
        .optional()
        .describe('BAD_USER_INPUT: one per invalid field.'),
      retry_after_seconds: z.number().optional().describe('RATE_LIMITED, UNAVAILABLE: when to try again (also the Retry-After header).'),
    }),
  }),
);

export function errorResponse({ code, message, issues, retryAfterSeconds }: OperationFailure): StoredResponse {
  const status = code === 'INTERNAL' ? 500 : HTTP_STATUS_BY_CODE[code];
  const error: z.infer<typeof errorBodySchema>['error'] = {
    code,
    message,
    ...(issues.length > 0 ? { issues } : {}),
    ...(retryAfterSeconds === undefined ? {} : { retry_after_seconds: retryAfterSeconds }),
  };
  return { status, body: { error } };
}
