// GraphQL over GET carries `variables` and `extensions` as JSON in the query
// string. Yoga parses them with JSON.parse and lets the SyntaxError through as an
// unexpected error: `GET /graphql?query={__typename}&variables={` was a 500. Text
// that is not JSON is the caller's mistake: answered 400, as Yoga answers a
// `variables` that is JSON but not an object.
import type { Plugin } from 'graphql-yoga';

const JSON_PARAMS = ['variables', 'extensions'] as const;

export function useQueryStringJson(): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET') return;
      for (const name of JSON_PARAMS) {
        const text = url.searchParams.get(name);
        if (text === null || text === '') continue;
        try {
          JSON.parse(text);
        } catch {
          const body = { errors: [{ message: `The "${name}" parameter must be JSON.`, extensions: { code: 'BAD_REQUEST' } }] };
          endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json; charset=utf-8' } }));
          return;
        }
      }
    },
  };
}
