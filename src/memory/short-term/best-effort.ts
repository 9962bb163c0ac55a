// Short-term memory as the agents' workers use it: a convenience, never a
// reason to fail a lead. While Redis is unreachable a write is skipped and a
// read finds nothing (the lead is processed on what PostgreSQL holds, the
// agents recall less), and `onSkipped` reports it (a log line and
// baton_degraded_operations_total). Any other failure is still a failure.
import { unavailableDependency } from '../../db/unavailable.js';
import type { ConversationContext, ShortTermMemory } from './short-term-memory.js';

/** The store's write and read; a skipped write answers null. */
export interface BestEffortShortTerm {
  store(...args: Parameters<ShortTermMemory['store']>): Promise<ConversationContext | null>;
  retrieve(conversationId: string): Promise<ConversationContext | null>;
}

export function bestEffortShortTerm(
  memory: Pick<ShortTermMemory, 'store' | 'retrieve'>,
  onSkipped: (operation: 'store' | 'retrieve', error: unknown) => void,
): BestEffortShortTerm {
  const skipping = (operation: 'store' | 'retrieve') => (error: unknown) => {
    if (!unavailableDependency(error)) throw error;
    onSkipped(operation, error);
    return null;
  };
  return {
    store: (...args) => memory.store(...args).catch(skipping('store')),
    retrieve: (conversationId) => memory.retrieve(conversationId).catch(skipping('retrieve')),
  };
}
