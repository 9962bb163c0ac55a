// Campaigns: their metrics over time, and the optimization agent's reviews of
// them (KPIs, recommendations with evidence, breaches that escalate).
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import type { Breach, Recommendation } from '../agents/optimization/recommendation.js';
import type { CampaignReview } from '../agents/optimization/campaign-review.js';
import { optimizeCampaign } from '../agents/optimization/optimize-campaign.js';
import { builder } from './builder.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from './page-size.js';

const CAMPAIGN_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const campaignId = z.string().regex(CAMPAIGN_ID, 'must be 1-128 characters: letters, digits and . _ : @ -, starting with a letter or digit');

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

builder.prismaObject('OptimizationRun', {
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    dataSufficient: t.exposeBoolean('dataSufficient'),
    kpis: t.expose('kpis', { type: 'JSON', description: 'KPIs overall, by channel, variant and period, with breaches and thresholds.' }),
    recommendations: t.expose('recommendations', { type: 'JSON' }),
    escalation: t.relation('escalation', { nullable: true }),
  }),
});

const RecommendationRef = builder.objectRef<Recommendation>('Recommendation').implement({
  description: 'A recommendation with how sure it is and the evidence behind it.',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'variant_winner, anomaly, budget_reallocation, pause, scale or insufficient_data.' }),
    target: t.exposeString('target'),
    summary: t.exposeString('summary'),
    confidence: t.exposeFloat('confidence', { description: '0-1; 0 for insufficient_data (no claim is made).' }),
    evidence: t.expose('evidence', { type: 'JSON', description: 'Test statistics, p-values, posterior probabilities, sample sizes.' }),
    expectedEffect: t.field({ type: 'JSON', nullable: true, resolve: (r) => r.expectedEffect ?? null }),
  }),
});

const BreachRef = builder.objectRef<Breach>('KpiBreach').implement({
  description: 'A KPI past its threshold with significance: what escalates to a manager.',
  fields: (t) => ({
    kpi: t.exposeString('kpi'),
    scope: t.exposeString('scope'),
    observed: t.exposeFloat('observed'),
    threshold: t.exposeFloat('threshold'),
    severity: t.exposeString('severity'),
    summary: t.exposeString('summary'),
    evidence: t.expose('evidence', { type: 'JSON' }),
  }),
});

const OptimizationResultRef = builder.objectRef<CampaignReview>('OptimizationResult').implement({
  fields: (t) => ({
    campaignId: t.id({ resolve: (r) => r.analysis.campaignId }),
    analyzedAt: t.field({ type: 'DateTime', resolve: (r) => r.analysis.analyzedAt }),
    dataSufficient: t.boolean({ resolve: (r) => r.analysis.dataSufficient }),
    kpis: t.field({ type: 'JSON', resolve: (r) => r.analysis.kpis }),
    recommendations: t.field({ type: [RecommendationRef], resolve: (r) => r.analysis.recommendations }),
    breaches: t.field({ type: [BreachRef], resolve: (r) => r.analysis.breaches }),
    insufficientData: t.stringList({ resolve: (r) => r.analysis.insufficient, description: 'What data is missing for more advice, in words.' }),
    escalation: t.prismaField({
      type: 'Handoff',
      nullable: true,
      resolve: (query, r, _args, { services }) => (r.escalation ? services.prisma.handoff.findUnique({ ...query, where: { id: r.escalation.id } }) : null),
    }),
    run: t.prismaField({
      type: 'OptimizationRun',
      resolve: (query, r, _args, { services }) => services.prisma.optimizationRun.findUniqueOrThrow({ ...query, where: { id: r.run.id } }),
    }),
  }),
});

const CampaignInputRef = builder.inputType('CampaignInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ required: true }),
    budgetUsd: t.float({ description: 'Lifetime budget in USD; omit to keep, null to clear.' }),
  }),
});

const MetricsSnapshotInputRef = builder.inputType('CampaignMetricsInput', {
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

const ReportedKpisInputRef = builder.inputType('ReportedKpisInput', {
  description: 'KPIs a caller reports without their counts: judged against thresholds and history, not stored.',
  fields: (t) => ({
    roas: t.float(),
    ctr: t.float(),
    cvr: t.float(),
    cplUsd: t.float(),
    impressions: t.int(),
    clicks: t.int(),
    conversions: t.int(),
    spendUsd: t.float(),
    revenueUsd: t.float(),
    channel: t.string(),
    variant: t.string(),
    periodStart: t.field({ type: 'DateTime', description: 'The period the report covers, when it is one.' }),
    periodEnd: t.field({ type: 'DateTime' }),
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
  optimizeCampaign: t.field({
    type: OptimizationResultRef,
    description:
      'Review a campaign: KPIs and recommendations with evidence; a KPI breaching its threshold with significance escalates to a manager. ' +
      'Snapshots given are stored first; reported KPIs are judged, not stored. Metrics for an unknown campaign id register it; ' +
      'without metrics, an unknown campaign is a NotFoundError.',
    authScopes: { processLeads: true },
    errors: { types: [NotFoundError] },
    args: {
      campaignId: t.arg.id({ required: true }),
      metrics: t.arg({ type: [MetricsSnapshotInputRef] }),
      reported: t.arg({ type: ReportedKpisInputRef }),
    },
    validate: z.looseObject({ campaignId }),
    resolve: (_root, { campaignId: id, metrics, reported }, { services }) =>
      optimizeCampaign(services, {
        campaignId: String(id),
        snapshots: metrics?.map(snapshotInput) ?? null,
        reported: reported ? (Object.fromEntries(Object.entries(reported).filter(([, value]) => value !== null && value !== undefined)) as never) : null,
      }),
  }),
}));

function snapshotInput(snapshot: {
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
