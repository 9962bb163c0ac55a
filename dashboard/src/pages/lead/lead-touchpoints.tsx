// What Baton sent the lead and how each delivery went, and the signals the lead
// gave back (opens, clicks, replies), newest first as the API lists them.
import { TableWrap } from '../../components/data-table.tsx';
import { formatDateTime, formatEnum } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import type { PageLead } from './lead-types.ts';

const DELIVERY_BADGE: Record<string, string> = {
  SENT: 'badge badge-good',
  SCHEDULED: 'badge',
  SENDING: 'badge',
  FAILED: 'badge badge-bad',
  BOUNCED: 'badge badge-bad',
  SUPPRESSED: 'badge badge-warn',
  CANCELLED: 'badge badge-warn',
};

export function LeadTouchpoints({ lead }: { lead: PageLead }) {
  const messages = lead.outboundMessages;
  return (
    <Panel title="Touchpoints" wide>
      {messages.length === 0 ? (
        <p className="hint">No touchpoint yet: engagement plans one after triage hands the lead over.</p>
      ) : (
        <TableWrap label="Touchpoints and their delivery">
          <table aria-label="Touchpoints and their delivery">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Template</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Delivery</th>
                <th scope="col">Due</th>
                <th scope="col">Sent</th>
                <th scope="col" className="number">
                  Tries
                </th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => (
                <tr key={message.id}>
                  <td>{formatEnum(message.channel)}</td>
                  <td>{message.template}</td>
                  <td>{message.recipient}</td>
                  <td>{message.subject ?? '—'}</td>
                  <td>
                    <span className={DELIVERY_BADGE[message.status] ?? 'badge'}>{formatEnum(message.status)}</span>
                    {message.transport && <span className="hint"> via {message.transport}</span>}
                    {message.lastError && <div className="hint">{message.lastError}</div>}
                  </td>
                  <td>{formatDateTime(message.scheduledFor)}</td>
                  <td>{formatDateTime(message.sentAt)}</td>
                  <td className="number">{message.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Panel>
  );
}

export function LeadInteractions({ lead }: { lead: PageLead }) {
  const interactions = lead.interactions;
  return (
    <Panel title="Interactions">
      {interactions.length === 0 ? (
        <p className="hint">No interaction logged: signals (opens, clicks, replies) arrive through recordInteraction or the delivery webhooks.</p>
      ) : (
        <TableWrap label="Interactions, newest first">
          <table aria-label="Interactions, newest first">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Channel</th>
                <th scope="col">Template</th>
              </tr>
            </thead>
            <tbody>
              {interactions.map((interaction) => (
                <tr key={interaction.id}>
                  <td>{formatDateTime(interaction.occurredAt)}</td>
                  <td>{formatEnum(interaction.type)}</td>
                  <td>{formatEnum(interaction.channel)}</td>
                  <td>{interaction.template ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Panel>
  );
}
