// The outbox, readable: every message Baton scheduled (touchpoints and manager
// notices) with its delivery status, the transport that took it, attempts, the
// provider's id and the last error. With no transport configured the outbox is
// the local mailbox: messages SENT with transport MAILBOX went nowhere outside
// Baton; a real send says SMTP or WEBHOOK.
import DataLoader from 'dataloader';
import { z } from 'zod';
import type { OutboundMessage } from '../db/generated/prisma/client.js';
import { DeliveryTransport, OutboundPurpose, OutboundStatus } from '../db/generated/prisma/enums.js';
import { builder } from './builder.js';
import { pii } from './pii-masking.js';
import { ChannelEnum } from './enums.js';
import type { Context } from './context.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from './page-size.js';

export const OutboundStatusEnum = builder.enumType(OutboundStatus, {
  name: 'OutboundStatus',
  description:
    'SCHEDULED: waiting for its send time (or for a retry after a transient failure); SENDING: a try is under way; ' +
    'SENT: the transport took it (transport says which: MAILBOX means stored in the local mailbox, not sent); ' +
    'FAILED: a permanent failure, or out of attempts (lastError says why); BOUNCED: the provider reported it undeliverable; ' +
    'SUPPRESSED: not sent because the lead withdrew consent or became do-not-contact; CANCELLED: a newer plan replaced it.',
});
export const DeliveryTransportEnum = builder.enumType(DeliveryTransport, {
  name: 'DeliveryTransport',
  description: 'SMTP (SMTP_URL), WEBHOOK (WEBHOOK_URL, signed), or MAILBOX: neither configured, so the message was only stored in the local mailbox.',
});
export const OutboundPurposeEnum = builder.enumType(OutboundPurpose, { name: 'OutboundPurpose' });

export const OutboundMessageRef = builder.prismaObject('OutboundMessage', {
  description: 'A message in the outbox: scheduled, then sent (or not) by the delivery worker.',
  fields: (t) => ({
    id: t.exposeID('id'),
    leadId: t.exposeID('leadId', { nullable: true, description: 'Null for a notice to the managers.' }),
    purpose: t.expose('purpose', { type: OutboundPurposeEnum }),
    channel: t.expose('channel', { type: ChannelEnum }),
    template: t.exposeString('template'),
    // Stored sealed: opened here, then masked for a caller who may not see it in clear.
    recipient: t.string({
      description: 'An email address, a phone number, a LinkedIn search, or who to notify.',
      ...pii('contact'),
      resolve: (message, _args, { services }) => services.cipher.open(message.recipient),
    }),
    subject: t.string({ nullable: true, ...pii('text'), resolve: (message, _args, { services }) => services.cipher.openOptional(message.subject) }),
    body: t.string({ ...pii('text'), resolve: (message, _args, { services }) => services.cipher.open(message.body) }),
    status: t.expose('status', { type: OutboundStatusEnum }),
    transport: t.expose('transport', {
      type: DeliveryTransportEnum,
      nullable: true,
      description: 'The transport that took (or last tried) it; null before any try.',
    }),
    attempts: t.exposeInt('attempts'),
    providerMessageId: t.exposeString('providerMessageId', {
      nullable: true,
      description: "The provider's id: the SMTP Message-ID, the webhook receiver's id.",
    }),
    dedupKey: t.exposeString('dedupKey', { description: 'What the provider sees on every try (Message-ID, Idempotency-Key) to drop a repeated send.' }),
    // A provider's reason may quote the address: stored sealed, and masked like free text.
    lastError: t.string({
      nullable: true,
      description: 'Why the last try failed, or why it was suppressed.',
      ...pii('text'),
      resolve: (message, _args, { services }) => services.cipher.openOptional(message.lastError),
    }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    scheduledFor: t.expose('scheduledFor', { type: 'DateTime', description: 'When it is due (after a transient failure: the next try).' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true, description: 'When the transport took it; null until SENT.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    interaction: t.relation('interaction', { nullable: true, description: 'The TOUCHPOINT_SENT interaction recorded when it was sent.' }),
  }),
});

builder.queryField('outboundMessages', (t) =>
  t.prismaConnection({
    type: 'OutboundMessage',
    cursor: 'id',
    description:
      'The outbox and local mailbox: messages by due time, latest first. transport: MAILBOX lists what would have gone out with no transport configured.',
    authScopes: { read: true },
    maxSize: MAX_PAGE_SIZE,
    defaultSize: DEFAULT_PAGE_SIZE,
    args: {
      leadId: t.arg.id(),
      status: t.arg({ type: OutboundStatusEnum }),
      transport: t.arg({ type: DeliveryTransportEnum }),
      purpose: t.arg({ type: OutboundPurposeEnum }),
    },
    validate: z.looseObject({ first: pageSize, last: pageSize }),
    resolve: (query, _root, { leadId, status, transport, purpose }, { services }) =>
      services.prisma.outboundMessage.findMany({
        ...query,
        where: {
          ...(leadId ? { leadId: String(leadId) } : {}),
          ...(status ? { status } : {}),
          ...(transport ? { transport } : {}),
          ...(purpose ? { purpose } : {}),
        },
        orderBy: [{ scheduledFor: 'desc' }, { id: 'desc' }],
      }),
  }),
);

builder.prismaObjectFields('Lead', (t) => ({
  outboundMessages: t.relation('outbox', {
    description: 'Its messages in the outbox (scheduled, sent, failed...), latest due first.',
    args: { first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE, validate: pageSize }) },
    query: ({ first }) => ({ take: first ?? DEFAULT_PAGE_SIZE, orderBy: [{ scheduledFor: 'desc' }, { id: 'desc' }] }),
  }),
}));

const deliveryLoaders = new WeakMap<Context, DataLoader<string, OutboundMessage | null>>();

/**
 * The outbox message of a touchpoint, by the touchpoint's id (engagement's
 * result): the message has that id, or (planned before delivery existed) is
 * linked to the interaction with it. One query per request for all of them.
 */
export function touchpointMessage(context: Context, touchpointId: string): Promise<OutboundMessage | null> {
  let loader = deliveryLoaders.get(context);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const rows = await context.services.prisma.outboundMessage.findMany({
        where: { OR: [{ id: { in: [...ids] } }, { interactionId: { in: [...ids] } }] },
      });
      return ids.map((id) => rows.find((row) => row.id === id) ?? rows.find((row) => row.interactionId === id) ?? null);
    });
    deliveryLoaders.set(context, loader);
  }
  return loader.load(touchpointId);
}
