// A campaign's KPIs as the optimization agent computes them: overall, by channel,
// by variant and by period. Every slice carries the same counts and ratios (the
// KpiValues interface), so a dashboard selects `byPeriod { periodStart roas }`
// without nesting.
import type { CampaignKpis, ChannelKpis, KpiValues, PeriodKpis, VariantKpis } from '../../agents/optimization/kpis.js';
import { builder } from '../builder.js';

export const KpiValuesRef = builder.interfaceRef<KpiValues>('KpiValues').implement({
  description: 'Counts summed over a slice of snapshots, and the KPIs of the sums (a ratio of sums, not a mean of ratios).',
  fields: (t) => ({
    impressions: t.exposeInt('impressions'),
    clicks: t.exposeInt('clicks'),
    conversions: t.exposeInt('conversions'),
    spendUsd: t.exposeFloat('spendUsd'),
    revenueUsd: t.exposeFloat('revenueUsd'),
    ctr: t.exposeFloat('ctr', { nullable: true, description: 'clicks / impressions; null without impressions.' }),
    cvr: t.exposeFloat('cvr', { nullable: true, description: 'conversions / clicks; null without clicks.' }),
    cplUsd: t.exposeFloat('cplUsd', { nullable: true, description: 'spend / conversions (cost per lead); null without conversions.' }),
    roas: t.exposeFloat('roas', { nullable: true, description: 'revenue / spend; null without spend.' }),
  }),
});

const KpiSnapshotRef = builder.objectRef<KpiValues>('KpiSnapshot').implement({
  description: 'KPIs over every stored snapshot of the campaign.',
  interfaces: [KpiValuesRef],
});

const ChannelKpisRef = builder.objectRef<ChannelKpis>('ChannelKpis').implement({
  description: 'One channel, all variants and periods.',
  interfaces: [KpiValuesRef],
  fields: (t) => ({ channel: t.exposeString('channel') }),
});

const VariantKpisRef = builder.objectRef<VariantKpis>('VariantKpis').implement({
  description: 'One variant, all channels and periods.',
  interfaces: [KpiValuesRef],
  fields: (t) => ({ variant: t.exposeString('variant') }),
});

const PeriodKpisRef = builder.objectRef<PeriodKpis>('PeriodKpis').implement({
  description: 'One period (one exact periodStart-periodEnd pair), all channels and variants: a point of the time series.',
  interfaces: [KpiValuesRef],
  fields: (t) => ({
    periodStart: t.expose('periodStart', { type: 'DateTime' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime' }),
  }),
});

export const CampaignKpisRef = builder.objectRef<CampaignKpis>('CampaignKpis').implement({
  description: "A campaign's KPIs (CTR, CVR, CPL, ROAS) from its stored snapshots.",
  fields: (t) => ({
    overall: t.field({ type: KpiSnapshotRef, resolve: (k) => k.overall }),
    byChannel: t.field({ type: [ChannelKpisRef], description: 'By channel name.', resolve: (k) => k.byChannel }),
    byVariant: t.field({ type: [VariantKpisRef], description: 'By variant name.', resolve: (k) => k.byVariant }),
    byPeriod: t.field({ type: [PeriodKpisRef], description: 'The time series, oldest period first.', resolve: (k) => k.byPeriod }),
  }),
});
