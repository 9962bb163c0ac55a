// triageModel and triageModelVersions: which model scores leads now, what it learned
// from, and how well it did on outcomes it did not train on. One type per version,
// so per-version measures (calibration, drift) can join it later.
import { currentTriageModel, type TriageModelVersionInfo, triageModelVersions } from '../memory/triage-model/triage-model-versions.js';
import { builder } from './builder.js';
import { pageSize } from './page-size.js';

type HeldOut = NonNullable<TriageModelVersionInfo['heldOut']>;

const HeldOutRef = builder.objectRef<HeldOut>('TriageModelHeldOutQuality').implement({
  description:
    'Measured when the version was fitted, by cross-validation: each outcome it learned from scored by a fit on the other folds, which did not train on it.',
  fields: (t) => ({
    outcomes: t.exposeInt('outcomes', { description: 'Held-out outcomes scored.' }),
    folds: t.exposeInt('folds'),
    minimumOutcomes: t.exposeInt('minimumOutcomes', { description: 'Fewer held-out outcomes than this (or only one kind) leave auc and brier null.' }),
    enough: t.boolean({
      description: 'False: not enough held-out outcomes to measure (see minimumOutcomes); auc and brier are null.',
      resolve: (q) => q.auc !== null,
    }),
    auc: t.exposeFloat('auc', { nullable: true, description: 'Probability that a converted lead scored above a lost one (0.5 is chance, 1 perfect).' }),
    brier: t.exposeFloat('brier', {
      nullable: true,
      description: 'Mean squared error of the predicted conversion probability (lower is better; 0.25 is a coin).',
    }),
  }),
});

const TriageModelVersionRef = builder.objectRef<TriageModelVersionInfo>('TriageModelVersion').implement({
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
  }),
});

builder.queryField('triageModel', (t) =>
  t.field({
    type: TriageModelVersionRef,
    description: 'The triage model version scoring leads now (consolidation fits a new one when outcomes changed).',
    authScopes: { read: true },
    resolve: (_root, _args, { services }) => currentTriageModel(services.prisma),
  }),
);

builder.queryField('triageModelVersions', (t) =>
  t.field({
    type: [TriageModelVersionRef],
    description: 'Triage model versions, newest first, ending with the cold-start model.',
    authScopes: { read: true },
    args: { first: t.arg.int({ defaultValue: 10, validate: pageSize }) },
    resolve: (_root, { first }, { services }) => triageModelVersions(services.prisma, first ?? 10),
  }),
);
