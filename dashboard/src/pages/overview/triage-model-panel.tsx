// The triage model scoring leads now: what it learned from, how well it ranks and
// predicts recent outcomes it did not train on (measured when it was fitted), how
// calibrated its probabilities are, whether the market still behaves as it learned,
// and the recent fits that were not put in use.
import { formatDateTime, formatDecimal, formatInteger } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import { CalibrationCurve } from './calibration-curve.tsx';
import type { OverviewData } from './overview-data.ts';
import { driftState } from './triage-drift-state.ts';

export function TriageModelPanel({
  model,
  versions,
  drift,
}: {
  model: OverviewData['triageModel'];
  versions: OverviewData['triageModelVersions'];
  drift: OverviewData['triageDrift'];
}) {
  const { heldOut, training } = model;
  const market = driftState(drift);
  const unpromoted = versions.filter((version) => !version.promoted);
  return (
    <Panel title="Triage model" wide>
      <StatGrid>
        <Stat label="Version" value={model.version} detail={model.fittedAt ? `fitted ${formatDateTime(model.fittedAt)}` : 'not fitted: the cold-start rules'} />
        <Stat
          label="Outcomes learned"
          value={formatInteger(model.outcomes)}
          detail={`${formatInteger(model.conversions)} ${model.conversions === 1 ? 'conversion' : 'conversions'}`}
        />
        <Stat label="Market" value={market.value} detail={market.detail} />
        {training && (
          <Stat
            label="Training window"
            value={`${formatDecimal(training.effectiveOutcomes)} effective outcomes`}
            detail={`${formatDateTime(training.from)} – ${formatDateTime(training.to)}; ${
              training.halfLifeDays === null ? 'every outcome weighs the same' : `half-life ${formatDecimal(training.halfLifeDays)} days`
            }`}
          />
        )}
        {heldOut?.enough && (
          <>
            <Stat label="Held-out AUC" value={threeDigits(heldOut.auc)} detail="0.5 is chance, 1 ranks perfectly" />
            <Stat label="Held-out Brier score" value={threeDigits(heldOut.brier)} detail="lower is better; 0.25 is a coin" />
            {heldOut.calibrationError !== null && (
              <Stat
                label="Calibration error"
                value={threeDigits(heldOut.calibrationError)}
                detail="mean gap between predicted and observed rates; 0 is perfect"
              />
            )}
          </>
        )}
      </StatGrid>
      <p className="hint">{qualityNote(model)}</p>
      {heldOut && heldOut.calibration.length > 0 && <CalibrationCurve bins={heldOut.calibration} />}
      {unpromoted.length > 0 && (
        <>
          <h3>Recent fits not promoted</h3>
          <ul>
            {unpromoted.map((version) => (
              <li key={version.version}>
                {version.version}, fitted {formatDateTime(version.fittedAt)}: {version.promotion?.reason ?? 'worse than the version in use on recent outcomes'}
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}

function qualityNote(model: OverviewData['triageModel']): string {
  const { heldOut } = model;
  if (!model.fittedAt) {
    return 'No outcome learned yet: record outcomes with recordOutcome, and the next memory consolidation fits a learned version.';
  }
  if (!heldOut) return 'This version was fitted before Baton measured held-out quality; the next fit measures it.';
  if (!heldOut.enough) {
    return `Not enough held-out outcomes to measure its quality: ${formatInteger(heldOut.outcomes)} of the ${formatInteger(heldOut.minimumOutcomes)} needed, with both conversions and losses.`;
  }
  return `Measured on the ${formatInteger(heldOut.outcomes)} most recent outcomes, each scored by a fit that did not train on it.`;
}

/** AUC, Brier and calibration error differ in the third digit between versions worth telling apart. */
const threeDigits = (value: number | null) => (value === null ? '—' : value.toFixed(3));
