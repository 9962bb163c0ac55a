// The lead funnel: received → triaged → an outcome recorded → converted, drawn as a
// funnel, and per triage category in a table (the figures in text, for every reader).
import { TableWrap } from '../../components/data-table.tsx';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { formatEnum, formatInteger, formatPercent } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import type { OverviewData } from './overview-data.ts';

export function LeadFunnelPanel({ funnel }: { funnel: OverviewData['leadFunnel'] }) {
  if (funnel.leads === 0) {
    return (
      <Panel title="Lead funnel" wide>
        <EmptyState title="No leads in this window">
          <p>
            Send one: <code>processLead</code> in <a href="/graphql">GraphiQL</a>, or <code>POST /api/v1/leads</code>. It appears here as soon as the agents
            have triaged it. Or choose a longer window.
          </p>
        </EmptyState>
      </Panel>
    );
  }
  const decided = funnel.converted + funnel.lost;
  const stages = [
    { name: 'Received', value: funnel.leads },
    { name: 'Triaged', value: funnel.triaged },
    { name: 'Outcome recorded', value: decided },
    { name: 'Converted', value: funnel.converted },
  ];
  const option: ChartOption = {
    tooltip: { trigger: 'item', renderMode: 'richText' },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        min: 0,
        max: funnel.leads,
        minSize: '8%',
        left: '5%',
        width: '90%',
        top: 8,
        bottom: 8,
        label: { show: true, position: 'inside', formatter: '{b}: {c}', color: '#fff' },
        data: stages,
      },
    ],
  };
  return (
    <Panel title="Lead funnel" wide>
      <Chart option={option} height={180} label={`Lead funnel: ${stages.map((stage) => `${stage.name} ${stage.value}`).join(', ')}.`} />
      <TableWrap label="Leads by triage category and outcome">
        <table>
          <caption className="visually-hidden">Leads by triage category and outcome</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col" className="number">
                Leads
              </th>
              <th scope="col" className="number">
                Converted
              </th>
              <th scope="col" className="number">
                Lost
              </th>
              <th scope="col" className="number">
                Open
              </th>
              <th scope="col" className="number">
                Conversion rate
              </th>
            </tr>
          </thead>
          <tbody>
            {funnel.byCategory.map((row) => (
              <tr key={row.category}>
                <th scope="row">{formatEnum(row.category)}</th>
                <td className="number">{formatInteger(row.leads)}</td>
                <td className="number">{formatInteger(row.converted)}</td>
                <td className="number">{formatInteger(row.lost)}</td>
                <td className="number">{formatInteger(row.open)}</td>
                <td className="number">{row.converted + row.lost === 0 ? '—' : formatPercent(row.converted / (row.converted + row.lost))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p className="hint">Conversion rate: converted, of the leads with an outcome recorded.</p>
      {funnel.leads > funnel.triaged && <p className="hint">{formatInteger(funnel.leads - funnel.triaged)} received, not triaged yet.</p>}
      {decided === 0 && (
        <p className="hint">
          No outcome recorded yet: <code>recordOutcome</code> marks a lead converted or lost, and the triage model learns from it.
        </p>
      )}
    </Panel>
  );
}
