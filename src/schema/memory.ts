// Memory as a whole: statistics per tier for system status, and consolidation
// on demand (it also runs every CONSOLIDATION_INTERVAL_S).
import type { ConsolidationReport } from '../memory/consolidation/consolidation.js';
import type { MemoryStats } from '../memory/memory-stats.js';
import { builder } from './builder.js';
import { pageSize } from './page-size.js';

const ShortTermStatsRef = builder.objectRef<MemoryStats['shortTerm']>('ShortTermMemoryStats').implement({
  fields: (t) => ({
    backend: t.exposeString('backend', { description: 'redis or in-process.' }),
    activeContexts: t.exposeInt('activeContexts'),
    hits: t.exposeInt('hits'),
    misses: t.exposeInt('misses'),
    hitRate: t.exposeFloat('hitRate', { nullable: true, description: 'hits / lookups; null before the first lookup.' }),
  }),
});

const EpisodeCountsRef = builder.objectRef<MemoryStats['episodic']>('EpisodicMemoryStats').implement({
  fields: (t) => ({
    episodes: t.exposeInt('episodes'),
    converted: t.int({ resolve: ({ byOutcome }) => byOutcome.CONVERTED }),
    replied: t.int({ resolve: ({ byOutcome }) => byOutcome.REPLIED }),
    ignored: t.int({ resolve: ({ byOutcome }) => byOutcome.IGNORED }),
    lost: t.int({ resolve: ({ byOutcome }) => byOutcome.LOST }),
  }),
});

const SemanticStatsRef = builder.objectRef<MemoryStats['semantic']>('SemanticMemoryStats').implement({
  fields: (t) => ({
    backend: t.exposeString('backend', { description: 'neo4j or postgres.' }),
    nodes: t.exposeInt('nodes'),
    facts: t.exposeInt('facts'),
  }),
});

const ConsolidationReportRef = builder.objectRef<ConsolidationReport>('ConsolidationReport').implement({
  description: 'What one consolidation run moved into the lasting tiers.',
  fields: (t) => ({
    runId: t.exposeID('runId'),
    skipped: t.exposeBoolean('skipped', { description: 'True when another replica was consolidating (scheduled runs only).' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    durationMs: t.exposeInt('durationMs'),
    since: t.expose('since', { type: 'DateTime', nullable: true, description: 'Read what was recorded from here on; null on the first run.' }),
    contextsRead: t.int({ resolve: (r) => r.shortTerm.contextsRead, description: 'Short-term contexts read.' }),
    profilesUpdated: t.int({ resolve: (r) => r.longTerm.profilesUpdated }),
    episodesWritten: t.int({ resolve: (r) => r.episodic.episodesWritten }),
    factsReweighted: t.int({ resolve: (r) => r.semantic.factsReweighted }),
    triageModelVersion: t.string({ resolve: (r) => r.triageModel.version }),
    triageModelRetrained: t.boolean({ resolve: (r) => r.triageModel.retrained }),
    outcomesLearned: t.int({ resolve: (r) => r.triageModel.outcomes, description: 'Outcomes the current triage model learned from.' }),
  }),
});

export const MemoryStatsRef = builder.objectRef<MemoryStats>('MemoryStats').implement({
  description: 'How much each memory tier holds.',
  fields: (t) => ({
    shortTerm: t.field({ type: ShortTermStatsRef, resolve: (s) => s.shortTerm }),
    longTerm: t.int({ resolve: (s) => s.longTerm.profiles, description: 'Lead profiles.' }),
    episodic: t.field({ type: EpisodeCountsRef, resolve: (s) => s.episodic }),
    semantic: t.field({ type: SemanticStatsRef, resolve: (s) => s.semantic }),
    lastConsolidation: t.field({ type: ConsolidationReportRef, nullable: true, resolve: (s) => s.lastConsolidation }),
  }),
});

builder.queryField('memoryStats', (t) =>
  t.field({
    type: MemoryStatsRef,
    authScopes: { read: true },
    resolve: (_root, _args, { services }) => services.memory.stats(),
  }),
);

builder.queryField('consolidationRuns', (t) =>
  t.field({
    type: [ConsolidationReportRef],
    description: 'The consolidation runs kept, newest first: what each moved into the lasting tiers.',
    authScopes: { read: true },
    args: { first: t.arg.int({ defaultValue: 20, validate: pageSize }) },
    resolve: (_root, { first }, { services }) => services.memory.consolidator.recentReports(first ?? 20),
  }),
);

builder.mutationField('consolidateMemory', (t) =>
  t.field({
    type: ConsolidationReportRef,
    description: 'Consolidate now: profiles, episodes, knowledge weights and the triage model. Waits for a run in progress elsewhere.',
    authScopes: { admin: true },
    resolve: (_root, _args, { services }) => services.memory.consolidator.run({ wait: true }),
  }),
);
