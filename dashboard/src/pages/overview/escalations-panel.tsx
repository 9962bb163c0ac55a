// Escalations waiting for a manager, whatever their age, with the way to the queue.
import { Link } from 'wouter';
import { formatDateTime } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import { Stat, StatGrid } from '../../components/stat.tsx';
import { PAGES } from '../../routes.ts';
import type { OverviewData } from './overview-data.ts';

export function EscalationsPanel({ escalations }: { escalations: OverviewData['escalations'] }) {
  const open = escalations.edges.length;
  const count = escalations.pageInfo.hasNextPage ? `${open}+` : String(open);
  // The queue is oldest first: its first entry has waited longest.
  const oldest = escalations.edges[0]?.node.createdAt;
  return (
    <Panel title="Escalations">
      <StatGrid>
        <Stat label="Open escalations" value={count} detail={oldest ? `oldest since ${formatDateTime(oldest)}` : 'none waiting for a manager'} />
      </StatGrid>
      <p>
        <Link href={PAGES.escalations}>{open === 0 ? 'Open the escalation queue' : `Review ${count} open ${open === 1 ? 'escalation' : 'escalations'}`}</Link>
      </p>
    </Panel>
  );
}
