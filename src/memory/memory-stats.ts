// Memory statistics for system status: how much each tier holds, how often
// short-term lookups hit, and what the last consolidation did.
import { unavailableDependency } from '../db/unavailable.js';
import type { EpisodeOutcome } from '../db/generated/prisma/client.js';
import type { ConsolidationReport, Consolidator } from './consolidation/consolidation.js';
import type { EpisodeStore } from './episodic/episode-store.js';
import type { LeadProfileStore } from './long-term/lead-profile-store.js';
import type { SemanticMemory, SemanticMemoryStats } from './semantic/semantic-memory.js';
import type { ShortTermMemory, ShortTermMemoryStats } from './short-term/short-term-memory.js';

export interface MemoryStats {
  shortTerm: ShortTermMemoryStats;
  longTerm: { profiles: number };
  episodic: { episodes: number; byOutcome: Record<EpisodeOutcome, number> };
  semantic: SemanticMemoryStats;
  lastConsolidation: ConsolidationReport | null;
}

interface Tiers {
  shortTerm: ShortTermMemory;
  profiles: LeadProfileStore;
  episodes: EpisodeStore;
  semantic: SemanticMemory;
  consolidator: Consolidator;
}

export function createMemoryStats(tiers: Tiers): () => Promise<MemoryStats> {
  return async () => {
    const [shortTerm, profiles, byOutcome, semantic, lastConsolidation] = await Promise.all([
      // Redis down: the figures are unknown, reported as none (systemStatus says Redis is down).
      tiers.shortTerm.stats().catch((error: unknown) => {
        if (!unavailableDependency(error)) throw error;
        return { backend: tiers.shortTerm.backend, activeContexts: 0, hits: 0, misses: 0, hitRate: null } satisfies ShortTermMemoryStats;
      }),
      tiers.profiles.count(),
      tiers.episodes.countByOutcome(),
      tiers.semantic.stats(),
      tiers.consolidator.lastReport(),
    ]);
    const episodes = Object.values(byOutcome).reduce((sum, n) => sum + n, 0);
    return { shortTerm, longTerm: { profiles }, episodic: { episodes, byOutcome }, semantic, lastConsolidation };
  };
}
