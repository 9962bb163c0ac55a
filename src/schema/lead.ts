// Lead: the lead as stored, with its latest triage verdict; `lead` and `leads`.
import { z } from 'zod';
import type { Prisma } from '../db/generated/prisma/client.js';
import type { TriageFactor } from '../agents/triage/triage.js';
import { builder } from './builder.js';
import { CompanySizeEnum, IndustryEnum, LeadOutcomeEnum, PersonaEnum, TriageCategoryEnum } from './enums.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from './page-size.js';
import { TriageFactorRef } from './triage.js';

export const LeadRef = builder.prismaObject('Lead', {
  description: "A marketing lead, identified by the caller's own lead id.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The lead_id it was submitted with.' }),
    industry: t.expose('industry', { type: IndustryEnum }),
    companySize: t.expose('companySize', { type: CompanySizeEnum }),
    source: t.exposeString('source', { nullable: true }),
    persona: t.expose('persona', { type: PersonaEnum, nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    score: t.exposeInt('score', { nullable: true, description: 'Latest triage score, 0-100.' }),
    category: t.expose('category', { type: TriageCategoryEnum, nullable: true }),
    confidence: t.exposeFloat('confidence', { nullable: true, description: 'Confidence of the category, 0-1.' }),
    reasoning: t.exposeString('reasoning', { nullable: true }),
    factors: t.field({
      type: [TriageFactorRef],
      description: 'What moved the score, largest effect first.',
      resolve: (lead) => (lead.factors as TriageFactor[] | null) ?? [],
    }),
    assignedAgent: t.exposeString('assignedAgent', { nullable: true }),
    modelVersion: t.exposeString('modelVersion', { nullable: true, description: 'The triage model that produced the score.' }),
    triagedAt: t.expose('triagedAt', { type: 'DateTime', nullable: true }),
    outcome: t.expose('outcome', { type: LeadOutcomeEnum, nullable: true, description: 'How the lead ended, once recorded.' }),
    outcomeAt: t.expose('outcomeAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    conversation: t.relation('conversation', { nullable: true }),
    handoffs: t.relation('handoffs', {
      description: 'Most recent first.',
      args: { first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE, validate: pageSize }) },
      query: ({ first }) => ({ take: first ?? DEFAULT_PAGE_SIZE, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
    interactions: t.relation('interactions', {
      description: 'Most recent first.',
      args: { first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE, validate: pageSize }) },
      query: ({ first }) => ({ take: first ?? DEFAULT_PAGE_SIZE, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] }),
    }),
  }),
});

builder.queryField('lead', (t) =>
  t.prismaField({
    type: 'Lead',
    nullable: true,
    description: 'One lead by its lead id; null when there is none.',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, { services }) => services.prisma.lead.findUnique({ ...query, where: { id: String(id) } }),
  }),
);

const LeadFilterRef = builder.inputType('LeadFilter', {
  description: 'Every condition given must hold.',
  fields: (t) => ({
    category: t.field({ type: TriageCategoryEnum }),
    industry: t.field({ type: IndustryEnum }),
    companySize: t.field({ type: CompanySizeEnum }),
    source: t.string({ description: 'The source as submitted, case-insensitively.' }),
    scoreMin: t.int({ description: 'At least this score (0-100).' }),
    scoreMax: t.int({ description: 'At most this score (0-100).' }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    campaignId: t.id(),
  }),
});

const LeadOrderEnum = builder.enumType('LeadOrder', {
  description: 'RECENT: newest first. SCORE: highest score first (untriaged leads last).',
  values: ['RECENT', 'SCORE'] as const,
});

const score = z.number().int().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').nullish();

builder.queryField('leads', (t) =>
  t.prismaConnection({
    type: 'Lead',
    cursor: 'id',
    description: 'Leads, filtered and ordered for a dashboard; newest first by default.',
    authScopes: { read: true },
    maxSize: MAX_PAGE_SIZE,
    defaultSize: DEFAULT_PAGE_SIZE,
    args: { filter: t.arg({ type: LeadFilterRef }), orderBy: t.arg({ type: LeadOrderEnum, defaultValue: 'RECENT' }) },
    // Loose: the validated args replace the originals, and after/before must survive.
    validate: z
      .looseObject({ first: pageSize, last: pageSize, filter: z.looseObject({ scoreMin: score, scoreMax: score }).nullish() })
      .refine(({ filter }) => !filter?.scoreMin || !filter.scoreMax || filter.scoreMin <= filter.scoreMax, {
        path: ['filter', 'scoreMin'],
        message: 'must not exceed scoreMax',
      }),
    resolve: (query, _root, { filter, orderBy }, { services }) =>
      services.prisma.lead.findMany({
        ...query,
        where: leadWhere(filter ?? {}),
        orderBy: orderBy === 'SCORE' ? [{ score: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] : [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

type LeadFilter = typeof LeadFilterRef.$inferInput;

function leadWhere(filter: LeadFilter): Prisma.LeadWhereInput {
  const score = { ...(filter.scoreMin != null ? { gte: filter.scoreMin } : {}), ...(filter.scoreMax != null ? { lte: filter.scoreMax } : {}) };
  const created = { ...(filter.createdAfter ? { gte: filter.createdAfter } : {}), ...(filter.createdBefore ? { lt: filter.createdBefore } : {}) };
  return {
    ...(filter.category ? { category: filter.category } : {}),
    ...(filter.industry ? { industry: filter.industry } : {}),
    ...(filter.companySize ? { companySize: filter.companySize } : {}),
    ...(filter.campaignId ? { campaignId: String(filter.campaignId) } : {}),
    ...(filter.source ? { source: { equals: filter.source.trim(), mode: 'insensitive' } } : {}),
    ...(Object.keys(score).length > 0 ? { score } : {}),
    ...(Object.keys(created).length > 0 ? { createdAt: created } : {}),
  };
}
