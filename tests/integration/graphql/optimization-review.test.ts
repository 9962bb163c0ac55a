// A campaign dashboard reads the optimization agent's review as typed GraphQL: KPIs by
// period, each recommendation's evidence, an anomaly, budget moves, a breach and a KPI
// report's assessment; the same fields on the review just made (optimizeCampaign) and
// on the stored run read back later (Campaign.optimizations).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignReviewsDocument, CreateCampaignDocument, ReviewCampaignDocument, type ReviewCampaignMutation } from '../../__generated__/graphql.js';
import { sevenWeeksSocialCollapses } from '../../support/campaign-fixtures.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

type Review = Extract<ReviewCampaignMutation['optimizeCampaign'], { __typename: 'OptimizationResult' }>;

function reviewed(result: ReviewCampaignMutation['optimizeCampaign']): Review {
  if (result.__typename !== 'OptimizationResult') throw new Error(`expected a review, got ${result.__typename}`);
  return result;
}

let baton: TestApp;
const campaignId = `camp-${uniqueLeadId()}`;
let review: Review;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  const created = await baton.graphql(CreateCampaignDocument, { input: { id: campaignId, name: 'Summer', budgetUsd: 1_000_000 } });
  expect(created.body.errors).toBeUndefined();
  const { body } = await baton.graphql(ReviewCampaignDocument, { campaignId, metrics: sevenWeeksSocialCollapses() });
  expect(body.errors).toBeUndefined();
  review = reviewed(body.data!.optimizeCampaign);
});
afterAll(() => baton?.stop());

const evidence = (items: { name: string; value: number | null; text: string | null }[], name: string) => items.find((item) => item.name === name);

