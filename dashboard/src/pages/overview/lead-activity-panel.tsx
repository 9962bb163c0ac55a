// Leads received per hour (or per day over a long window), as bars.
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { formatInteger } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import type { OverviewData } from './overview-data.ts';

const hourLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export function LeadActivityPanel({ activity }: { activity: OverviewData['leadActivity'] }) {
  const perDay = activity.bucket === 'DAY';
  const unit = perDay ? 'day' : 'hour';
  const label = perDay ? dayLabel : hourLabel;
  const points = activity.points.map((point) => ({ at: label.format(new Date(point.start)), leads: point.leads }));
  const total = points.reduce((sum, point) => sum + point.leads, 0);
  const peak = points.reduce<(typeof points)[number] | null>((best, point) => (point.leads > (best?.leads ?? 0) ? point : best), null);
  const option: ChartOption = {
    grid: { left: 40, right: 12, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: points.map((point) => point.at), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: `Leads per ${unit}`, data: points.map((point) => point.leads) }],
  };
  const summary =
    total === 0
      ? `No lead received in this window.`
      : `${formatInteger(total)} ${total === 1 ? 'lead' : 'leads'} received; at most ${formatInteger(peak?.leads)} in one ${unit} (${peak?.at}).`;
  return (
    <Panel title={`Leads per ${unit}`}>
      <Chart option={option} height={220} label={`Bar chart of leads received per ${unit}. ${summary}`} />
      <p className="hint">{summary}</p>
    </Panel>
  );
}
