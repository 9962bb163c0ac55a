// Messages the engagement agent planned, by delivery status.
import { EmptyState } from '../../components/empty-state.tsx';
import { formatEnum, formatInteger } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import type { OverviewData } from './overview-data.ts';

/** Shown always; the other statuses only when some message has them. */
const HEADLINE = ['SENT', 'SCHEDULED', 'FAILED'] as const;

export function OutboxPanel({ counts }: { counts: OverviewData['outboxCounts'] }) {
  const total = counts.reduce((sum, entry) => sum + entry.count, 0);
  const countOf = (status: string) => counts.find((entry) => entry.status === status)?.count ?? 0;
  const others = counts.filter((entry) => !(HEADLINE as readonly string[]).includes(entry.status) && entry.count > 0);
  return (
    <Panel title="Messages">
      {total === 0 ? (
        <EmptyState title="No message in this window">
          <p>The engagement agent schedules touchpoints for the leads it engages: process a lead and its messages are counted here.</p>
        </EmptyState>
      ) : (
        <StatGrid>
          {HEADLINE.map((status) => (
            <Stat key={status} label={formatEnum(status)} value={formatInteger(countOf(status))} />
          ))}
          {others.map((entry) => (
            <Stat key={entry.status} label={formatEnum(entry.status)} value={formatInteger(entry.count)} />
          ))}
        </StatGrid>
      )}
    </Panel>
  );
}
