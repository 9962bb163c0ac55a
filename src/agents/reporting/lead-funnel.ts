// The lead funnel: leads received, triaged per category, and what became of them
// (converted, lost, or still open), in one grouped statement over category and outcome.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import { createdWithin, type ReportingWindow } from './created-within.js';
import { TriageCategory, type LeadOutcome } from '../../db/generated/prisma/enums.js';

export interface CategoryFunnel {
  category: TriageCategory;
  leads: number;
  converted: number;
  lost: number;
  /** No outcome recorded yet. */
  open: number;
}

export interface LeadFunnel {
  /** Every lead received, triaged or not. */
  leads: number;
  triaged: number;
  converted: number;
  lost: number;
  /** One per category, in the enum's order, zeros included. */
  byCategory: CategoryFunnel[];
}

export async function leadFunnel(prisma: PrismaClient, window: ReportingWindow = {}): Promise<LeadFunnel> {
  const groups = await prisma.lead.groupBy({
    by: ['category', 'outcome'],
    where: createdWithin(window),
    _count: { _all: true },
  });
  const count = (category: TriageCategory | null | undefined, outcome?: LeadOutcome | null) =>
    groups
      .filter((g) => (category === undefined || g.category === category) && (outcome === undefined || g.outcome === outcome))
      .reduce((sum, g) => sum + g._count._all, 0);
  const byCategory = Object.values(TriageCategory).map((category) => ({
    category,
    leads: count(category),
    converted: count(category, 'CONVERTED'),
    lost: count(category, 'LOST'),
    open: count(category, null),
  }));
  return {
    leads: count(undefined),
    triaged: byCategory.reduce((sum, c) => sum + c.leads, 0),
    converted: count(undefined, 'CONVERTED'),
    lost: count(undefined, 'LOST'),
    byCategory,
  };
}
