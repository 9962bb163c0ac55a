// The delivery worker's outcomes as /metrics: baton_outbound_messages_total{status,transport},
// one count per message reaching SENT, FAILED or SUPPRESSED, and per transient
// failure put back to SCHEDULED for a retry (status "retried").
import { Counter } from 'prom-client';
import type { DeliveryObserver } from '../delivery/delivery-worker.js';
import type { Metrics } from '../http/metrics.js';

const STATUSES = ['sent', 'failed', 'suppressed', 'retried'] as const;
const TRANSPORTS = ['smtp', 'webhook', 'mailbox'] as const;

export function deliveryObserver({ registry }: Metrics): DeliveryObserver {
  const messages = new Counter({
    name: 'baton_outbound_messages_total',
    help: 'Outbound messages by the status the delivery worker left them in (retried: a transient failure, tried again later) and transport (none: suppressed before any).',
    labelNames: ['status', 'transport'],
    registers: [registry],
  });
  for (const status of STATUSES) for (const transport of TRANSPORTS) messages.inc({ status, transport }, 0);
  messages.inc({ status: 'suppressed', transport: 'none' }, 0);
  return ({ status, transport }) => {
    messages.inc({ status: status === 'SCHEDULED' ? 'retried' : status.toLowerCase(), transport: transport?.toLowerCase() ?? 'none' });
  };
}
