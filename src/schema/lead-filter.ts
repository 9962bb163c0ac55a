// The leads connection's filter: its input type, its validation, and the Prisma
// condition it stands for (the same condition pages and counts).
import { z } from 'zod';
import type { Prisma } from '../db/generated/prisma/client.js';
import { builder } from './builder.js';
import { CompanySizeEnum, IndustryEnum, LeadOutcomeEnum, PersonaEnum, TriageCategoryEnum } from './enums.js';

export const LeadFilterRef = builder.inputType('LeadFilter', {
  description: 'Every condition given must hold.',
  fields: (t) => ({
    category: t.field({ type: TriageCategoryEnum }),
    industry: t.field({ type: IndustryEnum }),
    companySize: t.field({ type: CompanySizeEnum }),
    persona: t.field({ type: PersonaEnum }),
    outcome: t.field({ type: LeadOutcomeEnum, description: 'How the lead ended, once recorded.' }),
    source: t.string({ description: 'The source as submitted, case-insensitively.' }),
    scoreMin: t.int({ description: 'At least this score (0-100).' }),
    scoreMax: t.int({ description: 'At most this score (0-100).' }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    campaignId: t.id(),
  }),
});

export type LeadFilter = typeof LeadFilterRef.$inferInput;

const score = z.number().int().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').nullish();

/** The filter argument's rules, with the paths GraphQL callers see (`filter.scoreMin`). */
export const leadFilterArg = z
  .looseObject({ scoreMin: score, scoreMax: score })
  .nullish()
  .refine((filter) => !filter?.scoreMin || !filter.scoreMax || filter.scoreMin <= filter.scoreMax, {
    path: ['scoreMin'],
    message: 'must not exceed scoreMax',
  });

export function leadWhere(filter: LeadFilter): Prisma.LeadWhereInput {
  const score = { ...(filter.scoreMin != null ? { gte: filter.scoreMin } : {}), ...(filter.scoreMax != null ? { lte: filter.scoreMax } : {}) };
  const created = { ...(filter.createdAfter ? { gte: filter.createdAfter } : {}), ...(filter.createdBefore ? { lt: filter.createdBefore } : {}) };
  return {
    ...(filter.category ? { category: filter.category } : {}),
    ...(filter.industry ? { industry: filter.industry } : {}),
    ...(filter.companySize ? { companySize: filter.companySize } : {}),
    ...(filter.persona ? { persona: filter.persona } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.campaignId ? { campaignId: String(filter.campaignId) } : {}),
    ...(filter.source ? { source: { equals: likeLiteral(filter.source.trim()), mode: 'insensitive' } } : {}),
    ...(Object.keys(score).length > 0 ? { score } : {}),
    ...(Object.keys(created).length > 0 ? { createdAt: created } : {}),
  };
}

/**
 * Prisma compares `equals` with `mode: 'insensitive'` as `ILIKE $1`, where `%`, `_`
 * and `\` are pattern syntax: escaped, the source is compared as it is written
 * (`%` matches only `%`; a lone `\` is no broken pattern).
 */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&');
}
