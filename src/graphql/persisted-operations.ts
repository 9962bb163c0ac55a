// Persisted operations: the documents Baton itself sends, known to the server in
// advance by the SHA-256 of their text, so a client sends the 64-character hash
// instead of the document. Why:
// - the adapter (MCP, REST; in-process or as the sidecar) sends the same few
//   operations all day, up to ~1 kB of text each with their fragments: a hash keeps
//   the sidecar's requests small;
// - the server holds each of them parsed once, here at start-up: a hash-only
//   request skips parsing, and validation is cached on that same document object.
// The store is built from the code, so a replica knows exactly its own version's
// documents; nothing is registered at run time (no APQ registration).
// Arbitrary documents are still allowed (GraphiQL, the dashboard's ad-hoc
// queries), with the same limits, authorization and metrics as before.
//
// Requests: Apollo's APQ format, `{"extensions": {"persistedQuery": {"version": 1,
// "sha256Hash": "<hex>"}}, "variables": …}` (POST, or GET with `extensions` in
// the query string), or, in a POST body, the GraphQL-over-HTTP persisted
// documents proposal's `"documentId": "sha256:<hex>"` (the prefix optional). An
// unknown hash answers `PersistedQueryNotFound` (extensions.code
// PERSISTED_QUERY_NOT_FOUND; HTTP 400, or 200 to an `application/json` client):
// the client retries with the text (as Apollo's APQ link, and
// src/adapter/graphql-executor.ts, do). Over graphql-ws, documents are sent in full.
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { Kind, parse, type DocumentNode } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import * as adapterDocuments from '../adapter/__generated__/operations.js';
import { documentHash } from '../adapter/document-hash.js';
import { GRAPHIQL_TABS } from './graphiql-examples.js';

export const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

/**
 * Every operation the adapter sends, as the text it sends (the generated
 * document, fragments included: see codegen.yml), and GraphiQL's examples.
 */
export const PERSISTED_DOCUMENTS: ReadonlyMap<string, DocumentNode> = new Map(
  [...Object.values(adapterDocuments).filter((value) => value instanceof adapterDocuments.TypedDocumentString), ...GRAPHIQL_TABS.map((tab) => tab.query)]
    .map((text) => ({ text: String(text), document: parse(String(text)) }))
    .filter(({ document }) => document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION)) // not a lone fragment
    .map(({ text, document }) => [documentHash(text), document]),
);

/** Extra request parameter Yoga must accept (see createYoga's `extraParamNames`). */
export const PERSISTED_DOCUMENT_PARAMS = ['documentId'];

export function usePersistedDocuments(store: ReadonlyMap<string, DocumentNode> = PERSISTED_DOCUMENTS): Plugin {
  const persisted = usePersistedOperations({
    allowArbitraryOperations: true,
    getPersistedOperation: (hash) => store.get(hash) ?? null,
    extractPersistedOperationId: documentIdOf,
    customErrors: {
      // 400 to GraphQL-over-HTTP clients (application/graphql-response+json), 200 to
      // legacy application/json ones, as Apollo's APQ clients expect.
      notFound: { message: 'PersistedQueryNotFound', extensions: { code: PERSISTED_QUERY_NOT_FOUND, http: { spec: true, status: 400 } } },
    },
  });
  return {
    ...persisted,
    // Without a hash, the request is Yoga's alone, answered exactly as without this
    // plugin (a missing or malformed query keeps its own error and status).
    onParams: (payload) => (documentIdOf(payload.params) === null ? undefined : persisted.onParams?.(payload)),
  };
}

function documentIdOf(params: GraphQLParams): string | null {
  const persistedQuery = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  if (persistedQuery?.version === 1 && typeof persistedQuery.sha256Hash === 'string') return persistedQuery.sha256Hash;
  const documentId = (params as { documentId?: unknown }).documentId;
  return typeof documentId === 'string' ? documentId.replace(/^sha256:/, '') : null;
}
