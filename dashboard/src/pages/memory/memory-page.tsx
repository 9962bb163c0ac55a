// Memory: the knowledge graph around a segment (a small graph view), how much
// each tier holds, the live short-term conversations, and consolidation runs
// (admins can run one now). Live: every lead processed re-reads the tiers.
import { useCallback } from 'react';
import { useQuery } from 'urql';
import {
  MemoryPageConsolidationRunsDocument,
  MemoryPageConversationsDocument,
  MemoryPageLeadProcessedDocument,
  MemoryPageStatsDocument,
} from '../../__generated__/graphql.ts';
import { useSession } from '../../auth/session.tsx';
import { Chart } from '../../components/chart.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatInteger, formatPercent } from '../../components/format.ts';
import { Loading } from '../../components/loading.tsx';
import { Page, Panel } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import { useRefreshOn } from '../../graphql/use-refresh-on.ts';
import { ConsolidateButton, ConsolidationRuns } from './consolidation-panel.tsx';
import { ConversationsTable } from './conversations-panel.tsx';
import { KnowledgePanel } from './knowledge-panel.tsx';
import './memory.css';

const LIST_SIZE = 20;

export default function MemoryPage() {
  const { can } = useSession();
  const [stats, reexecuteStats] = useQuery({ query: MemoryPageStatsDocument });
  const [conversations, reexecuteConversations] = useQuery({ query: MemoryPageConversationsDocument, variables: { first: LIST_SIZE } });
  const [runs, reexecuteRuns] = useQuery({ query: MemoryPageConsolidationRunsDocument, variables: { first: LIST_SIZE } });

  const refresh = useCallback(() => {
    reexecuteStats({ requestPolicy: 'network-only' });
    reexecuteConversations({ requestPolicy: 'network-only' });
    reexecuteRuns({ requestPolicy: 'network-only' });
  }, [reexecuteStats, reexecuteConversations, reexecuteRuns]);
  useRefreshOn(MemoryPageLeadProcessedDocument, {}, refresh);

  const tiers = stats.data?.memoryStats;
  return (
    <Page title="Memory" actions={can('admin') ? <ConsolidateButton onDone={refresh} /> : undefined}>
      <div className="panels">
        <Panel title="Knowledge graph" wide>
          <KnowledgePanel />
        </Panel>
        <Panel title="Memory tiers" wide>
          {stats.error && <ErrorNotice error={stats.error} title="The memory statistics could not be read" />}
          {!tiers && stats.fetching && <Loading label="Loading memory statistics" />}
          {tiers && (
            <>
              <StatGrid>
                <Stat
                  label="Short-term conversations"
                  value={formatInteger(tiers.shortTerm.activeContexts)}
                  detail={`${tiers.shortTerm.backend}; hit rate ${formatPercent(tiers.shortTerm.hitRate)}`}
                />
                <Stat label="Lead profiles" value={formatInteger(tiers.longTerm)} detail="long-term" />
                <Stat label="Episodes" value={formatInteger(tiers.episodic.episodes)} detail="episodic" />
                <Stat
                  label="Knowledge facts"
                  value={formatInteger(tiers.semantic.facts)}
                  detail={`${formatInteger(tiers.semantic.nodes)} nodes; ${tiers.semantic.backend}`}
                />
              </StatGrid>
              {tiers.episodic.episodes > 0 && (
                <Chart
                  label={`Episodes by outcome: converted ${tiers.episodic.converted}, replied ${tiers.episodic.replied}, ignored ${tiers.episodic.ignored}, lost ${tiers.episodic.lost}`}
                  height={200}
                  option={{
                    grid: { left: 80, right: 32, top: 8, bottom: 24 },
                    xAxis: { type: 'value', minInterval: 1 },
                    yAxis: { type: 'category', inverse: true, data: ['Converted', 'Replied', 'Ignored', 'Lost'] },
                    series: [
                      {
                        type: 'bar',
                        name: 'Episodes',
                        data: [tiers.episodic.converted, tiers.episodic.replied, tiers.episodic.ignored, tiers.episodic.lost],
                        label: { show: true, position: 'right' },
                      },
                    ],
                  }}
                />
              )}
            </>
          )}
        </Panel>
        <Panel title="Short-term conversations" wide>
          {conversations.error && <ErrorNotice error={conversations.error} title="The conversations could not be read" />}
          {conversations.data ? (
            <ConversationsTable conversations={conversations.data.shortTermConversations} />
          ) : (
            conversations.fetching && <Loading label="Loading conversations" />
          )}
        </Panel>
        <Panel title="Consolidation runs" wide>
          {runs.error && <ErrorNotice error={runs.error} title="The consolidation runs could not be read" />}
          {runs.data ? <ConsolidationRuns runs={runs.data.consolidationRuns} /> : runs.fetching && <Loading label="Loading consolidation runs" />}
        </Panel>
      </div>
    </Page>
  );
}
