// How many leads a leads connection's filter matches, in all and per triage
// category, for a dashboard's tiles. One grouped statement answers both (GROUP BY
// category), run only when a count is selected and at most once per field: totalCount
// and countsByCategory of the same `leads(...)` share it.
import type { PrismaClient } from '../db/generated/prisma/client.js';
import { TriageCategory } from '../db/generated/prisma/enums.js';
import { builder } from './builder.js';
import { TriageCategoryEnum } from './enums.js';
import { leadWhere, type LeadFilter } from './lead-filter.js';

interface CategoryCount {
  category: TriageCategory;
  count: number;
}

interface LeadCounts {
  /** Every lead the filter matches, triaged or not. */
  total: number;
  /** One per category, in the enum's order, zeros included. */
  byCategory: CategoryCount[];
}

export const CategoryCountRef = builder.objectRef<CategoryCount>('LeadCategoryCount').implement({
  fields: (t) => ({
    category: t.expose('category', { type: TriageCategoryEnum }),
    count: t.exposeInt('count'),
  }),
});

// Keyed by the field's arguments object, which Pothos hands to totalCount and keeps on
// the connection: one entry per `leads(...)` field of one operation, collected with it.
const countsByArguments = new WeakMap<object, Promise<LeadCounts>>();

export function leadCounts(prisma: PrismaClient, args: { filter?: LeadFilter | null }): Promise<LeadCounts> {
  let counts = countsByArguments.get(args);
  if (!counts) {
    counts = prisma.lead.groupBy({ by: ['category'], where: leadWhere(args.filter ?? {}), _count: { _all: true } }).then((groups) => ({
      total: groups.reduce((sum, group) => sum + group._count._all, 0),
      byCategory: Object.values(TriageCategory).map((category) => ({ category, count: groups.find((group) => group.category === category)?._count._all ?? 0 })),
    }));
    countsByArguments.set(args, counts);
  }
  return counts;
}
