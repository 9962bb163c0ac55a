// One adapter operation = the caller's shape in, one named GraphQL operation, the
// caller's shape out. REST routes and JSON-RPC methods differ only in transport,
// so both run their operations through `runAdapterOperation`.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { z } from 'zod';
import { BatonError, ERROR_CODES, InputError, type ErrorCode, type InputIssue } from '../errors.js';
import type { Caller, GraphQLExecutor, OperationResult } from './graphql-executor.js';
import type { JsonSchema } from './shapes/json-schema.js';

export interface AdapterOperation<TInput, TData, TVariables, TOutput> {
  /** What it does, for callers: published as the OpenRPC method's and the MCP tool's description. */
  description: string;
  /** Validates the caller's request in the specification's vocabulary. */
  input: z.ZodType<TInput>;
  document: DocumentTypeDecoration<TData, TVariables>;
  toVariables(input: TInput): TVariables;
  /**
   * Maps the operation's data to the caller's shape. It may throw a BatonError
   * (e.g. NotFoundError when the data says the thing asked for does not exist):
   * the caller then gets that failure. `input` is the validated request.
   */
  toOutput(data: TData, input: TInput): TOutput;
  /** Translates a GraphQL input path (`input.leadId`) into the caller's (`lead_data.lead_id`). */
  issuePath(graphqlPath: string): string;
  /** JSON Schema (OpenAPI 3.0 dialect) of what `toOutput` returns: published by OpenAPI, OpenRPC and MCP. */
  result: JsonSchema;
}

export type FailureCode = ErrorCode | 'INTERNAL';

export interface OperationFailure {
  code: FailureCode;
  message: string;
  issues: InputIssue[];
  /** RATE_LIMITED: when the caller may try again. */
  retryAfterSeconds?: number;
}

export type AdapterOutcome<TOutput> = { ok: true; value: TOutput } | { ok: false; failure: OperationFailure };

// Any: operations are stored in tables keyed by route or method name.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapterOperation = AdapterOperation<any, any, any, unknown>;

export async function runAdapterOperation<TInput, TData, TVariables, TOutput>(
  operation: AdapterOperation<TInput, TData, TVariables, TOutput>,
  request: unknown,
  executor: GraphQLExecutor,
  caller: Caller,
): Promise<AdapterOutcome<TOutput>> {
  const parsed = operation.input.safeParse(request);
  if (!parsed.success) return { ok: false, failure: badInput(parsed.error.issues.flatMap(inputIssues)) };
  return executeAdapterOperation(operation, parsed.data, executor, caller);
}

/** Runs an operation on input its `input` schema already validated (the MCP SDK validates tool arguments itself). */
export async function executeAdapterOperation<TInput, TData, TVariables, TOutput>(
  operation: AdapterOperation<TInput, TData, TVariables, TOutput>,
  input: TInput,
  executor: GraphQLExecutor,
  caller: Caller,
): Promise<AdapterOutcome<TOutput>> {
  const result = await executor.execute(operation.document, operation.toVariables(input), caller);
  const failure = operationFailure(result, operation.issuePath);
  if (failure) return { ok: false, failure };
  try {
    return { ok: true, value: operation.toOutput(result.data as TData, input) };
  } catch (error) {
    if (!(error instanceof BatonError)) throw error;
    if (error instanceof InputError) return { ok: false, failure: badInput(error.issues) };
    return { ok: false, failure: { code: error.code, message: error.message, issues: [] } };
  }
}

/** One issue per field; an unknown key is named in the path, so a typo is found at a glance. */
function inputIssues(issue: z.core.$ZodIssue): InputIssue[] {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'is not a known field' }));
  }
  return [{ path: path || '(root)', message: issue.message }];
}

function badInput(issues: InputIssue[]): OperationFailure {
  return { code: 'BAD_USER_INPUT', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues };
}

const KNOWN_CODES = new Set<string>(ERROR_CODES);

/**
 * The first GraphQL error decides; anything unexpected is INTERNAL and says nothing of internals.
 * Without errors, a typed error in a root field (a mutation answering NotFoundError or
 * ConflictError instead of its payload, selected with `...ErrorFields`) is the failure.
 */
function operationFailure(result: OperationResult<unknown>, issuePath: (path: string) => string): OperationFailure | undefined {
  const error = result.errors?.[0];
  if (!error) return result.data ? typedError(result.data) : { code: 'INTERNAL', message: 'Internal error', issues: [] };
  const code = error.extensions?.code;
  if (typeof code !== 'string' || !KNOWN_CODES.has(code)) return { code: 'INTERNAL', message: 'Internal error', issues: [] };
  if (code === 'BAD_USER_INPUT') {
    const issues = ((error.extensions?.issues as InputIssue[] | undefined) ?? []).map((issue) => ({
      path: issuePath(issue.path),
      message: issue.message,
    }));
    return issues.length > 0 ? badInput(issues) : { code, message: error.message, issues };
  }
  const retryAfterSeconds = error.extensions?.retryAfterSeconds;
  return { code: code as ErrorCode, message: error.message, issues: [], ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}) };
}

/** The first root field that is a member of the GraphQL `Error` interface (`__typename`, `code`, `message`). */
function typedError(data: object): OperationFailure | undefined {
  for (const field of Object.values(data)) {
    if (typeof field !== 'object' || field === null) continue;
    const { __typename, code, message } = field as { __typename?: unknown; code?: unknown; message?: unknown };
    if (typeof __typename === 'string' && typeof code === 'string' && KNOWN_CODES.has(code) && typeof message === 'string') {
      return { code: code as ErrorCode, message, issues: [] };
    }
  }
  return undefined;
}

/** Identity, for inference: the document's types flow into the mappers. */
export function defineAdapterOperation<TInput, TData, TVariables, TOutput>(
  operation: AdapterOperation<TInput, TData, TVariables, TOutput>,
): AdapterOperation<TInput, TData, TVariables, TOutput> {
  return operation;
}
