// Loads the seed knowledge base (seed-knowledge.ts). Safe on every start: it
// only inserts facts and nodes that are missing, so weights that consolidation
// has learned since are never overwritten, and a second run inserts nothing.
import { seedFacts } from './seed-knowledge.js';
import type { SemanticMemory } from './semantic-memory.js';

/** Returns how many seed facts were inserted (0 when the seed is already in place). */
export async function seedKnowledgeBase(memory: SemanticMemory): Promise<number> {
  return memory.insertMissingFacts(seedFacts());
}
