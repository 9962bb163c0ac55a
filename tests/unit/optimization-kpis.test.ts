// Campaign KPIs: ratios of sums, null over a zero denominator, per channel, variant and period.
import { describe, expect, it } from 'vitest';
import { campaignKpis, kpisOf, latestPeriodSnapshots, periodSeries, type MetricsSnapshot } from '../../src/agents/optimization/kpis.js';

const DAY = 86_400_000;
const start = Date.UTC(2025, 0, 6);
function snapshot(period: number, channel: string, variant: string, counts: Partial<MetricsSnapshot>): MetricsSnapshot {
  return {
    variant,
    channel,
    periodStart: new Date(start + period * 7 * DAY),
    periodEnd: new Date(start + (period + 1) * 7 * DAY),
    impressions: 0,
    clicks: 0,
    conversions: 0,
    spendUsd: 0,
    revenueUsd: 0,
    ...counts,
  };
}

describe('kpisOf', () => {
  it('CTR = clicks/impressions, CVR = conversions/clicks, CPL = spend/conversions, ROAS = revenue/spend', () => {
    const k = kpisOf({ impressions: 10_000, clicks: 300, conversions: 15, spendUsd: 600, revenueUsd: 1500 });
    expect(k.ctr).toBeCloseTo(0.03, 15);
    expect(k.cvr).toBeCloseTo(0.05, 15);
    expect(k.cplUsd).toBeCloseTo(40, 12);
    expect(k.roas).toBeCloseTo(2.5, 15);
  });

  it('is null, never 0 or Infinity, where the denominator is 0', () => {
    expect(kpisOf({ impressions: 0, clicks: 0, conversions: 0, spendUsd: 0, revenueUsd: 0 })).toMatchObject({ ctr: null, cvr: null, cplUsd: null, roas: null });
    // Spend without conversions: CPL undefined (not "infinitely expensive"); revenue without spend: ROAS undefined.
    const k = kpisOf({ impressions: 100, clicks: 10, conversions: 0, spendUsd: 50, revenueUsd: 0 });
    expect(k).toMatchObject({ ctr: 0.1, cvr: 0, cplUsd: null, roas: 0 });
    expect(kpisOf({ impressions: 100, clicks: 0, conversions: 0, spendUsd: 0, revenueUsd: 20 })).toMatchObject({ ctr: 0, cvr: null, cplUsd: null, roas: null });
  });

  it('is null where the quotient overflows a double (a tiny spend under a large revenue), never Infinity', () => {
    // Found by the fuzz suite: POST /api/v1/campaigns/{id}/optimize with {"metrics":{"spend_usd":1e-308,"revenue_usd":2147483647}} was a 500.
    expect(kpisOf({ impressions: 10, clicks: 5, conversions: 1, spendUsd: 1e-308, revenueUsd: 2147483647 })).toMatchObject({ roas: null, cplUsd: 1e-308 });
  });
});

describe('campaignKpis', () => {
  const snapshots = [
    snapshot(1, 'social', 'B', { impressions: 5000, clicks: 50, conversions: 5, spendUsd: 100, revenueUsd: 100 }),
    snapshot(0, 'search', 'A', { impressions: 1000, clicks: 100, conversions: 10, spendUsd: 200, revenueUsd: 800 }),
    snapshot(0, 'social', 'A', { impressions: 4000, clicks: 100, conversions: 0, spendUsd: 100, revenueUsd: 0 }),
    snapshot(1, 'search', 'B', { impressions: 1000, clicks: 50, conversions: 5, spendUsd: 100, revenueUsd: 500 }),
  ];
  const kpis = campaignKpis(snapshots);

  it('sums counts before dividing (a ratio of sums, not a mean of ratios)', () => {
    expect(kpis.overall).toMatchObject({ impressions: 11_000, clicks: 300, conversions: 20, spendUsd: 500, revenueUsd: 1400 });
    expect(kpis.overall.ctr).toBeCloseTo(300 / 11_000, 15);
    expect(kpis.overall.cvr).toBeCloseTo(20 / 300, 15);
    expect(kpis.overall.cplUsd).toBeCloseTo(25, 12);
    expect(kpis.overall.roas).toBeCloseTo(2.8, 12);
  });

  it('per channel and per variant, sorted by name', () => {
    expect(kpis.byChannel.map((c) => [c.channel, c.clicks, c.roas])).toEqual([
      ['search', 150, 1300 / 300],
      ['social', 150, 100 / 200],
    ]);
    expect(kpis.byVariant.map((v) => [v.variant, v.conversions, v.cplUsd])).toEqual([
      ['A', 10, 30],
      ['B', 10, 20],
    ]);
  });

  it('per period, oldest first; the latest period is the last', () => {
    expect(kpis.byPeriod).toHaveLength(2);
    expect(kpis.byPeriod[0]?.periodStart.toISOString()).toBe('2025-01-06T00:00:00.000Z');
    expect(kpis.byPeriod[0]).toMatchObject({ clicks: 200, conversions: 10, spendUsd: 300, cplUsd: 30 });
    expect(kpis.byPeriod[1]).toMatchObject({ clicks: 100, conversions: 10, spendUsd: 200, cplUsd: 20, roas: 3 });
    expect(periodSeries([])).toEqual([]);
    expect(
      latestPeriodSnapshots(snapshots)
        .map((s) => `${s.channel}/${s.variant}`)
        .sort(),
    ).toEqual(['search/B', 'social/B']);
  });

  it('an empty campaign has zero counts and null KPIs', () => {
    expect(campaignKpis([])).toEqual({
      overall: { impressions: 0, clicks: 0, conversions: 0, spendUsd: 0, revenueUsd: 0, ctr: null, cvr: null, cplUsd: null, roas: null },
      byChannel: [],
      byVariant: [],
      byPeriod: [],
    });
  });
});
