// The signature Baton's webhooks carry, both ways: outbound (the webhook
// transport signs what it posts to WEBHOOK_URL) and inbound (a provider signs
// the delivery events it posts to /api/v1/events/deliveries). One shared secret
// (WEBHOOK_SECRET), HMAC-SHA256, timestamped so a captured request cannot be
// replayed later:
//
//   Baton-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// The receiver recomputes the HMAC over the exact bytes it received and rejects
// a timestamp more than SIGNATURE_TOLERANCE_SECONDS away from its own clock.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'baton-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, body: string, at: Date = new Date()): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/** Checks a `Baton-Signature` header against the raw body; the reason says what was wrong, for a 401's message. */
export function verifySignature(secret: string, header: string | undefined, body: string, now: Date = new Date()): SignatureCheck {
  if (!header) return { valid: false, reason: `the ${SIGNATURE_HEADER} header is missing` };
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1');
  if (!Number.isInteger(timestamp) || !signature) return { valid: false, reason: `the ${SIGNATURE_HEADER} header must be t=<unix seconds>,v1=<hex>` };
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    return { valid: false, reason: `the signature's timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from the server's clock` };
  }
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'the signature does not match the body' };
  return { valid: true };
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
