// One campaign: headline KPIs, KPIs over time as charts, and the optimization
// agent's latest review: variant tests, anomalies, budget moves, breaches and
// every recommendation with its evidence. Operators and admins can run a review;
// the recommendations are applied when a manager approves the escalation a
// review raises (the escalation queue). Live: a campaign alert refetches.
import { useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import { CampaignPageAlertsDocument, CampaignPageCampaignDocument } from '../../__generated__/graphql.ts';
import { useSession } from '../../auth/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatDateTime, formatDecimal, formatEnum, formatInteger, formatPercent, formatUsd } from '../../components/format.ts';
import { Loading } from '../../components/loading.tsx';
import { Page, Panel } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import { useRefreshOn } from '../../graphql/use-refresh-on.ts';
import { PAGES } from '../../routes.ts';
import { Anomalies } from './anomalies.tsx';
import { BudgetMoves } from './budget-moves.tsx';
import { EvidenceList } from './evidence-list.tsx';
import { KpiCharts } from './kpi-charts.tsx';
import { Recommendations } from './recommendations.tsx';
import { RunReview } from './run-review.tsx';
import { VariantTests } from './variant-tests.tsx';
import './campaign.css';
import { kpiLabel } from './kpi-label.ts';

export default function CampaignPage() {
  const { id = '' } = useParams<{ id: string }>();
  const session = useSession();
  const [{ data, error, fetching }, refetch] = useQuery({ query: CampaignPageCampaignDocument, variables: { id }, requestPolicy: 'cache-and-network' });
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  useRefreshOn(CampaignPageAlertsDocument, { campaignId: id }, refresh);

  if (error) {
    return (
      <Page title="Campaign">
        <ErrorNotice error={error} title="The campaign could not be read" />
      </Page>
    );
  }
  if (!data) {
    return <Page title="Campaign">{fetching ? <Loading label="Loading the campaign" /> : null}</Page>;
  }
  const campaign = data.campaign;
  if (!campaign) {
    return (
      <Page title="Campaign not found">
        <EmptyState title={`No campaign has the id ${id}`}>
          <p>
            <Link href={PAGES.campaigns}>The campaign list</Link> shows every campaign; create one with the <code>createCampaign</code> mutation.
          </p>
        </EmptyState>
      </Page>
    );
  }

  const { overall, byPeriod } = campaign.kpis;
  const review = campaign.optimizations[0];
  const canReview = session.can('processLeads');

  return (
    <Page title={campaign.name} actions={canReview && byPeriod.length > 0 ? <RunReview campaignId={campaign.id} onReviewed={refresh} /> : undefined}>
      <p className="hint">
        Campaign <code>{campaign.id}</code>, {campaign.status}, budget {formatUsd(campaign.budgetUsd)}, created {formatDateTime(campaign.createdAt)}.
      </p>
      {byPeriod.length === 0 ? (
        <EmptyState title="No metrics yet">
          <p>
            Send the campaign's snapshots per period (impressions, clicks, conversions, spend, revenue, by variant and channel) with the{' '}
            <code>ingestCampaignMetrics</code> mutation or <code>POST /api/v1/campaigns/&#123;campaign_id&#125;/optimize</code>; its KPIs, charts and the
            optimization agent's advice then appear here.
          </p>
        </EmptyState>
      ) : (
        <>
          <StatGrid>
            <Stat label="Spend" value={formatUsd(overall.spendUsd)} detail={`${byPeriod.length} periods`} />
            <Stat label="Revenue" value={formatUsd(overall.revenueUsd)} />
            <Stat label="CTR" value={formatPercent(overall.ctr, 2)} detail={`${formatInteger(overall.clicks)} clicks`} />
            <Stat label="CVR" value={formatPercent(overall.cvr, 2)} detail={`${formatInteger(overall.conversions)} conversions`} />
            <Stat label="CPL" value={formatUsd(overall.cplUsd)} />
            <Stat label="ROAS" value={formatDecimal(overall.roas)} />
          </StatGrid>
          <div className="panels">
            <Panel title="KPIs over time" wide>
              <KpiCharts periods={byPeriod} />
            </Panel>
            {!review ? (
              <Panel title="Optimization" wide>
                <EmptyState title="Not reviewed yet">
                  <p>
                    {canReview
                      ? 'Review this campaign now (the button above): the optimization agent tests the variants, looks for anomalies and proposes budget moves, with the evidence.'
                      : 'An operator or admin can run a review (optimizeCampaign); its variant tests, anomalies, budget moves and recommendations then appear here.'}
                  </p>
                </EmptyState>
              </Panel>
            ) : (
              <>
                <Panel title="Latest review" wide>
                  <p>
                    Reviewed {formatDateTime(review.createdAt)}.{' '}
                    {review.escalation ? (
                      <>
                        Its breaches escalated to a manager
                        {review.escalation.resolution ? ` (${formatEnum(review.escalation.resolution).toLowerCase()})` : ', waiting for a decision'}.{' '}
                        {!review.escalation.resolution && (
                          <Link href={PAGES.escalations}>Approving it in the escalation queue applies the recommendations to engagement.</Link>
                        )}
                      </>
                    ) : (
                      'No KPI breached its threshold.'
                    )}
                  </p>
                  {review.breaches.length > 0 && (
                    <ul className="stack campaign-list" aria-label="Breaches">
                      {review.breaches.map((breach) => (
                        <li key={`${breach.kpi}-${breach.summary}`}>
                          <span className={breach.severity === 'CRITICAL' ? 'badge badge-bad' : 'badge badge-warn'}>{formatEnum(breach.severity)}</span>{' '}
                          {breach.summary}
                          <EvidenceList evidence={breach.evidence} label={`Evidence for the ${kpiLabel(breach.kpi)} breach`} />
                        </li>
                      ))}
                    </ul>
                  )}
                  {review.insufficientData.length > 0 && (
                    <>
                      <h3>For more advice</h3>
                      <ul>
                        {review.insufficientData.map((missing) => (
                          <li key={missing}>{missing}</li>
                        ))}
                      </ul>
                    </>
                  )}
                </Panel>
                <Panel title="Variant tests" wide>
                  <VariantTests recommendations={review.recommendations} />
                </Panel>
                <Panel title="Anomalies">
                  <Anomalies recommendations={review.recommendations} />
                </Panel>
                <Panel title="Budget moves">
                  <BudgetMoves recommendations={review.recommendations} />
                </Panel>
                <Panel title="Recommendations" wide>
                  <Recommendations recommendations={review.recommendations} />
                </Panel>
              </>
            )}
          </div>
        </>
      )}
    </Page>
  );
}
