// Every campaign with its headline KPIs (CTR, CVR, CPL, ROAS over all stored
// snapshots), its spend and revenue, and whether its latest review found a breach.
// Live: a campaign alert refetches the list.
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { CampaignsPageAlertsDocument, CampaignsPageListDocument } from '../../__generated__/graphql.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatDateTime, formatDecimal, formatPercent, formatUsd } from '../../components/format.ts';
import { Loading } from '../../components/loading.tsx';
import { Page } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import { useRefreshOn } from '../../graphql/use-refresh-on.ts';
import { campaignPath } from '../../routes.ts';
import { TableWrap } from '../../components/data-table.tsx';

export default function CampaignsPage() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: CampaignsPageListDocument, requestPolicy: 'cache-and-network' });
  useRefreshOn(CampaignsPageAlertsDocument, {}, () => refetch({ requestPolicy: 'network-only' }));
  const campaigns = (data?.campaigns.edges ?? []).map((edge) => edge.node);
  const spend = campaigns.reduce((sum, campaign) => sum + campaign.kpis.overall.spendUsd, 0);
  const revenue = campaigns.reduce((sum, campaign) => sum + campaign.kpis.overall.revenueUsd, 0);
  const breaching = campaigns.filter((campaign) => (campaign.optimizations[0]?.breaches.length ?? 0) > 0).length;

  return (
    <Page title="Campaigns">
      {error && <ErrorNotice error={error} title="The campaigns could not be read" />}
      {!data && fetching && <Loading label="Loading campaigns" />}
      {data && campaigns.length === 0 && (
        <EmptyState title="No campaign yet">
          <p>
            Create one with the <code>createCampaign</code> mutation, then send its metrics per period with <code>ingestCampaignMetrics</code> (or{' '}
            <code>POST /api/v1/campaigns/&#123;campaign_id&#125;/optimize</code> with its snapshots); its KPIs and the optimization agent's advice then appear
            here.
          </p>
        </EmptyState>
      )}
      {campaigns.length > 0 && (
        <>
          <StatGrid>
            <Stat label="Campaigns" value={String(campaigns.length)} />
            <Stat label="Spend" value={formatUsd(spend)} detail="all stored periods" />
            <Stat label="Revenue" value={formatUsd(revenue)} detail={spend > 0 ? `ROAS ${formatDecimal(revenue / spend)}` : undefined} />
            <Stat label="Breaching" value={String(breaching)} detail="latest review found a KPI past its threshold" />
          </StatGrid>
          <TableWrap label="Campaigns, scrollable">
            <table>
              <caption className="hint">Every campaign, newest first; KPIs over all its stored periods.</caption>
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="number">
                    Budget
                  </th>
                  <th scope="col" className="number">
                    Spend
                  </th>
                  <th scope="col" className="number">
                    CTR
                  </th>
                  <th scope="col" className="number">
                    CVR
                  </th>
                  <th scope="col" className="number">
                    CPL
                  </th>
                  <th scope="col" className="number">
                    ROAS
                  </th>
                  <th scope="col">Latest review</th>
                </tr>
              </thead>
              <tbody>
                {campaigns.map((campaign) => {
                  const { overall } = campaign.kpis;
                  const review = campaign.optimizations[0];
                  return (
                    <tr key={campaign.id}>
                      <td>
                        <Link href={campaignPath(campaign.id)}>{campaign.name}</Link>
                        <div className="hint">
                          {campaign.kpis.byPeriod.length} periods
                          {campaign.kpis.byPeriod.length > 0 && `, to ${formatDateTime(campaign.kpis.byPeriod.at(-1)?.periodEnd)}`}
                        </div>
                      </td>
                      <td>{campaign.status}</td>
                      <td className="number">{formatUsd(campaign.budgetUsd)}</td>
                      <td className="number">{formatUsd(overall.spendUsd)}</td>
                      <td className="number">{formatPercent(overall.ctr, 2)}</td>
                      <td className="number">{formatPercent(overall.cvr, 2)}</td>
                      <td className="number">{formatUsd(overall.cplUsd)}</td>
                      <td className="number">{formatDecimal(overall.roas)}</td>
                      <td>
                        {!review ? (
                          'Not reviewed'
                        ) : review.breaches.length > 0 ? (
                          <span className="badge badge-bad">{review.breaches.length} breach(es)</span>
                        ) : (
                          <span className="badge badge-good">No breach</span>
                        )}
                        {review && <div className="hint">{formatDateTime(review.createdAt)}</div>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
          {data?.campaigns.pageInfo.hasNextPage && <p className="hint">The 50 newest campaigns are shown.</p>}
        </>
      )}
    </Page>
  );
}
