// Limits that keep one request from costing the server more than any honest
// client needs (graphql-armor's rules, as Envelop plugins): Baton's deepest real
// operation (a knowledge path's nodes) is 5 levels, and a dashboard page stays
// far below the cost and token limits. Violations are errors naming the limit
// crossed, with `extensions.code` BAD_USER_INPUT, and nothing executes.
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';
import type { ErrorCode } from '../errors.js';

export const QUERY_LIMITS = {
  /** Introspection (GraphiQL, codegen) is deeper and is let through. */
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 10_000,
  maxTokens: 5_000,
} as const;

export function useQueryLimits() {
  return [
    maxDepthPlugin({ n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...REJECTED_AS_BAD_INPUT }),
    maxAliasesPlugin({ n: QUERY_LIMITS.maxAliases, ...REJECTED_AS_BAD_INPUT }),
    costLimitPlugin({ maxCost: QUERY_LIMITS.maxCost, ...REJECTED_AS_BAD_INPUT }),
    maxTokensPlugin({ n: QUERY_LIMITS.maxTokens, ...REJECTED_AS_BAD_INPUT }),
  ];
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
