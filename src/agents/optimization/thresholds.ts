// The optimization agent's configured thresholds: what counts as enough data, as
// significant and as a breach. Defaults below; any subset can be overridden
// (createOptimizationAgent({ thresholds })), and overrides are validated.
import { InputError, type InputIssue } from '../../errors.js';
import { ANOMALY_THRESHOLD } from '../../statistics/robust-z.js';
import { MAX_SHIFT } from '../../statistics/budget-allocation.js';

export interface OptimizationThresholds {
  /** ROAS below this is a loss; a significant shortfall (upper 95 % bound below it) is a breach, and a variant/channel whose upper bound is below it gets pause advice. Default 1. */
  roasFloor: number;
  /** Scale advice when a variant's/channel's ROAS lower 95 % bound exceeds this (and the budget has headroom). Default 2. */
  roasScaleTarget: number;
  /** A CPL robust z at or above this (latest period against the campaign's own history) is a CPL spike breach. Default 3.5. */
  cplSpikeZ: number;
  /** |robust z| at or above this flags a KPI anomaly. Default 3.5 (Iglewicz & Hoaglin). */
  anomalyZ: number;
  /** An anomaly (and a CPL spike) also needs |value − median| ≥ this fraction of |median|: a history without spread makes any change infinitely "surprising". Default 0.1. */
  minAnomalyRelativeChange: number;
  /** Earlier periods (with the KPI defined) needed before the latest period is judged against them. Default 5. */
  minHistoryPeriods: number;
  /** Clicks each variant needs before a winner can be declared. Default 100. */
  minClicksPerVariant: number;
  /** Conversions both variants of a comparison need together before a winner can be declared. Default 10. */
  minConversionsPerComparison: number;
  /** Family-wise significance level of the variant tests (Bonferroni-split across comparisons). Default 0.05. */
  significanceLevel: number;
  /** Clicks a variant/channel needs before its ROAS interval is used for pause/scale advice. Default 100. */
  minClicksForRoasBound: number;
  /** A budget reallocation is recommended only when P(every channel gaining budget has a higher marginal ROAS than every channel losing it) ≥ this. Default 0.8. */
  minBudgetConfidence: number;
  /** Largest relative change of a channel's spend in one reallocation step. Default 0.3 (the statistics library's MAX_SHIFT). */
  budgetMaxShift: number;
  /** An absolute CPL ceiling in USD; a CPL whose lower 95 % bound exceeds it is a breach. Default null (no ceiling). */
  cplCeilingUsd: number | null;
}

export const DEFAULT_THRESHOLDS: Readonly<OptimizationThresholds> = Object.freeze({
  roasFloor: 1,
  roasScaleTarget: 2,
  cplSpikeZ: ANOMALY_THRESHOLD,
  anomalyZ: ANOMALY_THRESHOLD,
  minAnomalyRelativeChange: 0.1,
  minHistoryPeriods: 5,
  minClicksPerVariant: 100,
  minConversionsPerComparison: 10,
  significanceLevel: 0.05,
  minClicksForRoasBound: 100,
  minBudgetConfidence: 0.8,
  budgetMaxShift: MAX_SHIFT,
  cplCeilingUsd: null,
});

type Rule = (value: number) => string | null;
const positive: Rule = (v) => (v > 0 ? null : 'must be > 0');
const nonNegative: Rule = (v) => (v >= 0 ? null : 'must be ≥ 0');
const positiveInteger: Rule = (v) => (Number.isInteger(v) && v >= 1 ? null : 'must be an integer ≥ 1');
const nonNegativeInteger: Rule = (v) => (Number.isInteger(v) && v >= 0 ? null : 'must be an integer ≥ 0');
const openUnit: Rule = (v) => (v > 0 && v < 1 ? null : 'must be in (0, 1)');
const halfOpenUnit: Rule = (v) => (v >= 0 && v < 1 ? null : 'must be in [0, 1)');

const RULES: Record<Exclude<keyof OptimizationThresholds, 'cplCeilingUsd'>, Rule> = {
  roasFloor: positive,
  roasScaleTarget: positive,
  cplSpikeZ: positive,
  anomalyZ: positive,
  minAnomalyRelativeChange: nonNegative,
  minHistoryPeriods: positiveInteger,
  minClicksPerVariant: nonNegativeInteger,
  minConversionsPerComparison: nonNegativeInteger,
  significanceLevel: openUnit,
  minClicksForRoasBound: positiveInteger,
  minBudgetConfidence: halfOpenUnit,
  budgetMaxShift: halfOpenUnit,
};

/** The defaults with `overrides` applied; throws InputError (paths `thresholds.<name>`) on an invalid value. */
export function resolveThresholds(overrides: Partial<OptimizationThresholds> = {}): OptimizationThresholds {
  const resolved: OptimizationThresholds = { ...DEFAULT_THRESHOLDS };
  const issues: InputIssue[] = [];
  for (const [key, value] of Object.entries(overrides) as [keyof OptimizationThresholds, unknown][]) {
    if (value === undefined) continue;
    const path = `thresholds.${key}`;
    if (key === 'cplCeilingUsd') {
      if (value === null) resolved.cplCeilingUsd = null;
      else if (typeof value === 'number' && Number.isFinite(value) && value > 0) resolved.cplCeilingUsd = value;
      else issues.push({ path, message: 'must be a finite number > 0, or null' });
      continue;
    }
    const rule = RULES[key];
    if (!rule) {
      issues.push({ path, message: 'is not a known threshold' });
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.push({ path, message: 'must be a finite number' });
      continue;
    }
    const problem = rule(value);
    if (problem) issues.push({ path, message: problem });
    else resolved[key] = value;
  }
  if (resolved.roasScaleTarget < resolved.roasFloor) {
    issues.push({ path: 'thresholds.roasScaleTarget', message: `must be ≥ roasFloor (${resolved.roasFloor})` });
  }
  if (issues.length > 0) throw new InputError(issues);
  return resolved;
}
