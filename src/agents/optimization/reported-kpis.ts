// A reported KPI snapshot: what a caller says a campaign (or one of its channels or
// variants) is doing now, e.g. the specification's load-test body
// `{"metrics": {"roas": 2.1, "ctr": 0.03, "cpl_usd": 45}}`. It is not stored.
//
// It is compared with
//   - the thresholds (ROAS floor, CPL ceiling when configured), and
//   - the campaign's own history: each reported KPI against the stored periods
//     (of the same channel/variant when the report names one, leaving out a stored
//     period with exactly the reported bounds) by robust z, as for the latest period.
// A KPI-only report (no counts) cannot establish significance against a threshold on
// its own: a ROAS of 0.8 from 3 conversions and from 3,000 are different claims. With
// counts (clicks, conversions, spend_usd and revenue_usd or roas for ROAS; clicks,
// conversions, spend_usd for CPL) the same intervals as for stored data apply (kpi-intervals.ts).
// The history comparison needs no counts: it is against the campaign's own variability,
// so a CPL spike against enough history is a breach even from a KPI-only report.
//
// Validation: KPIs and counts finite and ≥ 0, ctr and cvr ≤ 1, counts integers,
// clicks ≤ impressions and conversions ≤ clicks when both are given, period_end after
// period_start, at least one KPI or count; a KPI given together with the counts it
// derives from must agree with them within 5 % (relative).
import { InputError, type InputIssue } from '../../errors.js';
import { checkAgainstHistory, type HistoryCheck } from './anomalies.js';
import { KPI_NAMES, periodKey, periodSeries, ratio, type KpiName, type MetricCounts, type MetricsSnapshot } from './kpis.js';
import { roasInterval, type RoasInterval } from './kpi-intervals.js';
import type { OptimizationThresholds } from './thresholds.js';

export interface ReportedKpis {
  roas?: number;
  ctr?: number;
  cvr?: number;
  cplUsd?: number;
  impressions?: number;
  clicks?: number;
  conversions?: number;
  spendUsd?: number;
  revenueUsd?: number;
  channel?: string;
  variant?: string;
  periodStart?: Date;
  periodEnd?: Date;
}

/** Allowed disagreement between a reported KPI and the one its reported counts give. */
export const REPORTED_KPI_TOLERANCE = 0.05;

const KPI_FIELDS = ['roas', 'ctr', 'cvr', 'cplUsd'] as const;
const COUNT_FIELDS = ['impressions', 'clicks', 'conversions'] as const;
const MONEY_FIELDS = ['spendUsd', 'revenueUsd'] as const;
/** Response/request names of the camelCase fields, for issue paths. */
export const REPORTED_FIELD_NAMES: Record<keyof ReportedKpis, string> = {
  roas: 'roas',
  ctr: 'ctr',
  cvr: 'cvr',
  cplUsd: 'cpl_usd',
  impressions: 'impressions',
  clicks: 'clicks',
  conversions: 'conversions',
  spendUsd: 'spend_usd',
  revenueUsd: 'revenue_usd',
  channel: 'channel',
  variant: 'variant',
  periodStart: 'period_start',
  periodEnd: 'period_end',
};

