// processLead: the whole primary flow for one lead, run by the agents' workers:
// triage → engagement, and for a campaign's lead → optimization (→ a manager,
// when a KPI breaches its threshold). The mutation starts the flow and, unless
// told `wait: false`, waits for it to settle (PROCESS_WAIT_MS at most).
import type { ExecutedEngagement } from '../agents/engagement/engagement-record.js';
import { loadFlowView, type FlowView } from '../agents/flows/flow-view.js';
import { builder } from './builder.js';
import { pii, writesPersonalData } from './pii-masking.js';
import { ChannelEnum, FlowStatusEnum } from './enums.js';
import { HandoffRef } from './handoff.js';
import { LeadRef } from './lead.js';
import { DeliveryTransportEnum, OutboundMessageRef, OutboundStatusEnum, touchpointMessage } from './outbound-message.js';
import { LeadInputRef, leadInputArgs, TriageResultRef } from './triage.js';
import { isUuid } from './uuid.js';

/** The engagement with the lead it concerns: whose data its touchpoint's text is (for the audit log, src/schema/pii-masking.ts). */
type LeadEngagement = ExecutedEngagement & { leadId: string };

const EngagementResultRef = builder.objectRef<LeadEngagement>('EngagementResult').implement({
  description:
    'What the Engagement agent did: the first touchpoint it planned and scheduled. The delivery worker sends it when due ' +
    '(SMTP, the signed webhook, or the local mailbox when neither is configured); deliveryStatus, transport and sentAt say how far it got.',
  fields: (t) => ({
    agent: t.exposeString('agent'),
    touchpointId: t.exposeID('touchpointId', {
      description: 'The outbox message of the touchpoint, and the TOUCHPOINT_SENT interaction that records it once sent (the same id).',
    }),
    channel: t.field({ type: ChannelEnum, resolve: (e) => e.firstTouchpoint.channel }),
    template: t.string({ resolve: (e) => e.firstTouchpoint.template }),
    subject: t.string({ nullable: true, ...pii('text'), resolve: (e) => e.firstTouchpoint.subject }),
    body: t.string({ ...pii('text'), resolve: (e) => e.firstTouchpoint.body }),
    sentAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the delivery worker sent it (deliveryStatus SENT); null until then. See transport: MAILBOX means stored locally, not sent.',
      resolve: async (e, _args, context) => (await touchpointMessage(context, e.touchpointId))?.sentAt ?? null,
    }),
    scheduledFor: t.field({
      type: 'DateTime',
      description: 'When it is due: now, or later when the frequency cap (or a retry) moved it.',
      resolve: async (e, _args, context) => (await touchpointMessage(context, e.touchpointId))?.scheduledFor ?? e.firstTouchpoint.sendAt,
    }),
    deliveryStatus: t.field({
      type: OutboundStatusEnum,
      nullable: true,
      description: 'Its outbox status now; null only when the message is gone (its lead deleted).',
      resolve: async (e, _args, context) => (await touchpointMessage(context, e.touchpointId))?.status ?? null,
    }),
    transport: t.field({
      type: DeliveryTransportEnum,
      nullable: true,
      description: 'The transport that took (or last tried) it: SMTP, WEBHOOK, or MAILBOX (stored locally, not sent); null before any try.',
      resolve: async (e, _args, context) => (await touchpointMessage(context, e.touchpointId))?.transport ?? null,
    }),
    delivery: t.field({
      type: OutboundMessageRef,
      nullable: true,
      description: 'The outbox message itself: attempts, the provider id, the last error.',
      resolve: (e, _args, context) => touchpointMessage(context, e.touchpointId),
    }),
  }),
});

type NextAction = ExecutedEngagement['nextActions'][number];

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

