// The context packet a handoff carries (the specification's "Handoff Context
// Preservation"): conversation state, lead context, campaign context and a
// memory snapshot: everything the receiving agent needs to continue.
import type { TriageCategory } from '../../db/generated/prisma/enums.js';
import { TRIAGE_AGENT } from '../../domain/agent-ids.js';
import type { LeadInput } from '../../domain/lead.js';
import type { TriageResult } from '../triage/triage.js';

export interface HandoffContext {
  conversation: { conversationId: string; lastAgent: string };
  lead: {
    leadId: string;
    industry: string;
    companySize: string;
    persona: string | null;
    source: string | null;
    email: string | null;
    phone: string | null;
  };
  triage: {
    category: TriageCategory;
    score: number;
    confidence: number;
    reasoning: string;
    modelVersion: string;
    triagedAt: string;
  } | null;
  campaign: CampaignContext | null;
  /**
   * What memory held for the lead, restored by the receiver at its gate from
   * every tier (the sender carries what it read: similar episodes); null when
   * nothing was recalled.
   */
  memory: MemorySnapshot | null;
  /** Set while the handoff waits in CONTEXT_REQUESTED: what the gate still missed. */
  contextRequest?: ContextRequest | null;
  /** What operators supplied (provideHandoffContext), in order. */
  supplied?: SuppliedContext[];
  builtAt: string;
}

/** The gate's request for context it could not find in memory. */
export interface ContextRequest {
  /** Requirement names (handoff-quality.ts) the packet did not cover. */
  missing: string[];
  /** The fields an operator may supply (provideHandoffContext's `context`). */
  fields: string[];
  score: number;
  requestedAt: string;
}

export interface SuppliedContext {
  by: string;
  at: string;
  fields: string[];
}

/** The campaign a lead belongs to, as the optimization agent needs it. */
export interface CampaignContext {
  campaignId: string;
  name: string;
  budgetUsd: number | null;
  /** The campaign's stored performance data, as the optimization agent's gate found it; absent until then. */
  metrics?: CampaignMetricsSnapshot | null;
}

/** How much performance data the campaign has, and how fresh it is. */
export interface CampaignMetricsSnapshot {
  periods: number;
  latestPeriodEnd: string | null;
  /** When the newest of them was ingested. */
  recordedAt: string | null;
}

/** The lead as the memory tiers know it: conversation, profile, similar episodes, knowledge. */
export interface MemorySnapshot {
  conversation: { activeIntent: string | null; extractedSlots: Record<string, unknown>; pendingActions: string[] } | null;
  profile: {
    attributes: Record<string, unknown>;
    touches: number;
    replies: number;
    preferredChannel: string | null;
    consent: boolean;
    doNotContact: boolean;
  } | null;
  similarEpisodes: { considered: number; converted: number } | null;
  knowledge: { predicate: string; object: string; weight: number }[];
}

/** The lead as the packet carries it, for an agent that takes its work from the packet. */
export function leadOfPacket({ lead, campaign }: HandoffContext): LeadInput {
  // The packet was built from a LeadInput (buildTriageHandoffContext): its strings are the same enum values.
  return {
    leadId: lead.leadId,
    industry: lead.industry as LeadInput['industry'],
    companySize: lead.companySize as LeadInput['companySize'],
    persona: lead.persona as LeadInput['persona'],
    source: lead.source,
    email: lead.email,
    phone: lead.phone,
    // The campaign's approved plan (paused arms, channel split) applies to its leads.
    campaignId: campaign?.campaignId ?? null,
  };
}

export function buildTriageHandoffContext(lead: LeadInput, conversationId: string, triage: TriageResult, triagedAt: Date, now: Date): HandoffContext {
  return {
    conversation: { conversationId, lastAgent: TRIAGE_AGENT },
    lead: {
      leadId: lead.leadId,
      industry: lead.industry,
      companySize: lead.companySize,
      persona: lead.persona ?? null,
      source: lead.source ?? null,
      email: lead.email ?? null,
      phone: lead.phone ?? null,
    },
    triage: {
      category: triage.category,
      score: triage.score,
      confidence: triage.confidence,
      reasoning: triage.reasoning,
      modelVersion: triage.modelVersion,
      triagedAt: triagedAt.toISOString(),
    },
    campaign: null,
    memory: null,
    builtAt: now.toISOString(),
  };
}
