// `npx tsx bench/triage-learning.ts`: how well triage scores after learning
// from 300, 1,000, 3,000 and 10,000 recorded outcomes, on held-out leads whose
// true conversion probability is known (tests/support/synthetic-population.ts:
// a ground truth that contradicts the cold-start priors).
//
// Per training size, on a fresh embedded database (PGlite in a temporary
// DATA_DIR, memory built from configuration as the server builds it): the
// training leads are stored, their outcomes recorded through the interaction
// log, consolidation fits the model and derives the episodes, and the held-out
// leads are then scored exactly as the pipeline scores them: the current model
// blended with the conversion evidence of the most similar episodes. The same
// leads are also scored by the learned model alone (no episodes), by the
// cold-start model, and by the ground truth itself.
//
// Reported: AUC (ranking), Brier score of score/100 (probability accuracy),
// the Brier score of `confidence` against "the true probability lies in the
// band of the category assigned" (confidence calibration), consolidation time
// and the latency of conversionEvidence. Prints markdown tables and writes
// bench/results/triage-learning-<timestamp>.json. A baseline, not a test.
//
// Then a changing market (bench/triage-market-change.ts): many random markets, a
// change point (abrupt or gradual) or none, the learner Baton runs against the
// one before it (every outcome alike), detection delay and false alarms, and the
// half-life alternatives the default was chosen from.
//
// Environment: BENCH_SIZES (comma-separated training sizes, default
// 300,1000,3000,10000; "none" skips them), BENCH_HELD_OUT (default 5000),
// BENCH_MARKET_SEEDS (default 100; 0 skips the changing market),
// BENCH_HALF_LIFE_SEEDS (default 30).
import { resolveKeyRing } from '../src/privacy/development-key.js';
import { openPersonalDataCipher } from '../src/privacy/personal-data-cipher.js';
import { join } from 'node:path';
import { leadColumns, type LeadInput } from '../src/domain/lead.js';
import { COLD_START_MODEL, normalizeSource, type TriageModel } from '../src/domain/triage-model.js';
import { triageLead, type SimilarEpisodes, type TriageResult } from '../src/agents/triage/triage.js';
import { loadConfig } from '../src/config.js';
import { databaseTarget, openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import type { ConsolidationReport } from '../src/memory/consolidation/consolidation.js';
import { createMemory } from '../src/memory/memory.js';
import { auc, brierScore, expectedCalibrationError } from '../src/statistics/classification-metrics.js';
import { generatePopulation, type SyntheticLead } from '../tests/support/synthetic-population.js';
import { Cleanup, cleanUpOnSignals, InterruptedError } from './cleanup.js';
import { sampleMachineBusy } from './cpu.js';
import { createPgliteDatabase } from './databases.js';
import { formatMs, markdownTable, summarize, writeResults, type LatencyStats } from './latency.js';
import { machineInfo } from './report.js';
import { REPO_ROOT } from './targets.js';
import { formatMarketBench, type MarketShift, POST, PRE, runMarketBench, summarizeRuns } from './triage-market-change.js';
import { openSharedStores } from '../src/app/stores.js';

const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
const TRAINING_SEED = 1;
const HELD_OUT_SEED = 2;
const CHUNK = 2_000;
const BUSY_MACHINE = 0.2;

interface Parameters {
  sizes: number[];
  heldOut: number;
  marketSeeds: number;
  halfLifeSeeds: number;
}

function readParameters(env: NodeJS.ProcessEnv = process.env): Parameters {
  const rawSizes = env.BENCH_SIZES ?? '300,1000,3000,10000';
  const sizes = (rawSizes === 'none' ? [] : rawSizes.split(',')).map((raw) => {
    const size = Number(raw.trim());
    if (!Number.isInteger(size) || size < 1) throw new Error(`BENCH_SIZES must list positive whole numbers, got "${env.BENCH_SIZES}"`);
    return size;
  });
  const heldOut = Number(env.BENCH_HELD_OUT ?? 5_000);
  if (!Number.isInteger(heldOut) || heldOut < 10) throw new Error(`BENCH_HELD_OUT must be a whole number ≥ 10, got "${env.BENCH_HELD_OUT}"`);
  const count = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${env[name]}"`);
    return value;
  };
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    heldOut,
    marketSeeds: count('BENCH_MARKET_SEEDS', 100),
    halfLifeSeeds: Math.min(count('BENCH_HALF_LIFE_SEEDS', 30), count('BENCH_MARKET_SEEDS', 100)),
  };
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

