// Budget reallocation across a campaign's channels by marginal ROAS.
//
// Response model: each channel's revenue is a concave power curve of its spend,
//   R_i(s) = a_i · s^{b_i},   0 < b_i < 1 (diminishing returns),
// so its marginal ROAS (revenue of the next unit of spend) is
//   R_i'(s) = a_i·b_i·s^{b_i − 1} = b_i · R_i(s)/s   (elasticity × average ROAS).
// The elasticity b_i is the least-squares slope of ln(revenue) on ln(spend) over the
// channel's `history` when it has at least 3 points with distinct positive spends
// (and positive revenue); otherwise DEFAULT_ELASTICITY = 0.6: an assumption, not an
// estimate, of moderately diminishing returns (each doubling of spend multiplies revenue
// by 2^0.6 ≈ 1.52), kept as a named constant so it can be revisited. (On concave media
// response curves generally: Jin et al. 2017, "Bayesian Methods for Media Mix Modeling
// with Carryover and Shape Effects", Google.) A fitted b is clamped to [0.05, 0.95]: b ≥ 1 (no
// diminishing returns) would send the whole budget to one channel, b ≤ 0 means the
// history cannot tell spend from noise. The scale a_i is then anchored on the CURRENT
// period, a_i = revenue_i / spend_i^{b_i}: the curve passes through today's operating
// point and the history only sets its curvature.
//
// Allocation: maximize Σ R_i(s_i) subject to Σ s_i = Σ current spend (the same total
// budget) and per-channel bounds (1 − MAX_SHIFT)·spend_i ≤ s_i ≤ (1 + MAX_SHIFT)·spend_i,
// MAX_SHIFT = 30 % per step (a response curve is only trusted near the spend it was
// observed at, and moving gradually lets the next period's data correct the model).
// The objective is concave, so the KKT conditions characterize the optimum: every
// channel strictly inside its bounds has the same marginal ROAS λ, and
//   s_i(λ) = clip( (a_i·b_i/λ)^{1/(1 − b_i)}, lower_i, upper_i ),
// whose sum falls continuously as λ rises; λ is found by bisection (on ln λ) so that
// Σ s_i(λ) equals the budget. Because the current allocation is feasible, the optimum's
// modelled revenue is never below today's: expectedRevenueChange ≥ 0 in total.
//
// Money: proposals are rounded to whole minor units (`decimals`, default 2: cents) by
// largest remainder, within the bounds, in integer arithmetic, so they add up to the
// total budget (rounded to the unit) exactly. Should rounding leave the modelled change
// negative (only possible when the optimum is within a unit of today), the current
// allocation is proposed instead.
//
// Special channels (each gets a note):
// - spend 0: held at 0. The ±MAX_SHIFT bound is relative to current spend, and a channel
//   with no spend has no observed operating point to extrapolate from; starting a channel
//   is a separate decision (a test budget), not a reallocation. Its revenue (organic or
//   attributed) is left as is; its ROAS figures are null.
// - spend > 0 but revenue 0: marginal ROAS 0 (a_i = 0), so it gives up budget down to
//   its lower bound (−MAX_SHIFT) whenever another channel can use it; the model predicts
//   no revenue change for it. If the revenue-earning channels cannot absorb the whole
//   budget (all at their upper bound), the remainder stays with the zero-revenue channels
//   in proportion to their spend, and the common marginal ROAS is reported as 0.
// - no revenue-earning channel at all: nothing to optimize; the current allocation stands.

/** Largest relative change of a channel's spend in one reallocation step. */
export const MAX_SHIFT = 0.3;
/** Revenue elasticity to spend when the history cannot estimate one. */
export const DEFAULT_ELASTICITY = 0.6;
export const MIN_ELASTICITY = 0.05;
export const MAX_ELASTICITY = 0.95;
/** Distinct positive spends needed in a channel's history to fit its elasticity. */
export const MIN_HISTORY_POINTS = 3;

export interface SpendRevenue {
  spend: number;
  revenue: number;
}

export interface ChannelPerformance {
  channel: string;
  spend: number;
  revenue: number;
  conversions: number;
  /** Earlier periods' (spend, revenue), for the elasticity fit. */
  history?: readonly SpendRevenue[];
}

export interface BudgetAllocationOptions {
  /** Default MAX_SHIFT (0.3). Must be in [0, 1). */
  maxShift?: number;
  /** Default DEFAULT_ELASTICITY (0.6). Must be in (0, 1). */
  defaultElasticity?: number;
  /** Minor-unit decimals for rounding proposals; default 2 (cents). */
  decimals?: number;
}

