// Each agent's throughput and own processing time over the window (bars per
// agent: median, p95, p99), and who was active in the last 24 hours.
import { Chart } from '../../components/chart.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { formatDateTime, formatInteger, formatMs } from '../../components/format.ts';
import type { HandoffsPageAgentStatusQuery, HandoffsPageAnalyticsQuery } from '../../__generated__/graphql.ts';

type AgentTiming = HandoffsPageAnalyticsQuery['handoffAnalytics']['agents'][number];
type AgentStatus = HandoffsPageAgentStatusQuery['systemStatus']['agentStatus'][number];

/** What the specification asks of each agent's own processing time. */
const TARGET_MS: Record<string, number> = { triage: 85, engagement: 120, optimization: 200 };

export function AgentTimings({ agents }: { agents: readonly AgentTiming[] }) {
  if (agents.every((agent) => agent.count === 0)) {
    return <EmptyState title="No agent worked in this window">Process a lead (Leads page or the processLead mutation), or choose a longer window.</EmptyState>;
  }
  const names = agents.map((agent) => agent.agent);
  const percentile = (key: 'p50Ms' | 'p95Ms' | 'p99Ms') => agents.map((agent) => agent.processing[key]);
  return (
    <>
      <Chart
        label={`Processing time per agent, milliseconds: ${agents
          .map(
            (agent) =>
              `${agent.agent} median ${formatMs(agent.processing.p50Ms)}, p95 ${formatMs(agent.processing.p95Ms)}, p99 ${formatMs(agent.processing.p99Ms)}`,
          )
          .join('; ')}`}
        option={{
          legend: { top: 0 },
          grid: { left: 56, right: 16, top: 36, bottom: 28 },
          xAxis: { type: 'category', data: names },
          yAxis: { type: 'value', name: 'ms' },
          series: [
            { type: 'bar', name: 'Median', data: percentile('p50Ms') },
            { type: 'bar', name: 'p95', data: percentile('p95Ms') },
            { type: 'bar', name: 'p99', data: percentile('p99Ms') },
          ],
        }}
      />
      <div className="table-wrap">
        <table aria-label="Throughput and processing time per agent">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Worked on</th>
              <th scope="col">Average</th>
              <th scope="col">Median</th>
              <th scope="col">p95</th>
              <th scope="col">p99</th>
              <th scope="col">Target</th>
              <th scope="col">Queue wait (avg)</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.agent}>
                <th scope="row">{agent.agent}</th>
                <td className="number">{formatInteger(agent.count)}</td>
                <td className="number">{formatMs(agent.processing.averageMs)}</td>
                <td className="number">{formatMs(agent.processing.p50Ms)}</td>
                <td className="number">{formatMs(agent.processing.p95Ms)}</td>
                <td className="number">{formatMs(agent.processing.p99Ms)}</td>
                <td className="number">{formatMs(TARGET_MS[agent.agent])}</td>
                <td className="number">{formatMs(agent.queueWait.averageMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function AgentActivity({ agents }: { agents: readonly AgentStatus[] }) {
  if (agents.length === 0)
    return <EmptyState title="No agent has handed work on yet">Process a lead: each agent appears here once it sends or receives a handoff.</EmptyState>;
  return (
    <>
      <Chart
        label={`Handoffs sent or received per agent in the last 24 hours: ${agents.map((agent) => `${agent.agent} ${agent.handoffsLast24h}`).join(', ')}`}
        height={Math.max(140, agents.length * 36)}
        option={{
          grid: { left: 190, right: 32, top: 8, bottom: 24 },
          xAxis: { type: 'value', minInterval: 1 },
          yAxis: { type: 'category', data: agents.map((agent) => agent.agent), inverse: true },
          series: [{ type: 'bar', name: 'Handoffs (24 h)', data: agents.map((agent) => agent.handoffsLast24h), label: { show: true, position: 'right' } }],
        }}
      />
      <div className="table-wrap">
        <table aria-label="Agents active in the last 24 hours">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Role</th>
              <th scope="col">Handoffs (24 h)</th>
              <th scope="col">Last active</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.agent}>
                <th scope="row">{agent.agent}</th>
                <td>{agent.role}</td>
                <td className="number">{formatInteger(agent.handoffsLast24h)}</td>
                <td>{formatDateTime(agent.lastActiveAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
