// Handoff: a transfer of work between agents, its status history, and the live
// `handoffProgress` subscription.
import { filter, pipe } from 'graphql-yoga';
import { z } from 'zod';
import type { HandoffProgressEvent } from '../events/event-bus.js';
import { handoffProgressEvent } from '../events/handoff-progress.js';
import { builder } from './builder.js';
import { pii } from './pii-masking.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from './page-size.js';
import { EscalationResolutionEnum, HandoffStatusEnum, HandoffTriggerEnum, HandoffTypeEnum } from './enums.js';
import { isUuid } from './uuid.js';

export const HandoffEventRef = builder.objectRef<HandoffProgressEvent>('HandoffEvent').implement({
  description: 'One status change of a handoff.',
  fields: (t) => ({
    id: t.exposeID('id'),
    handoffId: t.exposeID('handoffId'),
    leadId: t.exposeID('leadId', { nullable: true, description: "Null for a campaign's own escalation." }),
    campaignId: t.exposeID('campaignId', { nullable: true }),
    handoffType: t.expose('handoffType', { type: HandoffTypeEnum }),
    sequence: t.exposeInt('sequence', { description: 'Position in the handoff history, from 1.' }),
    status: t.expose('status', { type: HandoffStatusEnum }),
    qualityScore: t.exposeFloat('qualityScore', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true, ...pii('text') }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
  }),
});

export const HandoffRef = builder.prismaObject('Handoff', {
  description: 'A transfer of work between agents, with the context the receiver needs.',
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.expose('type', { type: HandoffTypeEnum }),
    trigger: t.expose('trigger', { type: HandoffTriggerEnum }),
    fromAgent: t.exposeString('fromAgent'),
    toAgent: t.exposeString('toAgent'),
    status: t.expose('status', { type: HandoffStatusEnum }),
    qualityScore: t.exposeFloat('qualityScore', {
      nullable: true,
      description: 'Context quality, 0-1, against what the receiving agent needs; only a score above 0.7 passes the gate.',
    }),
    contextPreservation: t.exposeFloat('contextPreservation', {
      nullable: true,
      description:
        "Context preservation accuracy, 0-1: the share of the packet's fields the receiving agent's decision used or verified against what is stored; null until it worked on the handoff.",
    }),
    missingContext: t.stringList({
      nullable: true,
      description: 'While CONTEXT_REQUESTED: the fields an operator may supply (provideHandoffContext) to cover what the gate missed; null otherwise.',
      select: { status: true, context: true },
      resolve: (handoff) =>
        handoff.status === 'CONTEXT_REQUESTED' ? ((handoff.context as { contextRequest?: { fields?: string[] } | null }).contextRequest?.fields ?? []) : null,
    }),
    context: t.expose('context', { type: 'JSON', description: 'The context packet handed to the receiving agent.', ...pii('json') }),
    failureReason: t.exposeString('failureReason', { nullable: true, ...pii('text') }),
    processingTimeMs: t.exposeInt('processingTimeMs', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    resolution: t.expose('resolution', { type: EscalationResolutionEnum, nullable: true, description: "A manager's decision on an escalation." }),
    resolvedBy: t.exposeString('resolvedBy', { nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    resolutionNote: t.exposeString('resolutionNote', { nullable: true, ...pii('text') }),
    lead: t.relation('lead', { nullable: true }),
    campaignId: t.exposeID('campaignId', { nullable: true, description: 'The campaign the handoff concerns, if any.' }),
    parent: t.relation('parent', { nullable: true, description: 'The handoff this one followed from.' }),
    children: t.relation('children', {
      description:
        'Handoffs that followed from this one, oldest first (an approved optimization review: the OPTIMIZATION_TO_ENGAGEMENT handoff carrying its changes).',
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    }),
    events: t.field({
      type: [HandoffEventRef],
      description: 'The status history, in order.',
      select: { id: true, leadId: true, campaignId: true, type: true, events: { orderBy: { sequence: 'asc' } } },
      resolve: (handoff) => handoff.events.map((event) => handoffProgressEvent(handoff, event)),
    }),
  }),
});

builder.queryField('handoff', (t) =>
  t.prismaField({
    type: 'Handoff',
    nullable: true,
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, { services }) => (isUuid(String(id)) ? services.prisma.handoff.findUnique({ ...query, where: { id: String(id) } }) : null),
  }),
);

const HandoffFilterRef = builder.inputType('HandoffFilter', {
  description: 'Every condition given must hold.',
  fields: (t) => ({
    status: t.field({ type: HandoffStatusEnum }),
    type: t.field({ type: HandoffTypeEnum }),
    trigger: t.field({ type: HandoffTriggerEnum }),
    leadId: t.id(),
    campaignId: t.id(),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
  }),
});

builder.queryField('handoffs', (t) =>
  t.prismaConnection({
    type: 'Handoff',
    cursor: 'id',
    description: 'Handoffs, newest first, filtered by status, type, trigger, lead or campaign.',
    authScopes: { read: true },
    maxSize: MAX_PAGE_SIZE,
    defaultSize: DEFAULT_PAGE_SIZE,
    args: { filter: t.arg({ type: HandoffFilterRef }) },
    validate: z.looseObject({ first: pageSize, last: pageSize }),
    resolve: (query, _root, { filter }, { services }) =>
      services.prisma.handoff.findMany({
        ...query,
        where: {
          ...(filter?.status ? { status: filter.status } : {}),
          ...(filter?.type ? { type: filter.type } : {}),
          ...(filter?.trigger ? { trigger: filter.trigger } : {}),
          ...(filter?.leadId ? { leadId: String(filter.leadId) } : {}),
          ...(filter?.campaignId ? { campaignId: String(filter.campaignId) } : {}),
          ...(filter?.createdAfter || filter?.createdBefore
            ? { createdAt: { ...(filter.createdAfter ? { gte: filter.createdAfter } : {}), ...(filter.createdBefore ? { lt: filter.createdBefore } : {}) } }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

builder.subscriptionField('handoffProgress', (t) =>
  t.field({
    type: HandoffEventRef,
    description: "Every handoff status change as it happens; pass leadId for one lead's only.",
    authScopes: { read: true },
    args: { leadId: t.arg.id() },
    subscribe: (_root, { leadId }, { services }) =>
      pipe(
        services.pubsub.subscribe('handoff:progress'),
        filter((event: HandoffProgressEvent) => !leadId || event.leadId === String(leadId)),
      ),
    resolve: (event) => event,
  }),
);
