// The wire shapes of POST /api/v1/events/deliveries: the body a provider posts
// and the per-event results Baton answers. Declared once: the route validates
// with them and the OpenAPI document publishes them.
import { z } from 'zod';
import { expected, isoDateTime, text } from '../../adapter/shapes/params.js';
import { DELIVERY_EVENT_TYPES, type DeliveryEvent, type MessageReference } from '../../delivery/inbound/delivery-event.js';
import { jsonProblemsAt } from '../../domain/input-rules.js';
import type { InputIssue } from '../../errors.js';
import type { JsonValue } from '../../memory/json.js';

/** Events one request may carry. */
export const MAX_EVENTS_PER_REQUEST = 500;
/** The detail is kept in the interaction's metadata, which holds at most 8 KiB in all. */
export const MAX_DETAIL_BYTES = 6_144;

const id = (description: string) => text().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters').describe(description);

const detailSchema = z
  .looseObject(
    {
      url: z.string(expected('a string')).optional().describe('clicked: the link that was followed.'),
      text: z.string(expected('a string')).optional().describe('replied: the reply (or its first lines).'),
      reason: z
        .string(expected('a string'))
        .optional()
        .describe('bounced, complained: why, in the provider’s words; a bounce’s becomes the message’s last_error.'),
    },
    expected('a JSON object'),
  )
  .refine((detail) => Buffer.byteLength(JSON.stringify(detail)) <= MAX_DETAIL_BYTES, `must be at most ${MAX_DETAIL_BYTES} bytes of JSON`)
  .describe('What the provider adds, kept in the interaction’s metadata (`delivery.detail`).');

const deliveryEventSchema = z
  .object(
    {
      id: id('The provider’s id for this event. Baton records an event once: a request repeating it answers it as a duplicate and changes nothing.'),
      type: z
        .enum(DELIVERY_EVENT_TYPES, { error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${DELIVERY_EVENT_TYPES.join(', ')}`) })
        .describe('What happened; see the operation’s description for the interaction each becomes and its effects.'),
      message_id: z.uuid('must be the UUID of a Baton outbound message').optional().describe('Baton’s id of the message (OutboundMessage.id).'),
      dedup_key: id('The dedup key Baton gave the provider with the message (`baton-<message id>`: the Message-ID / Idempotency-Key).').optional(),
      provider_message_id: id('The id the provider gave the message when Baton sent it.').optional(),
      occurred_at: isoDateTime().describe('When it happened. At most 5 minutes ahead of Baton’s clock (else the event is rejected).'),
      detail: detailSchema.optional(),
    },
    expected('an object'),
  )
  .refine((event) => event.message_id !== undefined || event.dedup_key !== undefined || event.provider_message_id !== undefined, {
    message: 'must name its message: message_id, dedup_key or provider_message_id',
    path: ['message_id'],
  })
  .describe('One event. Name the message by message_id, dedup_key or provider_message_id (the first of these given is used).');

export const deliveryEventsBodySchema = z
  .object(
    {
      events: z
        .array(deliveryEventSchema, expected('an array of events'))
        .min(1, 'must hold at least one event')
        .max(MAX_EVENTS_PER_REQUEST, `must hold at most ${MAX_EVENTS_PER_REQUEST} events`),
    },
    expected('an object'),
  )
  .meta({
    example: {
      events: [
        { id: 'evt_0001', type: 'delivered', message_id: '0b7e6a4c-3f7d-4a57-9c43-5a8f8f1f6a10', occurred_at: '2026-12-06T20:30:00Z' },
        {
          id: 'evt_0002',
          type: 'replied',
          dedup_key: 'baton-0b7e6a4c-3f7d-4a57-9c43-5a8f8f1f6a10',
          occurred_at: '2026-12-06T21:02:11Z',
          detail: { text: 'Sounds good, call me Tuesday.' },
        },
      ],
    },
  });

export const deliveryEventResultsSchema = z
  .object({
    accepted: z.int().nonnegative().describe('New events: recorded, with their effects.'),
    duplicates: z.int().nonnegative().describe('Events recorded before (or twice in this request): nothing changed.'),
    rejected: z
      .array(
        z.object({
          index: z.int().nonnegative().describe('The event’s position in `events`.'),
          id: z.string().describe('The event’s id.'),
          reason: z.string().describe('Why: no message Baton knows by that reference, a reference matching several messages, or occurred_at in the future.'),
        }),
      )
      .describe('Events not recorded; the others were recorded all the same. Sending a rejected event again is rejected again unless its message is found.'),
  })
  .meta({ example: { accepted: 1, duplicates: 0, rejected: [{ index: 1, id: 'evt_0002', reason: 'no message with dedup_key baton-unknown' }] } });

export type DeliveryEventResultsBody = z.infer<typeof deliveryEventResultsSchema>;

export type ParsedBody = { ok: true; events: DeliveryEvent[] } | { ok: false; issues: InputIssue[] };

/** The body as delivery events, or one issue per invalid field, named as `events[2].type`. */
export function parseDeliveryEvents(body: unknown): ParsedBody {
  // Every string of the body (ids, detail keys and values) passes Baton's input rules first.
  const problems = jsonProblemsAt(body);
  if (problems.length > 0) return { ok: false, issues: problems.map((problem) => ({ path: fieldPath(problem.path), message: problem.message })) };
  const parsed = deliveryEventsBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => ({ path: fieldPath(issue.path), message: issue.message })) };
  return {
    ok: true,
    events: parsed.data.events.map((event) => ({
      id: event.id,
      type: event.type,
      message: messageReference(event),
      occurredAt: new Date(event.occurred_at),
      detail: (event.detail ?? {}) as { [key: string]: JsonValue },
    })),
  };
}

function messageReference(event: {
  message_id?: string | undefined;
  dedup_key?: string | undefined;
  provider_message_id?: string | undefined;
}): MessageReference {
  if (event.message_id !== undefined) return { messageId: event.message_id };
  if (event.dedup_key !== undefined) return { dedupKey: event.dedup_key };
  return { providerMessageId: event.provider_message_id! };
}

/** `events[2].type`: array positions in brackets, as a provider's own docs would write them. */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.reduce<string>((written, key) => (typeof key === 'number' ? `${written}[${key}]` : written ? `${written}.${String(key)}` : String(key)), '');
}
