// Subscriptions a dashboard keeps open besides handoffProgress: every lead as
// triage scores it, campaign KPIs that breach their thresholds, and each triage
// model fit with what its drift check found.
import { filter, pipe } from 'graphql-yoga';
import type { TriageDriftState } from '../memory/triage-model/triage-drift.js';
import type { CampaignAlertEvent, LeadProcessedEvent, TriageModelEventKind, TriageModelFittedEvent } from '../events/event-bus.js';
import { builder } from './builder.js';
import type { Breach } from '../agents/optimization/recommendation.js';
import { TriageCategoryEnum } from './enums.js';
import { BreachSeverityEnum, KpiEnum } from './optimization/enums.js';
import { TriageDriftStateEnum } from './triage-drift.js';

const LeadProcessedRef = builder.objectRef<LeadProcessedEvent>('LeadProcessedEvent').implement({
  fields: (t) => ({
    leadId: t.exposeID('leadId'),
    score: t.exposeInt('score'),
    category: t.expose('category', { type: TriageCategoryEnum }),
    processedAt: t.expose('processedAt', { type: 'DateTime' }),
  }),
});

const CampaignAlertRef = builder.objectRef<CampaignAlertEvent>('CampaignAlert').implement({
  description: 'A campaign KPI past its threshold with significance, and the manager escalation it raised.',
  fields: (t) => ({
    campaignId: t.exposeID('campaignId'),
    // Published from a review's breaches (campaignAlerts() in src/agents/optimization/campaign-review.ts),
    // carried as plain strings through Redis: the breach's own vocabulary.
    kpi: t.field({ type: KpiEnum, description: 'ROAS or CPL_USD.', resolve: (event) => event.kpi as Breach['kpi'] }),
    severity: t.field({ type: BreachSeverityEnum, resolve: (event) => event.severity as Breach['severity'] }),
    summary: t.exposeString('summary'),
    observed: t.exposeFloat('observed'),
    threshold: t.exposeFloat('threshold'),
    escalationId: t.exposeID('escalationId', { nullable: true }),
    raisedAt: t.expose('raisedAt', { type: 'DateTime' }),
  }),
});

const TriageModelEventKindEnum = builder.enumType('TriageModelEventKind', {
  description: "What a triage model fit's drift check found.",
  values: {
    FITTED: { description: 'A new version was fitted; no drift episode opened or closed.' },
    DRIFT_DETECTED: { description: 'The market changed: a drift episode opened, and the model relearns with a shortened memory.' },
    RECOVERED: { description: 'The model explains recent outcomes again: the drift episode closed.' },
  } as const satisfies Record<TriageModelEventKind, { description: string }>,
});

const TriageModelFittedRef = builder.objectRef<TriageModelFittedEvent>('TriageModelFittedEvent').implement({
  description: 'A memory consolidation fitted a triage model version.',
  fields: (t) => ({
    kind: t.expose('kind', { type: TriageModelEventKindEnum }),
    version: t.exposeString('version', { description: 'The version fitted.' }),
    promoted: t.exposeBoolean('promoted', { description: 'False: worse than the version in use on recent outcomes, kept for audit only.' }),
    currentVersion: t.exposeString('currentVersion', { description: 'The version scoring leads after the fit.' }),
    // Carried as a plain string through Redis: the drift check's own vocabulary.
    driftState: t.field({
      type: TriageDriftStateEnum,
      nullable: true,
      description: 'The drift state after the fit; null when the fit ran no drift check.',
      resolve: (event) => event.driftState as TriageDriftState | null,
    }),
    pValue: t.exposeFloat('pValue', { nullable: true, description: "The drift test's p-value (small: drift); null while warming up." }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
  }),
});

builder.subscriptionFields((t) => ({
  leadProcessed: t.field({
    type: LeadProcessedRef,
    description: 'Every lead triaged or processed, as it happens; pass a category to hear only those.',
    authScopes: { read: true },
    args: { category: t.arg({ type: TriageCategoryEnum }) },
    subscribe: (_root, { category }, { services }) =>
      pipe(
        services.pubsub.subscribe('lead:processed'),
        filter((event: LeadProcessedEvent) => !category || event.category === category),
      ),
    resolve: (event) => event,
  }),
  campaignAlerts: t.field({
    type: CampaignAlertRef,
    description: "KPI breaches as optimization finds them; pass campaignId for one campaign's only.",
    authScopes: { read: true },
    args: { campaignId: t.arg.id() },
    subscribe: (_root, { campaignId }, { services }) =>
      pipe(
        services.pubsub.subscribe('campaign:alert'),
        filter((event: CampaignAlertEvent) => !campaignId || event.campaignId === String(campaignId)),
      ),
    resolve: (event) => event,
  }),
  triageModelFitted: t.field({
    type: TriageModelFittedRef,
    description: 'Each triage model fit as a consolidation runs it, on any replica; pass kinds (e.g. [DRIFT_DETECTED, RECOVERED]) to hear only those.',
    authScopes: { read: true },
    args: { kinds: t.arg({ type: [TriageModelEventKindEnum] }) },
    subscribe: (_root, { kinds }, { services }) =>
      pipe(
        services.pubsub.subscribe('triage-model:fitted'),
        filter((event: TriageModelFittedEvent) => !kinds?.length || kinds.includes(event.kind)),
      ),
    resolve: (event) => event,
  }),
}));
