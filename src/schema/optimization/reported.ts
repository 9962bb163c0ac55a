// The assessment of a KPI report sent with optimizeCampaign (judged, not stored):
// each reported KPI against the thresholds and against the campaign's history.
import type { HistoryCheck } from '../../agents/optimization/anomalies.js';
import type { ReportedAssessment, ReportedComparison, ReportedKpis } from '../../agents/optimization/reported-kpis.js';
import { builder } from '../builder.js';
import { DirectionEnum, KpiEnum, KpiSourceEnum, RobustScaleMethodEnum } from './enums.js';

/** What a review keeps of an assessment: its ROAS/CPL interval lives only as long as the request. */
export type ReportedAssessmentView = Omit<ReportedAssessment, 'interval'>;

const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null);

const ReportedKpisRef = builder.objectRef<ReportedKpis>('ReportedKpis').implement({
  description: 'The KPI report as it was sent; null fields were not reported.',
  fields: (t) => ({
    roas: t.exposeFloat('roas', { nullable: true }),
    ctr: t.exposeFloat('ctr', { nullable: true }),
    cvr: t.exposeFloat('cvr', { nullable: true }),
    cplUsd: t.exposeFloat('cplUsd', { nullable: true }),
    impressions: t.exposeInt('impressions', { nullable: true }),
    clicks: t.exposeInt('clicks', { nullable: true }),
    conversions: t.exposeInt('conversions', { nullable: true }),
    spendUsd: t.exposeFloat('spendUsd', { nullable: true }),
    revenueUsd: t.exposeFloat('revenueUsd', { nullable: true }),
    channel: t.exposeString('channel', { nullable: true }),
    variant: t.exposeString('variant', { nullable: true }),
    periodStart: t.expose('periodStart', { type: 'DateTime', nullable: true }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime', nullable: true }),
  }),
});

const HistoryCheckRef = builder.objectRef<HistoryCheck>('KpiHistoryCheck').implement({
  description: "A KPI value against the campaign's earlier periods, by robust z.",
  fields: (t) => ({
    historyPeriods: t.exposeInt('historyPeriods', { description: 'Earlier periods with the KPI defined.' }),
    sufficient: t.exposeBoolean('sufficient', {
      description: 'False: too few earlier periods (minHistoryPeriods) for a comparison; the statistics below are null.',
    }),
    median: t.float({ nullable: true, resolve: (c) => finite(c.median) }),
    mad: t.float({ nullable: true, description: 'Median absolute deviation.', resolve: (c) => finite(c.mad) }),
    scale: t.float({ nullable: true, description: "Robust σ, z's denominator; 0 when the history has no spread.", resolve: (c) => finite(c.scale) }),
    scaleMethod: t.expose('scaleMethod', { type: RobustScaleMethodEnum, nullable: true }),
    robustZ: t.float({ nullable: true, description: 'null when insufficient or unbounded (robustZUnbounded).', resolve: (c) => finite(c.z) }),
    robustZUnbounded: t.boolean({
      description: 'The history has no spread, so any change is infinitely many σ away.',
      // Stored reviews keep an unbounded z as null (JSON has no infinity).
      resolve: (c) => c.sufficient && (c.z === null || !Number.isFinite(c.z)),
    }),
    relativeChange: t.float({
      nullable: true,
      description: '(value − median) / |median|; null when the median is 0.',
      resolve: (c) => finite(c.relativeChange),
    }),
    materialChange: t.exposeBoolean('materialChange', { description: 'The change is at least minAnomalyRelativeChange of the median.' }),
    anomalous: t.exposeBoolean('anomalous'),
    direction: t.expose('direction', { type: DirectionEnum, nullable: true }),
    confidence: t.float({ nullable: true, description: '1 − pValue.', resolve: (c) => finite(c.confidence) }),
    pValue: t.float({ nullable: true, description: "Two-sided, Student's t approximation.", resolve: (c) => finite(c.pValue) }),
  }),
});

const ComparisonRef = builder.objectRef<ReportedComparison>('ReportedKpiComparison').implement({
  fields: (t) => ({
    kpi: t.expose('kpi', { type: KpiEnum }),
    value: t.exposeFloat('value'),
    source: t.expose('source', { type: KpiSourceEnum }),
    threshold: t.exposeFloat('threshold', {
      nullable: true,
      description: 'The ROAS floor, or the CPL ceiling when one is configured; null without a threshold.',
    }),
    crossesThreshold: t.exposeBoolean('crossesThreshold', { nullable: true }),
    significant: t.exposeBoolean('significant', { nullable: true, description: 'null: no threshold, or no counts to test the crossing with.' }),
    history: t.expose('history', { type: HistoryCheckRef }),
    note: t.exposeString('note'),
  }),
});

export const ReportedAssessmentRef = builder.objectRef<ReportedAssessmentView>('ReportedKpisAssessment').implement({
  description: 'A KPI report judged against the thresholds and the stored history.',
  fields: (t) => ({
    reported: t.expose('reported', { type: ReportedKpisRef }),
    hasCounts: t.exposeBoolean('hasCounts', { description: 'False: a KPI-only report, which cannot establish significance against a threshold on its own.' }),
    historyScope: t.exposeString('historyScope', { description: 'What the history comparison ran against: campaign, or e.g. "channel:search, variant:B".' }),
    comparisons: t.expose('comparisons', { type: [ComparisonRef] }),
    note: t.exposeString('note'),
  }),
});
