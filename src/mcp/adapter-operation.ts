// One adapter operation = the caller's shape in, one named GraphQL operation, the
// caller's shape out. REST routes and JSON-RPC methods differ only in transport,
// so both run their operations through `runAdapterOperation`.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { z } from 'zod';
import { BatonError, InputError, type ErrorCode, type InputIssue } from '../errors.js';
import type { Caller, GraphQLExecutor, OperationResult } from './graphql-executor.js';

export interface AdapterOperation<TInput, TData, TVariables, TOutput> {
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
}

export type FailureCode = ErrorCode | 'INTERNAL';

export interface OperationFailure {
  code: FailureCode;
  message: string;
  issues: InputIssue[];
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
  const result = await executor.execute(operation.document, operation.toVariables(parsed.data), caller);
  const failure = operationFailure(result, operation.issuePath);
  if (failure) return { ok: false, failure };
  try {
    return { ok: true, value: operation.toOutput(result.data as TData, parsed.data) };
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

const KNOWN_CODES = new Set<string>(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND']);

/** The first GraphQL error decides; anything unexpected is INTERNAL and says nothing of internals. */
function operationFailure(result: OperationResult<unknown>, issuePath: (path: string) => string): OperationFailure | undefined {
  const error = result.errors?.[0];
  if (!error) return result.data ? undefined : { code: 'INTERNAL', message: 'Internal error', issues: [] };
  const code = error.extensions?.code;
  if (typeof code !== 'string' || !KNOWN_CODES.has(code)) return { code: 'INTERNAL', message: 'Internal error', issues: [] };
  if (code === 'BAD_USER_INPUT') {
    const issues = ((error.extensions?.issues as InputIssue[] | undefined) ?? []).map((issue) => ({
      path: issuePath(issue.path),
      message: issue.message,
    }));
    return issues.length > 0 ? badInput(issues) : { code, message: error.message, issues };
  }
  return { code: code as ErrorCode, message: error.message, issues: [] };
}

/** Identity, for inference: the document's types flow into the mappers. */
export function defineAdapterOperation<TInput, TData, TVariables, TOutput>(
  operation: AdapterOperation<TInput, TData, TVariables, TOutput>,
): AdapterOperation<TInput, TData, TVariables, TOutput> {
  return operation;
}
