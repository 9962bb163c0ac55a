// Budget reallocation by marginal ROAS under power-law response curves R = a·s^b.
// Hand check for the bounded case: two channels with b = 0.6 and spend 1000 each,
// revenue 3000 and 1000, have marginal ROAS 0.6·3 = 1.8 and 0.6·1 = 0.6. Unbounded, spend
// ∝ (a·b)^{1/(1−b)} = a^{2.5}·const, a ratio of 3^{2.5} = 15.6 : 1 (1880 : 120); the ±30 %
// bound stops them at 1300 and 700. Modelled revenue: 3000·1.3^0.6 + 1000·0.7^0.6
// = 3502.6826 + 807.3429 = 4310.0255, a change of +310.0255.
import { describe, expect, it } from 'vitest';
import { allocateBudget, type ChannelPerformance, fitElasticity, MAX_SHIFT } from '../../../src/statistics/budget-allocation.js';

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const cents = (value: number) => Math.round(value * 100);

function expectBudgetPreserved(channels: readonly ChannelPerformance[], result: ReturnType<typeof allocateBudget>) {
  // In whole cents, exactly; as floating sums, to rounding.
  expect(sum(result.channels.map((c) => cents(c.proposedSpend)))).toBe(cents(sum(channels.map((c) => c.spend))));
  expect(Math.abs(sum(result.channels.map((c) => c.proposedSpend)) - sum(channels.map((c) => c.spend)))).toBeLessThan(1e-9);
  expect(result.totalExpectedRevenueChange).toBeGreaterThanOrEqual(0);
  for (const c of result.channels) {
    expect(c.proposedSpend).toBeGreaterThanOrEqual(c.currentSpend * (1 - result.maxShift) - 1e-9);
    expect(c.proposedSpend).toBeLessThanOrEqual(c.currentSpend * (1 + result.maxShift) + 1e-9);
  }
}

