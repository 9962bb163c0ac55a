// The outbox at a glance: how many messages are in each delivery status, zeros
// included, from one grouped statement.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import { OutboundStatus } from '../../db/generated/prisma/enums.js';

export interface StatusCount {
  status: OutboundStatus;
  count: number;
}

export async function outboxCounts(prisma: PrismaClient, window: { since?: Date | null; until?: Date | null } = {}): Promise<StatusCount[]> {
  const groups = await prisma.outboundMessage.groupBy({
    by: ['status'],
    where: { createdAt: { ...(window.since ? { gte: window.since } : {}), ...(window.until ? { lt: window.until } : {}) } },
    _count: { _all: true },
  });
  return Object.values(OutboundStatus).map((status) => ({ status, count: groups.find((g) => g.status === status)?._count._all ?? 0 }));
}
