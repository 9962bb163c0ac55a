// triageModel and triageModelVersions: which model scores leads now, what it learned
// from (its training window and recency weighting), how well it did on recent
// outcomes it did not train on, the drift check its fit ran, and whether it was promoted.
import { currentTriageModel, type TriageModelVersionInfo, triageModelVersions } from '../memory/triage-model/triage-model-versions.js';
import { calibrationError } from '../statistics/classification-metrics.js';
import { builder } from './builder.js';
import { CalibrationBinRef } from './calibration-bin.js';
import { pageSize } from './page-size.js';
import { TriageDriftCheckRef } from './triage-drift.js';

type HeldOut = NonNullable<TriageModelVersionInfo['heldOut']>;

const HeldOutRef = builder.objectRef<HeldOut>('TriageModelHeldOutQuality').implement({
  description:
    'Measured when the version was fitted, on the recent outcomes (the last up to 500): each scored by a fit that did not train on it, with every older outcome in training. How well the version predicts the market as it is now.',
  fields: (t) => ({
    outcomes: t.exposeInt('outcomes', { description: 'Held-out outcomes scored.' }),
    folds: t.exposeInt('folds'),
    minimumOutcomes: t.exposeInt('minimumOutcomes', {
      description: 'Fewer held-out outcomes than this (or only one kind) leave auc, brier and logLoss null and calibration empty.',
    }),
    enough: t.boolean({
      description: 'False: not enough held-out outcomes to measure (see minimumOutcomes); auc, brier and logLoss are null.',
      resolve: (q) => q.auc !== null,
    }),
    auc: t.exposeFloat('auc', { nullable: true, description: 'Probability that a converted lead scored above a lost one (0.5 is chance, 1 perfect).' }),
    brier: t.exposeFloat('brier', {
      nullable: true,
      description: 'Mean squared error of the predicted conversion probability (lower is better; 0.25 is a coin).',
    }),
    logLoss: t.exposeFloat('logLoss', {
      nullable: true,
      description: 'Mean log-loss in nats of the predicted conversion probability (lower is better; 0.693 is a coin). Punishes confident mistakes most.',
    }),
    calibration: t.field({
      type: [CalibrationBinRef],
      description: 'The calibration curve: held-out outcomes by decile of predicted probability (empty when not enough outcomes).',
      resolve: (q) => q.calibration,
    }),
    calibrationError: t.float({
      nullable: true,
      description:
        'Expected calibration error: the outcome-weighted mean gap between predicted probability and observed conversion rate over the calibration bins (0 is perfect; 0.1 means predictions are off by 10 points on average). Null without bins.',
      resolve: (q) => calibrationError(q.calibration),
    }),
  }),
});

const TrainingWindowRef = builder.objectRef<NonNullable<TriageModelVersionInfo['training']>>('TriageTrainingWindow').implement({
  description:
    'What a fit learned from, and how: recent outcomes weigh more (halfLifeDays), and after a detected drift the attributes that changed are learned from the new market alone.',
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime', nullable: true, description: 'When the oldest outcome learned from was recorded.' }),
    to: t.expose('to', { type: 'DateTime', nullable: true, description: 'When the newest one was.' }),
    halfLifeDays: t.exposeFloat('halfLifeDays', {
      nullable: true,
      description: 'An outcome this many days older than the newest weighs half as much; null: every outcome weighs the same.',
    }),
    changePointAt: t.expose('changePointAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'The latest detected drift’s estimated start: the changedAttributes’ effects (and the base rate) are learned from outcomes after it alone; older outcomes still teach the rest. Null: no drift detected.',
    }),
    changedAttributes: t.exposeStringList('changedAttributes', {
      description: 'The lead attributes relearned from changePointAt (empty without a change point).',
    }),
    effectiveOutcomes: t.exposeFloat('effectiveOutcomes', {
      description: "How many outcomes' worth the fit learned from: the sum of their weights (at most outcomes).",
    }),
  }),
});

const PromotionRef = builder.objectRef<NonNullable<TriageModelVersionInfo['promotion']>>('TriageModelPromotion').implement({
  description: 'Why a fit was or was not put in use: its log-loss against the current version’s on outcomes recorded since that version was fitted.',
  fields: (t) => ({
    promoted: t.exposeBoolean('promoted'),
    reason: t.exposeString('reason', { description: 'In words, for an operator.' }),
    comparedOutcomes: t.exposeInt('comparedOutcomes', { description: 'Outcomes compared on; 0 when there was nothing to compare on.' }),
    candidateLogLoss: t.exposeFloat('candidateLogLoss', { nullable: true, description: 'This fit’s mean log-loss on them (nats, lower is better).' }),
    currentLogLoss: t.exposeFloat('currentLogLoss', { nullable: true, description: 'The version in use’s mean log-loss on the same outcomes.' }),
    comparedWith: t.exposeString('comparedWith', { nullable: true, description: 'The version it was compared with.' }),
  }),
});

export const TriageModelVersionRef = builder.objectRef<TriageModelVersionInfo>('TriageModelVersion').implement({
  fields: (t) => ({
    version: t.exposeString('version', { description: 'cold-start-v1 until outcomes are learned, then learned-v1, learned-v2, ...' }),
    fittedAt: t.expose('fittedAt', { type: 'DateTime', nullable: true, description: 'Null for the cold-start model, which was never fitted.' }),
    outcomes: t.exposeInt('outcomes', { description: 'Recorded outcomes it learned from.' }),
    conversions: t.exposeInt('conversions', { description: 'Of those, conversions.' }),
    heldOut: t.field({
      type: HeldOutRef,
      nullable: true,
      description: 'Null when not measured: the cold-start model, or a version fitted before Baton measured held-out quality.',
      resolve: (v) => v.heldOut,
    }),
    training: t.field({
      type: TrainingWindowRef,
      nullable: true,
      description: 'Null for the cold-start model and versions fitted before Baton recorded training windows.',
      resolve: (v) => v.training,
    }),
    promoted: t.exposeBoolean('promoted', {
      description: 'True when it scored leads (the cold-start model included); false for a fit worse than the version in use, kept for audit only.',
    }),
    promotion: t.field({
      type: PromotionRef,
      nullable: true,
      description: 'Null for the cold-start model and versions fitted before Baton compared fits.',
      resolve: (v) => v.promotion,
    }),
    drift: t.field({
      type: TriageDriftCheckRef,
      nullable: true,
      description: 'The drift check run when it was fitted; null for the cold-start model and versions fitted before Baton checked drift.',
      resolve: (v) => v.drift,
    }),
  }),
});

builder.queryField('triageModel', (t) =>
  t.field({
    type: TriageModelVersionRef,
    description: 'The triage model version scoring leads now: the newest promoted one (consolidation fits a new one when outcomes changed).',
    authScopes: { read: true },
    resolve: (_root, _args, { services }) => currentTriageModel(services.prisma),
  }),
);

builder.queryField('triageModelVersions', (t) =>
  t.field({
    type: [TriageModelVersionRef],
    description: 'Triage model versions, newest first, promoted or not, ending with the cold-start model.',
    authScopes: { read: true },
    args: { first: t.arg.int({ defaultValue: 10, validate: pageSize }) },
    resolve: (_root, { first }, { services }) => triageModelVersions(services.prisma, first ?? 10),
  }),
);
