// Managers hear of every escalation as it is raised: one MANAGER_NOTICE email per
// manager address (MANAGER_EMAILS; without any, one to the recipient `managers`),
// scheduled in the outbox in the escalation's own transaction, so an escalation
// and its notices commit together or not at all. The delivery worker sends them
// like any outbound message (SMTP, the signed webhook, or the local mailbox).
import type { Handoff, Prisma } from '../../db/generated/prisma/client.js';
import { scheduleMessages } from '../../delivery/outbox.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';

/** The recipient of the notices when no manager address is configured: the delivery worker's webhook or mailbox takes them. */
export const MANAGERS_RECIPIENT = 'managers';
export const MANAGER_NOTICE_TEMPLATE = 'manager-escalation-notice';

/** Schedules the notices of a new escalation inside `tx`; returns their outbox ids. */
export type ManagerNotifier = (tx: Prisma.TransactionClient, escalation: Handoff, reason: string) => Promise<string[]>;

export function createManagerNotifier(deps: {
  jobs: JobQueue;
  managerEmails: readonly string[];
  /** Seals the notices in the outbox (a manager's address is a person's too). */
  cipher: PersonalDataCipher;
  now?: () => Date;
}): ManagerNotifier {
  const now = deps.now ?? (() => new Date());
  const recipients = deps.managerEmails.length > 0 ? deps.managerEmails : [MANAGERS_RECIPIENT];
  return (tx, escalation, reason) => {
    const { subject, body } = managerNotice(escalation, reason);
    return scheduleMessages(
      tx,
      deps.jobs,
      recipients.map((recipient) => ({
        leadId: null,
        purpose: 'MANAGER_NOTICE',
        channel: 'EMAIL',
        template: MANAGER_NOTICE_TEMPLATE,
        recipient,
        subject,
        body,
        scheduledFor: now(),
        agent: escalation.fromAgent,
        metadata: { escalationId: escalation.id, trigger: escalation.trigger, leadId: escalation.leadId, campaignId: escalation.campaignId },
      })),
      deps.cipher,
    );
  };
}

/** What the notice says: what is escalated and why, its id, and how to decide it. */
export function managerNotice(
  escalation: Pick<Handoff, 'id' | 'trigger' | 'fromAgent' | 'leadId' | 'campaignId'>,
  reason: string,
): { subject: string; body: string } {
  const about = [escalation.leadId ? `lead ${escalation.leadId}` : null, escalation.campaignId ? `campaign ${escalation.campaignId}` : null]
    .filter(Boolean)
    .join(', ');
  const trigger = escalation.trigger.toLowerCase().replaceAll('_', ' ');
  const subject = `[Baton] Escalation ${escalation.id}: ${trigger}${about ? ` (${about})` : ''}`;
  const body = [
    `${escalation.fromAgent} escalated ${about || 'a decision'} to a manager (trigger: ${trigger}).`,
    '',
    `Why: ${reason}`,
    '',
    `Escalation id: ${escalation.id}`,
    '',
    'Decide it with a token of role manager (or admin), by any of:',
    `  GraphQL:  mutation { resolveEscalation(id: "${escalation.id}", decision: APPROVE, note: "...") { ... on Handoff { status } } }`,
    `  REST:     POST /api/v1/escalations/${escalation.id}/resolve  {"decision": "approve"}`,
    '  JSON-RPC: escalation/resolve, MCP tool: resolve_escalation',
    'APPROVE continues the flow (an optimization review: its recommendations are applied to engagement); REJECT ends it; REASSIGN hands it to someone else.',
  ].join('\n');
  return { subject, body };
}
