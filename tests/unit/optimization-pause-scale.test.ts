// Pause/scale advice from the ROAS 95 % interval, and the interval itself.
// Known values: Clopper–Pearson 95 % for 3 of 100 is [0.006229972, 0.085176053] and for 3 of 200
// [0.0031041, 0.0432083] (R: binom.test(3, 100)$conf.int, binom.test(3, 200)$conf.int; SciPy:
// beta.ppf(0.975, 4, 197) = 0.0432082819); for 0 of n the upper bound is 1 − 0.025^{1/n}.
// P(Beta(4, 98) < 1/30) = 0.4356977 (SciPy: beta.cdf(1/30, 4, 98)).
import { describe, expect, it } from 'vitest';
import { conversionRateInterval, probabilityRoasBelow, roasInterval } from '../../src/agents/optimization/kpi-intervals.js';
import type { MetricsSnapshot } from '../../src/agents/optimization/kpis.js';
import { pauseScaleRecommendations } from '../../src/agents/optimization/pause-scale.js';
import { resolveThresholds } from '../../src/agents/optimization/thresholds.js';

const thresholds = resolveThresholds();
const DAY = 86_400_000;
function snapshot(period: number, channel: string, counts: Partial<MetricsSnapshot>): MetricsSnapshot {
  return {
    variant: 'default',
    channel,
    periodStart: new Date(Date.UTC(2025, 3, 7) + period * 7 * DAY),
    periodEnd: new Date(Date.UTC(2025, 3, 7) + (period + 1) * 7 * DAY),
    impressions: 50_000,
    clicks: 1000,
    conversions: 0,
    spendUsd: 0,
    revenueUsd: 0,
    ...counts,
  };
}
const context = (valuePerConversion: number | null, budgetHeadroomUsd: number | null = null) => ({ valuePerConversion, budgetHeadroomUsd });

describe('the ROAS interval', () => {
  it('is Clopper–Pearson on conversions/clicks, scaled by the observed revenue per conversion', () => {
    const rate = conversionRateInterval(100, 3);
    expect(rate.cvrLow95).toBeCloseTo(0.006229972, 8);
    expect(rate.cvrHigh95).toBeCloseTo(0.085176053, 8);
    expect(conversionRateInterval(200, 3).cvrHigh95).toBeCloseTo(0.0432082819, 9);
    expect(conversionRateInterval(200, 3).cvrLow95).toBeCloseTo(0.0031041076, 9);
    expect(conversionRateInterval(50, 0)).toMatchObject({ cvr: 0, cvrLow95: 0 });
    expect(conversionRateInterval(50, 0).cvrHigh95).toBeCloseTo(1 - 0.025 ** (1 / 50), 10);

    // 3 conversions at $30 from 100 clicks on $100: ROAS 0.9 in [100·p·30/100] = [0.187, 2.555].
    const interval = roasInterval({ impressions: 0, clicks: 100, conversions: 3, spendUsd: 100, revenueUsd: 90 }, null);
    expect(interval).toMatchObject({ bounded: true, valueSource: 'observed', valuePerConversion: 30 });
    expect(interval.roas).toBeCloseTo(0.9, 12);
    expect(interval.roasLow95).toBeCloseTo(30 * 0.006229972, 6);
    expect(interval.roasHigh95).toBeCloseTo(30 * 0.085176053, 6);
    expect(interval.cplLow95).toBeCloseTo(100 / (100 * 0.085176053), 6);
  });

  it('values a target without conversions at the campaign average, and has no bound without clicks or spend', () => {
    const fallback = roasInterval({ impressions: 0, clicks: 300, conversions: 0, spendUsd: 300, revenueUsd: 0 }, 50);
    expect(fallback).toMatchObject({ bounded: true, valueSource: 'campaign_average', roasLow95: 0 });
    expect(fallback.roasHigh95).toBeCloseTo(50 * (1 - 0.025 ** (1 / 300)), 10);
    expect(roasInterval({ impressions: 0, clicks: 0, conversions: 0, spendUsd: 10, revenueUsd: 0 }, 50)).toMatchObject({ bounded: false, reason: 'no clicks' });
    expect(roasInterval({ impressions: 0, clicks: 10, conversions: 0, spendUsd: 0, revenueUsd: 0 }, 50)).toMatchObject({ bounded: false, reason: 'no spend' });
  });

  it('P(ROAS < floor) is the Beta posterior of the conversion rate below the break-even rate', () => {
    // Break-even rate = floor·spend/(clicks·v) = 100/(100·30) = 1/30: the posterior Beta(4, 98) mostly lies below it.
    const p = probabilityRoasBelow({ impressions: 0, clicks: 100, conversions: 3, spendUsd: 100, revenueUsd: 90 }, 30, 1);
    expect(p).toBeCloseTo(0.4356977, 6);
    expect(probabilityRoasBelow({ impressions: 0, clicks: 100, conversions: 3, spendUsd: 100, revenueUsd: 0 }, 0, 1)).toBe(1);
  });
});

