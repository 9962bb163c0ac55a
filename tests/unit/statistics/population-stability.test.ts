// The population stability index of a categorical mix: zero for the same mix,
// a two-value shift worked by hand (shares smoothed by half an observation per
// value, as documented), and a value seen on one side only costs a finite amount.
import { describe, expect, it } from 'vitest';
import { populationStabilityIndex } from '../../../src/statistics/population-stability.js';

const mix = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('populationStabilityIndex', () => {
  it('is 0 for identical mixes and for no data at all', () => {
    expect(populationStabilityIndex(mix({ TECHNOLOGY: 35, FINANCE: 20, HEALTHCARE: 20 }), mix({ TECHNOLOGY: 35, FINANCE: 20, HEALTHCARE: 20 }))).toBe(0);
    expect(populationStabilityIndex(new Map(), new Map())).toBe(0);
  });

  it('matches a two-value shift computed by hand', () => {
    // Reference 80 a / 20 b, recent 50 / 50; smoothed shares over 100 + 2·0.5 = 101:
    // e = (80.5, 20.5)/101, r = (50.5, 50.5)/101.
    const e = [80.5 / 101, 20.5 / 101];
    const r = [50.5 / 101, 50.5 / 101];
    const byHand = (r[0]! - e[0]!) * Math.log(r[0]! / e[0]!) + (r[1]! - e[1]!) * Math.log(r[1]! / e[1]!);
    expect(byHand).toBeCloseTo(0.40629, 5); // 0.297·ln(0.627⁻¹) + 0.297·ln(2.463): a large shift (≥ 0.25)
    expect(populationStabilityIndex(mix({ a: 80, b: 20 }), mix({ a: 50, b: 50 }))).toBeCloseTo(byHand, 14);
  });

  it('is symmetric in its two mixes and grows with the shift', () => {
    const reference = mix({ a: 60, b: 40 });
    const small = mix({ a: 55, b: 45 });
    const large = mix({ a: 20, b: 80 });
    expect(populationStabilityIndex(reference, small)).toBeCloseTo(populationStabilityIndex(small, reference), 14);
    expect(populationStabilityIndex(reference, small)).toBeLessThan(0.1);
    expect(populationStabilityIndex(reference, large)).toBeGreaterThan(0.25);
  });

  it('stays finite when a value appears on one side only', () => {
    // Reference 100 a; recent 50 a, 50 b: e = (100.5, 0.5)/101, r = (50.5, 50.5)/101.
    const psi = populationStabilityIndex(mix({ a: 100 }), mix({ a: 50, b: 50 }));
    const e = [100.5 / 101, 0.5 / 101];
    const r = [50.5 / 101, 50.5 / 101];
    expect(Number.isFinite(psi)).toBe(true);
    expect(psi).toBeCloseTo((r[0]! - e[0]!) * Math.log(r[0]! / e[0]!) + (r[1]! - e[1]!) * Math.log(r[1]! / e[1]!), 14);
    expect(psi).toBeGreaterThan(0.25);
  });
});
