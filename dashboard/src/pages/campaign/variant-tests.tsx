// The variant tests of the latest review: each challenger against the control,
// its conversion rates, the 95 % interval of the difference, the p-value against
// the Bonferroni-split α, and the posterior P(variant beats control).
import type { CampaignPageCampaignQuery } from '../../__generated__/graphql.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { formatEnum, formatPercent } from '../../components/format.ts';
import { EvidenceList, formatEvidenceValue } from './evidence-list.tsx';
import { evidenceNumber, evidenceText } from './evidence-value.ts';
import { TableWrap } from '../../components/data-table.tsx';

type Recommendation = NonNullable<CampaignPageCampaignQuery['campaign']>['optimizations'][number]['recommendations'][number];

const pp = (value: number | null) => (value == null ? '—' : `${(value * 100).toFixed(2)} pp`);

export function VariantTests({ recommendations }: { recommendations: readonly Recommendation[] }) {
  const tests = recommendations.filter((recommendation) => evidenceNumber(recommendation.evidence, 'probability_variant_beats_control') != null);
  if (tests.length === 0) {
    return (
      <EmptyState title="No variant test yet">
        <p>
          Send snapshots for at least two variants (the <code>variant</code> field of each snapshot), then run a review: the first variant is the control, each
          other one is tested against it.
        </p>
      </EmptyState>
    );
  }
  return (
    <TableWrap label="Variant tests, scrollable">
      <table aria-label="Variant tests">
        <thead>
          <tr>
            <th scope="col">Variant vs control</th>
            <th scope="col" className="number">
              CVR
            </th>
            <th scope="col" className="number">
              Difference, 95 % interval
            </th>
            <th scope="col" className="number">
              p-value (α)
            </th>
            <th scope="col" className="number">
              P(variant beats control)
            </th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {tests.map((test) => {
            const { evidence } = test;
            const control = evidenceText(evidence, 'control');
            const variant = evidenceText(evidence, 'variant');
            const low = evidenceNumber(evidence, 'difference_ci95_low');
            const high = evidenceNumber(evidence, 'difference_ci95_high');
            const pValue = evidence.find((item) => item.name === 'p_value');
            const alpha = evidence.find((item) => item.name === 'alpha_per_comparison');
            return (
              <tr key={`${variant}-${control}`}>
                <th scope="row">
                  {variant} vs {control}
                </th>
                <td className="number">
                  {formatPercent(evidenceNumber(evidence, 'variant_cvr'), 2)} vs {formatPercent(evidenceNumber(evidence, 'control_cvr'), 2)}
                </td>
                <td className="number">
                  {pp(evidenceNumber(evidence, 'difference'))} [{pp(low)}, {pp(high)}]
                </td>
                <td className="number">
                  {pValue ? formatEvidenceValue(pValue) : '—'} ({alpha ? formatEvidenceValue(alpha) : '—'})
                </td>
                <td className="number">{formatPercent(evidenceNumber(evidence, 'probability_variant_beats_control'), 1)}</td>
                <td>
                  <span className={test.type === 'VARIANT_WINNER' ? 'badge badge-good' : 'badge'}>{formatEnum(test.type)}</span>
                  <p>{test.summary}</p>
                  <EvidenceList evidence={evidence} label={`Evidence of ${variant} vs ${control}`} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
