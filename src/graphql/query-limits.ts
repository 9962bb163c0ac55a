// Limits that keep one request from costing the server more than any honest
// client needs (graphql-armor's rules, as Envelop plugins): Baton's deepest real
// operation (a knowledge path's nodes) is 5 levels, and a dashboard page stays
// far below the cost and token limits. Violations are ordinary validation errors
// naming the limit crossed, and nothing executes.
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';

export const QUERY_LIMITS = {
  /** Introspection (GraphiQL, codegen) is deeper and is let through. */
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 10_000,
  maxTokens: 5_000,
} as const;

export function useQueryLimits() {
  return [
    maxDepthPlugin({ n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesPlugin({ n: QUERY_LIMITS.maxAliases }),
    costLimitPlugin({ maxCost: QUERY_LIMITS.maxCost }),
    maxTokensPlugin({ n: QUERY_LIMITS.maxTokens }),
  ];
}
