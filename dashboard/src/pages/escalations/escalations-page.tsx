// The manager queue: open escalations, oldest first, each with why it was raised
// and the evidence behind it. Managers and admins decide here (approve, reject,
// reassign) through the real resolveEscalation mutation; everyone else reads.
// Live: a handoff moving or a campaign alert refetches the queue, so a new
// escalation appears without a reload.
import { useState } from 'react';
import { useQuery } from 'urql';
import { EscalationsPageAlertsDocument, EscalationsPageHandoffsDocument, EscalationsPageQueueDocument } from '../../__generated__/graphql.ts';
import { useSession } from '../../auth/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { Loading } from '../../components/loading.tsx';
import { Page } from '../../components/page.tsx';
import { useRefreshOn } from '../../graphql/use-refresh-on.ts';
import { EscalationCard } from './escalation-card.tsx';
import './escalations.css';

export default function EscalationsPage() {
  const session = useSession();
  const [{ data, error, fetching }, refetch] = useQuery({ query: EscalationsPageQueueDocument, requestPolicy: 'cache-and-network' });
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  useRefreshOn(EscalationsPageHandoffsDocument, {}, refresh);
  useRefreshOn(EscalationsPageAlertsDocument, {}, refresh);
  const [notice, setNotice] = useState<string | null>(null);
  // Decided here: hidden at once, before the refetch confirms they left the queue.
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());

  const queue = (data?.escalations.edges ?? []).map((edge) => edge.node).filter((node) => !decided.has(node.id));
  const canDecide = session.can('resolveEscalations');

  return (
    <Page title="Escalations">
      <p className="hint">
        {canDecide
          ? 'Oldest first. Approve continues what the escalation interrupted, reject ends it, reassign hands the decision to someone else.'
          : 'Oldest first. Managers and admins decide escalations; you can read them.'}
      </p>
      {notice && (
        <div role="status" className="notice notice-success">
          {notice}
        </div>
      )}
      {error && <ErrorNotice error={error} title="The escalation queue could not be read" />}
      {!data && fetching && <Loading label="Loading the escalation queue" />}
      {data && queue.length === 0 && (
        <EmptyState title="No escalation is waiting for a manager">
          <p>
            Escalations appear here as they are raised: a lead whose context failed the quality gate, a handoff loop, or a campaign KPI past its threshold (run
            a review on a campaign's page, or process a campaign's leads).
          </p>
        </EmptyState>
      )}
      {queue.length > 0 && (
        <ol className="escalation-queue" aria-label="Open escalations, oldest first">
          {queue.map((escalation) => (
            <li key={escalation.id}>
              <EscalationCard
                escalation={escalation}
                canDecide={canDecide}
                onDecided={(message, leftQueue) => {
                  if (leftQueue) setDecided((ids) => new Set(ids).add(escalation.id));
                  setNotice(message);
                  refresh();
                }}
              />
            </li>
          ))}
        </ol>
      )}
      {data?.escalations.pageInfo.hasNextPage && <p className="hint">The 50 oldest are shown; decide these to see the rest.</p>}
    </Page>
  );
}
