// How good is a context packet for the agent that receives it? Each receiving
// agent declares what its decision needs, with a weight; the quality score (0-1)
// is the weighted share the packet covers. The specification's gate is strict:
// a handoff executes only when the score is ABOVE 0.7 (0.7 itself fails).
//
// The weights say what the receiver cannot decide without. A packet carrying
// only what the sender had to carry (the lead's id, industry, size and source,
// and the triage verdict) scores 0.50 for engagement: without a way to reach the
// lead, engagement can only guess at a LinkedIn search, so it must not pass.
import { personalization } from '../engagement/message.js';
import type { HandoffContext } from './handoff-context.js';

/** The specification's gate: a handoff executes only when its quality is strictly above this. */
export const HANDOFF_QUALITY_THRESHOLD = 0.7;

export interface ContextRequirement {
  name: string;
  weight: number;
  /** 0 (absent) to 1 (present and fresh). */
  coverage(context: HandoffContext, now: Date): number;
}

/**
 * What the Engagement agent needs to plan and send a first touchpoint. Weights sum to 1:
 *
 * | requirement       | weight | covered by                                                              |
 * |-------------------|--------|-------------------------------------------------------------------------|
 * | reachableChannel  | 0.35   | an email or phone the lead consented to be reached on, or a LinkedIn    |
 * |                   |        | profile memory names (first and last name): a person, not a search for  |
 * |                   |        | "Decision Maker, Technology". A profile that forbids contact covers it  |
 * |                   |        | too: then "no outreach" is fully decided by the packet.                 |
 * | triageReasoning   | 0.25   | the verdict with its reasoning, fresh (decays after an hour, see below) |
 * | persona           | 0.15   | who the lead is: picks the offer and the copy                           |
 * | companyContext    | 0.15   | industry and company size (half each): the segment and its evidence     |
 * | identity          | 0.10   | lead id and conversation id (half each): keeps the work threaded        |
 *
 * Required fields only: 0.25 + 0.15 + 0.10 = 0.50 (fails). With an email: 0.85
 * (passes). With a persona but no contact: 0.65 (fails).
 */
export const ENGAGEMENT_REQUIREMENTS: ContextRequirement[] = [
  { name: 'reachableChannel', weight: 0.35, coverage: (c) => reachableChannel(c) },
  { name: 'triageReasoning', weight: 0.25, coverage: (c, now) => triageCoverage(c, now) },
  { name: 'persona', weight: 0.15, coverage: (c) => present(c.lead.persona) },
  { name: 'companyContext', weight: 0.15, coverage: (c) => (present(c.lead.industry) + present(c.lead.companySize)) / 2 },
  { name: 'identity', weight: 0.1, coverage: (c) => (present(c.lead.leadId) + present(c.conversation.conversationId)) / 2 },
];

/**
 * What the Optimization agent needs to review a lead's campaign. Weights sum to 1:
 *
 * | requirement | weight | covered by                                                                   |
 * |-------------|--------|------------------------------------------------------------------------------|
 * | campaign    | 0.45   | the campaign to review                                                       |
 * | metrics     | 0.30   | its performance data, fresh: ingested within a week (decays to half by 30 d) |
 * | triage      | 0.15   | how triage judged the lead (traces a breach to the flow that raised it)      |
 * | lead        | 0.10   | the lead's id and segment                                                    |
 *
 * A campaign without metrics scores at most 0.70: not above the gate, since
 * there is nothing to optimize on.
 */
export const OPTIMIZATION_REQUIREMENTS: ContextRequirement[] = [
  { name: 'campaign', weight: 0.45, coverage: (c) => (c.campaign?.campaignId ? 1 : 0) },
  { name: 'metrics', weight: 0.3, coverage: (c, now) => metricsFreshness(c.campaign?.metrics?.recordedAt ?? null, now) },
  { name: 'triage', weight: 0.15, coverage: (c, now) => (c.triage ? triageFreshness(c.triage.triagedAt, now) : 0) },
  { name: 'lead', weight: 0.1, coverage: (c) => (present(c.lead.leadId) + present(c.lead.industry) + present(c.lead.companySize)) / 3 },
];

export interface HandoffQuality {
  score: number;
  /** Requirements the packet does not fully cover, for the failure reason, enrichment and the operator. */
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
  return { score: rounded, missing, passed: rounded > HANDOFF_QUALITY_THRESHOLD };
}

/**
 * An email or phone to reach the lead on, or a named person to find on LinkedIn.
 * A profile that withdrew consent or forbids contact covers the requirement as
 * well: the receiver's decision (no outreach) is then fully determined by the packet.
 */
function reachableChannel(context: HandoffContext): number {
  const profile = context.memory?.profile;
  if (profile && (!profile.consent || profile.doNotContact)) return 1;
  return Math.max(present(context.lead.email), present(context.lead.phone), namedPerson(context));
}

/** 1 when memory knows the lead's first and last name (profile attributes or conversation slots), as engagement reads them. */
function namedPerson(context: HandoffContext): number {
  const memory = context.memory;
  if (!memory) return 0;
  const person = personalization({ email: null }, { ...(memory.profile?.attributes ?? {}), ...(memory.conversation?.extractedSlots ?? {}) });
  return person.firstName && person.lastName ? 1 : 0;
}

/** The verdict and its reasoning (a verdict without reasoning counts half), at its freshness. */
function triageCoverage(context: HandoffContext, now: Date): number {
  if (!context.triage) return 0;
  return (present(context.triage.reasoning) ? 1 : 0.5) * triageFreshness(context.triage.triagedAt, now);
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** A triage verdict is fully trusted for an hour, then loses half its value linearly over a day. */
export function triageFreshness(triagedAt: string, now: Date): number {
  const ageHours = (now.getTime() - Date.parse(triagedAt)) / HOUR_MS;
  if (ageHours <= 1) return 1;
  return Math.max(0.5, 1 - (0.5 * (ageHours - 1)) / 23);
}

/** Campaign metrics ingested within a week are fresh; older ones lose half their value linearly by 30 days; none count 0. */
export function metricsFreshness(recordedAt: string | null, now: Date): number {
  if (!recordedAt) return 0;
  const ageDays = (now.getTime() - Date.parse(recordedAt)) / DAY_MS;
  if (ageDays <= 7) return 1;
  return Math.max(0.5, 1 - (0.5 * (ageDays - 7)) / 23);
}

function present(value: unknown): number {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '') ? 0 : 1;
}
