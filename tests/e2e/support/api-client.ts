// Calling a Baton API process the way a client does: GraphQL over HTTP and the
// REST routes, with an admin token signed with the secret the processes share.
import { createTokenService } from '../../../src/auth/jwt.js';
import { TEST_JWT_SECRET } from '../../support/test-app.js';

export interface ApiClient {
  readonly url: string;
  readonly token: string;
  /** The `data` of a GraphQL operation; throws with the errors when there are any. */
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  rest(method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export async function apiClient(url: string): Promise<ApiClient> {
  const token = await createTokenService(TEST_JWT_SECRET).sign({ subject: 'e2e-processes', roles: ['admin'] });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return {
    url,
    token,
    async graphql<T>(query: string, variables?: Record<string, unknown>) {
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const { data, errors } = (await response.json()) as { data?: T; errors?: unknown[] };
      if (errors || !data) throw new Error(`GraphQL answered ${response.status}: ${JSON.stringify(errors)}`);
      return data;
    },
    rest: (method, path, body, extra = {}) =>
      fetch(`${url}${path}`, { method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body) }),
  };
}