describe('a campaign review, typed', () => {
  it('has KPIs by period, oldest first, null where the denominator is zero', () => {
    expect(review.kpis.byPeriod).toHaveLength(7);
    expect(review.kpis.byPeriod[0]!.periodStart).toBe('2025-06-02T00:00:00.000Z');
    const last = review.kpis.byPeriod.at(-1)!;
    expect(last).toMatchObject({ periodStart: '2025-07-14T00:00:00.000Z', spendUsd: 4000, revenueUsd: 10_950, roas: 10_950 / 4000 });
    expect(last.cplUsd).toBeCloseTo(4000 / 152, 10);
    expect(review.kpis.byChannel.find((c) => c.channel === 'display')).toEqual({ channel: 'display', spendUsd: 0, ctr: null, roas: null });
    expect(review.kpis.overall).toMatchObject({ clicks: 28_000, spendUsd: 28_000, ctr: 0.025 });
  });

  it("lists each recommendation's evidence by name, numbers as value and words as text", () => {
    expect(review.recommendations.map((r) => r.type)).toEqual([
      'PAUSE',
      'VARIANT_WINNER',
      'BUDGET_REALLOCATION',
      'SCALE',
      'SCALE',
      'SCALE',
      'ANOMALY',
      'ANOMALY',
      'ANOMALY',
    ]);
    const winner = review.recommendations.find((r) => r.type === 'VARIANT_WINNER')!;
    expect(winner).toMatchObject({
      target: 'variant:B',
      targetKind: 'VARIANT',
      targetName: 'B',
      expectedEffect: { metric: 'cvr', unit: 'rate (conversions per click)' },
    });
    expect(evidence(winner.evidence, 'control_clicks')).toEqual({ name: 'control_clicks', value: 14_000, text: null });
    expect(evidence(winner.evidence, 'prior')).toEqual({ name: 'prior', value: null, text: 'Beta(1, 1)' });
    expect(evidence(winner.evidence, 'p_value')!.value).toBeLessThan(0.001);
    const interval = winner.expectedEffect!.interval95!;
    expect(interval.low).toBeLessThan(winner.expectedEffect!.change);
    expect(interval.high).toBeGreaterThan(winner.expectedEffect!.change);
    expect(review.recommendations.find((r) => r.type === 'PAUSE')).toMatchObject({
      targetKind: 'CHANNEL',
      targetName: 'social',
      anomaly: null,
      budgetMoves: null,
    });
  });

  it('types an anomaly: the KPI, its value against the history, and whether the move hurts', () => {
    const anomalies = review.recommendations.filter((r) => r.type === 'ANOMALY').map((r) => r.anomaly!);
    expect(anomalies.map((a) => a.kpi)).toEqual(['CPL_USD', 'CVR', 'ROAS']);
    const cpl = anomalies[0]!;
    expect(cpl).toMatchObject({ scope: 'LATEST_PERIOD', historyPeriods: 6, direction: 'UP', adverse: true, robustZUnbounded: false });
    expect(cpl.value).toBeCloseTo(4000 / 152, 10);
    expect(cpl.robustZ).toBeGreaterThan(3.5);
    expect(cpl.pValue).toBeLessThan(0.001);
    expect(anomalies[1]).toMatchObject({ kpi: 'CVR', direction: 'DOWN', adverse: true });
  });

  it('types budget moves: the same total spread toward the higher marginal ROAS', () => {
    const reallocation = review.recommendations.find((r) => r.type === 'BUDGET_REALLOCATION')!;
    expect(reallocation).toMatchObject({ targetKind: 'CHANNELS', targetName: null, anomaly: null });
    const moves = reallocation.budgetMoves!;
    expect(moves.map((m) => [m.channel, m.currentSpendUsd, m.proposedSpendUsd, m.changeUsd])).toEqual([
      ['search', 2000, 2600, 600],
      ['social', 2000, 1400, -600],
    ]);
    expect(moves[0]!.marginalRoas).toBeGreaterThan(moves[1]!.marginalRoas!);
    expect(moves.every((m) => ['FITTED', 'DEFAULT', 'NONE'].includes(m.elasticitySource))).toBe(true);
    // The typed moves and the evidence list say the same.
    expect(evidence(reallocation.evidence, 'channel.search.proposed_spend_usd')!.value).toBe(2600);
  });

  it('types a breach: the KPI past its threshold, how badly, and its evidence', () => {
    expect(review.breaches).toHaveLength(1);
    const breach = review.breaches[0]!;
    expect(breach).toMatchObject({ kpi: 'CPL_USD', scope: 'LATEST_PERIOD', severity: 'CRITICAL' });
    expect(breach.observed).toBeGreaterThan(breach.threshold);
    expect(evidence(breach.evidence, 'cpl_spike_z')).toEqual({ name: 'cpl_spike_z', value: review.thresholds.cplSpikeZ, text: null });
    expect(evidence(breach.evidence, 'scale_method')).toEqual({ name: 'scale_method', value: null, text: 'mad' });
    expect(review.thresholds).toEqual({ roasFloor: 1, cplSpikeZ: 3.5, minHistoryPeriods: 5, cplCeilingUsd: null });
  });

  it("judges a KPI report against the thresholds and the channel's history", async () => {
    const { body } = await baton.graphql(ReviewCampaignDocument, { campaignId, reported: { roas: 0.8, ctr: 0.03, cplUsd: 45, channel: 'search' } });
    expect(body.errors).toBeUndefined();
    const reported = reviewed(body.data!.optimizeCampaign).reported!;
    expect(reported).toMatchObject({ hasCounts: false, historyScope: 'channel:search', reported: { roas: 0.8, ctr: 0.03, cplUsd: 45, clicks: null } });
    const roas = reported.comparisons.find((c) => c.kpi === 'ROAS')!;
    expect(roas).toMatchObject({
      value: 0.8,
      source: 'REPORTED',
      threshold: 1,
      crossesThreshold: true,
      significant: null,
      history: { sufficient: true, historyPeriods: 7 },
    });
  });

  it('reads the stored run back with the same fields', async () => {
    const { body } = await baton.graphql(CampaignReviewsDocument, { campaignId, first: 5 });
    expect(body.errors).toBeUndefined();
    const { campaignId: _campaign, analyzedAt, run, __typename, ...made } = review;
    const { id: _id, createdAt, ...stored } = body.data!.campaign!.optimizations.find((optimization) => optimization.id === run.id)!;
    expect(createdAt).toBe(analyzedAt);
    // A stored run's evidence comes back in the database's key order (jsonb): compare it by name.
    const byName = <T extends { evidence: { name: string }[] }>(claims: readonly T[]) =>
      claims.map((claim) => ({ ...claim, evidence: [...claim.evidence].sort((a, b) => a.name.localeCompare(b.name)) }));
    expect({ ...stored, recommendations: byName(stored.recommendations), breaches: byName(stored.breaches) }).toEqual({
      ...made,
      recommendations: byName(made.recommendations),
      breaches: byName(made.breaches),
    });
  });
});
