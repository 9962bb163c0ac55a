// KPI threshold breaches WITH significance: the triggers of a PERFORMANCE_THRESHOLD
// escalation to the manager (the caller escalates when there is at least one).
//
//   roas (floor):      the latest period's ROAS upper 95 % bound (kpi-intervals.ts) is
//                      below thresholds.roasFloor. Observed below the floor but the bound
//                      is not: no breach, an insufficient_data note says so (e.g. ROAS 0.9
//                      on 3 conversions).
//   cpl_usd (spike):   the latest period's CPL robust z against at least
//                      thresholds.minHistoryPeriods earlier periods is ≥ thresholds.cplSpikeZ
//                      and the rise is material (anomalies.ts). The breach's `threshold` is the
//                      spike level in USD, median + max(cplSpikeZ·σ̂, minAnomalyRelativeChange·median)
//                      (σ̂ the robust scale); the z and its cut-off are in the evidence.
//   cpl_usd (ceiling): only when thresholds.cplCeilingUsd is set: the CPL lower 95 % bound
//                      is above it.
// The same rules apply to a reported KPI snapshot (scope `reported`): ROAS and the
// ceiling need its counts; the spike needs only the stored history.
// A campaign without any recorded revenue is not judged on ROAS (attribution missing).
//
// Severity: `critical` when ROAS is below half the floor, the CPL robust z is at least
// twice the spike threshold (or unbounded), or CPL is above twice the ceiling; else `warning`.
import type { HistoryCheck, LatestPeriodChecks } from './anomalies.js';
import { checkEvidence } from './anomalies.js';
import { roasInterval, probabilityCplAbove, probabilityRoasBelow, type RoasInterval } from './kpi-intervals.js';
import type { MetricCounts, PeriodKpis } from './kpis.js';
import { finiteOrNull, fixed, insufficientData, probability, usd, type Breach, type Evidence, type Recommendation } from './recommendation.js';
import { reportedCounts, type ReportedAssessment } from './reported-kpis.js';
import type { OptimizationThresholds } from './thresholds.js';

export interface BreachInput {
  latestPeriod: PeriodKpis | null;
  /** The latest period's KPI checks against history (the spike rule applies thresholds.cplSpikeZ to their z). */
  latestChecks: LatestPeriodChecks;
  reported: ReportedAssessment | null;
  thresholds: OptimizationThresholds;
  /** The campaign's average revenue per conversion. */
  valuePerConversion: number | null;
  /** False when the campaign has spend but no revenue recorded anywhere. */
  revenueTracked: boolean;
}

export interface BreachResult {
  breaches: Breach[];
  /** Threshold crossings that were not significant (or could not be tested), as insufficient_data notes. */
  notes: Recommendation[];
  /** True when at least one threshold could be tested. */
  evaluated: boolean;
}