export interface ElasticityFit {
  /** The slope used (after clamping). */
  elasticity: number;
  /** The least-squares slope before clamping. */
  rawSlope: number;
  points: number;
  /** Of the log-log fit; null when revenue never varies. */
  rSquared: number | null;
  clamped: boolean;
}

export interface ChannelAllocation {
  channel: string;
  currentSpend: number;
  proposedSpend: number;
  /** revenue/spend; null when spend is 0. */
  currentRoas: number | null;
  /** b·revenue/spend at the current spend; null when spend is 0. */
  marginalRoas: number | null;
  /** The model's marginal ROAS at the proposed spend; null when spend is 0. */
  proposedMarginalRoas: number | null;
  /** Modelled revenue at the proposed spend minus current revenue. */
  expectedRevenueChange: number;
  /** The b used; null for a channel without spend. */
  elasticity: number | null;
  elasticitySource: 'fitted' | 'default' | 'none';
  fit: ElasticityFit | null;
  /** spend/conversions; null without conversions. */
  costPerConversion: number | null;
  /** Why this channel was treated as it was, in words. */
  notes: string[];
}

export interface BudgetAllocation {
  /** Σ current spend (rounded to the unit); Σ proposed spend equals it. */
  totalBudget: number;
  channels: ChannelAllocation[];
  totalExpectedRevenueChange: number;
  /** The marginal ROAS shared by channels strictly inside their bounds; null when nothing was optimized. */
  commonMarginalRoas: number | null;
  maxShift: number;
  /** True when every channel's proposed spend equals its current spend. */
  unchanged: boolean;
}

/**
 * The elasticity b of revenue = a·spend^b by least squares on (ln spend, ln revenue), or null
 * with fewer than MIN_HISTORY_POINTS distinct positive spends (points with revenue ≤ 0 are skipped).
 */
export function fitElasticity(history: readonly SpendRevenue[]): ElasticityFit | null {
  const points = history.filter((point) => point.spend > 0 && point.revenue > 0 && Number.isFinite(point.spend) && Number.isFinite(point.revenue));
  if (new Set(points.map((point) => point.spend)).size < MIN_HISTORY_POINTS) return null;
  const xs = points.map((point) => Math.log(point.spend));
  const ys = points.map((point) => Math.log(point.revenue));
  const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - meanX;
    const dy = (ys[i] as number) - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const rawSlope = sxy / sxx;
  const elasticity = Math.min(MAX_ELASTICITY, Math.max(MIN_ELASTICITY, rawSlope));
  return {
    elasticity,
    rawSlope,
    points: points.length,
    rSquared: syy > 0 ? (sxy * sxy) / (sxx * syy) : null,
    clamped: elasticity !== rawSlope,
  };
}

interface Working {
  input: ChannelPerformance;
  kind: 'idle' | 'no-revenue' | 'modelled';
  elasticity: number | null;
  elasticitySource: ChannelAllocation['elasticitySource'];
  fit: ElasticityFit | null;
  /** ln(a·b), for modelled channels. */
  logAB: number;
  lower: number;
  upper: number;
  notes: string[];
}

