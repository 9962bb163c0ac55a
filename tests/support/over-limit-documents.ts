// One document over each query limit (src/graphql/query-limits.ts), each a
// plausible query that only crosses the limit it is named after.
import { QUERY_LIMITS } from '../../src/graphql/query-limits.js';

/** handoff → parent → parent → … nests without end. */
export const TOO_DEEP = `query { handoff(id: "00000000-0000-0000-0000-000000000000") { ${'parent { '.repeat(QUERY_LIMITS.maxDepth)}id${' }'.repeat(QUERY_LIMITS.maxDepth)} } }`;

export const TOO_MANY_ALIASES = `query { ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: memoryStats { longTerm }`).join(' ')} }`;

export const TOO_MANY_TOKENS = `query { ${Array.from({ length: QUERY_LIMITS.maxTokens }, () => '__typename').join(' ')} }`;

/** A dashboard page of 1 000 leads with their handoffs and interactions: 50 leads cost well under the limit. */
export const TOO_COSTLY = 'query { leads(first: 1000) { edges { node { id score handoffs { id events { status } } interactions { id } } } } }';
