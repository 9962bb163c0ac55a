// The budget reallocation the latest review proposes: each channel's spend now
// and as proposed (a chart to compare, a table with the marginal ROAS behind it).
import { useMemo } from 'react';
import type { CampaignPageCampaignQuery } from '../../__generated__/graphql.ts';
import { Chart } from '../../components/chart.tsx';
import { formatDecimal, formatEnum, formatPercent, formatUsd } from '../../components/format.ts';
import { TableWrap } from '../../components/data-table.tsx';

type Recommendation = NonNullable<CampaignPageCampaignQuery['campaign']>['optimizations'][number]['recommendations'][number];

export function BudgetMoves({ recommendations }: { recommendations: readonly Recommendation[] }) {
  const proposal = recommendations.find((recommendation) => recommendation.budgetMoves && recommendation.budgetMoves.length > 0);
  const moves = proposal?.budgetMoves ?? [];
  const option = useMemo(
    () => ({
      grid: { left: 72, right: 16, top: 32, bottom: 32 },
      legend: { top: 0 },
      xAxis: { type: 'category', data: moves.map((move) => move.channel) },
      yAxis: { type: 'value', axisLabel: { formatter: (value: number) => formatUsd(value) } },
      series: [
        { name: 'Current spend', type: 'bar', data: moves.map((move) => move.currentSpendUsd) },
        { name: 'Proposed spend', type: 'bar', data: moves.map((move) => move.proposedSpendUsd) },
      ],
    }),
    [moves],
  );
  if (!proposal) {
    return <p className="hint">No budget move proposed: a reallocation needs at least two channels with spend over several periods.</p>;
  }
  return (
    <>
      <p>
        <span className={proposal.type === 'BUDGET_REALLOCATION' ? 'badge badge-good' : 'badge badge-warn'}>{formatEnum(proposal.type)}</span>{' '}
        {proposal.summary} (confidence {formatPercent(proposal.confidence)})
      </p>
      <Chart
        option={option}
        height={220}
        label={`Current and proposed spend per channel: ${moves.map((move) => `${move.channel} ${formatUsd(move.currentSpendUsd)} to ${formatUsd(move.proposedSpendUsd)}`).join('; ')}`}
      />
      <TableWrap label="Budget moves, scrollable">
        <table aria-label="Budget moves per channel">
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col" className="number">
                Spend now
              </th>
              <th scope="col" className="number">
                Proposed
              </th>
              <th scope="col" className="number">
                Change
              </th>
              <th scope="col" className="number">
                ROAS
              </th>
              <th scope="col" className="number">
                Marginal ROAS (now → proposed)
              </th>
              <th scope="col" className="number">
                Expected revenue change
              </th>
            </tr>
          </thead>
          <tbody>
            {moves.map((move) => (
              <tr key={move.channel}>
                <th scope="row">{move.channel}</th>
                <td className="number">{formatUsd(move.currentSpendUsd)}</td>
                <td className="number">{formatUsd(move.proposedSpendUsd)}</td>
                <td className="number">{formatUsd(move.changeUsd)}</td>
                <td className="number">{formatDecimal(move.currentRoas)}</td>
                <td className="number">
                  {formatDecimal(move.marginalRoas)} → {formatDecimal(move.proposedMarginalRoas)}
                </td>
                <td className="number">{formatUsd(move.expectedRevenueChangeUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
