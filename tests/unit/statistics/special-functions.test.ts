// Special functions against closed forms and independent references (mpmath at 30-40
// digits: mp.loggamma, mp.log(mp.beta(a, b)), and for I_x either an exact binomial sum
// or mp.quad of the density; noted per value). The tests compare with the nearest double,
// written with the fewest digits that name it (at most 17); mpmath's digits are quoted beside it.
import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  logBeta,
  logGamma,
  regularizedIncompleteBeta,
  regularizedIncompleteBetaComplement,
} from '../../../src/statistics/special-functions.js';

function expectRelative(actual: number, expected: number, tolerance: number, label?: string) {
  expect(Math.abs(actual - expected) / Math.abs(expected), label ?? `${actual} vs ${expected}`).toBeLessThan(tolerance);
}

/** ln n! by summing logs: an independent reference for integer arguments. */
function logFactorial(n: number): number {
  let sum = 0;
  for (let k = 2; k <= n; k++) sum += Math.log(k);
  return sum;
}

/** I_x(a, b) for integer a, b: P(Binomial(a + b − 1, x) ≥ a), the identity behind the Beta–Binomial link. */
function binomialTail(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let sum = 0;
  for (let j = a; j <= n; j++) {
    sum += Math.exp(logFactorial(n) - logFactorial(j) - logFactorial(n - j) + j * Math.log(x) + (n - j) * Math.log1p(-x));
  }
  return sum;
}

describe('logGamma', () => {
  it('matches closed forms: Γ(½) = √π, Γ(1) = Γ(2) = 1, Γ(n) = (n − 1)!', () => {
    expect(Math.abs(logGamma(0.5) - Math.log(Math.sqrt(Math.PI)))).toBeLessThan(1e-15);
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-15);
    expect(Math.abs(logGamma(1.5) - Math.log(Math.sqrt(Math.PI) / 2))).toBeLessThan(1e-15);
    for (const n of [3, 5, 10, 20, 50, 170]) expectRelative(logGamma(n), logFactorial(n - 1), 1e-14, `lnΓ(${n})`);
  });

  it('matches mpmath.loggamma to ~1e-14 relative', () => {
    const reference: [number, number][] = [
      [1e-5, 11.512919692895826], // mpmath: 11.512919692895825626
      [3.7, 1.428072326665388], // 1.4280723266653881292
      [10, 12.801827480081469], // 12.801827480081469611
      [100.5, 361.4355404677776], // 361.43554046777762156
      [12345.678, 103959.91990554606], // 103959.91990554605982
      [1e6, 12815504.569147611], // 12815504.56914761166
    ];
    for (const [x, expected] of reference) expectRelative(logGamma(x), expected, 5e-15, `lnΓ(${x})`);
  });

  it('rejects x ≤ 0', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => logGamma(-2.5)).toThrow(RangeError);
  });
});

describe('logBeta', () => {
  it('matches closed forms and mpmath, large arguments included', () => {
    expectRelative(logBeta(0.5, 0.5), Math.log(Math.PI), 1e-15); // B(½, ½) = π
    expectRelative(logBeta(3, 7), -5.529429087511423, 1e-14); // = ln(2!·6!/9!); mpmath: −5.52942908751142330673
    expectRelative(logBeta(2.5, 40), -8.983627339298152, 1e-14); // mpmath: −8.983627339298151837587
    expectRelative(logBeta(123.4, 5678.9), -598.717144152407, 1e-14); // mpmath: −598.7171441524069559044
    // lnΓ(1e6) + lnΓ(2e6) − lnΓ(3e6) ≈ −1.9e6: the naive sum loses ~1e-8 here.
    expectRelative(logBeta(1e6, 2e6), -1909548.290968533, 1e-15); // mpmath: −1909548.290968532956511
  });

  it('is symmetric and satisfies B(a + 1, b) = B(a, b)·a/(a + b)', () => {
    for (const [a, b] of [
      [0.3, 7],
      [4, 9.5],
      [15, 2000],
      [3000, 40],
    ] as const) {
      expect(logBeta(a, b)).toBeCloseTo(logBeta(b, a), 12);
      expect(Math.abs(logBeta(a + 1, b) - (logBeta(a, b) + Math.log(a / (a + b))))).toBeLessThan(1e-11);
    }
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches exact values: I_0.5(2, 3) = 11/16, I_x(1, b) = 1 − (1 − x)^b, I_x(a, 1) = x^a, arcsine law', () => {
    expect(Math.abs(regularizedIncompleteBeta(0.5, 2, 3) - 0.6875)).toBeLessThan(1e-15);
    expectRelative(regularizedIncompleteBeta(0.3, 1, 4.5), 1 - 0.7 ** 4.5, 1e-14);
    expectRelative(regularizedIncompleteBeta(0.3, 2.7, 1), 0.3 ** 2.7, 1e-14);
    // I_x(½, ½) = (2/π)·asin(√x).
    for (const x of [0.01, 0.3, 0.5, 0.9, 0.999]) {
      expectRelative(regularizedIncompleteBeta(x, 0.5, 0.5), (2 / Math.PI) * Math.asin(Math.sqrt(x)), 1e-13, `x=${x}`);
    }
  });

  it('matches the binomial-sum identity for integer parameters, tails included', () => {
    const cases: [number, number, number][] = [
      [0.1, 11, 91],
      [0.2, 21, 81],
      [0.05, 3, 40],
      [0.7, 30, 12],
      [0.3, 100, 100], // ≈ 1e-9
      [0.05, 100, 100], // ≈ 2.35e-74 (mpmath binomial sum: 2.3467504628890087148e-74)
    ];
    for (const [x, a, b] of cases) expectRelative(regularizedIncompleteBeta(x, a, b), binomialTail(x, a, b), 1e-12, `I_${x}(${a},${b})`);
    expectRelative(regularizedIncompleteBeta(0.05, 100, 100), 2.3467504628890088e-74, 1e-12);
  });

  it('matches mpmath (quadrature of the density) for fractional and large parameters', () => {
    expectRelative(regularizedIncompleteBeta(0.001, 0.5, 30), 0.19276269384046288, 1e-13); // mpmath: 0.1927626938404628854
    expectRelative(regularizedIncompleteBeta(0.2, 2.5, 1.5), 0.03372871544857981, 1e-13); // 0.033728715448579814651
    expectRelative(regularizedIncompleteBeta(0.41, 500, 700), 0.3206732726614016, 1e-12); // 0.32067327266140160006
    expectRelative(regularizedIncompleteBeta(0.49, 5000.5, 5000.5), 0.02273663484792614, 1e-11); // 0.02273663484792614115
  });

  it('keeps the upper tail accurate through the complement', () => {
    // 1 − I_0.999(30, ½) = I_0.001(½, 30) by symmetry: a small upper tail computed directly.
    expectRelative(regularizedIncompleteBetaComplement(0.999, 30, 0.5), 0.19276269384046288, 1e-13);
    expectRelative(regularizedIncompleteBetaComplement(0.95, 100, 100), 2.3467504628890088e-74, 1e-12);
    for (const [x, a, b] of [
      [0.3, 2, 5],
      [0.6, 7.5, 3.2],
    ] as const) {
      expect(regularizedIncompleteBeta(x, a, b) + regularizedIncompleteBetaComplement(x, a, b)).toBeCloseTo(1, 15);
    }
  });

  it('is 0 and 1 at the ends and rejects bad parameters', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(regularizedIncompleteBeta(-0.5, 2, 3)).toBe(0);
    expect(() => regularizedIncompleteBeta(0.5, 0, 3)).toThrow(RangeError);
  });
});

