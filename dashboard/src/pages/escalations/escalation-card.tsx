// One open escalation: why it was raised (the reason, the trigger), the handoff
// it interrupted (context quality, what was missing), the lead it concerns, the
// campaign review's breaches when optimization raised it, and the context packet.
import { Link } from 'wouter';
import type { EscalationsPageQueueQuery } from '../../__generated__/graphql.ts';
import { formatDateTime, formatEnum, formatPercent } from '../../components/format.ts';
import { campaignPath, leadPath } from '../../routes.ts';
import { EscalationDecisionForm } from './escalation-decision.tsx';
import { ReviewEvidence } from './review-evidence.tsx';

export type Escalation = EscalationsPageQueueQuery['escalations']['edges'][number]['node'];

/** The packet carries why it escalated (`escalation.reason`); older handoffs only a failure reason. */
function reasonOf(escalation: Escalation): string | null {
  const packet = escalation.context as { escalation?: { reason?: unknown } } | null;
  const reason = packet?.escalation?.reason;
  return typeof reason === 'string' ? reason : escalation.failureReason;
}

export function EscalationCard({
  escalation,
  canDecide,
  onDecided,
}: {
  escalation: Escalation;
  canDecide: boolean;
  onDecided: (message: string, leftQueue: boolean) => void;
}) {
  const headingId = `escalation-${escalation.id}`;
  const { lead, parent } = escalation;
  return (
    <article className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {formatEnum(escalation.trigger)} <span className="hint">raised {formatDateTime(escalation.createdAt)}</span>
      </h2>
      <p>
        <strong>Reason: </strong>
        {reasonOf(escalation) ?? 'No reason was recorded.'}
      </p>
      {escalation.failureReason && escalation.failureReason !== reasonOf(escalation) && (
        <p>
          <strong>Failure: </strong>
          {escalation.failureReason}
        </p>
      )}
      {escalation.resolution === 'REASSIGNED' && (
        <p>
          <span className="badge badge-warn">Reassigned</span> to {escalation.toAgent} by {escalation.resolvedBy ?? 'unknown'} on{' '}
          {formatDateTime(escalation.resolvedAt)}
          {escalation.resolutionNote && `: ${escalation.resolutionNote}`}
        </p>
      )}
      <dl className="escalation-facts">
        <dt>Escalation</dt>
        <dd>
          <code>{escalation.id}</code>
        </dd>
        <dt>From → waiting for</dt>
        <dd>
          {escalation.fromAgent} → {escalation.toAgent}
        </dd>
        {escalation.qualityScore != null && (
          <>
            <dt>Context quality</dt>
            <dd>
              {formatPercent(escalation.qualityScore)} <span className="hint">(the gate passes above 70 %)</span>
            </dd>
          </>
        )}
        {parent && (
          <>
            <dt>Interrupted handoff</dt>
            <dd>
              {formatEnum(parent.type)} ({parent.fromAgent} → {parent.toAgent})
              {parent.qualityScore != null && `, context quality ${formatPercent(parent.qualityScore)}`}
              {parent.failureReason && `: ${parent.failureReason}`}
              {parent.missingContext && parent.missingContext.length > 0 && `; missing ${parent.missingContext.join(', ')}`}
            </dd>
          </>
        )}
        {lead && (
          <>
            <dt>Lead</dt>
            <dd>
              <Link href={leadPath(lead.id)}>{lead.id}</Link>: score {lead.score ?? '—'}, {formatEnum(lead.category)}, {formatEnum(lead.industry)},{' '}
              {formatEnum(lead.companySize)}
              {lead.persona && `, ${formatEnum(lead.persona)}`}
              {lead.source && `, from ${lead.source}`}
            </dd>
          </>
        )}
        {escalation.campaignId && (
          <>
            <dt>Campaign</dt>
            <dd>
              <Link href={campaignPath(escalation.campaignId)}>{escalation.campaignId}</Link>
            </dd>
          </>
        )}
      </dl>
      {escalation.campaignId && escalation.trigger === 'PERFORMANCE_THRESHOLD' && (
        <ReviewEvidence campaignId={escalation.campaignId} escalationId={escalation.id} />
      )}
      <details className="evidence">
        <summary>Context packet handed over</summary>
        <pre>{JSON.stringify(escalation.context, null, 2)}</pre>
      </details>
      {canDecide && <EscalationDecisionForm escalationId={escalation.id} onDecided={onDecided} />}
    </article>
  );
}
