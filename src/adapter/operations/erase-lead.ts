// DELETE /api/v1/leads/{lead_id}, lead/erase and the MCP tool erase_lead: a
// person erased from every tier (role admin), one GraphQL operation
// (EraseLead.graphql). An unknown lead is NOT_FOUND.
import { z } from 'zod';
import { EraseLeadDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { payload } from '../operation-payload.js';
import { dateTime } from '../shapes/fields.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { named } from '../shapes/named-shapes.js';
import { strictParams, text } from '../shapes/params.js';

const count = (description: string) => z.number().int().describe(description);

const erasureSchema = named(
  'ErasureReport',
  z.object({
    lead_id: z.string(),
    erased_at: dateTime(),
    tombstoned: z
      .boolean()
      .describe('True when the lead had an email: the person is refused at intake (409) until a lead carries consent: true. False: no email, no tombstone.'),
    removed: z
      .object({
        postgres: z.object({
          leads: count('Lead rows.'),
          flows: count('Lead flows.'),
          handoffs: count('Handoffs of the lead or its flows, escalations included.'),
          handoff_events: count('Their events.'),
          conversations: count('Conversations.'),
          interactions: count('Interactions.'),
          profiles: count('Long-term memory profiles.'),
          episodes: count('Episodic memory.'),
          outbound_messages: count('Outbox messages to the lead and manager notices about it.'),
          delivery_events: count('Delivery receipts and replies of those messages.'),
          queued_jobs: count('Pending jobs that named the lead or its rows.'),
        }),
        short_term_contexts: count('Conversation contexts in short-term memory (Redis or in-process).'),
        knowledge_nodes: count('Knowledge graph nodes that stood for the lead (PostgreSQL tables or Neo4j).'),
        idempotency_replays: count('Idempotency-Key responses about the lead.'),
      })
      .describe('What went, per tier. Aggregates the agents learned (triage model, segment facts, campaign metrics) name no one and stay.'),
  }),
);

export const eraseLead = defineAdapterOperation({
  description:
    'Erases a person (role admin only): the lead and everything stored about it, in every tier: PostgreSQL rows (flows, handoffs and their events, conversation, interactions, profile, episode, outbox messages and their delivery events, manager notices, pending jobs), short-term memory, knowledge graph nodes, and Idempotency-Key replays. A tombstone keyed by a keyed hash of the email (never the address) refuses the person at intake (409) until a lead carries consent: true. Aggregates the agents learned (triage model, segment facts, campaign metrics) stay. An unknown lead is not found.',
  rest: {
    method: 'DELETE',
    path: '/api/v1/leads/{lead_id}',
    summary: 'Erase a person from every tier, leaving a tombstone that refuses them without new consent',
    failures: { 400: 'A malformed lead_id', 403: 'The role may not erase people: needs role admin', 404: 'No such lead' },
  },
  jsonRpc: { method: 'lead/erase' },
  mcp: {
    name: 'erase_lead',
    title: "Erase a person's data",
    // Irreversible; a second call finds nothing (not found).
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  },
  input: strictParams({ lead_id: text().describe('The lead to erase, as submitted.') }),
  document: EraseLeadDocument,
  toVariables: ({ lead_id }) => ({ leadId: lead_id }),
  output: erasureSchema,
  toOutput: (data) => {
    const report = payload(data.eraseLead, 'ErasureReport');
    const { relational: r } = report;
    return {
      lead_id: report.leadId,
      erased_at: report.erasedAt,
      tombstoned: report.tombstoned,
      removed: {
        postgres: {
          leads: r.leads,
          flows: r.flows,
          handoffs: r.handoffs,
          handoff_events: r.handoffEvents,
          conversations: r.conversations,
          interactions: r.interactions,
          profiles: r.profiles,
          episodes: r.episodes,
          outbound_messages: r.outboundMessages,
          delivery_events: r.deliveryEvents,
          queued_jobs: r.queuedJobs,
        },
        short_term_contexts: report.shortTermContexts,
        knowledge_nodes: report.knowledgeNodes,
        idempotency_replays: report.idempotencyReplays,
      },
    };
  },
  issuePath: issuePaths({ leadId: 'lead_id' }),
});
