// KPIs over time: CTR, CVR, CPL and ROAS per period, one chart each (their units
// differ), and the same figures in a table for those who read rather than look.
import { useMemo } from 'react';
import type { CampaignPageCampaignQuery } from '../../__generated__/graphql.ts';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { formatDecimal, formatPercent, formatUsd } from '../../components/format.ts';
import { TableWrap } from '../../components/data-table.tsx';

type Period = NonNullable<CampaignPageCampaignQuery['campaign']>['kpis']['byPeriod'][number];

const day = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const periodLabel = (period: Period) => day.format(new Date(period.periodStart));

interface Kpi {
  key: 'ctr' | 'cvr' | 'cplUsd' | 'roas';
  title: string;
  /** How a value reads on the axis and in the table. */
  format: (value: number | null) => string;
  /** Chart values: rates as percentages, so the axis reads like the table. */
  scale: number;
}

const KPIS: Kpi[] = [
  { key: 'ctr', title: 'CTR (clicks per impression)', format: (value) => formatPercent(value, 2), scale: 100 },
  { key: 'cvr', title: 'CVR (conversions per click)', format: (value) => formatPercent(value, 2), scale: 100 },
  { key: 'cplUsd', title: 'CPL (cost per lead, USD)', format: formatUsd, scale: 1 },
  { key: 'roas', title: 'ROAS (revenue per dollar spent)', format: formatDecimal, scale: 1 },
];

function lineOption(periods: readonly Period[], kpi: Kpi, color: string): ChartOption {
  return {
    grid: { left: 56, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: periods.map(periodLabel) },
    yAxis: { type: 'value', scale: true, axisLabel: { formatter: kpi.scale === 100 ? '{value} %' : '{value}' } },
    series: [
      {
        name: kpi.title,
        type: 'line',
        color,
        data: periods.map((period) => (period[kpi.key] == null ? null : Number(((period[kpi.key] as number) * kpi.scale).toFixed(4)))),
        connectNulls: false,
      },
    ],
  };
}

export function KpiCharts({ periods }: { periods: readonly Period[] }) {
  const options = useMemo(() => KPIS.map((kpi, index) => lineOption(periods, kpi, ['#1d4ed8', '#047857', '#b45309', '#7c3aed'][index] as string)), [periods]);
  return (
    <>
      <div className="campaign-charts">
        {KPIS.map((kpi, index) => (
          <figure key={kpi.key} className="campaign-chart">
            <figcaption>{kpi.title}</figcaption>
            <Chart
              option={options[index] as ChartOption}
              height={200}
              label={`${kpi.title} by period, ${periods.length} periods: latest ${kpi.format(periods.at(-1)?.[kpi.key] ?? null)}`}
            />
          </figure>
        ))}
      </div>
      <details className="evidence">
        <summary>The figures by period</summary>
        <TableWrap label="KPIs by period, scrollable">
          <table aria-label="KPIs by period">
            <thead>
              <tr>
                <th scope="col">Period from</th>
                <th scope="col" className="number">
                  Spend
                </th>
                <th scope="col" className="number">
                  Revenue
                </th>
                {KPIS.map((kpi) => (
                  <th key={kpi.key} scope="col" className="number">
                    {kpi.title.split(' ')[0]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {periods.map((period) => (
                <tr key={period.periodStart}>
                  <td>{periodLabel(period)}</td>
                  <td className="number">{formatUsd(period.spendUsd)}</td>
                  <td className="number">{formatUsd(period.revenueUsd)}</td>
                  {KPIS.map((kpi) => (
                    <td key={kpi.key} className="number">
                      {kpi.format(period[kpi.key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </>
  );
}
