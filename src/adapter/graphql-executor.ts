// How the adapter reaches the GraphQL API: one POST per operation, to Yoga
// in-process (yoga.fetch, no socket) or, when the adapter runs as a sidecar, to
// GRAPHQL_URL. Either way the request passes the same validation, authorization
// and metrics.
//
// The POST carries the document's SHA-256 only (Apollo's APQ format): the API
// knows every adapter operation by its hash (src/graphql/persisted-operations.ts).
// An API that does not know the hash (another version, during a rolling update)
// answers PersistedQueryNotFound, and the request is sent once more with the text.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { GraphQLFormattedError } from 'graphql';
import type { Principal } from '../auth/roles.js';
import type { RequestOrigin } from '../audit/doors.js';
import { documentHash } from './document-hash.js';

export interface OperationResult<TData> {
  data?: TData | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Who the adapter acts for: the caller's own Authorization header, and who it proved to be. */
export interface Caller {
  authorization: string | undefined;
  principal: Principal;
  /** The door and request the caller came by, for the audit log; set by the doors of this process (a sidecar's API sees graphql-http). */
  origin?: RequestOrigin;
}

export interface GraphQLExecutor {
  execute<TData, TVariables>(document: DocumentTypeDecoration<TData, TVariables>, variables: TVariables, caller: Caller): Promise<OperationResult<TData>>;
}

/** Delivers one GraphQL-over-HTTP request body for a caller. */
export type GraphQLTransport = (request: Request, caller: Caller) => Promise<Response> | Response;

export function createGraphQLExecutor(transport: GraphQLTransport, endpoint: string): GraphQLExecutor {
  const post = async (body: object, caller: Caller): Promise<OperationResult<never>> => {
    const request = new Request(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(caller.authorization ? { authorization: caller.authorization } : {}),
        ...(caller.origin?.requestId ? { 'x-request-id': caller.origin.requestId } : {}),
      },
      body: JSON.stringify(body),
    });
    const response = await transport(request, caller);
    return (await response.json()) as OperationResult<never>;
  };
  return {
    async execute(document, variables, caller) {
      const query = String(document);
      const extensions = { persistedQuery: { version: 1, sha256Hash: hashOf(document, query) } };
      const result = await post({ variables, extensions }, caller);
      return unknownHash(result) ? post({ query, variables, extensions }, caller) : result;
    },
  };
}

/** Hashes of the documents sent so far: computed once per document. */
const hashes = new WeakMap<object, string>();

function hashOf(document: object, text: string): string {
  const known = hashes.get(document);
  if (known !== undefined) return known;
  const hash = documentHash(text);
  if (typeof document === 'object' && document !== null) hashes.set(document, hash); // a plain string is hashed each time
  return hash;
}

/**
 * The API did not run the operation because it does not know the hash: Yoga's and
 * Apollo's PersistedQueryNotFound (either code), or, from an API without persisted
 * operations at all, the complaint that the text is missing.
 */
function unknownHash({ data, errors }: OperationResult<unknown>): boolean {
  if (data != null || !errors?.length) return false;
  return errors.some(
    ({ message, extensions }) =>
      message === 'PersistedQueryNotFound' ||
      message === 'Must provide query string.' ||
      extensions?.code === 'PERSISTED_QUERY_NOT_FOUND' ||
      extensions?.code === 'PERSISTED_QUERY_NOT_IN_LIST',
  );
}
