// A recommendation: the claim, how sure the agent is, and the evidence behind it;
// the typed views of an anomaly and of budget moves beside the full evidence list.
import type { ExpectedEffect, Recommendation } from '../../agents/optimization/recommendation.js';
import { builder } from '../builder.js';
import { anomalyOf, KpiAnomalyRef } from './anomaly.js';
import { BudgetMoveRef, budgetMovesOf } from './budget-moves.js';
import { RecommendationTypeEnum, TargetKindEnum, type TargetKind } from './enums.js';
import { EvidenceItemRef, evidenceItems } from './evidence.js';

const IntervalRef = builder.objectRef<[number, number]>('Interval95').implement({
  description: 'A 95 % interval.',
  fields: (t) => ({
    low: t.float({ resolve: ([low]) => low }),
    high: t.float({ resolve: ([, high]) => high }),
  }),
});

const ExpectedEffectRef = builder.objectRef<ExpectedEffect>('ExpectedEffect').implement({
  description: 'What following the recommendation is expected to change, per reporting period unless unit says otherwise.',
  fields: (t) => ({
    metric: t.exposeString('metric', { description: 'The quantity that changes: revenue_usd, spend_usd, cvr.' }),
    change: t.float({ description: 'The expected change (negative: a decrease).', resolve: (e) => (Number.isFinite(e.change) ? e.change : 0) }),
    unit: t.exposeString('unit', { description: 'e.g. "USD per period", "rate (conversions per click)".' }),
    interval95: t.field({
      type: IntervalRef,
      nullable: true,
      description: 'A 95 % interval of the change, when the analysis quantifies one.',
      resolve: (e) => (e.interval95?.every(Number.isFinite) ? e.interval95 : null),
    }),
    description: t.exposeString('description'),
  }),
});

/** `variant:B` → variant B; `channel:search` → channel search; `campaign`, `channels`, `reported` name nothing. */
function target(recommendation: Recommendation): { kind: TargetKind; name: string | null } {
  const [kind, ...name] = recommendation.target.split(':');
  return kind === 'variant' || kind === 'channel' ? { kind, name: name.join(':') } : { kind: kind as TargetKind, name: null };
}

export const RecommendationRef = builder.objectRef<Recommendation>('Recommendation').implement({
  description: 'A recommendation with how sure it is and the evidence behind it.',
  fields: (t) => ({
    type: t.expose('type', { type: RecommendationTypeEnum }),
    target: t.exposeString('target', { description: 'campaign, variant:<name>, channel:<name>, channels (a reallocation) or reported (the KPI report).' }),
    targetKind: t.field({ type: TargetKindEnum, resolve: (r) => target(r).kind }),
    targetName: t.string({ nullable: true, description: 'The variant or channel, for those kinds.', resolve: (r) => target(r).name }),
    summary: t.exposeString('summary'),
    confidence: t.float({
      description:
        'How sure the claim is, 0-1. VARIANT_WINNER: P(winner beats loser); PAUSE / SCALE: P(ROAS below the floor / above the target); ' +
        'BUDGET_REALLOCATION: P(every channel gaining budget has the higher marginal ROAS); ANOMALY: 1 − p (Student-t approximation); ' +
        'INSUFFICIENT_DATA: 0 (no claim).',
      resolve: (r) => (Number.isFinite(r.confidence) ? Math.min(1, Math.max(0, r.confidence)) : 0),
    }),
    evidence: t.field({
      type: [EvidenceItemRef],
      description: 'Every quantity the claim rests on (sample sizes, intervals, test statistics, p-values, posterior probabilities), by snake_case name.',
      resolve: (r) => evidenceItems(r.evidence),
    }),
    anomaly: t.field({ type: KpiAnomalyRef, nullable: true, description: 'The anomaly, typed: set on ANOMALY recommendations.', resolve: anomalyOf }),
    budgetMoves: t.field({
      type: [BudgetMoveRef],
      nullable: true,
      description:
        'The proposed spend per channel, typed: set on BUDGET_REALLOCATION recommendations, and on the INSUFFICIENT_DATA note that withholds one for want of confidence.',
      resolve: budgetMovesOf,
    }),
    expectedEffect: t.field({ type: ExpectedEffectRef, nullable: true, resolve: (r) => r.expectedEffect ?? null }),
  }),
});
