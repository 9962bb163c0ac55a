// How far the model's conversion probabilities are from what happened: held-out
// outcomes by decile of predicted probability, against the diagonal of a perfectly
// calibrated model, drawn and (for every reader) tabled.
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { TableWrap } from '../../components/data-table.tsx';
import { formatInteger, formatPercent } from '../../components/format.ts';
import type { OverviewData } from './overview-data.ts';
import './calibration-curve.css';

type Bin = NonNullable<OverviewData['triageModel']['heldOut']>['calibration'][number];

const TITLE = 'Calibration of held-out predictions';

export function CalibrationCurve({ bins }: { bins: readonly Bin[] }) {
  const option: ChartOption = {
    grid: { left: 56, right: 12, top: 28, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'item', renderMode: 'richText' },
    xAxis: { type: 'value', min: 0, max: 1, name: 'Predicted', nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: percentLabel } },
    yAxis: { type: 'value', min: 0, max: 1, name: 'Observed', nameLocation: 'middle', nameGap: 40, axisLabel: { formatter: percentLabel } },
    series: [
      { type: 'line', name: 'Observed conversion rate', data: bins.map((bin) => [bin.predicted, bin.observed]), symbolSize: 6 },
      {
        type: 'line',
        name: 'Perfectly calibrated',
        data: [
          [0, 0],
          [1, 1],
        ],
        symbol: 'none',
        lineStyle: { type: 'dashed', width: 1 },
      },
    ],
  };
  return (
    <figure className="calibration-curve">
      <figcaption>{TITLE}</figcaption>
      <Chart
        option={option}
        height={220}
        label={`Line chart: observed conversion rate against predicted probability in ${bins.length} bins; the table below gives the figures.`}
      />
      <TableWrap label={TITLE}>
        <table>
          <caption className="visually-hidden">{TITLE}</caption>
          <thead>
            <tr>
              <th scope="col" className="number">
                Predicted
              </th>
              <th scope="col" className="number">
                Observed
              </th>
              <th scope="col" className="number">
                Outcomes
              </th>
            </tr>
          </thead>
          <tbody>
            {bins.map((bin) => (
              <tr key={bin.predicted}>
                <td className="number">{formatPercent(bin.predicted)}</td>
                <td className="number">{formatPercent(bin.observed)}</td>
                <td className="number">{formatInteger(bin.outcomes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </figure>
  );
}

const percentLabel = (value: number) => `${Math.round(value * 100)} %`;
