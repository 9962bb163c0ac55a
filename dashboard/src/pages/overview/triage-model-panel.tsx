// The triage model scoring leads now: what it learned from, and how well it ranks
// and predicts outcomes it did not train on (measured when it was fitted).
import { formatDateTime, formatInteger } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import type { OverviewData } from './overview-data.ts';

export function TriageModelPanel({ model }: { model: OverviewData['triageModel'] }) {
  const { heldOut } = model;
  return (
    <Panel title="Triage model">
      <StatGrid>
        <Stat label="Version" value={model.version} detail={model.fittedAt ? `fitted ${formatDateTime(model.fittedAt)}` : 'not fitted: the cold-start rules'} />
        <Stat
          label="Outcomes learned"
          value={formatInteger(model.outcomes)}
          detail={`${formatInteger(model.conversions)} ${model.conversions === 1 ? 'conversion' : 'conversions'}`}
        />
        {heldOut?.enough && (
          <>
            <Stat label="Held-out AUC" value={threeDigits(heldOut.auc)} detail="0.5 is chance, 1 ranks perfectly" />
            <Stat label="Held-out Brier score" value={threeDigits(heldOut.brier)} detail="lower is better; 0.25 is a coin" />
          </>
        )}
      </StatGrid>
      <p className="hint">{qualityNote(model)}</p>
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
  return `Measured on ${formatInteger(heldOut.outcomes)} held-out outcomes (${heldOut.folds}-fold cross-validation: each scored by a fit that did not train on it).`;
}

/** AUC and Brier differ in the third digit between versions worth telling apart. */
const threeDigits = (value: number | null) => (value === null ? '—' : value.toFixed(3));