// ── Metrics ─────────────────────────────────────────────────────────────────

interface Metrics {
  auc: number;
  /** Brier score of score/100 against the held-out outcome. */
  brier: number;
  /** Expected calibration error of score/100 (10 bins). */
  ece: number;
  /** Brier score of confidence against "the true probability lies in the assigned category's band"; null for the ground truth. */
  confidenceBrier: number | null;
  /** Share of leads whose true probability lies in their category's band. */
  inBand: number | null;
  meanConfidence: number | null;
  categories: Record<string, number> | null;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** The band each category claims for the true conversion probability. */
function inBand(result: TriageResult, p: number): boolean {
  if (result.category === 'CAMPAIGN_QUALIFIED') return p >= 0.7;
  if (result.category === 'GENERAL_INQUIRY') return p >= 0.4 && p < 0.7;
  return p < 0.4;
}

function measure(results: readonly TriageResult[], heldOut: readonly SyntheticLead[]): Metrics {
  const labels = heldOut.map((s) => s.converted);
  const probabilities = results.map((r) => r.score / 100);
  const bands = results.map((r, i) => inBand(r, heldOut[i]!.trueProbability));
  const categories: Record<string, number> = {};
  for (const r of results) categories[r.category] = (categories[r.category] ?? 0) + 1;
  return {
    auc: round4(
      auc(
        results.map((r) => r.score),
        labels,
      ),
    ),
    brier: round4(brierScore(probabilities, labels)),
    ece: round4(expectedCalibrationError(probabilities, labels)),
    confidenceBrier: round4(
      brierScore(
        results.map((r) => r.confidence),
        bands,
      ),
    ),
    inBand: round4(bands.filter(Boolean).length / bands.length),
    meanConfidence: round4(results.reduce((sum, r) => sum + r.confidence, 0) / results.length),
    categories,
  };
}

function measureTruth(heldOut: readonly SyntheticLead[]): Metrics {
  const labels = heldOut.map((s) => s.converted);
  const truth = heldOut.map((s) => s.trueProbability);
  return {
    auc: round4(auc(truth, labels)),
    brier: round4(brierScore(truth, labels)),
    ece: round4(expectedCalibrationError(truth, labels)),
    confidenceBrier: null,
    inBand: null,
    meanConfidence: null,
    categories: null,
  };
}

// ── One training size ───────────────────────────────────────────────────────

interface SizeResult {
  outcomes: number;
  conversions: number;
  modelVersion: string;
  loadSeconds: { leads: number; outcomes: number };
  consolidation: ConsolidationReport;
  /** Latency of conversionEvidence per held-out lead, sequential. */
  evidenceLatency: LatencyStats;
  /** Mean similarity-weighted episodes behind each held-out lead's evidence. */
  meanEpisodesConsidered: number;
  modelOnly: Metrics;
  withEpisodes: Metrics;
}

function situationOf(lead: LeadInput) {
  return {
    industry: lead.industry,
    companySize: lead.companySize,
    persona: lead.persona ?? null,
    source: lead.source ? normalizeSource(lead.source) : null,
  };
}

async function trainAndScore(cleanup: Cleanup, training: readonly SyntheticLead[], heldOut: readonly SyntheticLead[]): Promise<SizeResult> {
  const database = await createPgliteDatabase(cleanup);
  try {
    const config = loadConfig({ ...database.env, CONSOLIDATION_INTERVAL_S: '0', LOG_LEVEL: 'silent', SERVER_ID: 'bench-triage-learning' });
    const db = await openDatabase(databaseTarget(config));
    const closeDatabase = cleanup.defer('close pglite', () => db.close());
    try {
      const logger = createLogger(config.logLevel, config.serverId);
      // In-process short-term memory: this bench measures triage, not Redis.
      const stores = openSharedStores({ redisUrl: undefined, keyPrefix: config.redisKeyPrefix, logger });
      const shortTerm = stores.shortTermMemory({ defaultTtlSeconds: config.shortTermTtlSeconds, maxEntries: config.shortTermMaxEntries });
      const memory = await createMemory(
        config,
        { prisma: db.prisma, shortTerm, cipher: await openPersonalDataCipher(db.prisma, await resolveKeyRing(config)) },
        logger,
      );
      const closeMemory = cleanup.defer('close memory', () => memory.close());
      try {
        // Leads triaged before the outcomes arrived: their features are what training reads.
        let started = performance.now();
        for (let i = 0; i < training.length; i += CHUNK) {
          await db.prisma.lead.createMany({
            data: training.slice(i, i + CHUNK).map(({ lead }) => ({ id: lead.leadId, ...leadColumns(lead), modelVersion: COLD_START_MODEL.version })),
          });
        }
        const leadsSeconds = elapsedSeconds(started);
        started = performance.now();
        for (let i = 0; i < training.length; i += CHUNK) {
          await memory.interactions.recordMany(
            training.slice(i, i + CHUNK).map(({ lead, converted }) => ({ leadId: lead.leadId, type: converted ? 'CONVERTED' : 'LOST' })),
          );
        }
        const outcomesSeconds = elapsedSeconds(started);

        const consolidation = await memory.consolidator.run();
        progress(
          `  consolidation: ${consolidation.durationMs} ms, ${consolidation.episodic.episodesWritten} episodes, ` +
            `model ${consolidation.triageModel.version} on ${consolidation.triageModel.outcomes} outcomes`,
        );

        // Scored as the pipeline scores: the current model, the nearest episodes.
        const model: TriageModel = await memory.triageModels.current();
        const withEpisodes: TriageResult[] = [];
        const modelOnly: TriageResult[] = [];
        const latencies: number[] = [];
        let considered = 0;
        const window = performance.now();
        for (const { lead } of heldOut) {
          cleanup.signal.throwIfAborted();
          const before = performance.now();
          const evidence: SimilarEpisodes = await memory.episodes.conversionEvidence(situationOf(lead));
          latencies.push(performance.now() - before);
          considered += evidence.considered;
          withEpisodes.push(triageLead(lead, model, evidence));
          modelOnly.push(triageLead(lead, model));
        }
        const evidenceLatency = summarize(latencies, performance.now() - window);

        return {
          outcomes: training.length,
          conversions: training.filter((s) => s.converted).length,
          modelVersion: model.version,
          loadSeconds: { leads: leadsSeconds, outcomes: outcomesSeconds },
          consolidation,
          evidenceLatency,
          meanEpisodesConsidered: Math.round((considered / heldOut.length) * 10) / 10,
          modelOnly: measure(modelOnly, heldOut),
          withEpisodes: measure(withEpisodes, heldOut),
        };
      } finally {
        await closeMemory();
      }
    } finally {
      await closeDatabase();
    }
  } finally {
    await database.drop();
  }
}

function elapsedSeconds(started: number): number {
  return Math.round((performance.now() - started) / 100) / 10;
}

// ── The run ─────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
  const startedAt = new Date();
  const parameters = readParameters();
  const cleanup = new Cleanup();
  cleanUpOnSignals(cleanup);
  const largest = parameters.sizes.at(-1) ?? 0;
  progress(
    `Baton triage-learning benchmark: training sizes ${parameters.sizes.join(', ') || 'none'}; ${parameters.heldOut} held-out leads; embedded PGlite; ` +
      `changing market over ${parameters.marketSeeds} seeds`,
  );
  const busyBeforeStart = await sampleMachineBusy(1000);
  progress(`  machine before start: ${Math.round(busyBeforeStart * 100)} % of all cores busy`);

