// Per-request DataLoaders for fields whose data is not a Prisma relation (the
// plugin batches those). A page of leads asking for their knowledge touches few
// distinct graph nodes (an industry, a persona, a segment), so each node is
// read once per request, whatever the page size.
import DataLoader from 'dataloader';
import type { Fact } from '../memory/semantic/semantic-memory.js';
import type { Services } from './context.js';

export interface Loaders {
  /** A node's outgoing facts, highest weight first, at most `limit`. */
  outgoingFacts: DataLoader<{ nodeId: string; limit: number }, Fact[], string>;
}

export function createLoaders(services: Services): Loaders {
  return {
    outgoingFacts: new DataLoader(
      (keys) => Promise.all(keys.map(({ nodeId, limit }) => services.memory.semantic.neighbours(nodeId, { direction: 'out', limit }))),
      { cacheKeyFn: ({ nodeId, limit }) => `${limit}:${nodeId}` },
    ),
  };
}
