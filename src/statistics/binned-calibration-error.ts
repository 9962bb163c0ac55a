// Expected calibration error from a calibration curve already binned (a stored
// version's held-out calibration): the same figure expectedCalibrationError
// (classification-metrics.ts) computes from the predictions themselves.
import type { CalibrationBin } from './classification-metrics.js';

/** Σ_b outcomes_b·|predicted_b − observed_b| / Σ_b outcomes_b: 0 is perfectly calibrated. Null for an empty curve. */
export function binnedCalibrationError(bins: readonly CalibrationBin[]): number | null {
  let outcomes = 0;
  let error = 0;
  for (const bin of bins) {
    outcomes += bin.outcomes;
    error += bin.outcomes * Math.abs(bin.predicted - bin.observed);
  }
  return outcomes === 0 ? null : error / outcomes;
}
