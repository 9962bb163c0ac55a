// SMS, LinkedIn, calls (as CRM tasks) and, without SMTP, email: POSTed as JSON to
// WEBHOOK_URL for the provider behind it (an SMS gateway, a LinkedIn automation,
// the CRM), signed with WEBHOOK_SECRET (Baton-Signature, see
// ../webhook-signature.ts) and carrying `Idempotency-Key: <dedupKey>`, the same
// on every try, so the receiver drops a repeated send. The payload is
// documented in README "Delivery".
// Classification: HTTP 429 and 5xx, a timeout or a network error are
// transient; any other 4xx is permanent (the receiver refused this message).
import { signPayload } from '../webhook-signature.js';
import { DeliveryError, type DeliveryTransport, type OutgoingMessage } from './delivery-transport.js';

/** How long the receiver has to answer before the try counts as a transient failure. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The JSON body of a delivery webhook (README "Delivery"). */
export interface WebhookPayload {
  type: 'outbound_message';
  /** Baton's id of the message. */
  id: string;
  /** The same as the Idempotency-Key header: one per message, whatever the try. */
  dedup_key: string;
  purpose: 'touchpoint' | 'manager_notice';
  channel: 'email' | 'sms' | 'linkedin' | 'call';
  lead_id: string | null;
  /** An email address, a phone number, a LinkedIn search, or who to notify. */
  recipient: string;
  subject: string | null;
  body: string;
  template: string;
  scheduled_for: string;
  /** 1 on the first try. */
  attempt: number;
}

export function webhookPayload(message: OutgoingMessage): WebhookPayload {
  return {
    type: 'outbound_message',
    id: message.id,
    dedup_key: message.dedupKey,
    purpose: message.purpose === 'MANAGER_NOTICE' ? 'manager_notice' : 'touchpoint',
    channel: message.channel.toLowerCase() as WebhookPayload['channel'],
    lead_id: message.leadId,
    recipient: message.recipient,
    subject: message.subject,
    body: message.body,
    template: message.template,
    scheduled_for: message.scheduledFor.toISOString(),
    attempt: message.attempt,
  };
}

export function createWebhookTransport({
  url,
  secret,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
}: {
  url: string;
  secret: string;
  timeoutMs?: number;
}): DeliveryTransport {
  return {
    kind: 'WEBHOOK',
    async send(message) {
      const body = JSON.stringify(webhookPayload(message));
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'Baton-Signature': signPayload(secret, body),
            'Idempotency-Key': message.dedupKey,
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new DeliveryError(`webhook: ${error instanceof Error ? error.message : String(error)}`, true, { cause: error });
      }
      const text = await response.text().catch(() => '');
      if (!response.ok) {
        const transient = response.status === 429 || response.status >= 500;
        throw new DeliveryError(`webhook: HTTP ${response.status}${text ? `: ${text.slice(0, 500)}` : ''}`, transient);
      }
      return { providerMessageId: providerIdOf(text) ?? message.dedupKey };
    },
    async close() {},
  };
}

/** The receiver's own id, when it answers JSON with `id` or `message_id`; otherwise the dedup key names the message to it. */
function providerIdOf(text: string): string | null {
  try {
    const answer = JSON.parse(text) as { id?: unknown; message_id?: unknown };
    const id = answer.message_id ?? answer.id;
    return typeof id === 'string' && id ? id : typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}
