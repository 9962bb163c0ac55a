// One adapter operation = the caller's shape in, one named GraphQL operation, the
// caller's shape out, and where it shows: a REST route, a JSON-RPC method, an MCP
// tool (src/adapter/door-bindings.ts). Its input and output are zod schemas, the
// one source of the wire shape: the doors validate with them and publish them
// (OpenAPI, OpenRPC, MCP tool schemas). Every door runs an operation through
// `runAdapterOperation` (or `executeAdapterOperation` on input already validated).
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { z } from 'zod';
import { jsonProblemsAt, TEXT_LIMITS } from '../domain/input-rules.js';
import { BatonError, ERROR_CODES, InputError, type ErrorCode, type InputIssue } from '../errors.js';
import { WAITING, type DoorRequest, type JsonRpcBinding, type McpToolBinding, type RestBinding } from './door-bindings.js';
import type { Caller, GraphQLExecutor, OperationResult } from './graphql-executor.js';

/**
 * `TInput` is an object schema: JSON-RPC params are by name, MCP tool arguments
 * are an object, and REST reads fields from the path, body or query. Top-level
 * transforms would hide the fields from the published schemas; map in `toVariables`.
 */
export interface AdapterOperation<TInput extends z.ZodObject, TData, TVariables, TOutput extends z.ZodType> {
  /** What it does, for callers: published as the OpenAPI operation's, OpenRPC method's and MCP tool's description. */
  description: string;
  rest?: RestBinding;
  jsonRpc?: JsonRpcBinding;
  mcp?: McpToolBinding;
  /** Validates the caller's request in the specification's vocabulary. */
  input: TInput;
  document: DocumentTypeDecoration<TData, TVariables>;
  toVariables(input: z.output<TInput>, door: DoorRequest): TVariables;
  /** The caller's shape of what `toOutput` returns. */
  output: TOutput;
  /**
   * Maps the operation's data to the caller's shape. It may throw a BatonError
   * (e.g. NotFoundError when the data says the thing asked for does not exist):
   * the caller then gets that failure. `input` is the validated request.
   */
  toOutput(data: TData, input: z.output<TInput>): z.output<TOutput>;
  /** Translates a GraphQL input path (`input.leadId`) into the caller's (`lead_data.lead_id`). */
  issuePath(graphqlPath: string): string;
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

/**
 * Any operation, whatever its shapes: the list of operations (src/adapter/operations/all-operations.ts)
 * and the door tables built from it hold operations of different types. What a door gets out of one
 * is `unknown` until the operation's `output` schema says more.
 */
// biome-ignore lint/suspicious/noExplicitAny: TVariables is invariant (`toVariables` returns it, `document` takes it), so no other type admits every operation's variables.
export type AnyAdapterOperation = AdapterOperation<z.ZodObject, unknown, any, z.ZodType>;

export async function runAdapterOperation<TInput extends z.ZodObject, TData, TVariables, TOutput extends z.ZodType>(
  operation: AdapterOperation<TInput, TData, TVariables, TOutput>,
  request: unknown,
  executor: GraphQLExecutor,
  caller: Caller,
  door: DoorRequest = WAITING,
): Promise<AdapterOutcome<z.output<TOutput>>> {
  const parsed = parseInput(operation.input, request);
  return parsed.ok ? executeAdapterOperation(operation, parsed.value, executor, caller, door) : parsed;
}

/** A request validated as every door validates it: the input, or the failure naming each invalid field. */
export function parseInput<TInput extends z.ZodObject>(
  schema: TInput,
  request: unknown,
): { ok: true; value: z.output<TInput> } | { ok: false; failure: OperationFailure } {
  const parsed = schema.safeParse(request);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, failure: badInput(parsed.error.issues.flatMap((issue) => inputIssues(issue))) };
}

/** Runs an operation on input its `input` schema already validated (the MCP SDK validates tool arguments itself). */
export async function executeAdapterOperation<TInput extends z.ZodObject, TData, TVariables, TOutput extends z.ZodType>(
  operation: AdapterOperation<TInput, TData, TVariables, TOutput>,
  input: z.output<TInput>,
  executor: GraphQLExecutor,
  caller: Caller,
  door: DoorRequest = WAITING,
): Promise<AdapterOutcome<z.output<TOutput>>> {
  // Whatever the door and the shape, no string the caller sent reaches GraphQL with NUL or an unpaired surrogate.
  const problems = jsonProblemsAt(input, TEXT_LIMITS.longText);
  if (problems.length > 0)
    return { ok: false, failure: badInput(problems.map((problem) => ({ path: problem.path.join('.') || '(root)', message: problem.message }))) };
  const result = await executor.execute(operation.document, operation.toVariables(input, door), caller);
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

/**
 * One issue per field; an unknown key is named in the path, so a typo is found at a
 * glance. A value that fits no branch of a union is judged by the branch meant for
 * it, the one whose type it has (an object, not an array), when there is one.
 */
function inputIssues(issue: z.core.$ZodIssue, within: readonly PropertyKey[] = []): InputIssue[] {
  const at = [...within, ...issue.path];
  const path = at.join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'is not a known field' }));
  }
  if (issue.code === 'invalid_union') {
    const meant = issue.errors.filter((branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
    if (meant.length === 1) return meant[0]!.flatMap((inner) => inputIssues(inner, at));
  }
  return [{ path: path || '(root)', message: issue.message }];
}

/** The failure of a request with invalid fields: one issue per field, all of them named in the message. */
export function badInput(issues: InputIssue[]): OperationFailure {
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

/** Identity, for inference: the schemas' and the document's types flow into the mappers. */
export function defineAdapterOperation<TInput extends z.ZodObject, TData, TVariables, TOutput extends z.ZodType>(
  operation: AdapterOperation<TInput, TData, TVariables, TOutput>,
): AdapterOperation<TInput, TData, TVariables, TOutput> {
  return operation;
}
