// Seeded random variates for simulation and Thompson sampling.
//
// - seededRandom: mulberry32 (Tommy Ettinger, 2017), a 32-bit generator with a full
//   2³² period; ample for simulations and bandit draws, NOT cryptographic. A copy of
//   the generator in tests/support/synthetic-population.ts (same seed → same stream).
// - standardNormal: Marsaglia's polar method. Draw (u, v) uniform on the square
//   [−1, 1)², reject until s = u² + v² ∈ (0, 1); then u·√(−2 ln s / s) is N(0, 1)
//   (Marsaglia & Bray 1964). The second variate of the pair is discarded so the
//   function keeps no state: its draws depend on the `random` stream alone.
// - gammaVariate: Marsaglia & Tsang (2000), "A simple method for generating gamma
//   variables", ACM TOMS 26(3). For shape a ≥ 1: d = a − ⅓, c = 1/√(9d); draw
//   x ~ N(0, 1), v = (1 + c·x)³ (reject v ≤ 0) and u ~ U(0, 1); accept d·v when
//   u < 1 − 0.0331·x⁴ (squeeze) or ln u < x²/2 + d·(1 − v + ln v). For a < 1 the
//   boost: Gamma(a) = Gamma(a + 1) · U^{1/a}.
// - betaVariate: X/(X + Y) with X ~ Gamma(α), Y ~ Gamma(β) is Beta(α, β).

/** A source of uniform numbers in [0, 1). `Math.random` is one; `seededRandom(seed)` a reproducible one. */
export type Random = () => number;

/** mulberry32: a reproducible uniform [0, 1) stream from a 32-bit seed (non-integers are truncated by `>>> 0`). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One N(0, 1) draw by Marsaglia's polar method (consumes an even number ≥ 2 of uniforms). */
export function standardNormal(random: Random): number {
  for (;;) {
    const u = 2 * random() - 1;
    const v = 2 * random() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** One Gamma(shape, scale 1) draw (Marsaglia–Tsang; shape < 1 by the U^{1/shape} boost). Mean = variance = shape. */
export function gammaVariate(shape: number, random: Random): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be finite and positive, got ${shape}`);
  if (shape < 1) {
    // Gamma(a) = Gamma(a + 1)·U^{1/a}; 1 − random() ∈ (0, 1] keeps the log finite.
    // (For very small shapes the power underflows to 0, a correct rounding of a tiny variate.)
    return gammaVariate(shape + 1, random) * Math.exp(Math.log(1 - random()) / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(random);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = 1 - random(); // (0, 1]
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * One Beta(alpha, beta) draw as X/(X + Y), X ~ Gamma(alpha), Y ~ Gamma(beta).
 * Mean α/(α+β), variance αβ/((α+β)²(α+β+1)). When both gamma draws underflow to 0
 * (only for tiny shapes, where the Beta is nearly a Bernoulli(α/(α+β)) on {0, 1}),
 * that Bernoulli limit is drawn instead.
 */
export function betaVariate(alpha: number, beta: number, random: Random): number {
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new RangeError(`beta alpha must be finite and positive, got ${alpha}`);
  if (!(beta > 0) || !Number.isFinite(beta)) throw new RangeError(`beta beta must be finite and positive, got ${beta}`);
  const x = gammaVariate(alpha, random);
  const y = gammaVariate(beta, random);
  const sum = x + y;
  if (sum === 0) return random() < alpha / (alpha + beta) ? 1 : 0;
  return x / sum;
}
