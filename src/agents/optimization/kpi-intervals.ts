// 95 % intervals of ROAS and CPL from counts, for pause/scale advice and breaches.
//
// Model: conversions ~ Binomial(clicks, p) (conversions ≤ clicks is enforced at
// ingestion), and the revenue per conversion v is taken as observed (its own
// variability is not modelled). Then
//   ROAS = clicks·p·v / spend,   CPL = spend / (clicks·p),
// both monotone in p, so a 95 % interval of p maps to one of ROAS and CPL. The interval
// of p is the exact Clopper–Pearson interval (Clopper & Pearson 1934), equal-tailed:
//   low  = Q_Beta(0.025; x, n − x + 1)   (0 when x = 0)
//   high = Q_Beta(0.975; x + 1, n − x)   (1 when x = n)
// with the statistics library's Beta quantile. It is conservative (coverage ≥ 95 %), so
// "the upper bound is below the floor" is a claim at ≥ 97.5 % one-sided.
// v: revenue/conversions when there are conversions; otherwise the campaign's average
// revenue per conversion (a variant/channel without conversions is judged at the
// campaign's value of a conversion); no bound when neither exists.
//
// The confidence of a pause/scale/breach claim is the posterior probability of it under
// a uniform Beta(1, 1) prior on p: P(ROAS < floor) = P(p < floor·spend/(clicks·v)) =
// I_{p*}(1 + x, 1 + n − x) (the library's regularized incomplete beta).
import { betaQuantile } from '../../statistics/beta-distribution.js';
import { regularizedIncompleteBeta } from '../../statistics/special-functions.js';
import type { MetricCounts } from './kpis.js';

export interface RateInterval {
  /** conversions / clicks, null without clicks. */
  cvr: number | null;
  /** Clopper–Pearson 95 % bounds of the conversion rate, null without clicks. */
  cvrLow95: number | null;
  cvrHigh95: number | null;
}

export interface RoasInterval extends RateInterval {
  roas: number | null;
  roasLow95: number | null;
  roasHigh95: number | null;
  cplUsd: number | null;
  /** CPL at the upper conversion-rate bound (cheapest plausible). */
  cplLow95: number | null;
  /** CPL at the lower conversion-rate bound; null when that bound is 0 (no conversions: unbounded). */
  cplHigh95: number | null;
  /** Revenue per conversion used for the ROAS bounds. */
  valuePerConversion: number | null;
  valueSource: 'observed' | 'campaign_average' | 'none';
  /** False when no ROAS interval can be formed (no spend, no clicks, or no value per conversion); `reason` says which. */
  bounded: boolean;
  reason: string | null;
}

export function conversionRateInterval(clicks: number, conversions: number): RateInterval {
  if (clicks <= 0) return { cvr: null, cvrLow95: null, cvrHigh95: null };
  return {
    cvr: conversions / clicks,
    cvrLow95: conversions === 0 ? 0 : betaQuantile(0.025, conversions, clicks - conversions + 1),
    cvrHigh95: conversions === clicks ? 1 : betaQuantile(0.975, conversions + 1, clicks - conversions),
  };
}

/** The 95 % intervals of ROAS and CPL of `counts`; `fallbackValuePerConversion` is used when it has no conversions. */
export function roasInterval(counts: MetricCounts, fallbackValuePerConversion: number | null): RoasInterval {
  const rate = conversionRateInterval(counts.clicks, counts.conversions);
  const { clicks, conversions, spendUsd: spend, revenueUsd: revenue } = counts;
  const valueSource: RoasInterval['valueSource'] = conversions > 0 ? 'observed' : fallbackValuePerConversion !== null ? 'campaign_average' : 'none';
  const value = conversions > 0 ? revenue / conversions : fallbackValuePerConversion;
  const cpl = (p: number | null) => (p !== null && p > 0 && clicks > 0 ? spend / (clicks * p) : null);
  const base = {
    ...rate,
    roas: spend > 0 ? revenue / spend : null,
    cplUsd: conversions > 0 ? spend / conversions : null,
    cplLow95: cpl(rate.cvrHigh95),
    cplHigh95: cpl(rate.cvrLow95),
    valuePerConversion: value,
    valueSource,
  };
  const reason = spend <= 0 ? 'no spend' : clicks <= 0 ? 'no clicks' : value === null ? 'no conversions anywhere in the campaign to value a conversion' : null;
  if (reason !== null || value === null || rate.cvrLow95 === null || rate.cvrHigh95 === null) {
    return { ...base, roasLow95: null, roasHigh95: null, bounded: false, reason: reason ?? 'no clicks' };
  }
  const roasAt = (p: number) => (clicks * p * value) / spend;
  return { ...base, roasLow95: roasAt(rate.cvrLow95), roasHigh95: roasAt(rate.cvrHigh95), bounded: true, reason: null };
}

/**
 * P(ROAS < threshold) under a uniform prior on the conversion rate, v fixed; null when
 * unbounded. (P(ROAS > threshold) is its complement: the posterior is continuous.)
 */
export function probabilityRoasBelow(counts: MetricCounts, valuePerConversion: number | null, threshold: number): number | null {
  const { clicks, conversions, spendUsd: spend } = counts;
  if (spend <= 0 || clicks <= 0 || valuePerConversion === null) return null;
  if (valuePerConversion <= 0) return threshold > 0 ? 1 : 0;
  const rateThreshold = (threshold * spend) / (clicks * valuePerConversion);
  if (rateThreshold >= 1) return 1;
  if (rateThreshold <= 0) return 0;
  return regularizedIncompleteBeta(rateThreshold, 1 + conversions, 1 + clicks - conversions);
}

/** P(CPL > ceiling) = P(p < spend/(clicks·ceiling)) under a uniform prior on the conversion rate; null without clicks. */
export function probabilityCplAbove(counts: MetricCounts, ceiling: number): number | null {
  const { clicks, conversions, spendUsd: spend } = counts;
  if (clicks <= 0) return null;
  const rateThreshold = spend / (clicks * ceiling);
  if (rateThreshold >= 1) return 1;
  if (rateThreshold <= 0) return 0;
  return regularizedIncompleteBeta(rateThreshold, 1 + conversions, 1 + clicks - conversions);
}
