// POST /api/v1/events/deliveries in the OpenAPI document: its signature scheme,
// its body and results (from the zod shapes the route validates with), and every
// answer it gives.
import { z } from 'zod';
import { SIGNATURE_TOLERANCE_SECONDS } from '../../delivery/webhook-signature.js';
import { deliveryEventResultsSchema, deliveryEventsBodySchema, MAX_EVENTS_PER_REQUEST } from './delivery-events-body.js';
import { DELIVERY_EVENTS_PATH } from './delivery-events-route.js';

type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

/** OpenAPI 3.0 writes one `example` where JSON Schema lists `examples`. */
function openApiSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    override: ({ jsonSchema }) => {
      const { examples } = jsonSchema as { examples?: unknown[] };
      if (!Array.isArray(examples)) return;
      delete jsonSchema.examples;
      (jsonSchema as JsonSchema).example = examples[0];
    },
  }) as JsonSchema;
}

export const WEBHOOK_SIGNATURE_SCHEME = {
  webhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'Baton-Signature',
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256(WEBHOOK_SECRET, "<t>.<raw request body>")>`: the signature of Baton’s webhooks, ' +
      `over the exact bytes of the body. A timestamp more than ${SIGNATURE_TOLERANCE_SECONDS} s from the server’s clock is refused (replay protection).`,
  },
};

export const DELIVERY_EVENT_SCHEMAS: Record<string, JsonSchema> = {
  DeliveryEvents: openApiSchema(deliveryEventsBodySchema, 'input'),
  DeliveryEventResults: openApiSchema(deliveryEventResultsSchema, 'output'),
};

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
/** The REST document's Error component (src/rest/error-response.ts), which every route's 401 already refers to. */
const failure = (description: string) => ({ description, content: json({ $ref: `${COMPONENTS}Error` }) });

const DESCRIPTION = `Receipts and replies from a delivery provider (an email service, an SMS gateway, a scheduling tool), for messages Baton sent. Authenticated by the \`Baton-Signature\` header, not a bearer token.

Each event names its message (message_id, dedup_key or provider_message_id; up to ${MAX_EVENTS_PER_REQUEST} events a request) and becomes an interaction of that message's lead, conversation, channel and template, at occurred_at (moved up to the message's send time if earlier):

| type | interaction | also |
| --- | --- | --- |
| delivered | DELIVERED | |
| opened | EMAIL_OPEN | |
| clicked | CLICK | a success of the touchpoint's template in variant selection |
| replied | REPLY | a success of the touchpoint's template; an episode triage learns from at the next consolidation |
| meeting_booked | MEETING_BOOKED | as replied |
| bounced | BOUNCED | the message becomes BOUNCED, \`detail.reason\` its last error |
| complained | COMPLAINED | the lead becomes do-not-contact (its profile is created if need be); every message still SCHEDULED for it becomes SUPPRESSED |
| unsubscribed | UNSUBSCRIBED | as complained, and the lead's consent is withdrawn |

An event, its interaction and its effects are recorded in one transaction. An event's \`id\` is recorded with it: the same id again (a retry, a replay) is counted in \`duplicates\` and changes nothing. An event whose message Baton does not know is listed in \`rejected\` with the reason; the others are recorded all the same. A message to no lead (a notice to the managers) records no interaction; a bounce still marks it BOUNCED.`;

export const DELIVERY_EVENTS_PATHS = {
  [DELIVERY_EVENTS_PATH]: {
    post: {
      summary: 'Report delivery receipts and replies (signed by the provider)',
      description: DESCRIPTION,
      security: [{ webhookSignature: [] }],
      parameters: [
        {
          name: 'Baton-Signature',
          in: 'header',
          required: true,
          description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with WEBHOOK_SECRET>',
          schema: { type: 'string', example: 't=1796589000,v1=5f2b…' },
        },
      ],
      requestBody: { required: true, content: json({ $ref: `${COMPONENTS}DeliveryEvents` }) },
      responses: {
        '200': {
          description: 'The events were processed: how many were recorded, were duplicates, or were rejected (and why).',
          content: json({ $ref: `${COMPONENTS}DeliveryEventResults` }),
        },
        '400': failure('BAD_USER_INPUT: the body is not UTF-8 JSON, or a field is invalid (each named, as `events[2].type`); nothing was recorded'),
        '401': failure(
          `UNAUTHENTICATED: the Baton-Signature header is missing, malformed, more than ${SIGNATURE_TOLERANCE_SECONDS} s from the server’s clock, or does not match the body`,
        ),
        '403': failure('WEBHOOK_NOT_CONFIGURED: WEBHOOK_SECRET is not set on this server, so it accepts no delivery events'),
        '413': failure('PAYLOAD_TOO_LARGE: the body exceeds 1 MiB'),
      },
    },
  },
};
