// Waiting for the delivery worker: engagement only schedules messages; the
// worker sends each when due, a few milliseconds after the flow settles for a
// message due now. Tests that look for a TOUCHPOINT_SENT interaction wait here
// for it, instead of sleeping.
import { expect, vi } from 'vitest';
import type { OutboundMessage, PrismaClient } from '../../src/db/generated/prisma/client.js';

const WAIT = { timeout: 10_000, interval: 20 };

/** Resolves, with the lead's messages, once none of them due by now is SCHEDULED or SENDING any more (sent, failed, suppressed...). */
export async function untilDelivered(prisma: PrismaClient, leadId: string): Promise<OutboundMessage[]> {
  return vi.waitFor(async () => {
    const messages = await prisma.outboundMessage.findMany({ where: { leadId }, orderBy: [{ scheduledFor: 'asc' }, { id: 'asc' }] });
    const now = Date.now();
    const pending = messages.filter((message) => (message.status === 'SCHEDULED' || message.status === 'SENDING') && message.scheduledFor.getTime() <= now);
    expect(pending.map((message) => `${message.id} ${message.status}`)).toEqual([]);
    return messages;
  }, WAIT);
}
