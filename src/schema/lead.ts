// Lead: the lead as stored, with its latest triage verdict; `lead` and `leads`.
import { z } from 'zod';
import type { TriageFactor } from '../agents/triage/triage.js';
import type { Prisma } from '../db/generated/prisma/client.js';
import { builder } from './builder.js';
import { pii } from './pii-masking.js';
import { CompanySizeEnum, IndustryEnum, LeadOutcomeEnum, PersonaEnum, TriageCategoryEnum } from './enums.js';
import { CategoryCountRef, leadCounts } from './lead-counts.js';
import { leadFilterArg, LeadFilterRef, leadWhere } from './lead-filter.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from './page-size.js';
import { TriageFactorRef } from './triage-factor.js';

export const LeadRef = builder.prismaObject('Lead', {
  description: "A marketing lead, identified by the caller's own lead id.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The lead_id it was submitted with.' }),
    industry: t.expose('industry', { type: IndustryEnum }),
    companySize: t.expose('companySize', { type: CompanySizeEnum }),
    source: t.exposeString('source', { nullable: true }),
    persona: t.expose('persona', { type: PersonaEnum, nullable: true }),
    // Stored sealed: opened here, then masked for a caller who may not see it in clear.
    email: t.string({ nullable: true, ...pii('email'), resolve: (lead, _args, { services }) => services.cipher.openOptional(lead.email) }),
    phone: t.string({ nullable: true, ...pii('phone'), resolve: (lead, _args, { services }) => services.cipher.openOptional(lead.phone) }),
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
    campaign: t.relation('campaign', { nullable: true, description: 'The campaign the lead came from, if any.' }),
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

const LeadOrderEnum = builder.enumType('LeadOrder', {
  description:
    'RECENT: newest first. SCORE: highest score first. LAST_ACTIVITY: the latest signal from the lead first (its profile, as consolidation last summed it up). CATEGORY, INDUSTRY: grouped in the enum order, newest first within a group. Leads without the value come last.',
  values: ['RECENT', 'SCORE', 'LAST_ACTIVITY', 'CATEGORY', 'INDUSTRY'] as const,
});

type LeadOrder = (typeof LeadOrderEnum)['$inferType'];

// Every order ends with the recency order, whose (createdAt, id) is unique: a cursor
// then names one position, and pages neither skip nor repeat a lead.
const RECENCY: Prisma.LeadOrderByWithRelationInput[] = [{ createdAt: 'desc' }, { id: 'desc' }];
const LEAD_ORDERS: Record<LeadOrder, Prisma.LeadOrderByWithRelationInput[]> = {
  RECENT: RECENCY,
  SCORE: [{ score: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
  LAST_ACTIVITY: [{ profile: { lastActivityAt: { sort: 'desc', nulls: 'last' } } }, ...RECENCY],
  CATEGORY: [{ category: { sort: 'asc', nulls: 'last' } }, ...RECENCY],
  INDUSTRY: [{ industry: 'asc' }, ...RECENCY],
};

builder.queryField('leads', (t) =>
  t.prismaConnection(
    {
      type: 'Lead',
      cursor: 'id',
      description: 'Leads, filtered and ordered for a dashboard; newest first by default.',
      authScopes: { read: true },
      maxSize: MAX_PAGE_SIZE,
      defaultSize: DEFAULT_PAGE_SIZE,
      args: { filter: t.arg({ type: LeadFilterRef }), orderBy: t.arg({ type: LeadOrderEnum, defaultValue: 'RECENT' }) },
      // Loose: the validated args replace the originals, and after/before must survive.
      validate: z.looseObject({ first: pageSize, last: pageSize, filter: leadFilterArg }),
      totalCount: (_root, args, { services }) => leadCounts(services.prisma, args).then((counts) => counts.total),
      resolve: (query, _root, { filter, orderBy }, { services }) =>
        services.prisma.lead.findMany({
          ...query,
          where: leadWhere(filter ?? {}),
          orderBy: LEAD_ORDERS[orderBy ?? 'RECENT'],
        }),
    },
    {
      fields: (connection) => ({
        countsByCategory: connection.field({
          type: [CategoryCountRef],
          description: 'Leads the filter matches per triage category, zeros included; untriaged leads count in totalCount only.',
          resolve: ({ args }, _args, { services }) => leadCounts(services.prisma, args).then((counts) => counts.byCategory),
        }),
      }),
    },
  ),
);
