// Email over SMTP (SMTP_URL, from SMTP_FROM) with nodemailer. The Message-ID is
// derived from the message's dedup key, the same on every try, so a receiving
// server or a mail log sees a repeated send as the same message.
// Classification: an SMTP reply 5xx is permanent (the server refused this
// message); 4xx and anything on the network (refused, timed out, dropped) is
// transient.
import { createTransport } from 'nodemailer';
import { DeliveryError, type DeliveryTransport, type OutgoingMessage } from './delivery-transport.js';

/** Error codes nodemailer gives a message it could never send as it stands (no reply code to go by). */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EMAXRECIPIENTS']);

export function createSmtpTransport({ url, from }: { url: string; from: string }): DeliveryTransport {
  const transporter = createTransport(url, { from });
  const domain = from.match(/@([^>\s]+)>?\s*$/)?.[1] ?? 'baton.local';
  return {
    kind: 'SMTP',
    async send(message: OutgoingMessage) {
      const messageId = `<${message.dedupKey}@${domain}>`;
      try {
        const info = await transporter.sendMail({
          from,
          to: message.recipient,
          subject: message.subject ?? '',
          text: message.body,
          messageId,
          headers: { 'X-Baton-Message-Id': message.id },
        });
        return { providerMessageId: typeof info.messageId === 'string' && info.messageId ? info.messageId : messageId };
      } catch (error) {
        throw classify(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

function classify(error: unknown): DeliveryError {
  const { responseCode, code, message } = (error ?? {}) as { responseCode?: number; code?: string; message?: string };
  const text = `SMTP: ${message ?? String(error)}`;
  if (typeof responseCode === 'number') return new DeliveryError(text, responseCode < 500, { cause: error });
  return new DeliveryError(text, !(code && PERMANENT_CODES.has(code)), { cause: error });
}
