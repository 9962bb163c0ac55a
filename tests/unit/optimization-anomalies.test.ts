// Anomalies against the campaign's own history (robust z) and the breaches that escalate:
// a CPL spike, ROAS significantly below the floor, and what is NOT enough for either.
import { describe, expect, it } from 'vitest';
import { analyzeCampaign } from '../../src/agents/optimization/analysis.js';
import { checkAgainstHistory, studentTwoSidedP } from '../../src/agents/optimization/anomalies.js';
import type { MetricsSnapshot } from '../../src/agents/optimization/kpis.js';
import { resolveThresholds } from '../../src/agents/optimization/thresholds.js';
import { robustScale, robustZ } from '../../src/statistics/robust-z.js';

const thresholds = resolveThresholds();
const DAY = 86_400_000;
const start = Date.UTC(2025, 2, 3);
function period(index: number, counts: Partial<MetricsSnapshot>, channel = 'all', variant = 'default'): MetricsSnapshot {
  return {
    variant,
    channel,
    periodStart: new Date(start + index * 7 * DAY),
    periodEnd: new Date(start + (index + 1) * 7 * DAY),
    impressions: 100_000,
    clicks: 2000,
    conversions: 50,
    spendUsd: 1000,
    revenueUsd: 3000,
    ...counts,
  };
}
/** Eight ordinary weeks: CPL 19.2-20.8 (conversions 48-52 on $1,000), ROAS ≈ 3. */
const HISTORY_CONVERSIONS = [50, 48, 52, 49, 51, 50, 52, 48];
const history = HISTORY_CONVERSIONS.map((conversions, index) => period(index, { conversions, revenueUsd: conversions * 60 }));
const at = (analysis: ReturnType<typeof analyzeCampaign>) => ({
  anomalies: analysis.recommendations.filter((r) => r.type === 'anomaly'),
  breaches: analysis.breaches,
});

describe('anomalies and the CPL spike', () => {
  it('flags a CPL spike in the last period, with the robust z of the statistics library, and escalates it', () => {
    const spike = period(8, { conversions: 25, revenueUsd: 25 * 60 }); // CPL $40
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, [...history, spike], { thresholds, analyzedAt: new Date() });
    const cplHistory = HISTORY_CONVERSIONS.map((c) => 1000 / c);
    const z = robustZ(cplHistory, 40);
    expect(z).toBeGreaterThan(3.5);

    const cplAnomaly = at(analysis).anomalies.find((r) => r.evidence.kpi === 'cpl_usd');
    expect(cplAnomaly?.target).toBe('campaign');
    expect(cplAnomaly?.evidence).toMatchObject({ value: 40, history_periods: 8, robust_z: z });
    expect(cplAnomaly?.confidence).toBeCloseTo(1 - studentTwoSidedP(z, 7), 12);

    const breach = analysis.breaches.find((b) => b.kpi === 'cpl_usd');
    expect(breach).toMatchObject({ kpi: 'cpl_usd', scope: 'latest_period', observed: 40 });
    // The threshold is the spike level in USD: median + 3.5 robust σ (here the 10 % material-change floor is lower).
    const scale = robustScale(cplHistory);
    expect(breach?.threshold).toBeCloseTo(scale.median + 3.5 * scale.scale, 12);
    expect(breach?.threshold).toBeLessThan(40);
    expect(breach?.evidence).toMatchObject({ robust_z: z, cpl_spike_z: 3.5 });
    expect(breach?.evidence.history_periods).toBe(8);
  });

  it('does not flag a normal period', () => {
    const normal = period(8, { conversions: 49, revenueUsd: 49 * 60 });
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, [...history, normal], { thresholds, analyzedAt: new Date() });
    expect(at(analysis).anomalies).toEqual([]);
    expect(analysis.breaches).toEqual([]);
    expect(analysis.dataSufficient).toBe(true);
  });

  it('makes no anomaly claim with too little history: it says so instead', () => {
    const short = [...history.slice(0, 3), period(3, { conversions: 25, revenueUsd: 25 * 60 })];
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, short, { thresholds, analyzedAt: new Date() });
    expect(at(analysis).anomalies).toEqual([]);
    expect(analysis.breaches.filter((b) => b.kpi === 'cpl_usd')).toEqual([]);
    expect(analysis.insufficient.some((text) => /No anomaly check for .*cpl_usd.*3 earlier period\(s\).*5 needed/.test(text))).toBe(true);
  });

  it('a history without spread: an unbounded z needs a material change to count', () => {
    const flat = [20, 20, 20, 20, 20];
    expect(checkAgainstHistory('cpl_usd', 20.5, flat, thresholds, 3.5)).toMatchObject({ z: Number.POSITIVE_INFINITY, materialChange: false, anomalous: false });
    expect(checkAgainstHistory('cpl_usd', 30, flat, thresholds, 3.5)).toMatchObject({
      z: Number.POSITIVE_INFINITY,
      materialChange: true,
      anomalous: true,
      confidence: 1,
    });
  });
});