  // Seeded: a smaller training set is the prefix of a larger one.
  const training = generatePopulation({ size: largest, seed: TRAINING_SEED, idPrefix: 'train' });
  const heldOut = generatePopulation({ size: parameters.heldOut, seed: HELD_OUT_SEED, idPrefix: 'held' });
  const cold = measure(
    heldOut.map(({ lead }) => triageLead(lead, COLD_START_MODEL)),
    heldOut,
  );
  const truth = measureTruth(heldOut);
  const heldOutConversions = heldOut.filter((s) => s.converted).length;

  const sizes: SizeResult[] = [];
  let interrupted = false;
  try {
    for (const size of parameters.sizes) {
      progress(`\n▸ ${size} training outcomes`);
      sizes.push(await trainAndScore(cleanup, training.slice(0, size), heldOut));
    }
  } catch (error) {
    if (!(error instanceof InterruptedError || cleanup.signal.aborted)) throw error;
  } finally {
    interrupted = cleanup.signal.aborted;
    await cleanup.runAll();
  }
  if (interrupted) return 130;

  progress('\n▸ a changing market');
  const market = parameters.marketSeeds > 0 ? runMarketBench({ seeds: parameters.marketSeeds, halfLifeSeeds: parameters.halfLifeSeeds, progress }) : null;

