// Which transport a message takes, by its channel and what is configured:
//   EMAIL, SMTP_URL set                          → SMTP
//   otherwise, WEBHOOK_URL set                   → the signed webhook (SMS, LinkedIn, calls as CRM tasks, email without SMTP)
//   otherwise                                    → the local mailbox (stored, never sent)
// The same rule for touchpoints and manager notices.
import type { DeliveryConfig } from '../../config.js';
import type { Channel } from '../../db/generated/prisma/enums.js';
import type { DeliveryTransport } from './delivery-transport.js';
import { createMailboxTransport } from './mailbox-transport.js';
import { createSmtpTransport } from './smtp-transport.js';
import { createWebhookTransport } from './webhook-transport.js';

export interface DeliveryTransports {
  forChannel(channel: Channel): DeliveryTransport;
  close(): Promise<void>;
}

export function createDeliveryTransports(config: Pick<DeliveryConfig, 'smtpUrl' | 'smtpFrom' | 'webhookUrl' | 'webhookSecret'>): DeliveryTransports {
  const smtp = config.smtpUrl && config.smtpFrom ? createSmtpTransport({ url: config.smtpUrl, from: config.smtpFrom }) : null;
  const webhook = config.webhookUrl && config.webhookSecret ? createWebhookTransport({ url: config.webhookUrl, secret: config.webhookSecret }) : null;
  const mailbox = createMailboxTransport();
  return {
    forChannel: (channel) => (channel === 'EMAIL' && smtp) || webhook || mailbox,
    async close() {
      await Promise.all([smtp?.close(), webhook?.close(), mailbox.close()]);
    },
  };
}
