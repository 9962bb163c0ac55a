// The latest handoffs of the window, filtered by type and status, each linking
// to its lead's page (where its timeline is).
import { useId } from 'react';
import { Link } from 'wouter';
import type { HandoffFilter, HandoffStatus, HandoffType, HandoffsPageRecentQuery } from '../../__generated__/graphql.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { formatDateTime, formatEnum, formatMs, formatPercent } from '../../components/format.ts';
import { leadPath } from '../../routes.ts';

type Handoff = HandoffsPageRecentQuery['handoffs']['edges'][number]['node'];

export interface RecentFilter {
  type: HandoffType | '';
  status: HandoffStatus | '';
}

export function toHandoffFilter(filter: RecentFilter, bounds: { since?: string; until?: string }): HandoffFilter {
  return {
    ...(bounds.since ? { createdAfter: bounds.since } : {}),
    ...(bounds.until ? { createdBefore: bounds.until } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  };
}

// `satisfies` keeps these lists in step with the schema's enums.
const TYPES = [
  'TRIAGE_TO_ENGAGEMENT',
  'ENGAGEMENT_TO_OPTIMIZATION',
  'OPTIMIZATION_TO_ENGAGEMENT',
  'MANAGER_ESCALATION',
] as const satisfies readonly HandoffType[];
const STATUSES = [
  'REQUESTED',
  'CONTEXT_BUILT',
  'ENRICHED',
  'CONTEXT_REQUESTED',
  'VALIDATED',
  'ACCEPTED',
  'IN_PROGRESS',
  'RETRYING',
  'COMPLETED',
  'FAILED',
  'ESCALATED',
] as const satisfies readonly HandoffStatus[];

const GOOD = new Set<HandoffStatus>(['COMPLETED']);
const BAD = new Set<HandoffStatus>(['FAILED', 'ESCALATED']);

export function RecentFilters({ value, onChange }: { value: RecentFilter; onChange: (next: RecentFilter) => void }) {
  const id = useId();
  return (
    <div className="filters">
      <label htmlFor={`${id}-type`}>Handoff type</label>
      <select id={`${id}-type`} value={value.type} onChange={(event) => onChange({ ...value, type: event.target.value as RecentFilter['type'] })}>
        <option value="">Any type</option>
        {TYPES.map((type) => (
          <option key={type} value={type}>
            {formatEnum(type)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-status`}>Handoff status</label>
      <select id={`${id}-status`} value={value.status} onChange={(event) => onChange({ ...value, status: event.target.value as RecentFilter['status'] })}>
        <option value="">Any status</option>
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {formatEnum(status)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RecentHandoffs({ handoffs }: { handoffs: readonly Handoff[] }) {
  if (handoffs.length === 0) {
    return <EmptyState title="No handoff matches">Choose another type, status or a longer window; or process a lead to start a flow.</EmptyState>;
  }
  return (
    <div className="table-wrap">
      <table aria-label="Recent handoffs">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Type</th>
            <th scope="col">From → to</th>
            <th scope="col">Trigger</th>
            <th scope="col">Status</th>
            <th scope="col">Quality</th>
            <th scope="col">Processing</th>
            <th scope="col">Lead</th>
          </tr>
        </thead>
        <tbody>
          {handoffs.map((handoff) => (
            <tr key={handoff.id}>
              <td>{formatDateTime(handoff.createdAt)}</td>
              <td>{formatEnum(handoff.type)}</td>
              <td>
                {handoff.fromAgent} → {handoff.toAgent}
              </td>
              <td>{formatEnum(handoff.trigger)}</td>
              <td>
                <span className={GOOD.has(handoff.status) ? 'badge badge-good' : BAD.has(handoff.status) ? 'badge badge-bad' : 'badge badge-warn'}>
                  {formatEnum(handoff.status)}
                </span>
              </td>
              <td className="number">{formatPercent(handoff.qualityScore, 0)}</td>
              <td className="number">{formatMs(handoff.processingTimeMs)}</td>
              <td>{handoff.lead ? <Link href={leadPath(handoff.lead.id)}>{handoff.lead.id}</Link> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
