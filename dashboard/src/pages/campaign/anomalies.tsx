// KPIs of the latest period far from the campaign's own history (robust z), as the
// latest review found them: which way, how far, and whether the move hurts.
import type { CampaignPageCampaignQuery } from '../../__generated__/graphql.ts';
import { formatDecimal, formatPercent } from '../../components/format.ts';
import { EvidenceList } from './evidence-list.tsx';
import { kpiLabel } from './kpi-label.ts';

type Recommendation = NonNullable<CampaignPageCampaignQuery['campaign']>['optimizations'][number]['recommendations'][number];

export function Anomalies({ recommendations }: { recommendations: readonly Recommendation[] }) {
  const anomalies = recommendations.filter((recommendation) => recommendation.anomaly);
  if (anomalies.length === 0) {
    return <p className="hint">No KPI of the latest period is far from the campaign's history (a review needs a few earlier periods to judge).</p>;
  }
  return (
    <ul className="stack campaign-list">
      {anomalies.map(({ anomaly, summary, evidence, confidence }) =>
        anomaly ? (
          <li key={`${anomaly.kpi}-${summary}`}>
            <span className={anomaly.adverse ? 'badge badge-bad' : 'badge badge-good'}>{anomaly.adverse ? 'Adverse' : 'Improvement'}</span>{' '}
            <strong>
              {kpiLabel(anomaly.kpi)} {anomaly.direction === 'UP' ? 'up' : 'down'}
            </strong>
            : {formatDecimal(anomaly.value)} against a median of {formatDecimal(anomaly.historyMedian)} over {anomaly.historyPeriods} periods (
            {anomaly.relativeChange == null ? 'no relative change' : `${formatPercent(anomaly.relativeChange)} change`}, robust z{' '}
            {anomaly.robustZUnbounded ? 'unbounded' : formatDecimal(anomaly.robustZ)}, confidence {formatPercent(confidence)})<p>{summary}</p>
            <EvidenceList evidence={evidence} label={`Evidence of the ${kpiLabel(anomaly.kpi)} anomaly`} />
          </li>
        ) : null,
      )}
    </ul>
  );
}