describe('pauseScaleRecommendations', () => {
  // search: ROAS 4 on 100 conversions; display: ROAS 0.5 on 30 conversions from 3,000 clicks.
  const healthy = [0, 1].map((p) => snapshot(p, 'search', { clicks: 1000, conversions: 50, spendUsd: 500, revenueUsd: 2000 }));
  const losing = [0, 1].map((p) => snapshot(p, 'display', { clicks: 1500, conversions: 15, spendUsd: 1500, revenueUsd: 750 }));

  it('pauses a channel whose ROAS upper bound is below 1, with enough data', () => {
    const { recommendations, evaluated } = pauseScaleRecommendations([...healthy, ...losing], thresholds, context(2750 / 130, 1_000_000));
    expect(evaluated).toBe(true);
    const pause = recommendations.find((r) => r.type === 'pause');
    expect(pause?.target).toBe('channel:display');
    expect(pause?.evidence).toMatchObject({ clicks: 3000, conversions: 30, roas: 0.5 });
    expect(pause?.evidence.roas_ci95_high).toBeLessThan(1);
    const expected = roasInterval({ impressions: 0, clicks: 3000, conversions: 30, spendUsd: 3000, revenueUsd: 1500 }, null);
    expect(pause?.evidence.roas_ci95_high).toBe(expected.roasHigh95);
    expect(pause?.confidence).toBe(probabilityRoasBelow({ impressions: 0, clicks: 3000, conversions: 30, spendUsd: 3000, revenueUsd: 1500 }, 50, 1));
    expect(pause?.confidence).toBeGreaterThan(0.99);
    expect(pause?.expectedEffect).toMatchObject({ metric: 'spend_usd', change: -1500 });
  });

  it('scales a channel whose ROAS lower bound beats the target, when the budget has headroom', () => {
    const withHeadroom = pauseScaleRecommendations([...healthy, ...losing], thresholds, context(2750 / 130, 10_000)).recommendations;
    const scale = withHeadroom.find((r) => r.type === 'scale');
    expect(scale?.target).toBe('channel:search');
    expect(scale?.evidence.roas_ci95_low).toBeGreaterThan(2);
    expect(scale?.confidence).toBeGreaterThan(0.999);
    expect(scale?.expectedEffect?.change).toBeCloseTo(4 * 500 * (1.3 ** 0.6 - 1), 9);
    expect(scale?.summary).toMatch(/\$10,000\.00 of budget headroom remains/);

    const unknownBudget = pauseScaleRecommendations([...healthy, ...losing], thresholds, context(2750 / 130, null)).recommendations;
    expect(unknownBudget.find((r) => r.type === 'scale')?.summary).toMatch(/headroom is unknown/);
    const exhausted = pauseScaleRecommendations([...healthy, ...losing], thresholds, context(2750 / 130, -5)).recommendations;
    expect(exhausted.find((r) => r.type === 'scale')).toBeUndefined();
  });

  it('does not pause on tiny data: an insufficient_data note instead', () => {
    const tiny = [
      snapshot(0, 'search', { clicks: 1000, conversions: 50, spendUsd: 500, revenueUsd: 2000 }),
      snapshot(0, 'display', { clicks: 40, conversions: 0, spendUsd: 200, revenueUsd: 0 }),
    ];
    const { recommendations } = pauseScaleRecommendations(tiny, thresholds, context(40));
    expect(recommendations.find((r) => r.type === 'pause')).toBeUndefined();
    const note = recommendations.find((r) => r.type === 'insufficient_data');
    expect(note?.target).toBe('channel:display');
    expect(note?.summary).toMatch(/channel:display \(40 clicks\).*fewer than the 100 clicks/);
  });

  it('judges the campaign as a whole when it has one channel and one variant', () => {
    const { recommendations } = pauseScaleRecommendations(
      losing.map((s) => ({ ...s, channel: 'all' })),
      thresholds,
      context(50),
    );
    expect(recommendations.map((r) => [r.type, r.target])).toEqual([['pause', 'campaign']]);
  });

  it('gives no ROAS advice when the campaign records no revenue at all', () => {
    const leadGen = [
      snapshot(0, 'search', { clicks: 1000, conversions: 50, spendUsd: 500 }),
      snapshot(0, 'social', { clicks: 1000, conversions: 20, spendUsd: 500 }),
    ];
    const { recommendations, evaluated } = pauseScaleRecommendations(leadGen, thresholds, context(0));
    expect(evaluated).toBe(false);
    expect(recommendations.map((r) => r.type)).toEqual(['insufficient_data']);
    expect(recommendations[0]?.summary).toMatch(/No revenue is recorded/);
  });
});
