// The outbox at a glance: how many messages are in each delivery status, zeros
// included, from one grouped statement.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import { createdWithin, type ReportingWindow } from './created-within.js';
import { OutboundStatus } from '../../db/generated/prisma/enums.js';

export interface StatusCount {
  status: OutboundStatus;
  count: number;
}

export async function outboxCounts(prisma: PrismaClient, window: ReportingWindow = {}): Promise<StatusCount[]> {
  const groups = await prisma.outboundMessage.groupBy({
    by: ['status'],
    where: createdWithin(window),
    _count: { _all: true },
  });
  return Object.values(OutboundStatus).map((status) => ({ status, count: groups.find((g) => g.status === status)?._count._all ?? 0 }));
}
