// optimizeCampaign: review a campaign now, optionally with new snapshots (stored
// first) or a KPI report (judged, not stored), and answer the review.
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { CampaignReview } from '../../agents/optimization/campaign-review.js';
import { optimizeCampaign } from '../../agents/optimization/optimize-campaign.js';
import type { ReportedKpis } from '../../agents/optimization/reported-kpis.js';
import { builder } from '../builder.js';
import { campaignId, MetricsSnapshotInputRef, snapshotInput } from '../campaign.js';
import { OptimizationReviewRef } from './review.js';

const OptimizationResultRef = builder.objectRef<CampaignReview>('OptimizationResult').implement({
  description: 'A review of a campaign just made, and the run that records it.',
  interfaces: [OptimizationReviewRef],
  fields: (t) => ({
    campaignId: t.id({ resolve: (r) => r.analysis.campaignId }),
    analyzedAt: t.field({ type: 'DateTime', resolve: (r) => r.analysis.analyzedAt }),
    escalation: t.prismaField({
      type: 'Handoff',
      nullable: true,
      description: 'The manager escalation (trigger PERFORMANCE_THRESHOLD) its breaches raised, if any.',
      resolve: (query, r, _args, { services }) => (r.escalation ? services.prisma.handoff.findUnique({ ...query, where: { id: r.escalation.id } }) : null),
    }),
    run: t.prismaField({
      type: 'OptimizationRun',
      resolve: (query, r, _args, { services }) => services.prisma.optimizationRun.findUniqueOrThrow({ ...query, where: { id: r.run.id } }),
    }),
  }),
});

const ReportedKpisInputRef = builder.inputType('ReportedKpisInput', {
  description:
    'A KPI report: any KPIs and counts of the campaign, or of one channel or variant; judged against the thresholds and the stored history, not stored.',
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

builder.mutationField('optimizeCampaign', (t) =>
  t.field({
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
        // GraphQL's absent fields arrive as null; the agent's report has them undefined.
        reported: reported ? (Object.fromEntries(Object.entries(reported).filter(([, value]) => value !== null && value !== undefined)) as ReportedKpis) : null,
      }),
  }),
);
