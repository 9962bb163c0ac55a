// Limits that keep one request from costing the server more than any honest
// client needs (graphql-armor's rules, as Envelop plugins): Baton's deepest real
// operation (a knowledge path's nodes) is 5 levels, and a dashboard page stays
// far below the cost and token limits. Violations are errors naming the limit
// crossed, with `extensions.code` BAD_USER_INPUT, and nothing executes.
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type Source } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../errors.js';

export const QUERY_LIMITS = {
  /** Introspection (GraphiQL, codegen) is deeper and is let through. */
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 10_000,
  maxTokens: 5_000,
  /**
   * Brackets within brackets (`{`, `[`, `(`) anywhere in the document. Selection
   * depth is maxDepth's; this bounds what it does not see, list and object
   * literals in arguments (`[[[[…]]]]` thousands deep would exhaust the stack of
   * the validation rules). Introspection, the deepest honest document, nests about 15.
   */
  maxNesting: 64,
} as const;

export function useQueryLimits() {
  return [
    maxDepthPlugin({ n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...REJECTED_AS_BAD_INPUT }),
    maxAliasesPlugin({ n: QUERY_LIMITS.maxAliases, ...REJECTED_AS_BAD_INPUT }),
    costLimitPlugin({ maxCost: QUERY_LIMITS.maxCost, ...REJECTED_AS_BAD_INPUT }),
    maxTokensPlugin({ n: QUERY_LIMITS.maxTokens, ...REJECTED_AS_BAD_INPUT }),
    useMaxNesting(QUERY_LIMITS.maxNesting),
  ];
}

/** Refuses, before parsing, a document whose brackets nest deeper than `max`. */
function useMaxNesting(max: number): Plugin {
  return {
    onParse({ params }) {
      const text = typeof params.source === 'string' ? params.source : (params.source as Source).body;
      if (nestingDepth(text, max) > max) {
        throw new GraphQLError(`Syntax Error: brackets nested more than ${max} deep.`, {
          extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode, http: { status: 400 } },
        });
      }
    },
  };
}

/** The deepest nesting of brackets outside strings and comments, counted up to just past `stopAbove`. */
export function nestingDepth(text: string, stopAbove: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length && deepest <= stopAbove; i++) {
    const char = text[i];
    if (char === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (char === '"') {
      if (text.startsWith('"""', i)) {
        i += 3;
        while (i < text.length && !text.startsWith('"""', i)) i += text.startsWith('\\"""', i) ? 4 : 1;
        i += 2;
      } else {
        i++;
        while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      }
    } else if (char === '{' || char === '[' || char === '(') {
      deepest = Math.max(deepest, ++depth);
    } else if (char === '}' || char === ']' || char === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/**
 * graphql-armor's errors carry no code. A document over a limit is the caller's
 * mistake, so it gets the code of every other bad input, whatever the transport.
 */
const REJECTED_AS_BAD_INPUT = {
  onReject: [
    (_context: unknown, error: GraphQLError) => {
      (error.extensions as { code?: ErrorCode }).code = 'BAD_USER_INPUT';
    },
  ],
};
