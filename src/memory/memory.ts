// The four memory tiers and consolidation, built once from configuration. The
// short-term store (Redis or in-process) is chosen with the other Redis twins
// in src/app/stores.ts and handed in; semantic memory picks Neo4j or PostgreSQL
// tables here, and nowhere else.
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/generated/prisma/client.js';
import { createTriageModelStore, type TriageModelStore } from './triage-model/triage-model-store.js';
import type { Logger } from '../logger.js';
import { type ConsolidationReport, createConsolidator, type Consolidator, type SkippedRecord } from './consolidation/consolidation.js';
import { createEpisodeStore, type EpisodeStore } from './episodic/episode-store.js';
import { instrumented, type MemoryObserver } from './instrumented.js';
import { createInteractionLog, type InteractionLog } from './interaction-log.js';
import { createLeadProfileStore, type LeadProfileStore } from './long-term/lead-profile-store.js';
import { createMemoryStats, type MemoryStats } from './memory-stats.js';
import { seedKnowledgeBase } from './semantic/seed.js';
import { createSemanticMemory, type SemanticMemory } from './semantic/semantic-memory.js';
import type { ShortTermMemory } from './short-term/short-term-memory.js';
import { sealedShortTermMemory } from './short-term/sealed-short-term-memory.js';
import type { PersonalDataCipher } from '../privacy/personal-data-cipher.js';

export interface Memory {
  shortTerm: ShortTermMemory;
  profiles: LeadProfileStore;
  episodes: EpisodeStore;
  semantic: SemanticMemory;
  interactions: InteractionLog;
  triageModels: TriageModelStore;
  consolidator: Consolidator;
  stats(): Promise<MemoryStats>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** `observe` receives the duration of every tier operation (the server feeds it to /metrics). */
export async function createMemory(
  config: Config,
  {
    prisma,
    shortTerm: rawShortTerm,
    cipher,
    onSkippedRecord,
    onReport,
  }: {
    prisma: PrismaClient;
    shortTerm: ShortTermMemory;
    /** Seals people's data in the tiers that hold it (short-term slots, profile attributes), opens it on read. The graph holds segments, never a person. */
    cipher: PersonalDataCipher;
    onSkippedRecord?: (skipped: SkippedRecord) => void;
    /** Told of each committed consolidation run (the server publishes triage model events and counts fits). */
    onReport?: (report: ConsolidationReport) => void;
  },
  logger: Logger,
  observe: MemoryObserver = () => {},
): Promise<Memory> {
  const rawSemantic = await createSemanticMemory({
    prisma,
    neo4jUrl: config.neo4jUrl,
    neo4jUser: config.neo4jUser,
    neo4jPassword: config.neo4jPassword,
  });
  const shortTerm = instrumented(sealedShortTermMemory(rawShortTerm, cipher), 'short_term', observe);
  const semantic = instrumented(rawSemantic, 'semantic', observe);
  const seeded = await seedKnowledgeBase(semantic);
  if (seeded > 0) logger.info({ facts: seeded, backend: semantic.backend }, 'seeded the knowledge base');

  const profiles = instrumented(createLeadProfileStore(prisma, cipher), 'long_term', observe);
  const episodes = instrumented(createEpisodeStore(prisma), 'episodic', observe);
  const triageModels = createTriageModelStore(prisma, { halfLifeDays: config.triageHalfLifeDays });
  const consolidator = createConsolidator({
    prisma,
    shortTerm,
    profiles,
    episodes,
    semantic,
    triageModels,
    serverId: config.serverId,
    logger,
    ignoredAfterMs: config.replyWindowDays * DAY_MS,
    ...(onSkippedRecord ? { onSkippedRecord } : {}),
    ...(onReport ? { onReport } : {}),
  });

  return {
    shortTerm,
    profiles,
    episodes,
    semantic,
    interactions: createInteractionLog(prisma),
    triageModels,
    consolidator,
    stats: createMemoryStats({ shortTerm, profiles, episodes, semantic, consolidator }),
    async close() {
      await consolidator.stop();
      await Promise.all([shortTerm.close(), semantic.close()]);
    },
  };
}
