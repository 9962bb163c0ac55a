// Expected failures, named once. Every front door maps them from here: GraphQL
// (extensions.code of a top-level error, or the `code` of a typed error in a
// mutation's result union: see src/schema/errors.ts), REST (HTTP status) and
// JSON-RPC (error code).
export const ERROR_CODES = ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'UNAVAILABLE'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** What a NotFoundError or ConflictError is about (GraphQL: enum ResourceKind). */
export type ResourceKind = 'Lead' | 'Campaign' | 'Escalation' | 'Handoff';

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

/** The lead, campaign or escalation a well-formed request names does not exist. */
export class NotFoundError extends BatonError {
  override name = 'NotFoundError';
  readonly code = 'NOT_FOUND';
  constructor(
    readonly kind: ResourceKind,
    readonly id: string,
    message = `${kind} ${id} does not exist`,
  ) {
    super(message);
  }
}

/** The thing a well-formed request names exists, but its state forbids the request (e.g. an escalation already decided). */
export class ConflictError extends BatonError {
  override name = 'ConflictError';
  readonly code = 'CONFLICT';
  constructor(
    readonly kind: ResourceKind,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

/** The caller used up its requests for the current window (RATE_LIMIT_PER_MINUTE); it may retry after `retryAfterSeconds`. */
export class RateLimitedError extends BatonError {
  override name = 'RateLimitedError';
  readonly code = 'RATE_LIMITED';
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`Rate limit exceeded: ${limit} operations per minute; retry in ${retryAfterSeconds} s`);
  }
}

/**
 * A dependency Baton cannot do without (PostgreSQL; Redis for an Idempotency-Key;
 * the identity provider's key set, to verify its tokens) does not answer, or Baton is shutting down: the same request may succeed after
 * `retryAfterSeconds` (503 with Retry-After). Whatever it wrote is whole or
 * absent (transactions), and a lead sent again is not processed twice.
 */
export class UnavailableError extends BatonError {
  override name = 'UnavailableError';
  readonly code = 'UNAVAILABLE';
  constructor(
    readonly dependency: 'database' | 'redis' | 'identity-provider' | 'shutdown',
    readonly retryAfterSeconds = 5,
    message = `Service temporarily unavailable (${dependency === 'shutdown' ? 'Baton is shutting down' : `the ${dependency} does not answer`}); retry in ${retryAfterSeconds} s`,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
