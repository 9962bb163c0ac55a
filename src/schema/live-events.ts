// Subscriptions a dashboard keeps open besides handoffProgress: every lead as
// triage scores it, and campaign KPIs that breach their thresholds.
import { filter, pipe } from 'graphql-yoga';
import type { CampaignAlertEvent, LeadProcessedEvent } from '../events/event-bus.js';
import { builder } from './builder.js';
import type { Breach } from '../agents/optimization/recommendation.js';
import { TriageCategoryEnum } from './enums.js';
import { BreachSeverityEnum, KpiEnum } from './optimization/enums.js';

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
}));
