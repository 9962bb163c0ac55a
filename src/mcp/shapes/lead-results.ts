// GraphQL results → the specification's TriageResult and LeadProcessingResponse.
import { TRIAGE_CATEGORY_LABELS } from '../../agents/labels.js';
import type { ProcessLeadMutation, TriageFieldsFragment } from '../__generated__/operations.js';

export interface TriageResultShape {
  lead_id: string;
  triage_category: string;
  lead_score: number;
  assigned_agent: string;
  confidence: number;
  reasoning: string;
}

export function toTriageResult(leadId: string, triage: TriageFieldsFragment): TriageResultShape {
  return {
    lead_id: leadId,
    triage_category: TRIAGE_CATEGORY_LABELS[triage.category],
    lead_score: triage.score,
    assigned_agent: triage.assignedAgent,
    confidence: triage.confidence,
    reasoning: triage.reasoning,
  };
}

type Processed = ProcessLeadMutation['processLead'];

export function toLeadProcessingResponse(processed: Processed) {
  const { engagement } = processed;
  return {
    lead_id: processed.lead.id,
    conversation_id: processed.conversationId,
    success: processed.success,
    triage_result: toTriageResult(processed.lead.id, processed.triage),
    engagement_result: engagement && {
      agent: engagement.agent,
      touchpoint_id: engagement.touchpointId,
      channel: engagement.channel.toLowerCase(),
      template: engagement.template,
      subject: engagement.subject,
      body: engagement.body,
      sent_at: engagement.sentAt,
    },
    handoff_quality: processed.handoffQuality,
    processing_time_ms: processed.processingTimeMs,
    next_actions: processed.nextActions.map((action) => ({
      action: action.action,
      agent: action.agent,
      channel: action.channel.toLowerCase(),
      due_at: action.dueAt,
      description: action.description,
    })),
    ...(processed.success ? {} : { failure_reason: processed.handoff.failureReason }),
  };
}
