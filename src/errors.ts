// Expected failures, named once. Every front door maps them from here: GraphQL
// (extensions.code), REST (HTTP status) and JSON-RPC (error code).
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

/** One invalid field: `path` is dotted in the caller's vocabulary (e.g. `input.email`). */
export interface InputIssue {
  path: string;
  message: string;
}

export abstract class BatonError extends Error {
  abstract readonly code: ErrorCode;
}

export class InputError extends BatonError {
  override name = 'InputError';
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  }
}

export class AuthenticationError extends BatonError {
  override name = 'AuthenticationError';
  readonly code = 'UNAUTHENTICATED';
}

export class ForbiddenError extends BatonError {
  override name = 'ForbiddenError';
  readonly code = 'FORBIDDEN';
}

export class NotFoundError extends BatonError {
  override name = 'NotFoundError';
  readonly code = 'NOT_FOUND';
}
