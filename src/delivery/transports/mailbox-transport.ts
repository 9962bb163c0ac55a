// The local mailbox: with neither SMTP_URL nor WEBHOOK_URL (the embedded
// default), a message goes nowhere outside Baton. Its outbox row is the mailbox
// entry: marked SENT with transport MAILBOX, readable through GraphQL
// (`outboundMessages(transport: MAILBOX)`), so a newcomer sees what would have
// gone out. Every surface names the transport, so a mailbox delivery is never
// presented as a real send.
import type { DeliveryTransport } from './delivery-transport.js';

export function createMailboxTransport(): DeliveryTransport {
  return {
    kind: 'MAILBOX',
    // Nothing to send and nothing extra to store: the row itself is the mail.
    send: async (message) => ({ providerMessageId: `mailbox:${message.dedupKey}` }),
    close: async () => {},
  };
}
