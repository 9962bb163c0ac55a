// Leads: the list a marketer works from, filtered, ordered and paged by the
// address (shareable, the back button steps back), live: a lead processed
// anywhere reruns the query. Operators and admins can process a lead from here.
import { useCallback, useMemo } from 'react';
import { useQuery } from 'urql';
import { useLocation, useSearch } from 'wouter';
import { LeadsPageLeadProcessedDocument, LeadsPageLeadsDocument, type LeadOrder } from '../../__generated__/graphql.ts';
import { useSession } from '../../auth/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatInteger } from '../../components/format.ts';
import { Loading } from '../../components/loading.tsx';
import { Page } from '../../components/page.tsx';
import { useRefreshOn } from '../../graphql/use-refresh-on.ts';
import { PAGES } from '../../routes.ts';
import { LeadsFilters } from './leads-filters.tsx';
import { type LeadsView, leadsQueryVariables, leadsViewSearch, parseLeadsView } from './leads-query-string.ts';
import { LeadsTable } from './leads-table.tsx';
import { ProcessLeadForm } from './process-lead-form.tsx';
import './leads.css';

export default function LeadsPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const view = useMemo(() => parseLeadsView(search), [search]);
  const variables = useMemo(() => leadsQueryVariables(view), [view]);
  const [{ data, error, fetching }, refetch] = useQuery({ query: LeadsPageLeadsDocument, variables });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useRefreshOn(LeadsPageLeadProcessedDocument, {}, refresh);
  const { can } = useSession();

  const show = (next: LeadsView) => navigate(`${PAGES.leads}${leadsViewSearch(next)}`);
  // A new filter or order starts again at the first page.
  const filter = (filters: LeadsView['filters']) => show({ filters, order: view.order });
  const order = (by: LeadOrder) => show({ filters: view.filters, order: by });

  const leads = data?.leads;
  const filtered = Object.values(view.filters).some(Boolean);
  return (
    <Page title="Leads">
      {can('processLeads') && <ProcessLeadForm />}
      <LeadsFilters filters={view.filters} onChange={filter} />
      {error && <ErrorNotice error={error} title="The leads could not be loaded" />}
      {!leads && fetching && <Loading label="Loading leads" />}
      {leads && (
        <>
          <p className="leads-count" role="status">
            {countSentence(leads.totalCount, filtered)}
          </p>
          {leads.edges.length === 0 ? (
            <EmptyState title={filtered ? 'No lead matches these filters' : 'No leads yet'}>
              {filtered
                ? 'Clear a filter or two to see more.'
                : 'Leads appear here as soon as they are processed: send one through processLead (GraphQL), POST /api/v1/leads, or the form above if you are an operator.'}
            </EmptyState>
          ) : (
            <>
              <LeadsTable rows={leads.edges.map((edge) => edge.node)} order={view.order} onOrder={order} caption={`Leads, ${leads.totalCount} in all`} />
              <nav className="row leads-pager" aria-label="Pages of leads">
                <button
                  type="button"
                  className="button-quiet"
                  disabled={!leads.pageInfo.hasPreviousPage || !leads.pageInfo.startCursor}
                  onClick={() => show({ ...view, after: undefined, before: leads.pageInfo.startCursor ?? undefined })}
                >
                  Previous page
                </button>
                <button
                  type="button"
                  className="button-quiet"
                  disabled={!leads.pageInfo.hasNextPage || !leads.pageInfo.endCursor}
                  onClick={() => show({ ...view, before: undefined, after: leads.pageInfo.endCursor ?? undefined })}
                >
                  Next page
                </button>
              </nav>
            </>
          )}
        </>
      )}
    </Page>
  );
}

function countSentence(total: number, filtered: boolean): string {
  const leads = `${formatInteger(total)} ${total === 1 ? 'lead' : 'leads'}`;
  if (!filtered) return `${leads} in all`;
  return `${leads} ${total === 1 ? 'matches' : 'match'} these filters`;
}
