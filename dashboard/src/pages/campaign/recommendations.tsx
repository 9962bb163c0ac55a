// Every recommendation of the latest review, most decisive first as the agent
// orders them: what to do, how sure, what it is expected to change, and the
// evidence it rests on.
import type { CampaignPageCampaignQuery } from '../../__generated__/graphql.ts';
import { formatDecimal, formatEnum, formatPercent } from '../../components/format.ts';
import { EvidenceList } from './evidence-list.tsx';

type Recommendation = NonNullable<CampaignPageCampaignQuery['campaign']>['optimizations'][number]['recommendations'][number];

const BADGE: Partial<Record<Recommendation['type'], string>> = {
  PAUSE: 'badge badge-bad',
  VARIANT_WINNER: 'badge badge-good',
  SCALE: 'badge badge-good',
  BUDGET_REALLOCATION: 'badge badge-good',
  ANOMALY: 'badge badge-warn',
};

export function Recommendations({ recommendations }: { recommendations: readonly Recommendation[] }) {
  if (recommendations.length === 0) return <p className="hint">The review made no recommendation.</p>;
  return (
    <ol className="stack campaign-list" aria-label="Recommendations">
      {recommendations.map((recommendation, index) => {
        const effect = recommendation.expectedEffect;
        return (
          // The agent's order is the identity: the same target may carry several kinds of advice.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced whole on each refetch
          <li key={index}>
            <span className={BADGE[recommendation.type] ?? 'badge'}>{formatEnum(recommendation.type)}</span> <strong>{recommendation.target}</strong>
            {recommendation.type !== 'INSUFFICIENT_DATA' && <span className="hint"> confidence {formatPercent(recommendation.confidence)}</span>}
            <p>{recommendation.summary}</p>
            {effect && (
              <p className="hint">
                Expected: {effect.description} ({effect.metric} {effect.change >= 0 ? '+' : ''}
                {formatDecimal(effect.change)} {effect.unit}
                {effect.interval95 && `, 95 % interval ${formatDecimal(effect.interval95.low)} to ${formatDecimal(effect.interval95.high)}`})
              </p>
            )}
            <EvidenceList
              evidence={recommendation.evidence}
              label={`Evidence for ${formatEnum(recommendation.type).toLowerCase()} on ${recommendation.target}`}
            />
          </li>
        );
      })}
    </ol>
  );
}
