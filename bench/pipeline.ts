// The primary flow's latency per lead, one lead at a time (what a caller of
// processLead waits for): triage → engagement, and for a campaign's lead →
// optimization review, on embedded PGlite and on PostgreSQL.
//
//   npx tsx bench/pipeline.ts                 # both databases, 300 leads each
//   BENCH_LEADS=1000 npx tsx bench/pipeline.ts
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createBatonServer } from '../src/app/baton-server.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { generatePopulation } from '../tests/support/synthetic-population.js';
import { Cleanup, cleanUpOnSignals } from './cleanup.js';
import { createPgliteDatabase, createPostgresDatabase, postgresAdminUrl, type BenchDatabase } from './databases.js';
import { formatMs, markdownTable, timeCalls, writeResults, type LatencyStats } from './latency.js';

const LEADS = Number(process.env.BENCH_LEADS ?? 300);
const WEEK_MS = 7 * 86_400_000;

async function measure(database: BenchDatabase): Promise<Record<string, LatencyStats>> {
  const config = loadConfig({ ...database.env, LOG_LEVEL: 'silent', JWT_SECRET: randomBytes(32).toString('hex'), CONSOLIDATION_INTERVAL_S: '0', PORT: '0' });
  const app = await createBatonServer(config, createLogger('silent', config.serverId));
  // The agents work their queues once started: a lead's flow runs on the workers, processLead waits for it.
  await app.start();
  try {
    const { leads, optimization } = app.services;
    await optimization.metrics.createCampaign({ id: 'bench-campaign', name: 'Bench', budgetUsd: 100_000 });
    const start = Date.parse('2026-09-07T00:00:00Z');
    await optimization.metrics.ingest(
      'bench-campaign',
      Array.from({ length: 8 }, (_, week) =>
        ['search', 'social'].map((channel) => ({
          channel,
          periodStart: new Date(start + week * WEEK_MS),
          periodEnd: new Date(start + (week + 1) * WEEK_MS),
          impressions: 100_000,
          clicks: 3_000,
          conversions: 120 + week,
          spendUsd: 6_000,
          revenueUsd: 15_000,
        })),
      ).flat(),
    );
    const population = generatePopulation({ size: LEADS * 2 + 40, seed: 7, idPrefix: `bench-${database.kind}` }).map((s) => s.lead);
    const options = { warmup: 20, calls: LEADS, budgetSeconds: 300, minCalls: 50 };
    const plain = await timeCalls(options, (i) => leads.process(population[i]!, { wait: true }));
    const offset = LEADS + 20;
    const withCampaign = await timeCalls(options, (i) => leads.process({ ...population[offset + i]!, campaignId: 'bench-campaign' }, { wait: true }));
    return { 'processLead (triage → engagement)': plain, 'processLead with a campaign (→ optimization review)': withCampaign };
  } finally {
    await app.stop();
  }
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  cleanUpOnSignals(cleanup);
  const startedAt = new Date();
  const results: Record<string, Record<string, LatencyStats>> = {};
  try {
    results.pglite = await measure(await createPgliteDatabase(cleanup));
    const postgres = await createPostgresDatabase(cleanup, postgresAdminUrl().url);
    if ('skipped' in postgres) console.warn(`PostgreSQL skipped: ${postgres.skipped}`);
    else results.postgres = await measure(postgres);
  } finally {
    await cleanup.runAll();
  }
  const rows = Object.entries(results).flatMap(([target, scenarios]) =>
    Object.entries(scenarios).map(([scenario, s]) => [target, scenario, String(s.calls), formatMs(s.p50), formatMs(s.p95), formatMs(s.p99), formatMs(s.mean)]),
  );
  console.log(
    markdownTable(['database', 'scenario', 'leads', 'p50', 'p95', 'p99', 'mean'], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right']),
  );
  const file = await writeResults(join(import.meta.dirname, 'results'), 'pipeline', { leads: LEADS, results }, startedAt);
  console.log(`\nResults: ${file}`);
}

await main();