  const machine = machineInfo();
  if (sizes.length > 0) {
    console.log(`\n## Triage learning: ${parameters.heldOut} held-out leads (${heldOutConversions} converted), embedded PGlite\n`);
    console.log(formatQuality(cold, truth, sizes));
    console.log(
      '\nAUC of score (ranking); Brier and ECE of score/100 against the held-out outcome; confidence Brier: `confidence` against ' +
        '"the true probability lies in the band of the category assigned" (Campaign Qualified ≥ 0.7, General Inquiry 0.4–0.7, Cold Lead < 0.4); ' +
        'in band: share of leads for which it does. "model alone" is `triageLead(lead, model)`; "+ episodes" is what the pipeline does.\n',
    );
    console.log(formatCost(sizes));
  }
  if (market) console.log(formatMarketBench(market));
  console.log(`\nMachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}`);
  if (busyBeforeStart > BUSY_MACHINE) console.log(`⚠ The machine was ${Math.round(busyBeforeStart * 100)} % busy before the run started.`);

  const path = await writeResults(
    RESULTS_DIR,
    'triage-learning',
    {
      kind: 'baton-triage-learning-benchmark',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...machine, busyBeforeStart },
      parameters: { ...parameters, trainingSeed: TRAINING_SEED, heldOutSeed: HELD_OUT_SEED, database: 'pglite' },
      heldOut: { leads: parameters.heldOut, conversions: heldOutConversions },
      coldStart: cold,
      groundTruth: truth,
      sizes,
      market: market && {
        seeds: market.seeds,
        halfLifeSeeds: market.halfLifeSeeds,
        pre: PRE,
        post: POST,
        summaries: Object.fromEntries(
          Object.entries(market.runs).map(([shift, byLearner]) => [
            shift,
            Object.fromEntries(Object.entries(byLearner).map(([learner, runs]) => [learner, summarizeRuns(runs, shift as MarketShift)])),
          ]),
        ),
      },
    },
    startedAt,
  );
  console.log(`\nJSON: ${path}`);
  return 0;
}

function formatQuality(cold: Metrics, truth: Metrics, sizes: readonly SizeResult[]): string {
  const cells = (m: Metrics) => [
    m.auc.toFixed(3),
    m.brier.toFixed(4),
    m.ece.toFixed(4),
    m.confidenceBrier === null ? '—' : m.confidenceBrier.toFixed(4),
    m.inBand === null ? '—' : `${Math.round(m.inBand * 100)} %`,
    m.meanConfidence === null ? '—' : m.meanConfidence.toFixed(2),
  ];
  const rows = [
    ['0', 'cold start (`COLD_START_MODEL`)', ...cells(cold)],
    ...sizes.flatMap((s) => [
      [String(s.outcomes), `${s.modelVersion} alone`, ...cells(s.modelOnly)],
      [String(s.outcomes), `${s.modelVersion} + episodes (pipeline)`, ...cells(s.withEpisodes)],
    ]),
    ['—', 'ground truth (`trueProbability`)', ...cells(truth)],
  ];
  return markdownTable(['Training outcomes', 'Scored by', 'AUC', 'Brier', 'ECE', 'Confidence Brier', 'In band', 'Mean confidence'], rows, [
    'right',
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
    'right',
  ]);
}

function formatCost(sizes: readonly SizeResult[]): string {
  return markdownTable(
    [
      'Training outcomes',
      'Conversions',
      'Store leads s',
      'Record outcomes s',
      'Consolidation ms',
      'Episodes written',
      'Episodes considered (mean)',
      'conversionEvidence p50 / p95 / p99 ms',
    ],
    sizes.map((s) => [
      String(s.outcomes),
      String(s.conversions),
      s.loadSeconds.leads.toFixed(1),
      s.loadSeconds.outcomes.toFixed(1),
      String(s.consolidation.durationMs),
      String(s.consolidation.episodic.episodesWritten),
      s.meanEpisodesConsidered.toFixed(1),
      `${formatMs(s.evidenceLatency.p50)} / ${formatMs(s.evidenceLatency.p95)} / ${formatMs(s.evidenceLatency.p99)}`,
    ]),
    ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

process.exitCode = await main().catch((error: unknown) => {
  progress(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
