// How good is a context packet for the agent that receives it? Each agent
// declares the context it needs, with a weight; the quality score (0-1) is the
// weighted share the packet holds, with stale triage counting less.
import type { HandoffContext } from './handoff-context.js';

/** The specification's gate: a handoff executes only at or above this quality. */
export const HANDOFF_QUALITY_THRESHOLD = 0.7;

export interface ContextRequirement {
  name: string;
  weight: number;
  /** 0 (absent) to 1 (present and fresh). */
  coverage(context: HandoffContext, now: Date): number;
}

/**
 * What the Engagement agent needs. Weights sum to 1: the triage verdict and the
 * segment (industry, size, persona) decide the play; contact data decides the
 * channel; the ids keep the conversation threaded. A lead with only the
 * specification's required fields plus its source scores 0.75.
 */
export const ENGAGEMENT_REQUIREMENTS: ContextRequirement[] = [
  { name: 'leadId', weight: 0.1, coverage: (c) => present(c.lead.leadId) },
  { name: 'conversationId', weight: 0.1, coverage: (c) => present(c.conversation.conversationId) },
  { name: 'triage', weight: 0.25, coverage: (c, now) => (c.triage ? triageFreshness(c.triage.triagedAt, now) : 0) },
  { name: 'industry', weight: 0.15, coverage: (c) => present(c.lead.industry) },
  { name: 'companySize', weight: 0.1, coverage: (c) => present(c.lead.companySize) },
  { name: 'persona', weight: 0.1, coverage: (c) => present(c.lead.persona) },
  { name: 'contact', weight: 0.15, coverage: (c) => Math.max(present(c.lead.email), present(c.lead.phone)) },
  { name: 'source', weight: 0.05, coverage: (c) => present(c.lead.source) },
];

/**
 * What the Optimization agent needs to review a lead's campaign: above all the
 * campaign (half), then who the lead is and how triage judged it, so a breach it
 * finds can be traced to the flow that raised it.
 */
export const OPTIMIZATION_REQUIREMENTS: ContextRequirement[] = [
  { name: 'campaign', weight: 0.5, coverage: (c) => (c.campaign ? 1 : 0) },
  { name: 'leadId', weight: 0.1, coverage: (c) => present(c.lead.leadId) },
  { name: 'segment', weight: 0.15, coverage: (c) => (present(c.lead.industry) + present(c.lead.companySize)) / 2 },
  { name: 'triage', weight: 0.25, coverage: (c, now) => (c.triage ? triageFreshness(c.triage.triagedAt, now) : 0) },
];

export interface HandoffQuality {
  score: number;
  /** Requirements the packet does not fully cover, for the failure reason and enrichment. */
  missing: string[];
  passed: boolean;
}

export function scoreHandoffContext(context: HandoffContext, requirements: readonly ContextRequirement[], now: Date): HandoffQuality {
  let score = 0;
  const missing: string[] = [];
  for (const requirement of requirements) {
    const coverage = requirement.coverage(context, now);
    score += requirement.weight * coverage;
    if (coverage < 1) missing.push(requirement.name);
  }
  const rounded = Math.round(score * 1000) / 1000;
  return { score: rounded, missing, passed: rounded >= HANDOFF_QUALITY_THRESHOLD };
}

const HOUR_MS = 3600 * 1000;

/** A triage verdict is fully trusted for an hour, then loses half its value linearly over a day. */
export function triageFreshness(triagedAt: string, now: Date): number {
  const ageHours = (now.getTime() - Date.parse(triagedAt)) / HOUR_MS;
  if (ageHours <= 1) return 1;
  return Math.max(0.5, 1 - (0.5 * (ageHours - 1)) / 23);
}

function present(value: unknown): number {
  return value === null || value === undefined || value === '' ? 0 : 1;
}