// chiSquareSurvival is the p-value of the drift score test (triage-drift.ts), read
// against thresholds of 1e-3 and below, so its deep tail must keep relative accuracy.
/** P(χ²_k > x) for even k by its closed form e^{−x/2} Σ_{i<k/2} (x/2)^i / i!: positive terms, no cancellation. */
function evenChiSquareSurvival(x: number, k: number): number {
  let term = 1;
  let sum = 1;
  for (let i = 1; i < k / 2; i++) {
    term *= x / 2 / i;
    sum += term;
  }
  return Math.exp(-x / 2) * sum;
}

describe('chiSquareSurvival', () => {
  it('matches the textbook critical values (R qchisq: 3.841459 at 5 % for 1 df, 23.20925 at 1 % for 10 df, 10.82757 at 0.1 % for 1 df)', () => {
    expectRelative(chiSquareSurvival(3.841458820694124, 1), 0.05, 1e-7);
    expectRelative(chiSquareSurvival(23.209251158954356, 10), 0.01, 1e-7);
    expectRelative(chiSquareSurvival(10.827566170662733, 1), 0.001, 1e-7);
    // The median of χ²₁ is 0.4549364.
    expectRelative(chiSquareSurvival(0.454936423119572, 1), 0.5, 1e-7);
  });

  it('is e^{−x/2} exactly for 2 degrees of freedom', () => {
    for (const x of [0.01, 0.5, 1, 2, 3.9, 4.1, 10, 46.0517, 100, 700]) expectRelative(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-13, `x=${x}`);
  });

  it('matches the even-k closed form on both sides of the series/fraction switch and deep in the tail (1e-10 and beyond)', () => {
    for (const k of [4, 6, 10, 20, 40]) {
      for (const x of [0.5, k / 2, k, k + 2, 2 * k, 3 * k, 5 * k, 10 * k]) {
        const expected = evenChiSquareSurvival(x, k);
        expectRelative(chiSquareSurvival(x, k), expected, 1e-11, `k=${k} x=${x}: ${chiSquareSurvival(x, k)} vs ${expected}`);
      }
    }
    // Around p = 1e-10, where a strict drift threshold lives.
    for (const [x, k] of [
      [46.05, 2],
      [59.7, 6],
      [72.0, 12],
      [90.0, 20],
    ] as const) {
      const expected = evenChiSquareSurvival(x, k);
      expect(expected).toBeGreaterThan(1e-12);
      expect(expected).toBeLessThan(1e-8);
      expectRelative(chiSquareSurvival(x, k), expected, 1e-11, `k=${k} x=${x}`);
    }
  });

  it('satisfies Q_{k+2}(x) = Q_k(x) + e^{−x/2} (x/2)^{k/2} / Γ(k/2 + 1) for odd k', () => {
    for (const k of [1, 3, 7, 15]) {
      for (const x of [0.3, 2, k, 3 * k + 5, 60]) {
        const increment = Math.exp(-x / 2 + (k / 2) * Math.log(x / 2) - logGamma(k / 2 + 1));
        expectRelative(chiSquareSurvival(x, k + 2), chiSquareSurvival(x, k) + increment, 1e-11, `k=${k} x=${x}`);
      }
    }
  });

  it('is 1 at or below 0, decreases in x, and rejects bad degrees of freedom or NaN', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(-2, 3)).toBe(1);
    let previous = 1;
    for (let x = 0.25; x < 80; x += 0.25) {
      const q = chiSquareSurvival(x, 5);
      expect(q).toBeLessThan(previous);
      previous = q;
    }
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
    expect(() => chiSquareSurvival(1, -1)).toThrow(RangeError);
    expect(() => chiSquareSurvival(1, Number.NaN)).toThrow(RangeError);
    expect(() => chiSquareSurvival(Number.NaN, 2)).toThrow(RangeError);
  });
});
