// One lead: its score and what moved it, its handoff timeline (live: every status
// change of its handoffs reads it again), touchpoints and their delivery, the
// signals it gave, its profile (masked for viewers by the API), similar past
// episodes and the knowledge the agents used.
import { useCallback } from 'react';
import { useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import { LeadPageHandoffProgressDocument, LeadPageLeadDocument } from '../../__generated__/graphql.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { Loading } from '../../components/loading.tsx';
import { Page } from '../../components/page.tsx';
import { useRefreshOn } from '../../graphql/use-refresh-on.ts';
import { PAGES } from '../../routes.ts';
import { HandoffTimeline } from './handoff-timeline.tsx';
import { LeadKnowledge, SimilarEpisodes } from './lead-memory.tsx';
import { LeadProfile } from './lead-profile.tsx';
import { LeadInteractions, LeadTouchpoints } from './lead-touchpoints.tsx';
import { ScoreFactors } from './score-factors.tsx';
import './lead.css';

export default function LeadPage() {
  const { id = '' } = useParams<{ id: string }>();
  const [{ data, error, fetching }, refetch] = useQuery({ query: LeadPageLeadDocument, variables: { id } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  // Subscribed even while the lead is unknown: a lead submitted a moment ago shows
  // up with its first handoff.
  useRefreshOn(LeadPageHandoffProgressDocument, { leadId: id }, refresh);

  const lead = data?.lead;
  if (error) {
    return (
      <Page title={`Lead ${id}`}>
        <ErrorNotice error={error} title="The lead could not be loaded" />
      </Page>
    );
  }
  if (!data) {
    return (
      <Page title={`Lead ${id}`}>
        <Loading label="Loading the lead" />
      </Page>
    );
  }
  if (!lead) {
    return (
      <Page title="Lead not found">
        <p>No lead with id {id}.</p>
        <p>
          <Link href={PAGES.leads}>Back to the leads</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={`Lead ${lead.id}`} actions={<Link href={PAGES.leads}>All leads</Link>}>
      {fetching && (
        <span className="visually-hidden" role="status">
          Updating
        </span>
      )}
      <div className="panels">
        <ScoreFactors lead={lead} />
        <HandoffTimeline lead={lead} />
        <LeadTouchpoints lead={lead} />
        <LeadProfile lead={lead} />
        <LeadInteractions lead={lead} />
        <SimilarEpisodes lead={lead} />
        <LeadKnowledge lead={lead} />
      </div>
    </Page>
  );
}
