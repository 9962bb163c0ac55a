// How the adapter reaches the GraphQL API: one POST per operation, to Yoga
// in-process (yoga.fetch, no socket) or, when the adapter runs as a sidecar, to
// GRAPHQL_URL. Either way the request passes the same validation, authorization
// and metrics.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { GraphQLFormattedError } from 'graphql';
import type { Principal } from '../auth/roles.js';

export interface OperationResult<TData> {
  data?: TData | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Who the adapter acts for: the caller's own Authorization header, and who it proved to be. */
export interface Caller {
  authorization: string | undefined;
  principal: Principal;
}

export interface GraphQLExecutor {
  execute<TData, TVariables>(
    document: DocumentTypeDecoration<TData, TVariables>,
    variables: TVariables,
    caller: Caller,
  ): Promise<OperationResult<TData>>;
}

/** Delivers one GraphQL-over-HTTP request body for a caller. */
export type GraphQLTransport = (request: Request, caller: Caller) => Promise<Response> | Response;

export function createGraphQLExecutor(transport: GraphQLTransport, endpoint: string): GraphQLExecutor {
  return {
    async execute(document, variables, caller) {
      const request = new Request(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(caller.authorization ? { authorization: caller.authorization } : {}),
        },
        body: JSON.stringify({ query: String(document), variables }),
      });
      const response = await transport(request, caller);
      return (await response.json()) as OperationResult<never>;
    },
  };
}