export function detectBreaches(input: BreachInput): BreachResult {
  const { thresholds } = input;
  const breaches: Breach[] = [];
  const notes: Recommendation[] = [];
  let evaluated = false;

  if (input.latestPeriod) {
    const period = input.latestPeriod;
    const where = `the latest period (${period.periodStart.toISOString()} – ${period.periodEnd.toISOString()})`;
    const interval = roasInterval(period, input.valuePerConversion);
    const context: Evidence = { period_start: period.periodStart.toISOString(), period_end: period.periodEnd.toISOString() };
    if (input.revenueTracked) {
      const roas = roasBreach(period, interval, input.valuePerConversion, thresholds, 'latest_period', where, context);
      evaluated ||= roas.evaluated;
      if (roas.breach) breaches.push(roas.breach);
      if (roas.note) notes.push(roas.note);
    }
    const cpl = input.latestChecks.checks.find((check) => check.kpi === 'cpl_usd');
    if (cpl?.sufficient) {
      evaluated = true;
      const spike = cplSpike(cpl, thresholds, 'latest_period', where, context);
      if (spike) breaches.push(spike);
    }
    const ceiling = cplCeilingBreach(period, interval, thresholds, 'latest_period', where, context);
    evaluated ||= ceiling.evaluated;
    if (ceiling.breach) breaches.push(ceiling.breach);
    if (ceiling.note) notes.push(ceiling.note);
  }

  const reported = input.reported;
  if (reported) {
    const where = `the reported metrics (${reported.historyScope})`;
    const context: Evidence = { scope: reported.historyScope };
    const carried = reportedCounts(reported.reported);
    const roasComparison = reported.comparisons.find((c) => c.kpi === 'roas');
    if (carried?.revenueKnown && reported.interval) {
      const roas = roasBreach(carried.counts, reported.interval, input.valuePerConversion, thresholds, 'reported', where, context);
      evaluated ||= roas.evaluated;
      if (roas.breach) breaches.push(roas.breach);
      if (roas.note) notes.push(roas.note);
    } else if (roasComparison?.crossesThreshold) {
      notes.push(
        insufficientData(
          'reported',
          `The reported ROAS ${fixed(roasComparison.value)} is below the floor of ${fixed(thresholds.roasFloor)}, but a KPI-only report cannot establish ` +
            'significance on its own (no clicks, conversions, spend_usd and revenue_usd): no breach. Send counts or snapshots.',
          { reported_roas: roasComparison.value, roas_floor: thresholds.roasFloor },
        ),
      );
    }
    const cpl = reported.comparisons.find((c) => c.kpi === 'cpl_usd');
    if (cpl?.history.sufficient) {
      evaluated = true;
      const spike = cplSpike(cpl.history, thresholds, 'reported', where, context);
      if (spike) breaches.push(spike);
    }
    if (carried && reported.interval) {
      const ceiling = cplCeilingBreach(carried.counts, reported.interval, thresholds, 'reported', where, context);
      evaluated ||= ceiling.evaluated;
      if (ceiling.breach) breaches.push(ceiling.breach);
      if (ceiling.note) notes.push(ceiling.note);
    } else if (cpl && thresholds.cplCeilingUsd !== null && cpl.value > thresholds.cplCeilingUsd) {
      notes.push(
        insufficientData(
          'reported',
          `The reported CPL ${usd(cpl.value)} is above the ceiling of ${usd(thresholds.cplCeilingUsd)}, but without clicks, conversions and spend_usd ` +
            'its significance cannot be tested: no breach.',
          { reported_cpl_usd: cpl.value, cpl_ceiling_usd: thresholds.cplCeilingUsd },
        ),
      );
    }
  }
  return { breaches, notes, evaluated };
}

interface PartialResult {
  breach: Breach | null;
  note: Recommendation | null;
  evaluated: boolean;
}

function roasBreach(
  counts: MetricCounts,
  interval: RoasInterval,
  valuePerConversion: number | null,
  thresholds: OptimizationThresholds,
  scope: Breach['scope'],
  where: string,
  context: Evidence,
): PartialResult {
  if (!interval.bounded || interval.roas === null || interval.roasHigh95 === null) return { breach: null, note: null, evaluated: false };
  const floor = thresholds.roasFloor;
  const pBelow = probabilityRoasBelow(counts, interval.valuePerConversion ?? valuePerConversion, floor);
  const evidence: Evidence = {
    ...context,
    clicks: counts.clicks,
    conversions: counts.conversions,
    spend_usd: counts.spendUsd,
    revenue_usd: counts.revenueUsd,
    roas: interval.roas,
    roas_ci95_low: interval.roasLow95,
    roas_ci95_high: interval.roasHigh95,
    interval_method: 'Clopper-Pearson 95 % on conversions/clicks, revenue per conversion as observed',
    value_per_conversion_usd: interval.valuePerConversion,
    value_source: interval.valueSource,
    probability_roas_below_floor: pBelow,
    roas_floor: floor,
  };
  if (interval.roasHigh95 < floor) {
    return {
      breach: {
        kpi: 'roas',
        scope,
        observed: interval.roas,
        threshold: floor,
        severity: interval.roas < floor / 2 ? 'critical' : 'warning',
        summary:
          `ROAS in ${where} is ${fixed(interval.roas)}, below the floor of ${fixed(floor)} with significance: its 95 % interval ` +
          `${fixed(interval.roasLow95)}-${fixed(interval.roasHigh95)} lies entirely below (${counts.conversions} conversions from ${counts.clicks} clicks; ` +
          `P(ROAS < ${fixed(floor)}) = ${probability(pBelow ?? 1)}).`,
        evidence,
      },
      note: null,
      evaluated: true,
    };
  }
  if (interval.roas < floor) {
    return {
      breach: null,
      note: insufficientData(
        scope === 'reported' ? 'reported' : 'campaign',
        `ROAS in ${where} is ${fixed(interval.roas)}, below the floor of ${fixed(floor)}, but not significantly: its 95 % upper bound is ` +
          `${fixed(interval.roasHigh95)} (${counts.conversions} conversions from ${counts.clicks} clicks). No breach yet; watch the next period.`,
        evidence,
      ),
      evaluated: true,
    };
  }
  return { breach: null, note: null, evaluated: true };
}

