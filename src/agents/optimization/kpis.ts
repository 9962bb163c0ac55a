// Campaign KPIs from metric snapshots. Pure.
//
//   CTR  = clicks / impressions
//   CVR  = conversions / clicks                  (conversion rate per click)
//   CPL  = spend / conversions                   (cost per lead: every conversion is a lead)
//   ROAS = revenue / spend                       (return on ad spend)
//
// A KPI whose denominator is 0 is null (undefined), never 0 or Infinity: a period with
// spend but no conversions has CPL null, not "infinitely expensive".
// Aggregates sum the counts first and divide once (a ratio of sums, not a mean of
// ratios), overall, per channel, per variant and per period. A period is one exact
// (periodStart, periodEnd) pair: snapshots of different channels/variants for the same
// period must carry the same bounds to be added up into one point of the time series.

/** The counts of one snapshot, or of a sum of snapshots. */
export interface MetricCounts {
  impressions: number;
  clicks: number;
  conversions: number;
  spendUsd: number;
  revenueUsd: number;
}

/** One stored metric snapshot: one variant on one channel over one period. */
export interface MetricsSnapshot extends MetricCounts {
  variant: string;
  channel: string;
  periodStart: Date;
  periodEnd: Date;
}

export interface KpiValues extends MetricCounts {
  ctr: number | null;
  cvr: number | null;
  cplUsd: number | null;
  roas: number | null;
}

export interface ChannelKpis extends KpiValues {
  channel: string;
}
export interface VariantKpis extends KpiValues {
  variant: string;
}
export interface PeriodKpis extends KpiValues {
  periodStart: Date;
  periodEnd: Date;
}

export interface CampaignKpis {
  overall: KpiValues;
  /** Sorted by channel name. */
  byChannel: ChannelKpis[];
  /** Sorted by variant name. */
  byVariant: VariantKpis[];
  /** The time series: one entry per distinct (periodStart, periodEnd), by periodStart then periodEnd. */
  byPeriod: PeriodKpis[];
}

/** The four KPI names as they appear in evidence and responses. */
export type KpiName = 'ctr' | 'cvr' | 'cpl_usd' | 'roas';
export const KPI_NAMES: readonly KpiName[] = ['ctr', 'cvr', 'cpl_usd', 'roas'];
export const KPI_LABELS: Record<KpiName, string> = { ctr: 'CTR', cvr: 'CVR', cpl_usd: 'CPL', roas: 'ROAS' };

export const ZERO_COUNTS: Readonly<MetricCounts> = Object.freeze({ impressions: 0, clicks: 0, conversions: 0, spendUsd: 0, revenueUsd: 0 });

/**
 * numerator / denominator; null where it is undefined: a zero denominator, or a
 * quotient past what a double holds (revenue 2e9 over a spend of 1e-308 is
 * Infinity, which neither GraphQL's Float nor JSON can carry: it was a 500).
 */
export function ratio(numerator: number, denominator: number): number | null {
  if (!(denominator > 0)) return null;
  const quotient = numerator / denominator;
  return Number.isFinite(quotient) ? quotient : null;
}

export function kpisOf(counts: MetricCounts): KpiValues {
  return {
    impressions: counts.impressions,
    clicks: counts.clicks,
    conversions: counts.conversions,
    spendUsd: counts.spendUsd,
    revenueUsd: counts.revenueUsd,
    ctr: ratio(counts.clicks, counts.impressions),
    cvr: ratio(counts.conversions, counts.clicks),
    cplUsd: ratio(counts.spendUsd, counts.conversions),
    roas: ratio(counts.revenueUsd, counts.spendUsd),
  };
}

/** A KPI of `values` by its response name. */
export function kpiValue(values: KpiValues, kpi: KpiName): number | null {
  switch (kpi) {
    case 'ctr':
      return values.ctr;
    case 'cvr':
      return values.cvr;
    case 'cpl_usd':
      return values.cplUsd;
    case 'roas':
      return values.roas;
  }
}

export function sumCounts(rows: readonly MetricCounts[]): MetricCounts {
  const total = { ...ZERO_COUNTS };
  for (const row of rows) {
    total.impressions += row.impressions;
    total.clicks += row.clicks;
    total.conversions += row.conversions;
    total.spendUsd += row.spendUsd;
    total.revenueUsd += row.revenueUsd;
  }
  return total;
}

/** The identity of a period, for grouping. */
export function periodKey(snapshot: { periodStart: Date; periodEnd: Date }): string {
  return `${snapshot.periodStart.toISOString()}/${snapshot.periodEnd.toISOString()}`;
}

/** Rows grouped by `key`, groups in order of first appearance. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The per-period time series, oldest first. */
export function periodSeries(snapshots: readonly MetricsSnapshot[]): PeriodKpis[] {
  const series: PeriodKpis[] = [];
  for (const rows of groupBy(snapshots, periodKey).values()) {
    const first = rows[0] as MetricsSnapshot;
    series.push({ periodStart: first.periodStart, periodEnd: first.periodEnd, ...kpisOf(sumCounts(rows)) });
  }
  return series.sort((a, b) => a.periodStart.getTime() - b.periodStart.getTime() || a.periodEnd.getTime() - b.periodEnd.getTime());
}

export function channelKpis(snapshots: readonly MetricsSnapshot[]): ChannelKpis[] {
  return [...groupBy(snapshots, (s) => s.channel)]
    .map(([channel, rows]) => ({ channel, ...kpisOf(sumCounts(rows)) }))
    .sort((a, b) => byName(a.channel, b.channel));
}

export function variantKpis(snapshots: readonly MetricsSnapshot[]): VariantKpis[] {
  return [...groupBy(snapshots, (s) => s.variant)]
    .map(([variant, rows]) => ({ variant, ...kpisOf(sumCounts(rows)) }))
    .sort((a, b) => byName(a.variant, b.variant));
}

export function campaignKpis(snapshots: readonly MetricsSnapshot[]): CampaignKpis {
  return {
    overall: kpisOf(sumCounts(snapshots)),
    byChannel: channelKpis(snapshots),
    byVariant: variantKpis(snapshots),
    byPeriod: periodSeries(snapshots),
  };
}

/** The snapshots of the latest period (greatest periodStart, then periodEnd), or [] without snapshots. */
export function latestPeriodSnapshots(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot[] {
  const latest = periodSeries(snapshots).at(-1);
  if (!latest) return [];
  const key = periodKey(latest);
  return snapshots.filter((s) => periodKey(s) === key);
}