/** Checks the rules above; throws InputError with paths `<path>.<snake_case field>`. */
export function validateReportedKpis(reported: ReportedKpis, path = 'metrics'): ReportedKpis {
  const issues: InputIssue[] = [];
  const at = (field: keyof ReportedKpis) => `${path}.${REPORTED_FIELD_NAMES[field]}`;
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  for (const field of [...KPI_FIELDS, ...MONEY_FIELDS]) {
    const v = reported[field];
    if (v === undefined) continue;
    if (!isNumber(v) || v < 0) issues.push({ path: at(field), message: 'must be a finite number ≥ 0' });
    else if ((field === 'ctr' || field === 'cvr') && v > 1) issues.push({ path: at(field), message: 'is a rate: must be at most 1' });
  }
  for (const field of COUNT_FIELDS) {
    const v = reported[field];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) issues.push({ path: at(field), message: 'must be an integer ≥ 0' });
  }
  for (const field of ['channel', 'variant'] as const) {
    const v = reported[field];
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '' || v.length > 100)) {
      issues.push({ path: at(field), message: 'must be a non-empty string of at most 100 characters' });
    }
  }
  for (const field of ['periodStart', 'periodEnd'] as const) {
    const v = reported[field];
    if (v !== undefined && !(v instanceof Date && Number.isFinite(v.getTime()))) issues.push({ path: at(field), message: 'must be a valid date-time' });
  }
  const { impressions, clicks, conversions, spendUsd, revenueUsd, periodStart, periodEnd } = reported;
  if (issues.length === 0) {
    if (impressions !== undefined && clicks !== undefined && clicks > impressions)
      issues.push({ path: at('clicks'), message: `must not exceed impressions (${impressions})` });
    if (clicks !== undefined && conversions !== undefined && conversions > clicks)
      issues.push({ path: at('conversions'), message: `must not exceed clicks (${clicks})` });
    if (periodStart && periodEnd && !(periodEnd.getTime() > periodStart.getTime()))
      issues.push({ path: at('periodEnd'), message: 'must be after period_start' });
    const agree = (field: (typeof KPI_FIELDS)[number], derived: number | null) => {
      const v = reported[field];
      if (v === undefined || derived === null) return;
      if (Math.abs(v - derived) > REPORTED_KPI_TOLERANCE * Math.abs(derived) + 1e-12) {
        issues.push({ path: at(field), message: `disagrees with the reported counts, which give ${derived.toPrecision(4)}` });
      }
    };
    const both = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? ratio(a, b) : null);
    agree('roas', both(revenueUsd, spendUsd));
    agree('ctr', both(clicks, impressions));
    agree('cvr', both(conversions, clicks));
    agree('cplUsd', both(spendUsd, conversions));
    const informative = [...KPI_FIELDS, ...COUNT_FIELDS, ...MONEY_FIELDS].some((field) => reported[field] !== undefined);
    if (!informative) issues.push({ path, message: 'must report at least one KPI (roas, ctr, cvr, cpl_usd) or count' });
  }
  if (issues.length > 0) throw new InputError(issues);
  return reported;
}

export interface ReportedComparison {
  kpi: KpiName;
  value: number;
  /** `reported` as given, or `derived` from reported counts. */
  source: 'reported' | 'derived';
  /** The configured threshold for this KPI (ROAS floor; CPL ceiling when set), else null. */
  threshold: number | null;
  /** Whether the value is on the wrong side of the threshold; null without a threshold. */
  crossesThreshold: boolean | null;
  /** Whether the crossing is significant; null without a threshold or without the counts to tell. */
  significant: boolean | null;
  /** Against the campaign's stored periods (thresholds.anomalyZ). */
  history: HistoryCheck;
  note: string;
}

export interface ReportedAssessment {
  reported: ReportedKpis;
  /** The counts a significance test needs are present (for ROAS; CPL needs no revenue). */
  hasCounts: boolean;
  /** What the history comparison ran against: `campaign`, or e.g. `channel:search, variant:B`. */
  historyScope: string;
  comparisons: ReportedComparison[];
  /** ROAS/CPL interval from the reported counts, when they allow one. */
  interval: RoasInterval | null;
  note: string;
}

export const KPI_ONLY_NOTE =
  'A KPI-only report carries no counts (clicks, conversions, spend_usd, revenue_usd): it is compared with the thresholds and with ' +
  "the campaign's stored history, but it cannot establish significance against a threshold on its own. Send the counts, " +
  'or full snapshots, for a significance test.';

/**
 * The counts a report carries, or null without clicks, conversions and spend_usd. Revenue is
 * revenue_usd, else roas·spend_usd; `revenueKnown` is false when neither is given.
 */
export function reportedCounts(reported: ReportedKpis): { counts: MetricCounts; revenueKnown: boolean } | null {
  const { clicks, conversions, spendUsd } = reported;
  if (clicks === undefined || conversions === undefined || spendUsd === undefined) return null;
  const revenue = reported.revenueUsd ?? (reported.roas !== undefined ? reported.roas * spendUsd : null);
  return {
    counts: { impressions: reported.impressions ?? 0, clicks, conversions, spendUsd, revenueUsd: revenue ?? 0 },
    revenueKnown: revenue !== null,
  };
}