describe('allocateBudget', () => {
  it('equal curves: the equal split stays', () => {
    const channels = [
      { channel: 'search', spend: 1000, revenue: 3000, conversions: 30 },
      { channel: 'social', spend: 1000, revenue: 3000, conversions: 25 },
    ];
    const result = allocateBudget(channels);
    expect(result.channels.map((c) => c.proposedSpend)).toEqual([1000, 1000]);
    expect(result.unchanged).toBe(true);
    expect(result.totalExpectedRevenueChange).toBe(0);
    expect(result.commonMarginalRoas).toBeCloseTo(1.8, 10);
    expectBudgetPreserved(channels, result);
  });

  it('the channel with the higher marginal ROAS gains budget, up to the bound', () => {
    const channels = [
      { channel: 'search', spend: 1000, revenue: 3000, conversions: 30 },
      { channel: 'display', spend: 1000, revenue: 1000, conversions: 8 },
    ];
    const result = allocateBudget(channels);
    const [search, display] = result.channels;
    expect(search?.marginalRoas).toBeCloseTo(1.8, 14);
    expect(display?.marginalRoas).toBeCloseTo(0.6, 14);
    expect(search?.currentRoas).toBe(3);
    expect(search?.proposedSpend).toBe(1000 * (1 + MAX_SHIFT));
    expect(display?.proposedSpend).toBe(1000 * (1 - MAX_SHIFT));
    expect(result.totalExpectedRevenueChange).toBeCloseTo(3000 * 1.3 ** 0.6 + 1000 * 0.7 ** 0.6 - 4000, 9); // +310.03
    expect(search?.costPerConversion).toBeCloseTo(1000 / 30, 12);
    expectBudgetPreserved(channels, result);
  });

  it('equalizes marginal ROAS between channels inside their bounds (the KKT condition)', () => {
    const channels = [
      { channel: 'search', spend: 1000, revenue: 2000, conversions: 20 },
      { channel: 'social', spend: 1000, revenue: 1800, conversions: 18 },
      { channel: 'email', spend: 400, revenue: 900, conversions: 12 },
    ];
    const result = allocateBudget(channels, { decimals: 6 });
    // Current marginal ROAS: search 0.6·2 = 1.2, social 0.6·1.8 = 1.08, email 0.6·2.25 = 1.35.
    // Result: email hits its +30 % bound (520); search (≈1063.09) and social (≈816.91) share λ ≈ 1.17099.
    const lambda = result.commonMarginalRoas as number;
    const interior = result.channels.filter((c) => c.proposedSpend > c.currentSpend * 0.7 + 1e-6 && c.proposedSpend < c.currentSpend * 1.3 - 1e-6);
    expect(interior.map((c) => c.channel)).toEqual(['search', 'social']);
    for (const c of interior) expect(Math.abs((c.proposedMarginalRoas as number) - lambda) / lambda).toBeLessThan(1e-6);
    const email = result.channels.find((c) => c.channel === 'email');
    expect(email?.proposedSpend).toBe(520);
    expect((email?.proposedMarginalRoas as number) > lambda).toBe(true); // it would take more if the bound allowed
    expectBudgetPreserved(channels, result);
    // Any other feasible split earns less under the model: nudge 10 between two channels.
    const revenueAt = (spends: number[]) =>
      sum(spends.map((s, i) => (channels[i] as ChannelPerformance).revenue * (s / (channels[i] as ChannelPerformance).spend) ** 0.6));
    const proposed = result.channels.map((c) => c.proposedSpend);
    const best = revenueAt(proposed);
    for (const [from, to] of [
      [0, 1],
      [1, 0],
      [0, 2],
      [2, 1],
    ] as const) {
      const nudged = [...proposed];
      nudged[from] = (nudged[from] as number) - 10;
      nudged[to] = (nudged[to] as number) + 10;
      const feasible = nudged.every((s, i) => s >= (channels[i] as ChannelPerformance).spend * 0.7 && s <= (channels[i] as ChannelPerformance).spend * 1.3);
      if (feasible) expect(revenueAt(nudged)).toBeLessThan(best);
    }
  });

  it('preserves a budget with odd cents exactly (in cents) and never loses modelled revenue', () => {
    const channels = [
      { channel: 'a', spend: 1234.56, revenue: 3000.1, conversions: 30 },
      { channel: 'b', spend: 987.65, revenue: 2600, conversions: 30 },
      { channel: 'c', spend: 333.33, revenue: 555, conversions: 4 },
    ];
    const result = allocateBudget(channels);
    expect(result.totalBudget).toBe(2555.54);
    expectBudgetPreserved(channels, result);
    expect(result.totalExpectedRevenueChange).toBeGreaterThan(0);
    for (const c of result.channels) expect(Number.isInteger(Math.round(c.proposedSpend * 100))).toBe(true);
  });

  it('fits the elasticity from history when there are 3+ distinct spends', () => {
    // Revenue = 50·s^0.4 exactly: the fit recovers b = 0.4 with R² = 1.
    const history = [500, 800, 1200, 1500].map((spend) => ({ spend, revenue: 50 * spend ** 0.4 }));
    const fit = fitElasticity(history);
    expect(fit?.elasticity).toBeCloseTo(0.4, 12);
    expect(fit?.rSquared).toBeCloseTo(1, 12);
    expect(fit?.clamped).toBe(false);
    expect(fitElasticity(history.slice(0, 2))).toBeNull();
    expect(fitElasticity([...history.slice(0, 2), { spend: 800, revenue: 999 }])).toBeNull(); // only 2 distinct spends
    // Increasing returns are clamped to 0.95.
    const convex = fitElasticity([100, 200, 400].map((spend) => ({ spend, revenue: spend ** 1.5 })));
    expect(convex?.elasticity).toBe(0.95);
    expect(convex?.clamped).toBe(true);

    const result = allocateBudget([
      { channel: 'search', spend: 1000, revenue: 2000, conversions: 20, history },
      { channel: 'social', spend: 1000, revenue: 2000, conversions: 20 },
    ]);
    const [search, social] = result.channels;
    expect(search?.elasticitySource).toBe('fitted');
    expect(search?.marginalRoas).toBeCloseTo(0.8, 12); // 0.4 · 2
    expect(social?.elasticitySource).toBe('default');
    expect(social?.marginalRoas).toBeCloseTo(1.2, 12); // 0.6 · 2
    expect((social?.proposedSpend as number) > 1000).toBe(true);
  });

  it('holds zero-spend channels at 0 and cuts zero-revenue channels first', () => {
    const channels = [
      { channel: 'search', spend: 1000, revenue: 2500, conversions: 25 },
      { channel: 'tiktok', spend: 0, revenue: 120, conversions: 2 },
      { channel: 'radio', spend: 500, revenue: 0, conversions: 0 },
    ];
    const result = allocateBudget(channels);
    const [search, tiktok, radio] = result.channels;
    expect(tiktok?.proposedSpend).toBe(0);
    expect(tiktok?.currentRoas).toBeNull();
    expect(tiktok?.marginalRoas).toBeNull();
    expect(tiktok?.notes.join(' ')).toMatch(/No current spend/);
    expect(radio?.marginalRoas).toBe(0);
    expect(radio?.proposedSpend).toBe(350); // −30 %
    expect(radio?.expectedRevenueChange).toBe(0);
    expect(radio?.notes.join(' ')).toMatch(/No revenue/);
    expect(search?.proposedSpend).toBe(1150);
    expectBudgetPreserved(channels, result);
  });

  it('when revenue channels cannot absorb the cut, zero-revenue channels keep the remainder', () => {
    const channels = [
      { channel: 'search', spend: 100, revenue: 300, conversions: 3 },
      { channel: 'radio', spend: 1000, revenue: 0, conversions: 0 },
    ];
    const result = allocateBudget(channels);
    expect(result.channels.map((c) => c.proposedSpend)).toEqual([130, 970]);
    expect(result.commonMarginalRoas).toBe(0);
    expectBudgetPreserved(channels, result);
  });

  it('with no revenue anywhere, nothing moves', () => {
    const channels = [
      { channel: 'a', spend: 100, revenue: 0, conversions: 0 },
      { channel: 'b', spend: 0, revenue: 0, conversions: 0 },
    ];
    const result = allocateBudget(channels);
    expect(result.unchanged).toBe(true);
    expect(result.channels.map((c) => c.proposedSpend)).toEqual([100, 0]);
    expect(result.commonMarginalRoas).toBeNull();
  });

  it('rejects duplicates and negative figures', () => {
    expect(() =>
      allocateBudget([
        { channel: 'a', spend: 1, revenue: 1, conversions: 0 },
        { channel: 'a', spend: 1, revenue: 1, conversions: 0 },
      ]),
    ).toThrow(RangeError);
    expect(() => allocateBudget([{ channel: 'a', spend: -1, revenue: 1, conversions: 0 }])).toThrow(RangeError);
    expect(() => allocateBudget([], { maxShift: 1 })).toThrow(RangeError);
  });
});
