// Anomalies: each KPI of the latest period against the campaign's own earlier
// periods, by the statistics library's robust (modified) z-score
//   z = (x − median) / (1.4826·MAD)     (MAD = 0: mean-absolute-deviation fallback)
// A KPI is judged only with at least thresholds.minHistoryPeriods earlier periods in
// which it is defined (default 5: a median and MAD of fewer points say little).
// It is anomalous when |z| ≥ thresholds.anomalyZ (default 3.5, Iglewicz & Hoaglin) AND
// |x − median| ≥ thresholds.minAnomalyRelativeChange·|median| (default 10 %): a history
// without spread makes z unbounded for any change, however small.
//
// Confidence of an anomaly: 1 − p, with p the two-sided tail of Student's t with n − 1
// degrees of freedom at z (n = history periods), P(|T| > z) = I_{ν/(ν+z²)}(ν/2, ½).
// This is an approximation (z is treated as a studentized score of a normal history);
// the t rather than the normal tail admits that a scale estimated from 5-10 periods is
// itself uncertain. An unbounded z (history without spread) has confidence 1.
//
// A CPL spike (the breach) is the upward CPL case with thresholds.cplSpikeZ (breaches.ts).
import { robustScale, robustZFromScale, type RobustScale } from '../../statistics/robust-z.js';
import { regularizedIncompleteBeta } from '../../statistics/special-functions.js';
import { KPI_LABELS, KPI_NAMES, kpiValue, type KpiName, type PeriodKpis } from './kpis.js';
import { finiteOrNull, fixed, insufficientData, percent, probability, usd, type Evidence, type Recommendation } from './recommendation.js';
import type { OptimizationThresholds } from './thresholds.js';

export interface HistoryCheck {
  kpi: KpiName;
  value: number;
  /** Earlier periods with the KPI defined. */
  historyPeriods: number;
  /** False when the history is too short: no claim. */
  sufficient: boolean;
  median: number | null;
  mad: number | null;
  /** The robust σ estimate (z's denominator); 0 when the history has no spread. */
  scale: number | null;
  scaleMethod: RobustScale['method'] | null;
  /** May be ±Infinity (history without spread); null when insufficient. */
  z: number | null;
  /** (value − median)/|median|; null when insufficient or median = 0. */
  relativeChange: number | null;
  /** |value − median| ≥ minAnomalyRelativeChange·|median| (any change when the median is 0). */
  materialChange: boolean;
  /** |z| ≥ zThreshold and the change is material. */
  anomalous: boolean;
  direction: 'up' | 'down' | null;
  /** 1 − two-sided Student-t p-value (see above); null when insufficient. */
  confidence: number | null;
  pValue: number | null;
}

/** `value` of `kpi` against `history` (earlier values, the KPI defined), with |z| ≥ zThreshold as the anomaly rule. */
export function checkAgainstHistory(
  kpi: KpiName,
  value: number,
  history: readonly number[],
  thresholds: Pick<OptimizationThresholds, 'minHistoryPeriods' | 'minAnomalyRelativeChange'>,
  zThreshold: number,
): HistoryCheck {
  if (history.length < thresholds.minHistoryPeriods) {
    return {
      kpi,
      value,
      historyPeriods: history.length,
      sufficient: false,
      median: null,
      mad: null,
      scale: null,
      scaleMethod: null,
      z: null,
      relativeChange: null,
      materialChange: false,
      anomalous: false,
      direction: null,
      confidence: null,
      pValue: null,
    };
  }
  const scale = robustScale(history);
  const z = robustZFromScale(scale, value);
  const deviation = value - scale.median;
  const relativeChange = scale.median !== 0 ? deviation / Math.abs(scale.median) : null;
  const largeEnough = scale.median !== 0 ? Math.abs(deviation) >= thresholds.minAnomalyRelativeChange * Math.abs(scale.median) : deviation !== 0;
  const pValue = studentTwoSidedP(z, history.length - 1);
  return {
    kpi,
    value,
    historyPeriods: history.length,
    sufficient: true,
    median: scale.median,
    mad: scale.mad,
    scale: scale.scale,
    scaleMethod: scale.method,
    z,
    relativeChange,
    materialChange: largeEnough,
    anomalous: Math.abs(z) >= zThreshold && largeEnough,
    direction: deviation > 0 ? 'up' : deviation < 0 ? 'down' : null,
    confidence: 1 - pValue,
    pValue,
  };
}

