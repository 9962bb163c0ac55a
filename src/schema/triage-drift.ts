// triageDrift: does the market still convert the way the triage model learned it
// does? The drift state now, the check each fit ran, and the episodes of drift.
import type { TriageDriftCheck, TriageDriftEpisodeInfo } from '../memory/triage-model/triage-drift.js';
import { triageDriftEpisodes, triageDriftStatus } from '../memory/triage-model/triage-model-versions.js';
import { builder } from './builder.js';
import { CalibrationBinRef } from './calibration-bin.js';
import { pageSize } from './page-size.js';

export const TriageDriftStateEnum = builder.enumType('TriageDriftState', {
  values: {
    WARMING_UP: { description: 'Too few outcomes yet to test for drift (fewer than a recent window and a reference before it).' },
    STABLE: { description: 'Recent outcomes agree with the model fitted before them.' },
    DRIFTING: {
      description: 'The market changed: recent outcomes contradict the model. Older outcomes weigh less until the model explains recent ones again.',
    },
  } as const,
});

const DriftTestRef = builder.objectRef<NonNullable<TriageDriftCheck['test']>>('TriageDriftTest').implement({
  description: 'A score test of "the model fitted before the recent window still holds": χ² under no drift.',
  fields: (t) => ({
    statistic: t.exposeFloat('statistic', { description: 'The χ² statistic: the larger, the stronger the evidence of drift.' }),
    degreesOfFreedom: t.exposeInt('degreesOfFreedom'),
    pValue: t.exposeFloat('pValue', {
      description: 'Chance of a statistic this large without drift (small: drift), adjusted for testing every attribute as well as all of them.',
    }),
    attribute: t.exposeString('attribute', {
      nullable: true,
      description:
        'The lead attribute whose effects moved most surely (industry, companySize, persona, source, email, phone, or intercept: the base rate); null: no single one.',
    }),
  }),
});

export const TriageDriftCheckRef = builder.objectRef<TriageDriftCheck>('TriageDriftCheck').implement({
  description: 'The drift check a fit ran: the recent outcomes scored by the model fitted on the outcomes before them.',
  fields: (t) => ({
    state: t.expose('state', { type: TriageDriftStateEnum, description: 'The drift state after this check.' }),
    checkedAt: t.expose('checkedAt', { type: 'DateTime' }),
    test: t.field({ type: DriftTestRef, nullable: true, description: 'Null while warming up.', resolve: (c) => c.test }),
    windowOutcomes: t.exposeInt('windowOutcomes', {
      description: 'Outcomes in the recent window tested (of the two tested, a short and a long one, the one with the smaller p-value).',
    }),
    referenceOutcomes: t.exposeInt('referenceOutcomes', { description: 'Outcomes before the window, which the model it was tested against learned from.' }),
    windowFrom: t.expose('windowFrom', { type: 'DateTime', nullable: true, description: 'When the oldest outcome of the recent window was recorded.' }),
    recentBrier: t.exposeFloat('recentBrier', {
      nullable: true,
      description: 'Brier score of the recent window under the model fitted before it (lower is better; 0.25 is a coin).',
    }),
    previousBrier: t.exposeFloat('previousBrier', {
      nullable: true,
      description: 'The same for the window before it: recentBrier well above it means the model predicts the market worse than it did.',
    }),
    recentLogLoss: t.exposeFloat('recentLogLoss', {
      nullable: true,
      description: 'Mean log-loss (nats) of the recent window (lower is better; 0.693 is a coin).',
    }),
    previousLogLoss: t.exposeFloat('previousLogLoss', { nullable: true, description: 'The same for the window before it.' }),
    calibration: t.field({
      type: [CalibrationBinRef],
      description: 'Calibration of the recent window by decile of predicted probability, under the model fitted before it.',
      resolve: (c) => c.calibration,
    }),
    inputStability: t.exposeFloat('inputStability', {
      nullable: true,
      description:
        "Population stability index of the leads' attributes, recent window against the outcomes before it (0: same mix; 0.25 or more: a large shift).",
    }),
    detected: t.exposeBoolean('detected', { description: 'This check opened a drift episode.' }),
    recovered: t.exposeBoolean('recovered', { description: 'This check closed one: the model explains recent outcomes again.' }),
    changePointAt: t.expose('changePointAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'While drifting (and in the check that recovered): the estimated start of the change; the changed attributes are relearned from outcomes after it.',
    }),
    changedAttributes: t.exposeStringList('changedAttributes', {
      description: 'The attributes whose effects (with the base rate) are relearned from the change point; outcomes before it still teach the rest.',
    }),
  }),
});

