// Counts by a key (handoff types, triggers) as a bar chart, with the same
// figures in a table for whoever cannot see the canvas.
import { Chart } from '../../components/chart.tsx';
import { formatEnum, formatInteger } from '../../components/format.ts';

export function CountsChart({ counts, label, keyHeading }: { counts: readonly { key: string; count: number }[]; label: string; keyHeading: string }) {
  const names = counts.map((entry) => formatEnum(entry.key));
  return (
    <>
      <Chart
        label={`${label}: ${counts.map((entry, index) => `${names[index]} ${entry.count}`).join(', ')}`}
        height={220}
        option={{
          grid: { left: 170, right: 24, top: 8, bottom: 24 },
          xAxis: { type: 'value', minInterval: 1 },
          yAxis: { type: 'category', data: names, inverse: true },
          series: [{ type: 'bar', name: 'Handoffs', data: counts.map((entry) => entry.count), label: { show: true, position: 'right' } }],
        }}
      />
      <div className="table-wrap">
        <table aria-label={label}>
          <thead>
            <tr>
              <th scope="col">{keyHeading}</th>
              <th scope="col">Handoffs</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((entry, index) => (
              <tr key={entry.key}>
                <td>{names[index]}</td>
                <td className="number">{formatInteger(entry.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
