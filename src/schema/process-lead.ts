// processLead: the whole primary flow for one lead: triage → engagement, and for
// a campaign's lead → optimization (→ a manager, when a KPI breaches its threshold).
import type { NextAction } from '../agents/engagement/plan.js';
import type { ProcessedLead } from '../agents/lead-pipeline.js';
import { builder } from './builder.js';
import { ChannelEnum } from './enums.js';
import { HandoffRef } from './handoff.js';
import { LeadRef } from './lead.js';
import { LeadInputRef, leadInputArgs, TriageResultRef } from './triage.js';

type Engagement = NonNullable<ProcessedLead['engagement']>;

const EngagementResultRef = builder.objectRef<Engagement>('EngagementResult').implement({
  description: 'What the Engagement agent did: the first touchpoint it sent.',
  fields: (t) => ({
    agent: t.exposeString('agent'),
    touchpointId: t.exposeID('touchpointId', { description: 'The Interaction recording the touchpoint.' }),
    channel: t.field({ type: ChannelEnum, resolve: (e) => e.firstTouchpoint.channel }),
    template: t.string({ resolve: (e) => e.firstTouchpoint.template }),
    subject: t.string({ nullable: true, resolve: (e) => e.firstTouchpoint.subject }),
    body: t.string({ resolve: (e) => e.firstTouchpoint.body }),
    sentAt: t.field({ type: 'DateTime', resolve: (e) => e.firstTouchpoint.sendAt }),
  }),
});

const NextActionRef = builder.objectRef<NextAction>('NextAction').implement({
  description: 'Work scheduled for later.',
  fields: (t) => ({
    action: t.exposeString('action'),
    agent: t.exposeString('agent'),
    channel: t.expose('channel', { type: ChannelEnum }),
    dueAt: t.expose('dueAt', { type: 'DateTime' }),
    description: t.exposeString('description'),
  }),
});

const ProcessLeadPayloadRef = builder.objectRef<ProcessedLead>('ProcessLeadPayload').implement({
  fields: (t) => ({
    success: t.exposeBoolean('success', { description: 'False when the handoff failed its quality gate; see handoff.failureReason.' }),
    lead: t.field({ type: LeadRef, resolve: ({ lead }) => lead }),
    conversationId: t.exposeID('conversationId'),
    triage: t.expose('triage', { type: TriageResultRef }),
    handoff: t.field({ type: HandoffRef, resolve: ({ handoff }) => handoff }),
    handoffQuality: t.float({ resolve: ({ handoff }) => handoff.qualityScore ?? 0 }),
    engagement: t.expose('engagement', { type: EngagementResultRef, nullable: true }),
    nextActions: t.field({ type: [NextActionRef], resolve: ({ engagement }) => engagement?.nextActions ?? [] }),
    optimizationHandoff: t.field({
      type: HandoffRef,
      nullable: true,
      description: "Engagement → optimization, for a campaign's lead.",
      resolve: ({ optimizationHandoff }) => optimizationHandoff,
    }),
    escalations: t.field({
      type: [HandoffRef],
      description: 'Manager escalations the flow raised: low context quality, a loop, a KPI breach.',
      resolve: ({ escalations }) => escalations,
    }),
    processingTimeMs: t.exposeInt('processingTimeMs'),
  }),
});

builder.mutationField('processLead', (t) =>
  t.field({
    type: ProcessLeadPayloadRef,
    description: 'Run a lead through the agents: triage, handoff to engagement (quality-gated), first touchpoint.',
    authScopes: { processLeads: true },
    args: { input: t.arg({ type: LeadInputRef, required: true }) },
    validate: leadInputArgs,
    resolve: (_root, { input }, { services }) => services.leadPipeline.process(input),
  }),
);