const TriageDriftEpisodeRef = builder.objectRef<TriageDriftEpisodeInfo>('TriageDriftEpisode').implement({
  description: 'A period when the market no longer converted the way the model had learned: from detection to recovery.',
  fields: (t) => ({
    id: t.exposeID('id'),
    detectedAt: t.expose('detectedAt', { type: 'DateTime' }),
    detectedByVersion: t.exposeString('detectedByVersion', { description: 'The version whose drift check found it.' }),
    changePointAt: t.expose('changePointAt', { type: 'DateTime', description: 'The estimated start of the change.' }),
    statistic: t.exposeFloat('statistic', { description: "The detecting test's χ² statistic." }),
    degreesOfFreedom: t.exposeInt('degreesOfFreedom'),
    pValue: t.exposeFloat('pValue', { description: "The detecting test's p-value." }),
    attribute: t.exposeString('attribute', { nullable: true, description: 'The attribute whose effects moved most surely; null: no single one.' }),
    changedAttributes: t.exposeStringList('changedAttributes', {
      description:
        'The attributes relearned from the change point: chosen at detection, then again at each fit of the episode with every outcome since the change point.',
    }),
    windowOutcomes: t.exposeInt('windowOutcomes'),
    referenceOutcomes: t.exposeInt('referenceOutcomes'),
    outcomesSinceChange: t.exposeInt('outcomesSinceChange', {
      description: 'Outcomes recorded after the change point when it was detected: the detection delay, in outcomes (lower is better).',
    }),
    recoveredAt: t.expose('recoveredAt', { type: 'DateTime', nullable: true, description: 'Null while the episode is open.' }),
    recoveredByVersion: t.exposeString('recoveredByVersion', { nullable: true }),
    outcomesToRecover: t.exposeInt('outcomesToRecover', {
      nullable: true,
      description: 'Outcomes recorded after the change point when the model had recovered (lower is better); null while open.',
    }),
  }),
});

/** The drift state now and its check; episodes are read only when asked for. */
export const TriageDriftRef = builder.objectRef<Awaited<ReturnType<typeof triageDriftStatus>>>('TriageDrift').implement({
  description: "Whether the triage model still describes the market: the newest fit's drift check, and past episodes of drift.",
  fields: (t) => ({
    state: t.expose('state', { type: TriageDriftStateEnum, description: 'The drift state now (WARMING_UP before any fit).' }),
    check: t.field({
      type: TriageDriftCheckRef,
      nullable: true,
      description: "The newest fit's drift check (promoted or not: every fit runs one); null before any.",
      resolve: (d) => d.check,
    }),
    episodes: t.field({
      type: [TriageDriftEpisodeRef],
      description: 'Drift episodes, newest first.',
      args: { first: t.arg.int({ defaultValue: 10, validate: pageSize }) },
      resolve: (_drift, { first }, { services }) => triageDriftEpisodes(services.prisma, first ?? 10),
    }),
  }),
});

builder.queryField('triageDrift', (t) =>
  t.field({
    type: TriageDriftRef,
    description: 'Drift of the triage model: the state now, the latest check, and the episodes (also on systemStatus).',
    authScopes: { read: true },
    resolve: (_root, _args, { services }) => triageDriftStatus(services.prisma),
  }),
);