function cplSpike(check: HistoryCheck, thresholds: OptimizationThresholds, scope: Breach['scope'], where: string, context: Evidence): Breach | null {
  if (!check.sufficient || check.z === null || check.median === null) return null;
  if (!(check.z >= thresholds.cplSpikeZ && check.materialChange)) return null;
  const unbounded = !Number.isFinite(check.z);
  const spikeLevel = check.median + Math.max(thresholds.cplSpikeZ * (check.scale ?? 0), thresholds.minAnomalyRelativeChange * Math.abs(check.median));
  return {
    kpi: 'cpl_usd',
    scope,
    observed: check.value,
    threshold: spikeLevel,
    severity: unbounded || check.z >= 2 * thresholds.cplSpikeZ ? 'critical' : 'warning',
    summary:
      `CPL spike in ${where}: ${usd(check.value)} against a median of ${usd(check.median)} over ${check.historyPeriods} earlier periods ` +
      `(robust z ${unbounded ? 'unbounded: the history has no spread' : check.z.toFixed(2)} ≥ ${fixed(thresholds.cplSpikeZ, 1)}; spike level ${usd(spikeLevel)}).`,
    evidence: { ...context, ...checkEvidence(check), robust_scale: check.scale, cpl_spike_z: thresholds.cplSpikeZ, spike_level_usd: spikeLevel },
  };
}

function cplCeilingBreach(
  counts: MetricCounts,
  interval: RoasInterval,
  thresholds: OptimizationThresholds,
  scope: Breach['scope'],
  where: string,
  context: Evidence,
): PartialResult {
  const ceiling = thresholds.cplCeilingUsd;
  if (ceiling === null || interval.cplLow95 === null || counts.clicks <= 0) return { breach: null, note: null, evaluated: false };
  const pAbove = probabilityCplAbove(counts, ceiling);
  const evidence: Evidence = {
    ...context,
    clicks: counts.clicks,
    conversions: counts.conversions,
    spend_usd: counts.spendUsd,
    cpl_usd: interval.cplUsd,
    cpl_ci95_low: interval.cplLow95,
    cpl_ci95_high: finiteOrNull(interval.cplHigh95),
    probability_cpl_above_ceiling: pAbove,
    cpl_ceiling_usd: ceiling,
  };
  const observed = interval.cplUsd;
  if (interval.cplLow95 > ceiling) {
    return {
      breach: {
        kpi: 'cpl_usd',
        scope,
        observed: observed ?? interval.cplLow95,
        threshold: ceiling,
        severity: (observed ?? Number.POSITIVE_INFINITY) > 2 * ceiling ? 'critical' : 'warning',
        summary:
          `CPL in ${where} is ${observed === null ? 'unbounded (no conversions)' : usd(observed)}, above the ceiling of ${usd(ceiling)} with significance: ` +
          `its 95 % lower bound is ${usd(interval.cplLow95)}.`,
        evidence,
      },
      note: null,
      evaluated: true,
    };
  }
  if (observed !== null && observed > ceiling) {
    return {
      breach: null,
      note: insufficientData(
        scope === 'reported' ? 'reported' : 'campaign',
        `CPL in ${where} is ${usd(observed)}, above the ceiling of ${usd(ceiling)}, but not significantly (95 % lower bound ${usd(interval.cplLow95)}).`,
        evidence,
      ),
      evaluated: true,
    };
  }
  return { breach: null, note: null, evaluated: true };
}
