// The Campaign Optimization agent on a real database: campaigns and metric snapshots in,
// KPIs and evidence-backed recommendations out, each run recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOptimizationAgent, type OptimizationAgent } from '../../../src/agents/optimization/optimization-agent.js';
import type { MetricsSnapshotInput } from '../../../src/agents/optimization/campaign-metrics.js';
import { toOptimizationResponse } from '../../support/optimization-response-oracle.js';
import { loadConfig } from '../../../src/config.js';
import { databaseTarget, openDatabase, type Database } from '../../../src/db/database.js';
import { InputError, NotFoundError } from '../../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let testDatabase: TestDatabase;
let database: Database;
let agent: OptimizationAgent;
const NOW = new Date('2025-03-10T12:00:00Z');

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(databaseTarget(loadConfig({ ...testDatabase.env, LOG_LEVEL: 'silent' })));
  agent = createOptimizationAgent({ prisma: database.prisma, now: () => NOW });
});
afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

const DAY = 86_400_000;
/**
 * Eight weekly periods, 2 channels × 2 variants. search earns $80 per conversion, social $25;
 * variant B converts at 8 % against A's 5 %. Spend $1,000 per channel and variant and week.
 */
function weeks(count = 8): MetricsSnapshotInput[] {
  const rows: MetricsSnapshotInput[] = [];
  for (let week = 0; week < count; week++) {
    const periodStart = new Date(Date.UTC(2025, 0, 6) + week * 7 * DAY).toISOString();
    const periodEnd = new Date(Date.UTC(2025, 0, 13) + week * 7 * DAY).toISOString();
    for (const [channel, value] of [
      ['search', 80],
      ['social', 25],
    ] as const) {
      for (const [variant, rate] of [
        ['A', 0.05],
        ['B', 0.08],
      ] as const) {
        const clicks = 1000 + 10 * week;
        const conversions = Math.round(clicks * rate) + (week % 2);
        rows.push({ channel, variant, periodStart, periodEnd, impressions: clicks * 40, clicks, conversions, spendUsd: 1000, revenueUsd: conversions * value });
      }
    }
  }
  return rows;
}

