// How the adapter reaches the GraphQL API: one POST per operation, to Yoga
// in-process (yoga.fetch, no socket) or, when the adapter runs as a sidecar, to
// GRAPHQL_URL. Either way the request passes the same auth, validation and metrics.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { GraphQLFormattedError } from 'graphql';

export interface OperationResult<TData> {
  data?: TData | null;
  errors?: readonly GraphQLFormattedError[];
}

export interface GraphQLExecutor {
  execute<TData, TVariables>(
    document: DocumentTypeDecoration<TData, TVariables>,
    variables: TVariables,
    authorization: string | undefined,
  ): Promise<OperationResult<TData>>;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export function createFetchExecutor(fetchFn: Fetch, endpoint: string): GraphQLExecutor {
  return {
    async execute(document, variables, authorization) {
      const response = await fetchFn(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ query: String(document), variables }),
      });
      return (await response.json()) as OperationResult<never>;
    },
  };
}