/** Reallocates the same total budget across channels to equalize marginal ROAS, within ±maxShift per channel. */
export function allocateBudget(channels: readonly ChannelPerformance[], options: BudgetAllocationOptions = {}): BudgetAllocation {
  const maxShift = options.maxShift ?? MAX_SHIFT;
  const defaultElasticity = options.defaultElasticity ?? DEFAULT_ELASTICITY;
  const decimals = options.decimals ?? 2;
  if (!(maxShift >= 0 && maxShift < 1)) throw new RangeError(`maxShift must be in [0, 1), got ${maxShift}`);
  if (!(defaultElasticity > 0 && defaultElasticity < 1)) throw new RangeError(`defaultElasticity must be in (0, 1), got ${defaultElasticity}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) throw new RangeError(`decimals must be an integer in [0, 6], got ${decimals}`);
  const seen = new Set<string>();
  for (const channel of channels) {
    if (seen.has(channel.channel)) throw new RangeError(`duplicate channel ${channel.channel}`);
    seen.add(channel.channel);
    for (const field of ['spend', 'revenue', 'conversions'] as const) {
      const value = channel[field];
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`${channel.channel}: ${field} must be finite and ≥ 0, got ${value}`);
    }
  }
  const scale = 10 ** decimals;

  const working: Working[] = channels.map((input) => describeChannel(input, maxShift, defaultElasticity));
  const totalUnits = Math.round(channels.reduce((sum, channel) => sum + channel.spend, 0) * scale);
  const totalBudget = totalUnits / scale;
  const modelled = working.filter((w) => w.kind === 'modelled');
  const noRevenue = working.filter((w) => w.kind === 'no-revenue');

  const statusQuo = (note: string | null): BudgetAllocation => {
    const result = working.map((w) => report(w, w.input.spend));
    if (note) for (const channel of result) channel.notes.push(note);
    return { totalBudget, channels: result, totalExpectedRevenueChange: 0, commonMarginalRoas: null, maxShift, unchanged: true };
  };
  if (modelled.length === 0) return statusQuo('No channel has both spend and revenue: nothing to optimize, the current allocation stands.');

  // Continuous optimum: s_i(λ) for modelled channels; zero-revenue channels at their lower bound.
  const budget = totalUnits / scale;
  const spendAt = (w: Working, logLambda: number) => Math.min(w.upper, Math.max(w.lower, Math.exp((w.logAB - logLambda) / (1 - (w.elasticity as number)))));
  const allHigh = modelled.reduce((sum, w) => sum + w.upper, 0) + noRevenue.reduce((sum, w) => sum + w.lower, 0);
  const target = new Map<Working, number>();
  let commonMarginalRoas: number;
  if (allHigh <= budget) {
    // The revenue-earning channels cannot absorb the budget: they take their maximum, the rest stays
    // with the zero-revenue channels in proportion to their spend.
    for (const w of modelled) target.set(w, w.upper);
    const remainder = budget - allHigh;
    const noRevenueSpend = noRevenue.reduce((sum, w) => sum + w.input.spend, 0);
    for (const w of noRevenue) target.set(w, w.lower + (noRevenueSpend > 0 ? (remainder * w.input.spend) / noRevenueSpend : 0));
    commonMarginalRoas = 0;
  } else {
    // Bracket ln λ by the marginal ROAS at the bounds: at λ ≥ max marginal at lower bounds every channel
    // sits at its lower bound (sum ≤ budget); at λ ≤ min marginal at upper bounds, at its upper bound.
    const logMarginal = (w: Working, spend: number) => w.logAB + ((w.elasticity as number) - 1) * Math.log(spend);
    let logLow = Math.min(...modelled.map((w) => logMarginal(w, w.upper))) - 1;
    let logHigh = Math.max(...modelled.map((w) => logMarginal(w, Math.max(w.lower, Number.MIN_VALUE)))) + 1;
    const noRevenueLower = noRevenue.reduce((sum, w) => sum + w.lower, 0);
    const totalAt = (logLambda: number) => modelled.reduce((sum, w) => sum + spendAt(w, logLambda), 0) + noRevenueLower;
    for (let iteration = 0; iteration < 200 && logHigh - logLow > 1e-15 * Math.max(1, Math.abs(logLow)); iteration++) {
      const middle = 0.5 * (logLow + logHigh);
      if (totalAt(middle) > budget) logLow = middle;
      else logHigh = middle;
    }
    const logLambda = 0.5 * (logLow + logHigh);
    for (const w of modelled) target.set(w, spendAt(w, logLambda));
    for (const w of noRevenue) target.set(w, w.lower);
    commonMarginalRoas = Math.exp(logLambda);
  }

  const units = roundToUnits(
    working.map((w) => ({ exact: (target.get(w) ?? 0) * scale, lower: Math.ceil(w.lower * scale - 1e-9), upper: Math.floor(w.upper * scale + 1e-9) })),
    totalUnits,
  );
  if (!units) return statusQuo('The spends cannot be rounded to whole units within the bounds; the current allocation stands.');
  const result = working.map((w, index) => report(w, (units[index] as number) / scale));
  const totalExpectedRevenueChange = result.reduce((sum, channel) => sum + channel.expectedRevenueChange, 0);
  if (totalExpectedRevenueChange < 0) {
    return statusQuo('The optimum is within rounding of the current allocation; the current allocation stands.');
  }
  const unchanged = result.every((channel) => channel.proposedSpend === channel.currentSpend);
  return { totalBudget, channels: result, totalExpectedRevenueChange, commonMarginalRoas, maxShift, unchanged };
}

function describeChannel(input: ChannelPerformance, maxShift: number, defaultElasticity: number): Working {
  const notes: string[] = [];
  const lower = input.spend * (1 - maxShift);
  const upper = input.spend * (1 + maxShift);
  if (input.spend === 0) {
    notes.push('No current spend: held at 0 (no operating point to extrapolate from; starting a channel needs a test budget).');
    return { input, kind: 'idle', elasticity: null, elasticitySource: 'none', fit: null, logAB: Number.NEGATIVE_INFINITY, lower: 0, upper: 0, notes };
  }
  const fit = input.history ? fitElasticity(input.history) : null;
  let elasticity = defaultElasticity;
  let elasticitySource: ChannelAllocation['elasticitySource'] = 'default';
  if (fit) {
    elasticity = fit.elasticity;
    elasticitySource = 'fitted';
    const r2 = fit.rSquared === null ? 'n/a' : fit.rSquared.toFixed(2);
    notes.push(`Elasticity ${round(fit.rawSlope, 3)} fitted on ${fit.points} history points (log-log R² ${r2}).`);
    if (fit.clamped) notes.push(`Fitted elasticity clamped to ${elasticity} (allowed range ${MIN_ELASTICITY}-${MAX_ELASTICITY}).`);
  } else {
    notes.push(`Fewer than ${MIN_HISTORY_POINTS} history points with distinct spends: default elasticity ${defaultElasticity} assumed.`);
  }
  if (input.revenue === 0) {
    notes.push(`No revenue: marginal ROAS taken as 0; the channel gives up budget first (at most ${Math.round(maxShift * 100)} % per step).`);
    if (input.conversions > 0) notes.push(`${input.conversions} conversions but no revenue recorded: check revenue attribution.`);
    return { input, kind: 'no-revenue', elasticity, elasticitySource, fit, logAB: Number.NEGATIVE_INFINITY, lower, upper, notes };
  }
  const logAB = Math.log(input.revenue) - elasticity * Math.log(input.spend) + Math.log(elasticity);
  return { input, kind: 'modelled', elasticity, elasticitySource, fit, logAB, lower, upper, notes };
}

function report(w: Working, proposedSpend: number): ChannelAllocation {
  const { spend, revenue, conversions } = w.input;
  const b = w.elasticity;
  const base = {
    channel: w.input.channel,
    currentSpend: spend,
    proposedSpend,
    elasticity: b,
    elasticitySource: w.elasticitySource,
    fit: w.fit,
    costPerConversion: conversions > 0 ? spend / conversions : null,
    notes: [...w.notes],
  };
  if (w.kind === 'idle' || b === null) {
    return { ...base, currentRoas: null, marginalRoas: null, proposedMarginalRoas: null, expectedRevenueChange: 0 };
  }
  const ratio = proposedSpend / spend;
  const modelledRevenue = revenue * ratio ** b; // R(s) = revenue·(s/spend)^b
  return {
    ...base,
    currentRoas: revenue / spend,
    marginalRoas: (b * revenue) / spend,
    proposedMarginalRoas: proposedSpend > 0 ? (b * modelledRevenue) / proposedSpend : null,
    expectedRevenueChange: modelledRevenue - revenue,
  };
}

/**
 * Integers within [lower_i, upper_i] summing to `total`, closest to `exact` by largest remainder:
 * start from the clamped floors, then add (or remove) one unit at a time where the remainder is
 * largest (smallest). Undefined when the bounds make `total` unreachable.
 */
function roundToUnits(items: readonly { exact: number; lower: number; upper: number }[], total: number): number[] | undefined {
  const units = items.map((item) => Math.min(item.upper, Math.max(item.lower, Math.floor(item.exact))));
  let deficit = total - units.reduce((sum, unit) => sum + unit, 0);
  const order = items.map((_, index) => index);
  const remainder = (index: number) => (items[index] as { exact: number }).exact - (units[index] as number);
  while (deficit !== 0) {
    const step = deficit > 0 ? 1 : -1;
    const candidates = order.filter((index) => {
      const next = (units[index] as number) + step;
      const item = items[index] as { lower: number; upper: number };
      return next >= item.lower && next <= item.upper;
    });
    if (candidates.length === 0) return undefined;
    candidates.sort((p, q) => (step > 0 ? remainder(q) - remainder(p) : remainder(p) - remainder(q)));
    for (const index of candidates.slice(0, Math.abs(deficit))) {
      units[index] = (units[index] as number) + step;
      deficit -= step;
    }
  }
  return units;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