describe('ROAS below the floor', () => {
  it('is a breach when significant: the upper 95 % bound is below 1', () => {
    // 200 conversions from 5,000 clicks, $35 each, on $10,000: ROAS 0.7, upper bound ≈ 0.80.
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, [period(0, { clicks: 5000, conversions: 200, spendUsd: 10_000, revenueUsd: 7000 })], {
      thresholds,
      analyzedAt: new Date(),
    });
    const [breach] = analysis.breaches;
    expect(breach).toMatchObject({ kpi: 'roas', scope: 'latest_period', threshold: 1, severity: 'warning' });
    expect(breach?.observed).toBeCloseTo(0.7, 12);
    expect(breach?.evidence.roas_ci95_high).toBeLessThan(1);
    expect(breach?.evidence.roas_ci95_high).toBeGreaterThan(0.75);
    expect(breach?.evidence).toMatchObject({ clicks: 5000, conversions: 200 });
    expect(breach?.evidence.probability_roas_below_floor).toBeGreaterThan(0.999);
  });

  it('is not a breach at ROAS 0.9 on 3 conversions: not significant, and the response says so', () => {
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, [period(0, { clicks: 200, conversions: 3, spendUsd: 100, revenueUsd: 90 })], {
      thresholds,
      analyzedAt: new Date(),
    });
    expect(analysis.breaches).toEqual([]);
    const note = analysis.recommendations.find((r) => r.type === 'insufficient_data' && /ROAS .* is 0\.90, below the floor/.test(r.summary));
    expect(note?.summary).toMatch(/not significantly: its 95 % upper bound is 2\.59 \(3 conversions from 200 clicks\)/);
    expect(note?.confidence).toBe(0);
  });

  it('is critical below half the floor', () => {
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, [period(0, { clicks: 5000, conversions: 200, spendUsd: 10_000, revenueUsd: 4000 })], {
      thresholds,
      analyzedAt: new Date(),
    });
    expect(analysis.breaches[0]?.severity).toBe('critical');
  });

  it('honours a configured floor', () => {
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, [period(0, { clicks: 5000, conversions: 200, spendUsd: 10_000, revenueUsd: 12_000 })], {
      thresholds: resolveThresholds({ roasFloor: 1.5 }),
      analyzedAt: new Date(),
    });
    expect(analysis.breaches.map((b) => [b.kpi, b.threshold])).toEqual([['roas', 1.5]]);
  });
});

describe('a reported KPI snapshot', () => {
  it("KPI-only (the load test's body): compared with thresholds and history, no significance claimed against the floor", () => {
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, history, {
      thresholds,
      analyzedAt: new Date(),
      reported: { roas: 0.8, ctr: 0.02, cplUsd: 21 },
    });
    expect(analysis.breaches).toEqual([]);
    expect(analysis.reported?.hasCounts).toBe(false);
    expect(analysis.reported?.note).toMatch(/cannot establish significance against a threshold on its own/);
    const roas = analysis.reported?.comparisons.find((c) => c.kpi === 'roas');
    expect(roas).toMatchObject({ threshold: 1, crossesThreshold: true, significant: null });
    expect(analysis.insufficient.some((text) => /reported ROAS 0\.80 is below the floor .* cannot establish significance on its own/.test(text))).toBe(true);
  });

  it('with counts: the same significance test as stored data', () => {
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, history, {
      thresholds,
      analyzedAt: new Date(),
      reported: { clicks: 5000, conversions: 200, spendUsd: 4000, revenueUsd: 2800 }, // CPL $20 as usual, ROAS 0.7
    });
    expect(analysis.reported?.hasCounts).toBe(true);
    expect(analysis.breaches.map((b) => [b.kpi, b.scope])).toEqual([['roas', 'reported']]);
  });

  it('a reported CPL far above the history is a CPL spike (against the history, no counts needed)', () => {
    const analysis = analyzeCampaign({ id: 'c', budgetUsd: null }, history, { thresholds, analyzedAt: new Date(), reported: { cplUsd: 45 } });
    expect(analysis.breaches.map((b) => [b.kpi, b.scope])).toEqual([['cpl_usd', 'reported']]);
    expect(analysis.breaches[0]?.severity).toBe('critical');
  });
});
