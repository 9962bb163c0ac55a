// Handoff analytics and agents: how the agents hand work to each other over a
// chosen window (success, quality, latency percentiles, triggers and types),
// each agent's throughput and processing time, and the latest handoffs. Live:
// every handoff event re-reads the figures (and moves a "last hour" window on).
import { useCallback, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import {
  HandoffsPageAgentStatusDocument,
  HandoffsPageAnalyticsDocument,
  HandoffsPageProgressDocument,
  HandoffsPageRecentDocument,
} from '../../__generated__/graphql.ts';
import { Chart } from '../../components/chart.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatDateTime, formatInteger, formatMs, formatPercent } from '../../components/format.ts';
import { Loading } from '../../components/loading.tsx';
import { Page, Panel } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import { useRefreshOn } from '../../graphql/use-refresh-on.ts';
import { AgentActivity, AgentTimings } from './agents-panel.tsx';
import { AnalyticsWindow, type WindowChoice, windowBounds } from './analytics-window.tsx';
import { CountsChart } from './counts-chart.tsx';
import { RecentFilters, type RecentFilter, RecentHandoffs, toHandoffFilter } from './recent-handoffs.tsx';
import './handoffs.css';

const RECENT_SIZE = 20;

export default function HandoffsPage() {
  const [choice, setChoice] = useState<WindowChoice>({ preset: 'day', since: '', until: '' });
  const [now, setNow] = useState(() => Date.now());
  const [recentFilter, setRecentFilter] = useState<RecentFilter>({ type: '', status: '' });
  const bounds = useMemo(() => windowBounds(choice, now), [choice, now]);

  const [analytics, reexecuteAnalytics] = useQuery({ query: HandoffsPageAnalyticsDocument, variables: bounds });
  const [agentStatus, reexecuteAgentStatus] = useQuery({ query: HandoffsPageAgentStatusDocument });
  const recentVariables = useMemo(() => ({ filter: toHandoffFilter(recentFilter, bounds), first: RECENT_SIZE }), [recentFilter, bounds]);
  const [recent, reexecuteRecent] = useQuery({ query: HandoffsPageRecentDocument, variables: recentVariables });

  const refresh = useCallback(() => {
    // A moving window moves on (new variables re-run the window's queries); a fixed one is read again.
    if (choice.preset === 'custom') {
      reexecuteAnalytics({ requestPolicy: 'network-only' });
      reexecuteRecent({ requestPolicy: 'network-only' });
    } else {
      setNow(Date.now());
    }
    reexecuteAgentStatus({ requestPolicy: 'network-only' });
  }, [choice.preset, reexecuteAnalytics, reexecuteRecent, reexecuteAgentStatus]);
  useRefreshOn(HandoffsPageProgressDocument, {}, refresh);

  const data = analytics.data?.handoffAnalytics;
  return (
    <Page title="Handoffs & agents" actions={<AnalyticsWindow value={choice} onChange={setChoice} />}>
      {analytics.error && <ErrorNotice error={analytics.error} title="The handoff analytics could not be read" />}
      {!data && analytics.fetching && <Loading label="Loading handoff analytics" />}
      {data && (
        <>
          <p className="hint">
            Handoffs created from {formatDateTime(data.since)} to {formatDateTime(data.until)}.
          </p>
          {data.totalHandoffs === 0 ? (
            <EmptyState title="No handoffs in this window">
              Process a lead (Leads page, or the processLead mutation) to start a flow from triage to engagement, or choose a longer window.
            </EmptyState>
          ) : (
            <div className="panels">
              <Panel title="Outcome" wide>
                <StatGrid>
                  <Stat label="Handoffs" value={formatInteger(data.totalHandoffs)} detail={`${formatInteger(data.activeHandoffs)} active`} />
                  <Stat label="Success rate" value={formatPercent(data.successRate)} detail="completed of finished" />
                  <Stat label="Average quality" value={formatPercent(data.averageQuality)} detail="context quality at the gate" />
                  <Stat label="Context preserved" value={formatPercent(data.contextPreservationAccuracy)} detail="target above 98 %" />
                  <Stat label="Escalations" value={formatInteger(data.escalations)} detail={`${formatInteger(data.openEscalations)} open`} />
                  <Stat label="Waiting for context" value={formatInteger(data.contextRequested)} />
                  <Stat label="Bounce-backs" value={formatInteger(data.bounceBacks)} />
                  <Stat label="Retried" value={formatInteger(data.retriedHandoffs)} />
                </StatGrid>
              </Panel>
              <Panel title="Latency" wide>
                <StatGrid>
                  <Stat label="Processing, median" value={formatMs(data.p50ProcessingTimeMs)} />
                  <Stat label="Processing, p95" value={formatMs(data.p95ProcessingTimeMs)} />
                  <Stat label="Processing, p99" value={formatMs(data.p99ProcessingTimeMs)} />
                  <Stat label="Processing, average" value={formatMs(data.averageProcessingTimeMs)} />
                  <Stat label="Acceptance, median" value={formatMs(data.acceptanceLatency.p50Ms)} detail="request to accepted" />
                  <Stat label="Acceptance, p95" value={formatMs(data.acceptanceLatency.p95Ms)} />
                  <Stat label="Acceptance, p99" value={formatMs(data.acceptanceLatency.p99Ms)} />
                </StatGrid>
                <Chart
                  label={`Latency percentiles: processing median ${formatMs(data.p50ProcessingTimeMs)}, p95 ${formatMs(data.p95ProcessingTimeMs)}, p99 ${formatMs(
                    data.p99ProcessingTimeMs,
                  )}; acceptance median ${formatMs(data.acceptanceLatency.p50Ms)}, p95 ${formatMs(data.acceptanceLatency.p95Ms)}, p99 ${formatMs(data.acceptanceLatency.p99Ms)}`}
                  height={220}
                  option={{
                    legend: { top: 0 },
                    grid: { left: 56, right: 16, top: 36, bottom: 28 },
                    xAxis: { type: 'category', data: ['Median', 'p95', 'p99'] },
                    yAxis: { type: 'value', name: 'ms' },
                    series: [
                      { type: 'bar', name: 'Processing', data: [data.p50ProcessingTimeMs, data.p95ProcessingTimeMs, data.p99ProcessingTimeMs] },
                      { type: 'bar', name: 'Acceptance', data: [data.acceptanceLatency.p50Ms, data.acceptanceLatency.p95Ms, data.acceptanceLatency.p99Ms] },
                    ],
                  }}
                />
              </Panel>
              <Panel title="Triggers">
                <CountsChart counts={data.byTrigger} label="Handoffs by trigger" keyHeading="Trigger" />
              </Panel>
              <Panel title="Types">
                <CountsChart counts={data.byType} label="Handoffs by type" keyHeading="Type" />
              </Panel>
            </div>
          )}
          <div className="panels">
            <Panel title="Agents in this window" wide>
              <AgentTimings agents={data.agents} />
            </Panel>
          </div>
        </>
      )}
      <div className="panels">
        <Panel title="Agent activity, last 24 hours" wide>
          {agentStatus.error && <ErrorNotice error={agentStatus.error} title="The agents' status could not be read" />}
          {agentStatus.data ? <AgentActivity agents={agentStatus.data.systemStatus.agentStatus} /> : agentStatus.fetching && <Loading label="Loading agents" />}
        </Panel>
        <Panel title="Recent handoffs" wide>
          <RecentFilters value={recentFilter} onChange={setRecentFilter} />
          {recent.error && <ErrorNotice error={recent.error} title="The handoffs could not be read" />}
          {recent.data ? (
            <RecentHandoffs handoffs={recent.data.handoffs.edges.map((edge) => edge.node)} />
          ) : (
            recent.fetching && <Loading label="Loading handoffs" />
          )}
        </Panel>
      </div>
    </Page>
  );
}
