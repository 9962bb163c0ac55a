// The Beta(α, β) distribution: the posterior of a conversion rate after
// `successes` in `trials` under a Beta(α₀, β₀) prior is Beta(α₀ + successes,
// β₀ + trials − successes) (conjugacy; e.g. Gelman et al., Bayesian Data Analysis,
// 3rd ed., §2.4).
//
//   density  f(x) = x^{α−1} (1 − x)^{β−1} / B(α, β)
//   CDF      F(x) = I_x(α, β)                       (special-functions.ts)
//   mean     α/(α + β),   variance αβ / ((α + β)²(α + β + 1))
//
// Quantiles solve I_x(α, β) = p by Newton's method safeguarded with bisection: the
// bracket [lo, hi] always contains the root and shrinks each step, and any Newton
// step that leaves it is replaced by a bisection (geometric when the bracket spans
// orders of magnitude, so tiny quantiles cost tens of steps, not a thousand). Upper
// quantiles use the mirror Q_{α,β}(p) = 1 − Q_{β,α}(1 − p), so every solve is a
// lower-tail solve with the tail probability computed directly.
// The credible interval is the equal-tailed one, [Q(½(1 − level)), Q(½(1 + level))].
import { logBeta, regularizedIncompleteBeta } from './special-functions.js';

/** The parameters of a Beta distribution, both > 0. */
export interface BetaParameters {
  alpha: number;
  beta: number;
}

export function assertBetaParameters(alpha: number, beta: number): void {
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new RangeError(`Beta alpha must be finite and > 0, got ${alpha}`);
  if (!(beta > 0) || !Number.isFinite(beta)) throw new RangeError(`Beta beta must be finite and > 0, got ${beta}`);
}

export function betaMean(alpha: number, beta: number): number {
  assertBetaParameters(alpha, beta);
  return alpha / (alpha + beta);
}

export function betaVariance(alpha: number, beta: number): number {
  assertBetaParameters(alpha, beta);
  const sum = alpha + beta;
  return (alpha * beta) / (sum * sum * (sum + 1));
}

/** ln f(x) for x in [0, 1] (−∞ outside; +∞ at an endpoint where the density diverges). */
export function betaLogDensity(x: number, alpha: number, beta: number): number {
  assertBetaParameters(alpha, beta);
  if (x < 0 || x > 1) return Number.NEGATIVE_INFINITY;
  const logX = alpha === 1 ? 0 : (alpha - 1) * Math.log(x);
  const log1mX = beta === 1 ? 0 : (beta - 1) * Math.log1p(-x);
  return logX + log1mX - logBeta(alpha, beta);
}

const MAX_QUANTILE_STEPS = 400;

/** The p-quantile of Beta(alpha, beta): the x with I_x(alpha, beta) = p (full double precision, typically). */
export function betaQuantile(p: number, alpha: number, beta: number): number {
  assertBetaParameters(alpha, beta);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  if (p === 0) return 0;
  if (p === 1) return 1;
  if (p > 0.5) return 1 - lowerQuantile(1 - p, beta, alpha);
  return lowerQuantile(p, alpha, beta);
}

/** Solves I_x(a, b) = p for p ≤ ½ (safeguarded Newton). */
function lowerQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  let x = Math.min(a / (a + b), 0.5);
  for (let step = 0; step < MAX_QUANTILE_STEPS; step++) {
    const error = regularizedIncompleteBeta(x, a, b) - p;
    if (error === 0) return x;
    if (error < 0) lo = x;
    else hi = x;
    const density = Math.exp(betaLogDensity(x, a, b));
    let next = x - error / density;
    if (!(next > lo && next < hi)) {
      // Bisect: geometrically when the bracket spans orders of magnitude.
      next = lo > 0 && hi / lo > 16 ? Math.sqrt(lo * hi) : lo === 0 && hi < 0.25 ? hi / 16 : 0.5 * (lo + hi);
    }
    if (Math.abs(next - x) <= 4 * Number.EPSILON * x || hi - lo <= 4 * Number.EPSILON * hi) return next;
    x = next;
  }
  return x;
}

/** The equal-tailed credible interval of Beta(alpha, beta) holding probability `level` (default 95 %). */
export function betaCredibleInterval(alpha: number, beta: number, level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new RangeError(`credible level must be in (0, 1), got ${level}`);
  const tail = (1 - level) / 2;
  return [betaQuantile(tail, alpha, beta), betaQuantile(1 - tail, alpha, beta)];
}