/** P(|T_ν| > |z|); 0 for an unbounded z. */
export function studentTwoSidedP(z: number, degreesOfFreedom: number): number {
  if (!Number.isFinite(z)) return 0;
  const nu = Math.max(1, degreesOfFreedom);
  return regularizedIncompleteBeta(nu / (nu + z * z), nu / 2, 0.5);
}

export interface LatestPeriodChecks {
  /** The latest period, or null without data. */
  latest: PeriodKpis | null;
  /** One check per KPI defined in the latest period. */
  checks: HistoryCheck[];
  /** Earlier periods in the series. */
  earlierPeriods: number;
}

/** Each KPI of the latest period against the earlier periods. */
export function checkLatestPeriod(
  byPeriod: readonly PeriodKpis[],
  thresholds: OptimizationThresholds,
  zThreshold: (kpi: KpiName) => number = () => thresholds.anomalyZ,
): LatestPeriodChecks {
  const latest = byPeriod.at(-1) ?? null;
  if (!latest) return { latest: null, checks: [], earlierPeriods: 0 };
  const earlier = byPeriod.slice(0, -1);
  const checks: HistoryCheck[] = [];
  for (const kpi of KPI_NAMES) {
    const value = kpiValue(latest, kpi);
    if (value === null) continue;
    const history = earlier.map((period) => kpiValue(period, kpi)).filter((v): v is number => v !== null);
    checks.push(checkAgainstHistory(kpi, value, history, thresholds, zThreshold(kpi)));
  }
  return { latest, checks, earlierPeriods: earlier.length };
}

export function formatKpi(kpi: KpiName, value: number | null): string {
  return kpi === 'cpl_usd' ? usd(value) : kpi === 'roas' ? fixed(value, 2) : percent(value);
}

export function checkEvidence(check: HistoryCheck): Evidence {
  return {
    kpi: check.kpi,
    value: check.value,
    history_periods: check.historyPeriods,
    history_median: check.median,
    history_mad: check.mad,
    scale_method: check.scaleMethod,
    robust_z: finiteOrNull(check.z),
    robust_z_note: check.z !== null && !Number.isFinite(check.z) ? 'unbounded: every earlier period had the same value' : null,
    relative_change: finiteOrNull(check.relativeChange),
    p_value_t_approx: check.pValue,
  };
}

/** Anomaly recommendations for the latest period, and a note when the history is too short. */
export function anomalyRecommendations(result: LatestPeriodChecks, thresholds: OptimizationThresholds): Recommendation[] {
  const { latest, checks } = result;
  if (!latest) return [];
  const period = `${latest.periodStart.toISOString()} – ${latest.periodEnd.toISOString()}`;
  const recommendations: Recommendation[] = [];
  const short = checks.filter((check) => !check.sufficient);
  if (short.length > 0) {
    recommendations.push(
      insufficientData(
        'campaign',
        `No anomaly check for ${short.map((c) => c.kpi).join(', ')} of the latest period: ` +
          `${Math.max(...short.map((c) => c.historyPeriods))} earlier period(s) with the KPI defined, ${thresholds.minHistoryPeriods} needed.`,
        { earlier_periods: result.earlierPeriods, min_history_periods: thresholds.minHistoryPeriods, period_start: latest.periodStart.toISOString() },
      ),
    );
  }
  for (const check of checks) {
    if (!check.anomalous) continue;
    recommendations.push(anomalyRecommendation(check, 'campaign', `the latest period (${period})`));
  }
  return recommendations;
}

/** One anomaly, worded by whether the move is good or bad for the KPI. */
export function anomalyRecommendation(check: HistoryCheck, target: string, where: string): Recommendation {
  const worse = check.kpi === 'cpl_usd' ? check.direction === 'up' : check.direction === 'down';
  const zText = check.z !== null && Number.isFinite(check.z) ? `robust z = ${check.z.toFixed(2)}` : 'robust z unbounded (no spread in the history)';
  return {
    type: 'anomaly',
    target,
    summary:
      `${KPI_LABELS[check.kpi]} in ${where} is ${formatKpi(check.kpi, check.value)} against a median of ${formatKpi(check.kpi, check.median)} ` +
      `over ${check.historyPeriods} earlier periods (${zText}, p ≈ ${check.pValue === 0 ? '0' : probability(check.pValue ?? 1)}). ` +
      (worse
        ? 'Investigate what changed (creative fatigue, bids, targeting, tracking) before spending more.'
        : 'An unusual improvement: confirm tracking, then learn from it.'),
    confidence: check.confidence ?? 0,
    evidence: checkEvidence(check),
  };
}