/** The reported KPIs against thresholds and the stored history. */
export function assessReported(
  reported: ReportedKpis,
  snapshots: readonly MetricsSnapshot[],
  thresholds: OptimizationThresholds,
  valuePerConversion: number | null,
): ReportedAssessment {
  const scoped = snapshots.filter(
    (s) =>
      (reported.channel === undefined || s.channel === reported.channel) &&
      (reported.variant === undefined || s.variant === reported.variant) &&
      !(reported.periodStart && reported.periodEnd && periodKey(s) === periodKey({ periodStart: reported.periodStart, periodEnd: reported.periodEnd })),
  );
  const series = periodSeries(scoped);
  const scopeParts = [
    reported.channel !== undefined ? `channel:${reported.channel}` : null,
    reported.variant !== undefined ? `variant:${reported.variant}` : null,
  ].filter((part): part is string => part !== null);
  const carried = reportedCounts(reported);
  const interval = carried && carried.counts.clicks > 0 ? roasInterval(carried.counts, valuePerConversion) : null;
  const roasBounded = interval !== null && carried?.revenueKnown === true && interval.bounded && interval.roasHigh95 !== null;
  const hasCounts = carried?.revenueKnown === true;

  const values: Record<KpiName, { value: number; source: 'reported' | 'derived' } | null> = {
    roas: pick(reported.roas, reported.revenueUsd !== undefined && reported.spendUsd !== undefined ? ratio(reported.revenueUsd, reported.spendUsd) : null),
    ctr: pick(reported.ctr, reported.clicks !== undefined && reported.impressions !== undefined ? ratio(reported.clicks, reported.impressions) : null),
    cvr: pick(reported.cvr, reported.conversions !== undefined && reported.clicks !== undefined ? ratio(reported.conversions, reported.clicks) : null),
    cpl_usd: pick(
      reported.cplUsd,
      reported.spendUsd !== undefined && reported.conversions !== undefined ? ratio(reported.spendUsd, reported.conversions) : null,
    ),
  };

  const comparisons: ReportedComparison[] = [];
  for (const kpi of KPI_NAMES) {
    const entry = values[kpi];
    if (!entry) continue;
    const history = series
      .map((p) => (kpi === 'roas' ? p.roas : kpi === 'ctr' ? p.ctr : kpi === 'cvr' ? p.cvr : p.cplUsd))
      .filter((v): v is number => v !== null);
    const check = checkAgainstHistory(kpi, entry.value, history, thresholds, thresholds.anomalyZ);
    let threshold: number | null = null;
    let crossesThreshold: boolean | null = null;
    let significant: boolean | null = null;
    let note: string;
    if (kpi === 'roas') {
      threshold = thresholds.roasFloor;
      crossesThreshold = entry.value < thresholds.roasFloor;
      if (roasBounded && interval) {
        significant = crossesThreshold && (interval.roasHigh95 as number) < thresholds.roasFloor;
        note = `95 % interval from the reported counts: ${fmt(interval.roasLow95)}-${fmt(interval.roasHigh95)}.`;
      } else {
        note = crossesThreshold
          ? `Below the floor of ${thresholds.roasFloor}, but without clicks, conversions, spend_usd and revenue_usd (or roas) the shortfall cannot be tested for significance.`
          : `At or above the floor of ${thresholds.roasFloor}.`;
      }
    } else if (kpi === 'cpl_usd' && thresholds.cplCeilingUsd !== null) {
      threshold = thresholds.cplCeilingUsd;
      crossesThreshold = entry.value > threshold;
      if (interval && interval.cplLow95 !== null) {
        significant = crossesThreshold && interval.cplLow95 > threshold;
        note = `95 % interval from the reported counts: ${fmt(interval.cplLow95)}-${fmt(interval.cplHigh95)}.`;
      } else {
        note = crossesThreshold
          ? `Above the ceiling of ${threshold}, but without clicks, conversions and spend_usd the excess cannot be tested for significance.`
          : `At or below the ceiling of ${threshold}.`;
      }
    } else if (kpi === 'cpl_usd') {
      note = `No CPL ceiling is configured; a rise with robust z ≥ ${thresholds.cplSpikeZ} against the history is a CPL spike.`;
    } else {
      note = 'No threshold is configured for this KPI; compared with the history only.';
    }
    note += check.sufficient
      ? ` Against ${check.historyPeriods} stored periods: median ${fmt(check.median)}, robust z ${check.z !== null && Number.isFinite(check.z) ? check.z.toFixed(2) : 'unbounded'}.`
      : ` History: ${check.historyPeriods} stored period(s), ${thresholds.minHistoryPeriods} needed for a comparison.`;
    comparisons.push({ kpi, value: entry.value, source: entry.source, threshold, crossesThreshold, significant, history: check, note });
  }
  return {
    reported,
    hasCounts,
    historyScope: scopeParts.length > 0 ? scopeParts.join(', ') : 'campaign',
    comparisons,
    interval,
    note: hasCounts ? 'The report carries counts: threshold crossings are tested with the same 95 % intervals as stored data.' : KPI_ONLY_NOTE,
  };
}

function pick(value: number | undefined, derived: number | null): { value: number; source: 'reported' | 'derived' } | null {
  if (value !== undefined) return { value, source: 'reported' };
  return derived !== null ? { value: derived, source: 'derived' } : null;
}

function fmt(value: number | null): string {
  return value === null ? 'n/a' : Number.isFinite(value) ? String(Math.round(value * 10_000) / 10_000) : 'unbounded';
}
