// Erasure of a person (admin only): eraseLead removes the lead from every memory
// tier and leaves a tombstone keyed by the blind index of its email, so the lead
// intake refuses that person again without new consent (src/privacy/erasure/).
import { z } from 'zod';
import { leadInputSchema } from '../domain/lead.js';
import { NotFoundError } from '../errors.js';
import type { ErasureReport, RelationalErasure } from '../privacy/erasure/erase-lead.js';
import { builder } from './builder.js';
import { erasesPersonalData } from './pii-masking.js';

const RelationalErasureRef = builder.objectRef<RelationalErasure>('RelationalErasure').implement({
  description: 'Rows of the person removed from PostgreSQL, per table.',
  fields: (t) => ({
    leads: t.exposeInt('leads'),
    flows: t.exposeInt('flows'),
    handoffs: t.exposeInt('handoffs', { description: 'Handoffs of the lead or its flows (escalations included).' }),
    handoffEvents: t.exposeInt('handoffEvents'),
    conversations: t.exposeInt('conversations'),
    interactions: t.exposeInt('interactions'),
    profiles: t.exposeInt('profiles', { description: 'Long-term memory.' }),
    episodes: t.exposeInt('episodes', { description: 'Episodic memory.' }),
    outboundMessages: t.exposeInt('outboundMessages', { description: 'Outbox messages to the lead, and manager notices about it.' }),
    deliveryEvents: t.exposeInt('deliveryEvents'),
    queuedJobs: t.exposeInt('queuedJobs', { description: 'Pending jobs that named the lead or its rows.' }),
  }),
});

const ErasureReportRef = builder.objectRef<ErasureReport>('ErasureReport').implement({
  description:
    "What an erasure removed, per tier. What the agents learned in aggregate (triage model versions, the knowledge graph's segment facts, campaign metrics) names no one and stays.",
  fields: (t) => ({
    leadId: t.exposeID('leadId'),
    erasedAt: t.expose('erasedAt', { type: 'DateTime' }),
    tombstoned: t.exposeBoolean('tombstoned', {
      description:
        'True when the lead had an email: its blind index now refuses the person at intake until a request carries consent. False: no email, no tombstone.',
    }),
    relational: t.field({ type: RelationalErasureRef, resolve: (report) => report.relational }),
    shortTermContexts: t.exposeInt('shortTermContexts', { description: 'Conversation contexts forgotten (Redis or in-process).' }),
    knowledgeNodes: t.exposeInt('knowledgeNodes', { description: 'Knowledge graph nodes that stood for the lead (PostgreSQL tables or Neo4j).' }),
    idempotencyReplays: t.exposeInt('idempotencyReplays', { description: 'Idempotency-Key responses about the lead, dropped.' }),
  }),
});

builder.mutationField('eraseLead', (t) =>
  t.field({
    type: ErasureReportRef,
    description:
      'Erase a person (role admin): the lead and everything stored about it, in every tier: PostgreSQL rows (flows, handoffs and their events, ' +
      'conversation, interactions, profile, episode, outbox messages and delivery events, manager notices, pending jobs), short-term memory, ' +
      'knowledge graph nodes, and Idempotency-Key replays. A tombstone keyed by the blind index of the email (never the address) keeps the person ' +
      'from being ingested again unless a lead carries `consent: true`. Aggregates (triage model, segment facts, campaign metrics) stay. ' +
      'NotFoundError for an unknown lead.',
    authScopes: { admin: true },
    ...erasesPersonalData((args) => String(args.leadId)),
    errors: { types: [NotFoundError] },
    args: { leadId: t.arg.id({ required: true }) },
    validate: z.looseObject({ leadId: leadInputSchema.shape.leadId }),
    resolve: (_root, { leadId }, { services }) => services.erasure.erase(String(leadId)),
  }),
);
