// Drift detection for the triage model: does the market still convert the way the
// model learned it does? (Types first; the check follows.)
import type { CalibrationBin } from '../../statistics/classification-metrics.js';

/**
 * WARMING_UP: too few outcomes to test (fewer than a window and a reference);
 * STABLE: the recent outcomes agree with the model fitted before them;
 * DRIFTING: a drift was detected and the model has not recovered yet (its memory is shortened).
 */
export type TriageDriftState = 'WARMING_UP' | 'STABLE' | 'DRIFTING';

/** The drift check run at one fit. */
export interface TriageDriftCheck {
  state: TriageDriftState;
  checkedAt: Date;
  /**
   * The score (Lagrange multiplier) test of the recent window against a fit on the
   * outcomes before it: χ² with `degreesOfFreedom` under "the same model holds".
   * Null while warming up.
   */
  test: { statistic: number; degreesOfFreedom: number; pValue: number } | null;
  /** The recent window: its outcomes, the outcomes before it, and the outcomeAt of its oldest. */
  windowOutcomes: number;
  referenceOutcomes: number;
  windowFrom: Date | null;
  /** Brier and log-loss of the recent window predicted by the fit before it, and of the window before that by the fit before it. */
  recentBrier: number | null;
  previousBrier: number | null;
  recentLogLoss: number | null;
  previousLogLoss: number | null;
  /** Calibration of the recent window by decile of predicted probability, under the fit before it. */
  calibration: CalibrationBin[];
  /** Population stability index of the leads' attributes: recent window against the outcomes before it (≥ 0.25 is a large shift). */
  inputStability: number | null;
  /** This check opened a drift episode. */
  detected: boolean;
  /** This check closed one: the model explains recent outcomes again. */
  recovered: boolean;
  /** While drifting (and in the check that recovered): the change point the memory was shortened at. */
  changePointAt: Date | null;
}

/** A drift episode as stored (TriageDriftEpisode). */
export interface TriageDriftEpisodeInfo {
  id: string;
  detectedAt: Date;
  detectedByVersion: string;
  changePointAt: Date;
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  windowOutcomes: number;
  referenceOutcomes: number;
  outcomesSinceChange: number;
  recoveredAt: Date | null;
  recoveredByVersion: string | null;
  outcomesToRecover: number | null;
}
