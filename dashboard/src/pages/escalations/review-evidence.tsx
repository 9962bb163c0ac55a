// Why optimization escalated: the breaches of the campaign review that raised
// this escalation, each with the evidence it rests on. The review is found among
// the campaign's recent runs by the escalation it names.
import { useQuery } from 'urql';
import { EscalationsPageReviewDocument } from '../../__generated__/graphql.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatDateTime, formatDecimal, formatEnum } from '../../components/format.ts';
import { Loading } from '../../components/loading.tsx';
import { EvidenceList } from '../campaign/evidence-list.tsx';
import { kpiLabel } from '../campaign/kpi-label.ts';

export function ReviewEvidence({ campaignId, escalationId }: { campaignId: string; escalationId: string }) {
  const [{ data, error, fetching }] = useQuery({ query: EscalationsPageReviewDocument, variables: { campaignId } });
  if (error) return <ErrorNotice error={error} title="The campaign review could not be read" />;
  if (fetching && !data) return <Loading label="Loading the campaign review" />;
  const run = data?.campaign?.optimizations.find((candidate) => candidate.escalation?.id === escalationId);
  if (!run) return <p className="hint">The review behind this escalation is older than the campaign's 20 latest; the campaign's page lists them.</p>;
  return (
    <section aria-label={`Campaign review of ${formatDateTime(run.createdAt)}`}>
      <h3>
        Review of {data?.campaign?.name} on {formatDateTime(run.createdAt)}
      </h3>
      <ul className="stack">
        {run.breaches.map((breach) => (
          <li key={`${breach.kpi}-${breach.summary}`}>
            <span className={breach.severity === 'CRITICAL' ? 'badge badge-bad' : 'badge badge-warn'}>{formatEnum(breach.severity)}</span> {breach.summary}{' '}
            (observed {formatDecimal(breach.observed)}, threshold {formatDecimal(breach.threshold)})
            <EvidenceList evidence={breach.evidence} label={`Evidence for the ${kpiLabel(breach.kpi)} breach`} />
          </li>
        ))}
      </ul>
    </section>
  );
}
