// How the agents hand work to each other in the window: success and latency.
import { Link } from 'wouter';
import { EmptyState } from '../../components/empty-state.tsx';
import { formatInteger, formatMs, formatPercent } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import { PAGES } from '../../routes.ts';
import type { OverviewData } from './overview-data.ts';

export function HandoffsPanel({ analytics }: { analytics: OverviewData['handoffAnalytics'] }) {
  return (
    <Panel title="Handoffs">
      {analytics.totalHandoffs === 0 ? (
        <EmptyState title="No handoff in this window">
          <p>Each lead the agents process hands off from triage to engagement: process a lead and its handoffs are counted here.</p>
        </EmptyState>
      ) : (
        <StatGrid>
          <Stat
            label="Success rate"
            value={formatPercent(analytics.successRate)}
            detail={`${formatInteger(analytics.totalHandoffs)} handoffs, ${formatInteger(analytics.activeHandoffs)} in progress`}
          />
          <Stat
            label="Acceptance latency"
            value={formatMs(analytics.acceptanceLatency.averageMs)}
            detail={`p95 ${formatMs(analytics.acceptanceLatency.p95Ms)}`}
          />
          <Stat label="Processing time" value={formatMs(analytics.averageProcessingTimeMs)} detail={`p95 ${formatMs(analytics.p95ProcessingTimeMs)}`} />
        </StatGrid>
      )}
      <p className="hint">
        <Link href={PAGES.handoffs}>Handoffs &amp; agents</Link> has the details.
      </p>
    </Panel>
  );
}
