// outboxCounts: messages per delivery status (sent, scheduled, failed, ...).
import type { StatusCount } from '../agents/reporting/outbox-counts.js';
import { outboxCounts } from '../agents/reporting/outbox-counts.js';
import { builder } from './builder.js';
import { OutboundStatusEnum } from './outbound-message.js';
import { optionalWindow } from './reporting-window.js';

const StatusCountRef = builder.objectRef<StatusCount>('OutboundStatusCount').implement({
  fields: (t) => ({ status: t.expose('status', { type: OutboundStatusEnum }), count: t.exposeInt('count') }),
});

builder.queryField('outboxCounts', (t) =>
  t.field({
    type: [StatusCountRef],
    description: "Outbox messages created in [since, until) (all of them by default) per delivery status, one per status in the enum's order, zeros included.",
    authScopes: { read: true },
    args: { since: t.arg({ type: 'DateTime' }), until: t.arg({ type: 'DateTime' }) },
    validate: optionalWindow,
    resolve: (_root, window, { services }) => outboxCounts(services.prisma, window),
  }),
);
