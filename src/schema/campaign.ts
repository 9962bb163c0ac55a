// Campaigns and their metrics over time. The optimization agent's reviews of them
// (KPIs, recommendations with evidence, breaches that escalate) are in optimization/.
import { z } from 'zod';
import { campaignKpis } from '../agents/optimization/kpis.js';
import { NotFoundError } from '../errors.js';
import { builder } from './builder.js';
import { CampaignKpisRef } from './optimization/kpis.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from './page-size.js';

const CAMPAIGN_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
export const campaignId = z.string().regex(CAMPAIGN_ID, 'must be 1-128 characters: letters, digits and . _ : @ -, starting with a letter or digit');

builder.prismaObject('Campaign', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    status: t.exposeString('status'),
    budgetUsd: t.exposeFloat('budgetUsd', { nullable: true, description: 'Lifetime budget, which optimization reallocates across channels.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    metrics: t.relation('metrics', {
      description: 'Snapshots by period, oldest first.',
      query: { orderBy: [{ periodStart: 'asc' }, { variant: 'asc' }, { channel: 'asc' }] },
    }),
    // The figures a dashboard charts, computed from the stored snapshots as a
    // review computes them, so a campaign never reviewed still shows its KPIs.
    kpis: t.field({
      type: CampaignKpisRef,
      description:
        'KPIs of the stored snapshots (overall, by channel, by variant and by period), as a review computes them; zeros and nulls without snapshots.',
      select: { metrics: true },
      resolve: (campaign) => campaignKpis(campaign.metrics),
    }),
    optimizations: t.relation('optimizations', {
      description: 'Reviews by the optimization agent, latest first.',
      args: { first: t.arg.int({ defaultValue: 5, validate: pageSize }) },
      query: ({ first }) => ({ take: first ?? 5, orderBy: { createdAt: 'desc' } }),
    }),
  }),
});

builder.prismaObject('CampaignMetrics', {
  name: 'CampaignMetricsSnapshot',
  fields: (t) => ({
    variant: t.exposeString('variant'),
    channel: t.exposeString('channel'),
    periodStart: t.expose('periodStart', { type: 'DateTime' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime' }),
    impressions: t.exposeInt('impressions'),
    clicks: t.exposeInt('clicks'),
    conversions: t.exposeInt('conversions'),
    spendUsd: t.exposeFloat('spendUsd'),
    revenueUsd: t.exposeFloat('revenueUsd'),
  }),
});

const CampaignInputRef = builder.inputType('CampaignInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ required: true }),
    budgetUsd: t.float({ description: 'Lifetime budget in USD; omit to keep, null to clear.' }),
  }),
});

export const MetricsSnapshotInputRef = builder.inputType('CampaignMetricsInput', {
  description: 'One period of one variant on one channel. A snapshot for a stored period replaces it.',
  fields: (t) => ({
    variant: t.string({ description: 'Defaults to "default".' }),
    channel: t.string({ description: 'Defaults to "all".' }),
    periodStart: t.field({ type: 'DateTime', required: true }),
    periodEnd: t.field({ type: 'DateTime', required: true }),
    impressions: t.int({ required: true }),
    clicks: t.int({ required: true }),
    conversions: t.int({ required: true }),
    spendUsd: t.float({ required: true }),
    revenueUsd: t.float({ required: true }),
  }),
});

builder.queryFields((t) => ({
  campaign: t.prismaField({
    type: 'Campaign',
    nullable: true,
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, { services }) => services.prisma.campaign.findUnique({ ...query, where: { id: String(id) } }),
  }),
  campaigns: t.prismaConnection({
    type: 'Campaign',
    cursor: 'id',
    authScopes: { read: true },
    maxSize: MAX_PAGE_SIZE,
    defaultSize: DEFAULT_PAGE_SIZE,
    validate: z.looseObject({ first: pageSize, last: pageSize }),
    resolve: (query, _root, _args, { services }) => services.prisma.campaign.findMany({ ...query, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
}));

builder.mutationFields((t) => ({
  createCampaign: t.prismaField({
    type: 'Campaign',
    description: 'Create a campaign, or update its name and budget: idempotent by id.',
    authScopes: { processLeads: true },
    args: { input: t.arg({ type: CampaignInputRef, required: true }) },
    validate: z.looseObject({ input: z.looseObject({ id: campaignId, name: z.string().trim().min(1, 'must not be empty').max(200) }) }),
    resolve: async (query, _root, { input }, { services }) => {
      const campaign = await services.optimization.metrics.createCampaign({
        id: String(input.id),
        name: input.name,
        ...(input.budgetUsd !== undefined ? { budgetUsd: input.budgetUsd } : {}),
      });
      return services.prisma.campaign.findUniqueOrThrow({ ...query, where: { id: campaign.id } });
    },
  }),
  ingestCampaignMetrics: t.prismaField({
    type: 'Campaign',
    description: "Store a campaign's metric snapshots (all or none). NotFoundError for an unknown campaign.",
    authScopes: { processLeads: true },
    errors: { types: [NotFoundError] },
    args: { campaignId: t.arg.id({ required: true }), metrics: t.arg({ type: [MetricsSnapshotInputRef], required: true }) },
    resolve: async (query, _root, { campaignId: id, metrics }, { services }) => {
      await services.optimization.metrics.ingest(String(id), metrics.map(snapshotInput));
      return services.prisma.campaign.findUniqueOrThrow({ ...query, where: { id: String(id) } });
    },
  }),
}));

/** A snapshot argument as the metrics store takes it: variant and channel omitted when not given. */
export function snapshotInput(snapshot: {
  variant?: string | null;
  channel?: string | null;
  periodStart: Date;
  periodEnd: Date;
  impressions: number;
  clicks: number;
  conversions: number;
  spendUsd: number;
  revenueUsd: number;
}) {
  const { variant, channel, ...counts } = snapshot;
  return { ...counts, ...(variant ? { variant } : {}), ...(channel ? { channel } : {}) };
}
