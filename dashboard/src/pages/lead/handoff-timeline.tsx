// The lead's handoffs between agents, each with its status history in order. The
// page reads the lead again on every status change (handoffProgress), so a flow in
// progress advances here as the agents work, one status at a time.
import { formatDateTime, formatEnum, formatPercent } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import type { PageHandoff, PageLead } from './lead-types.ts';

const GOOD = new Set(['COMPLETED']);
const BAD = new Set(['FAILED', 'ESCALATED']);
const WAITING = new Set(['CONTEXT_REQUESTED', 'RETRYING']);

export const statusBadge = (status: string) =>
  GOOD.has(status) ? 'badge badge-good' : BAD.has(status) ? 'badge badge-bad' : WAITING.has(status) ? 'badge badge-warn' : 'badge';

export function HandoffTimeline({ lead }: { lead: PageLead }) {
  const flow = lead.latestFlow;
  // Oldest first: a timeline reads forwards.
  const handoffs = [...lead.handoffs].reverse();
  return (
    <Panel title="Handoff timeline" wide>
      {flow && (
        <p>
          Flow <span className={statusBadge(flow.status)}>{formatEnum(flow.status)}</span>
          {flow.handoffQuality != null && <> · context quality {formatPercent(flow.handoffQuality, 0)}</>}
        </p>
      )}
      {handoffs.length === 0 ? (
        <p className="hint">No handoff yet: once triage scores the lead it hands it to engagement, and each step shows here as it happens.</p>
      ) : (
        <ol className="lead-timeline" aria-label="Handoffs, oldest first" aria-live="polite">
          {handoffs.map((handoff) => (
            <HandoffEntry key={handoff.id} handoff={handoff} />
          ))}
        </ol>
      )}
    </Panel>
  );
}

function HandoffEntry({ handoff }: { handoff: PageHandoff }) {
  return (
    <li>
      <h3>
        {formatEnum(handoff.type)}: {handoff.fromAgent} → {handoff.toAgent} <span className={statusBadge(handoff.status)}>{formatEnum(handoff.status)}</span>
      </h3>
      <ol className="lead-events" aria-label={`${formatEnum(handoff.type)} statuses`}>
        {handoff.events.map((event) => (
          <li key={event.id}>
            <span className={statusBadge(event.status)}>{formatEnum(event.status)}</span>{' '}
            <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
            {event.qualityScore != null && <span className="hint"> · quality {formatPercent(event.qualityScore, 0)}</span>}
            {event.detail && <span className="hint"> · {event.detail}</span>}
          </li>
        ))}
      </ol>
      {handoff.failureReason && <p className="hint">Why: {handoff.failureReason}</p>}
    </li>
  );
}
