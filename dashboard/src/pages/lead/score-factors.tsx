// The score and what moved it: each factor's contribution as a bar (right: up,
// left: down) and the same figures in a list with their signs, so the chart is
// never the only way to read them.
import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { formatDateTime, formatEnum, formatPercent } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import type { PageLead } from './lead-types.ts';

const UP = '#047857';
const DOWN = '#b91c1c';

const signed = (contribution: number) => `${contribution > 0 ? '+' : contribution < 0 ? '−' : '±'}${Math.abs(contribution).toFixed(1)}`;

export function ScoreFactors({ lead }: { lead: PageLead }) {
  const factors = lead.factors;
  const option = useMemo<ChartOption>(() => {
    // Largest effect at the top: ECharts draws a category axis bottom-up.
    const rows = [...factors].reverse();
    return {
      grid: { left: 8, right: 16, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map((factor) => factor.feature) },
      series: [
        {
          type: 'bar',
          data: rows.map((factor) => ({ value: factor.contribution, itemStyle: { color: factor.contribution >= 0 ? UP : DOWN } })),
        },
      ],
    };
  }, [factors]);

  return (
    <Panel title="Score" wide>
      <StatGrid>
        <Stat label="Score" value={lead.score == null ? 'Not scored yet' : String(lead.score)} detail={lead.score == null ? undefined : 'of 100'} />
        <Stat
          label="Category"
          value={formatEnum(lead.category)}
          detail={lead.confidence == null ? undefined : `${formatPercent(lead.confidence, 0)} confident`}
        />
        <Stat label="Model" value={lead.modelVersion ?? '—'} detail={lead.triagedAt ? `scored ${formatDateTime(lead.triagedAt)}` : undefined} />
        <Stat label="Routed to" value={lead.assignedAgent ?? '—'} />
      </StatGrid>
      {lead.reasoning && <p className="lead-reasoning">{lead.reasoning}</p>}
      {factors.length === 0 ? (
        <p className="hint">No factors yet: they appear once triage has scored the lead.</p>
      ) : (
        <div className="lead-factors">
          <Chart
            option={option}
            label="What moved the score: each factor's contribution, up or down, listed next to the chart"
            height={Math.max(160, factors.length * 32)}
          />
          <ul aria-label="What moved the score" className="lead-factor-list">
            {factors.map((factor) => (
              <li key={factor.feature}>
                <span className={factor.contribution >= 0 ? 'badge badge-good' : 'badge badge-bad'}>{signed(factor.contribution)}</span> {factor.feature}
                {factor.value != null && <span className="hint"> ({factor.value})</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