describe('OptimizationAgent', () => {
  it('creates a campaign idempotently, ingests snapshots and analyzes them into KPIs and recommendations with evidence', async () => {
    await agent.metrics.createCampaign({ id: 'camp-opt-1', name: 'Spring launch' });
    const campaign = await agent.metrics.createCampaign({ id: 'camp-opt-1', name: 'Spring launch (EU)', budgetUsd: 200_000 });
    expect(campaign).toMatchObject({ id: 'camp-opt-1', name: 'Spring launch (EU)', budgetUsd: 200_000 });
    expect(await database.prisma.campaign.count({ where: { id: 'camp-opt-1' } })).toBe(1);

    const snapshots = weeks();
    expect(await agent.metrics.ingest('camp-opt-1', snapshots)).toEqual({ stored: 32, replaced: 0 });
    const history = await agent.metrics.history('camp-opt-1');
    expect(history).toHaveLength(32);
    expect(history[0]?.periodStart).toBeInstanceOf(Date);

    const analysis = await agent.analyze(database.prisma, 'camp-opt-1');
    expect(analysis.analyzedAt).toEqual(NOW);
    expect(analysis.dataSufficient).toBe(true);
    const clicks = snapshots.reduce((sum, s) => sum + s.clicks, 0);
    const conversions = snapshots.reduce((sum, s) => sum + s.conversions, 0);
    const revenue = snapshots.reduce((sum, s) => sum + s.revenueUsd, 0);
    expect(analysis.kpis.overall).toMatchObject({ clicks, conversions, spendUsd: 32_000 });
    expect(analysis.kpis.overall.roas).toBeCloseTo(revenue / 32_000, 12);
    expect(analysis.kpis.byChannel.map((c) => c.channel)).toEqual(['search', 'social']);
    expect(analysis.kpis.byVariant.map((v) => v.variant)).toEqual(['A', 'B']);
    expect(analysis.kpis.byPeriod).toHaveLength(8);

    const winner = analysis.recommendations.find((r) => r.type === 'variant_winner');
    expect(winner?.target).toBe('variant:B');
    expect(winner?.confidence).toBeGreaterThan(0.999);
    expect(winner?.evidence).toMatchObject({ control: 'A', variant: 'B' });
    expect(winner?.evidence.control_clicks).toBe(analysis.kpis.byVariant[0]?.clicks);
    expect(winner?.evidence.p_value).toBeLessThan(1e-6);

    const budget = analysis.recommendations.find((r) => r.type === 'budget_reallocation');
    expect(budget?.summary).toMatch(/search \$2,000\.00 → \$2,600\.00 \(\+30 %\), social \$2,000\.00 → \$1,400\.00/);
    expect(budget?.expectedEffect?.change).toBeGreaterThan(0);
    expect(budget?.confidence).toBeGreaterThan(0.99);

    const scale = analysis.recommendations.find((r) => r.type === 'scale' && r.target === 'channel:search');
    expect(scale?.evidence.roas_ci95_low).toBeGreaterThan(2);
    for (const recommendation of analysis.recommendations) {
      expect(recommendation.confidence).toBeGreaterThanOrEqual(0);
      expect(recommendation.confidence).toBeLessThanOrEqual(1);
      expect(Object.keys(recommendation.evidence).length).toBeGreaterThan(0);
    }
    expect(analysis.breaches).toEqual([]);
  });

  it('re-ingesting a period replaces its snapshots instead of adding to them', async () => {
    await agent.metrics.createCampaign({ id: 'camp-opt-2', name: 'Replace' });
    const [first] = weeks(1);
    await agent.metrics.ingest('camp-opt-2', [first!]);
    const corrected = { ...first!, conversions: first!.conversions - 5 };
    expect(await agent.metrics.ingest('camp-opt-2', [corrected])).toEqual({ stored: 1, replaced: 1 });
    const stored = await database.prisma.campaignMetrics.findMany({ where: { campaignId: 'camp-opt-2' } });
    expect(stored.map((row) => row.conversions)).toEqual([corrected.conversions]);
  });

  it('rejects invalid snapshots with issue paths and stores nothing', async () => {
    await agent.metrics.createCampaign({ id: 'camp-opt-3', name: 'Invalid' });
    const [valid, second] = weeks(1);
    const invalid: MetricsSnapshotInput[] = [
      valid!,
      { ...second!, clicks: second!.impressions + 1 },
      { ...valid!, channel: 'email', conversions: -1, spendUsd: Number.NaN, periodEnd: valid!.periodStart },
      { ...valid!, channel: 'tv', clicks: 10, conversions: 11 },
    ];
    const error = await agent.metrics.ingest('camp-opt-3', invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => issue.path)).toEqual([
      'metrics.1.clicks',
      'metrics.2.conversions',
      'metrics.2.spendUsd',
      'metrics.3.conversions',
    ]);
    const periodError = await agent.metrics.ingest('camp-opt-3', [{ ...valid!, periodEnd: valid!.periodStart }]).catch((e: unknown) => e);
    expect((periodError as InputError).issues).toEqual([{ path: 'metrics.0.periodEnd', message: 'must be after periodStart' }]);
    const duplicate = await agent.metrics.ingest('camp-opt-3', [valid!, valid!]).catch((e: unknown) => e);
    expect((duplicate as InputError).issues.map((issue) => issue.path)).toEqual(['metrics.1']);
    await expect(agent.metrics.ingest('camp-opt-3', [])).rejects.toThrow(InputError);
    expect(await database.prisma.campaignMetrics.count({ where: { campaignId: 'camp-opt-3' } })).toBe(0);
  });

  it('an unknown campaign is NotFoundError, for ingest, history and analyze', async () => {
    await expect(agent.metrics.ingest('camp-missing', weeks(1))).rejects.toThrow(NotFoundError);
    await expect(agent.metrics.history('camp-missing')).rejects.toThrow(NotFoundError);
    await expect(agent.analyze(database.prisma, 'camp-missing')).rejects.toThrow(NotFoundError);
  });

  it('judges a reported KPI snapshot (the load test body) without claiming significance it cannot have', async () => {
    await agent.metrics.createCampaign({ id: 'camp-opt-4', name: 'Reported' });
    await agent.metrics.ingest('camp-opt-4', weeks());
    const analysis = await agent.analyze(database.prisma, 'camp-opt-4', { roas: 0.9, ctr: 0.03, cplUsd: 15 });
    expect(analysis.reported?.hasCounts).toBe(false);
    expect(analysis.breaches.filter((b) => b.kpi === 'roas')).toEqual([]);
    expect(analysis.insufficient.some((text) => /cannot establish significance on its own/.test(text))).toBe(true);
    await expect(agent.analyze(database.prisma, 'camp-opt-4', { ctr: 2 })).rejects.toThrow(InputError);
  });

  it('escalation material: a significant ROAS shortfall in the latest period is a breach', async () => {
    await agent.metrics.createCampaign({ id: 'camp-opt-5', name: 'Losing' });
    await agent.metrics.ingest('camp-opt-5', [
      {
        periodStart: '2025-02-03T00:00:00Z',
        periodEnd: '2025-02-10T00:00:00Z',
        impressions: 200_000,
        clicks: 5000,
        conversions: 200,
        spendUsd: 10_000,
        revenueUsd: 7000,
      },
    ]);
    const analysis = await agent.analyze(database.prisma, 'camp-opt-5');
    expect(analysis.breaches.map((b) => [b.kpi, b.scope])).toEqual([['roas', 'latest_period']]);
    expect(toOptimizationResponse(analysis, { escalationId: null }).breaches).toHaveLength(1);
  });

  it("record() stores an OptimizationRun, in the caller's transaction", async () => {
    const run = await database.prisma.$transaction(async (tx) => {
      const analysis = await agent.analyze(tx, 'camp-opt-1');
      return agent.record(tx, analysis, null);
    });
    expect(run).toMatchObject({ campaignId: 'camp-opt-1', dataSufficient: true, escalationId: null, createdAt: NOW });
    const stored = await database.prisma.optimizationRun.findUniqueOrThrow({ where: { id: run.id } });
    const recommendations = stored.recommendations as { type: string; evidence: Record<string, unknown> }[];
    expect(recommendations.some((r) => r.type === 'variant_winner' && r.evidence.variant === 'B')).toBe(true);
    const kpis = stored.kpis as { overall: { clicks: number }; byPeriod: { periodStart: string }[]; breaches: unknown[] };
    expect(kpis.overall.clicks).toBeGreaterThan(0);
    expect(kpis.byPeriod[0]?.periodStart).toBe('2025-01-06T00:00:00.000Z');
    expect(kpis.breaches).toEqual([]);
    expect(toOptimizationResponse(await agent.analyze(database.prisma, 'camp-opt-1'), { escalationId: null, runId: run.id }).optimization_run_id).toBe(run.id);
  });
});
