// The key of a persisted GraphQL document: the SHA-256 of its exact text, in hex,
// as APQ clients compute it. The server's store (persisted-operations.ts) and the
// adapter's executor (src/adapter/graphql-executor.ts) must agree on it, so both use this.
import { createHash } from 'node:crypto';

export function documentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
