// The vocabulary of the optimization agent's output: recommendations and KPI
// threshold breaches, each carrying the evidence it rests on (ARCHITECTURE rule 5).
//
// Evidence keys are snake_case and go out in the OptimizationResponse as they are.
// Evidence numbers are finite or null: a quantity that is undefined (a rate over zero
// trials) or unbounded (a robust z against a history without spread) is null, with a
// string field saying why where it matters.

export type RecommendationType = 'variant_winner' | 'anomaly' | 'budget_reallocation' | 'pause' | 'scale' | 'insufficient_data';

export type EvidenceValue = number | string | null;
export type Evidence = Record<string, EvidenceValue>;

/** What following a recommendation is expected to change, per reporting period unless `unit` says otherwise. */
export interface ExpectedEffect {
  /** The quantity that changes, e.g. `revenue_usd`, `cvr`, `spend_usd`. */
  metric: string;
  /** The expected change (negative: a decrease). */
  change: number;
  /** e.g. `USD per period`, `rate (conversions per click)`. */
  unit: string;
  /** A 95 % interval of the change when the analysis quantifies one, else null. */
  interval95: [number, number] | null;
  description: string;
}

export interface Recommendation {
  type: RecommendationType;
  /** What it is about: `campaign`, `variant:<name>`, `channel:<name>`, `channels` (a reallocation), `reported` (a KPI report). */
  target: string;
  summary: string;
  /**
   * How sure the analysis is of the claim, in [0, 1]; each type documents its definition
   * (e.g. P(B beats A) for a winner). 0 for `insufficient_data`: no claim is made.
   */
  confidence: number;
  evidence: Evidence;
  expectedEffect?: ExpectedEffect;
}

export type BreachKpi = 'roas' | 'cpl_usd';

/** A KPI past a configured threshold WITH significance: the reason for a PERFORMANCE_THRESHOLD escalation. */
export interface Breach {
  kpi: BreachKpi;
  /** Where it was observed: `latest_period` (stored data) or `reported` (the request's KPI report). */
  scope: 'latest_period' | 'reported';
  observed: number;
  /** In the KPI's unit: the ROAS floor, the CPL ceiling, or the CPL spike level (history median + cplSpikeZ robust σ). */
  threshold: number;
  /** `critical`: ROAS below half the floor, or a CPL robust z at least twice the spike threshold (or unbounded). */
  severity: 'warning' | 'critical';
  summary: string;
  evidence: Evidence;
}

/** An `insufficient_data` note: what is missing, and no claim. */
export function insufficientData(target: string, summary: string, evidence: Evidence = {}): Recommendation {
  return { type: 'insufficient_data', target, summary, confidence: 0, evidence };
}

/** Finite numbers pass, anything else (±Infinity, NaN) becomes null. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/** `0.0512` → `5.12 %`. */
export function percent(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(digits)} %`;
}

/** `1234.5` → `$1,234.50`. */
export function usd(value: number | null): string {
  if (value === null) return 'n/a';
  const sign = value < 0 ? '-' : '';
  return `${sign}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A number with `digits` decimals, or n/a. */
export function fixed(value: number | null, digits = 2): string {
  if (value === null) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '+∞' : '−∞';
  return value.toFixed(digits);
}

/** p-values and probabilities near 0 or 1 without a misleading `0.0000`. */
export function probability(value: number): string {
  if (value > 0 && value < 1e-4) return value.toExponential(1);
  if (value < 1 && value > 1 - 1e-4) return `1 − ${(1 - value).toExponential(1)}`;
  return value.toFixed(4);
}
