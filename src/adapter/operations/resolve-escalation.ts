// POST /api/v1/escalations/{escalation_id}/resolve, escalation/resolve and the MCP
// tool resolve_escalation: `{ escalation_id, decision, note?, reassign_to? }` → the
// escalation as decided, one GraphQL operation (ResolveEscalation.graphql). Roles
// manager and admin only. An unknown escalation is NOT_FOUND; one already decided
// is CONFLICT.
import { z } from 'zod';
import { ResolveEscalationDecisionDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { payload } from '../operation-payload.js';
import { dateTime, orNull } from '../shapes/fields.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { named } from '../shapes/named-shapes.js';
import { labelled, strictParams, text } from '../shapes/params.js';

const DECISION_LABELS = { APPROVE: 'approve', REJECT: 'reject', REASSIGN: 'reassign' } as const;

const DESCRIPTION =
  "Decides a manager escalation (roles manager and admin only). approve continues what the escalation interrupted: for a lead held back by the quality gate or loop protection, its engagement runs now; for a campaign review (trigger performance_threshold), the review's recommendations are applied to engagement: pause recommendations (and the loser of a variant winner) pause those arms (copy variant a/b or template, channel email/sms/call/linkedin) so engagement never chooses them again for the campaign's leads, and a budget reallocation sets each engagement channel's share of the campaign's new sequences; they travel as an optimization_to_engagement handoff (in `handoffs`) that the engagement agent applies and completes. Recommendations naming nothing engagement sends (e.g. channel:search, scale) change nothing. reject ends it; reassign hands it to `reassign_to` and keeps it open. Every new escalation emails the managers (MANAGER_EMAILS) with its id.";

const escalationSchema = named(
  'ResolvedEscalation',
  z.object({
    escalation_id: z.string(),
    status: z.string().describe('completed or failed once decided; escalated while reassigned.'),
    resolution: z.enum(['approved', 'rejected', 'reassigned']),
    resolved_by: z.string().describe("The deciding token's subject."),
    resolved_at: dateTime(),
    note: orNull(z.string(), "The manager's note; null when none was given."),
    assigned_to: z.string().describe('Who holds the escalation now (the new assignee after reassign).'),
    lead_id: orNull(z.string(), "Null for a campaign's own escalation."),
    campaign_id: orNull(z.string(), 'The campaign, when the escalation concerns one.'),
    outcome: orNull(z.string(), 'What the decision did, in words (the last event of the escalation).'),
    handoffs: z
      .array(z.object({ handoff_id: z.string(), handoff_type: z.string(), status: z.string(), to_agent: z.string() }))
      .describe('Handoffs the decision started: an approved campaign review hands its changes to engagement (optimization_to_engagement).'),
  }),
);

export const resolveEscalation = defineAdapterOperation({
  description: DESCRIPTION,
  rest: {
    method: 'POST',
    path: '/api/v1/escalations/{escalation_id}/resolve',
    summary: 'Decide a manager escalation; approving a campaign review applies its recommendations to engagement',
    body: strictParams({
      decision: labelled(DECISION_LABELS).describe('approve, reject or reassign.'),
      note: text().optional().describe('Why, for the record (at most 1000 characters).'),
      reassign_to: text().optional().describe('reassign only: who decides instead.'),
    }),
    failures: {
      400: 'Invalid request (a malformed id, reassign without reassign_to)',
      403: 'The role may not resolve escalations: needs role manager or admin',
      404: 'No such escalation',
    },
  },
  jsonRpc: { method: 'escalation/resolve' },
  mcp: {
    name: 'resolve_escalation',
    title: 'Decide a manager escalation',
    // A decision is final (a second one is a conflict) and approval acts on engagement.
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  },
  input: strictParams({
    escalation_id: text().describe('The escalation (a handoff id, a UUID), as the manager notice and the lead flow name it.'),
    decision: labelled(DECISION_LABELS).describe('approve, reject or reassign.'),
    note: text().optional().describe('Why, for the record (at most 1000 characters).'),
    reassign_to: text().optional().describe('reassign only: who decides instead.'),
  }),
  document: ResolveEscalationDecisionDocument,
  toVariables: ({ escalation_id, decision, note, reassign_to }) => ({
    id: escalation_id,
    decision,
    ...(note != null ? { note } : {}),
    ...(reassign_to != null ? { reassignTo: reassign_to } : {}),
  }),
  output: escalationSchema,
  toOutput: (data) => {
    const handoff = payload(data.resolveEscalation, 'Handoff');
    return {
      escalation_id: handoff.id,
      status: handoff.status.toLowerCase(),
      resolution: (handoff.resolution ?? 'REASSIGNED').toLowerCase() as 'approved' | 'rejected' | 'reassigned',
      resolved_by: handoff.resolvedBy ?? '',
      resolved_at: handoff.resolvedAt ?? '',
      note: handoff.resolutionNote,
      assigned_to: handoff.toAgent,
      lead_id: handoff.lead?.id ?? null,
      campaign_id: handoff.campaignId,
      outcome: handoff.events.at(-1)?.detail ?? null,
      handoffs: handoff.children.map((child) => ({
        handoff_id: child.id,
        handoff_type: child.type.toLowerCase(),
        status: child.status.toLowerCase(),
        to_agent: child.toAgent,
      })),
    };
  },
  issuePath: issuePaths({ id: 'escalation_id', decision: 'decision', note: 'note', reassignTo: 'reassign_to' }),
});
