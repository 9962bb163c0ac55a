// POST /api/v1/events/deliveries: where delivery providers report receipts and
// replies. Providers hold no Baton token, so the route is authenticated by the
// signature of Baton's webhooks (src/delivery/webhook-signature.ts: WEBHOOK_SECRET,
// `Baton-Signature: t=<unix>,v1=<hex HMAC-SHA256("<t>.<raw body>")>`), checked over
// the exact bytes received before anything else is read from them.
//
// Unlike the specification's routes (src/rest/routes.ts), this one is no GraphQL
// operation: no caller of the GraphQL API could present a signature, and an event
// must be recorded whether or not a token exists for the provider. It calls the
// delivery service directly and is mounted by the API process only (it needs the
// database), not by the stateless adapter sidecar.
//
//   403 WEBHOOK_NOT_CONFIGURED  WEBHOOK_SECRET is not set: there is nothing to check a signature against
//   401 UNAUTHENTICATED         the signature is missing, malformed, stale or does not match
//   413 PAYLOAD_TOO_LARGE, 400 BAD_USER_INPUT (not UTF-8 or JSON; a field, named as events[2].type)
//   200 { accepted, duplicates, rejected: [{ index, id, reason }] }
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliveryEventReceiver } from '../../delivery/inbound/receive-delivery-events.js';
import { SIGNATURE_HEADER, verifySignature } from '../../delivery/webhook-signature.js';
import { OVERSIZED_BODY_HEADERS, parseJson, readRawBody } from '../../http/json-body.js';
import { sendJson } from '../../http/respond.js';
import type { Route } from '../../http/router.js';
import { parseDeliveryEvents, type DeliveryEventResultsBody } from './delivery-events-body.js';

export const DELIVERY_EVENTS_PATH = '/api/v1/events/deliveries';

export interface DeliveryEventsRouteOptions {
  /** WEBHOOK_SECRET; undefined refuses every request with 403. */
  secret: string | undefined;
  receiver: DeliveryEventReceiver;
  now?: () => Date;
}

/** Strict UTF-8 that keeps a byte-order mark, so the text hashes to exactly the bytes received. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function deliveryEventsRoute({ secret, receiver, now = () => new Date() }: DeliveryEventsRouteOptions): Route {
  return {
    method: 'POST',
    path: DELIVERY_EVENTS_PATH,
    handle: async (request, response) => {
      if (!secret) {
        request.resume();
        fail(response, 403, 'WEBHOOK_NOT_CONFIGURED', 'This server accepts no delivery events: WEBHOOK_SECRET is not configured.');
        return;
      }
      const raw = await readRawBody(request);
      if (!raw.ok) {
        fail(response, 413, 'PAYLOAD_TOO_LARGE', raw.message, OVERSIZED_BODY_HEADERS);
        return;
      }
      let body: string;
      try {
        body = UTF8.decode(raw.bytes);
      } catch {
        fail(response, 400, 'BAD_USER_INPUT', 'Request body is not UTF-8');
        return;
      }
      const signature = verifySignature(secret, headerOf(request, SIGNATURE_HEADER), body, now());
      if (!signature.valid) {
        fail(response, 401, 'UNAUTHENTICATED', `Invalid ${SIGNATURE_HEADER}: ${signature.reason}.`, { 'www-authenticate': 'Baton-Signature' });
        return;
      }
      const json = parseJson(body);
      if (!json.ok) {
        fail(response, 400, 'BAD_USER_INPUT', json.message);
        return;
      }
      const parsed = parseDeliveryEvents(json.value);
      if (!parsed.ok) {
        const message = parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
        sendJson(response, 400, { error: { code: 'BAD_USER_INPUT', message, issues: parsed.issues } });
        return;
      }
      const results: DeliveryEventResultsBody = await receiver.receive(parsed.events);
      sendJson(response, 200, results);
    },
  };
}

function fail(response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { error: { code, message } }, headers);
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