const ProcessLeadPayloadRef = builder.objectRef<FlowView>('ProcessLeadPayload').implement({
  description: "A lead's flow: settled, or as it stood when the wait ended (status IN_PROGRESS).",
  fields: (t) => ({
    flowId: t.exposeID('flowId', { description: "The lead's flow: every handoff it led to carries it." }),
    status: t.expose('status', { type: FlowStatusEnum }),
    success: t.exposeBoolean('success', {
      description:
        'True once the handoff to engagement passed its quality gate and engagement ran; false while in progress, and when it failed (see handoff.failureReason).',
    }),
    lead: t.field({ type: LeadRef, resolve: ({ lead }) => lead }),
    conversationId: t.exposeID('conversationId', { nullable: true, description: 'Null until triage opened the conversation.' }),
    triage: t.expose('triage', { type: TriageResultRef, nullable: true, description: 'Null until the triage worker scored the lead (status IN_PROGRESS).' }),
    handoff: t.field({
      type: HandoffRef,
      nullable: true,
      description: 'Triage → engagement; null until triage handed the lead over (status IN_PROGRESS).',
      resolve: ({ handoff }) => handoff,
    }),
    handoffQuality: t.float({
      nullable: true,
      description:
        "The quality gate's score of the handoff to engagement, 0-1 (0.7 is the gate); null when nothing was scored: " +
        'before triage handed the lead over, and when the handoff ended before the gate (a loop escalated to a manager).',
      resolve: ({ handoff }) => handoff?.qualityScore ?? null,
    }),
    engagement: t.field({
      type: EngagementResultRef,
      nullable: true,
      resolve: ({ engagement, lead }) => (engagement ? { ...engagement, leadId: lead.id } : null),
    }),
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
    processingTimeMs: t.exposeInt('processingTimeMs', { description: 'From submission to settlement (to now, while in progress).' }),
    resubmitted: t.exposeBoolean('resubmitted', {
      description:
        'True when processLead was given the same lead with the same data within RESUBMISSION_WINDOW_SECONDS of its latest flow (not one that failed): ' +
        'this is that earlier flow, and nothing ran again (no new triage, no new touchpoint, no escalation). False for a submission that started the flow, ' +
        'and when the flow is read (leadFlow, Lead.latestFlow).',
    }),
  }),
});

builder.mutationField('processLead', (t) =>
  t.field({
    type: ProcessLeadPayloadRef,
    description:
      'Run a lead through the agents: triage, the quality-gated handoff to engagement, the touchpoints planned and scheduled in the outbox ' +
      '(the delivery worker sends each when due); for a campaign’s lead, the review by optimization. ' +
      'The agents work on their own queues; this waits until the flow settles, or PROCESS_WAIT_MS passes (status IN_PROGRESS). `wait: false` answers at once. ' +
      'The same lead with the same data again within RESUBMISSION_WINDOW_SECONDS (a day by default) of its latest flow answers that flow (`resubmitted: true`) and runs nothing again; ' +
      'later, with changed data, or after a flow that FAILED, it is a re-engagement: a new flow, which may send a new touchpoint. Sending a lead again is never a loop and raises no escalation.',
    authScopes: { processLeads: true },
    ...writesPersonalData((args) => String(args.input.leadId)),
    args: {
      input: t.arg({ type: LeadInputRef, required: true }),
      wait: t.arg.boolean({ defaultValue: true, description: 'False: answer as soon as the lead is stored and queued (status IN_PROGRESS).' }),
    },
    validate: leadInputArgs,
    resolve: (_root, { input, wait }, { services }) => services.leads.process(input, { wait: wait ?? true }),
  }),
);

builder.queryField('leadFlow', (t) =>
  t.field({
    type: ProcessLeadPayloadRef,
    nullable: true,
    description: "One lead's flow by its id (processLead's flowId), as it stands now; null when there is none.",
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { services }) => {
      const flowId = String(id);
      if (!isUuid(flowId)) return null;
      const known = await services.prisma.leadFlow.findUnique({ where: { id: flowId }, select: { id: true } });
      return known ? loadFlowView(services.prisma, flowId) : null;
    },
  }),
);

builder.prismaObjectFields('Lead', (t) => ({
  latestFlow: t.field({
    type: ProcessLeadPayloadRef,
    nullable: true,
    description: 'The flow of its latest submission, as it stands now; null for a lead never submitted through processLead.',
    select: { id: true },
    resolve: async ({ id }, _args, { services }) => {
      const latest = await services.prisma.leadFlow.findFirst({ where: { leadId: id }, orderBy: { submittedAt: 'desc' }, select: { id: true } });
      return latest ? loadFlowView(services.prisma, latest.id) : null;
    },
  }),
}));
