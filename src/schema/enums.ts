// Domain enums, exposed with the same names and values as in the database.
import {
  Channel,
  CompanySize,
  EpisodeOutcome,
  EscalationResolution,
  FlowStatus,
  HandoffStatus,
  HandoffTrigger,
  HandoffType,
  Industry,
  InteractionType,
  LeadOutcome,
  Persona,
  TriageCategory,
} from '../db/generated/prisma/enums.js';
import { builder } from './builder.js';

export const IndustryEnum = builder.enumType(Industry, { name: 'Industry' });
export const CompanySizeEnum = builder.enumType(CompanySize, { name: 'CompanySize' });
export const PersonaEnum = builder.enumType(Persona, { name: 'Persona' });
export const TriageCategoryEnum = builder.enumType(TriageCategory, {
  name: 'TriageCategory',
  description: 'CAMPAIGN_QUALIFIED: score ≥ 70; GENERAL_INQUIRY: 40-69; COLD_LEAD: below 40.',
});
export const ChannelEnum = builder.enumType(Channel, { name: 'Channel' });
export const InteractionTypeEnum = builder.enumType(InteractionType, {
  name: 'InteractionType',
  description: 'TOUCHPOINT_SENT is outreach Baton sent; the others are signals from the lead.',
});
export const HandoffTypeEnum = builder.enumType(HandoffType, { name: 'HandoffType' });
export const HandoffTriggerEnum = builder.enumType(HandoffTrigger, { name: 'HandoffTrigger' });
export const HandoffStatusEnum = builder.enumType(HandoffStatus, { name: 'HandoffStatus' });
export const LeadOutcomeEnum = builder.enumType(LeadOutcome, {
  name: 'LeadOutcome',
  description: 'How a lead ended: the teacher of the triage model.',
});
export const EpisodeOutcomeEnum = builder.enumType(EpisodeOutcome, {
  name: 'EpisodeOutcome',
  description: 'What a conversation reached: CONVERTED or LOST (final), REPLIED, or IGNORED (no reply within the reply window).',
});
export const EscalationResolutionEnum = builder.enumType(EscalationResolution, { name: 'EscalationResolution' });
export const FlowStatusEnum = builder.enumType(FlowStatus, {
  name: 'FlowStatus',
  description:
    "Where a lead's flow stands: IN_PROGRESS while an agent still works on it; CONTEXT_REQUESTED while its handoff to engagement waits for an operator to supply context the quality gate missed (provideHandoffContext); then the outcome of its handoff to engagement (COMPLETED, FAILED, or ESCALATED to a manager).",
});
