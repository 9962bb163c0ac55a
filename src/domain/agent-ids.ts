// The agents of one Baton process, by the ids they sign their work with.
import type { TriageCategory } from '../db/generated/prisma/enums.js';

export const TRIAGE_AGENT = 'triage-001';

/** Triage routes each category to the engagement tier that fits it. */
export const ENGAGEMENT_AGENT_BY_CATEGORY: Record<TriageCategory, string> = {
  CAMPAIGN_QUALIFIED: 'engagement-premium-001',
  GENERAL_INQUIRY: 'engagement-standard-001',
  COLD_LEAD: 'engagement-nurture-001',
};

export const OPTIMIZATION_AGENT = 'optimization-001';

/** Escalations wait here for a human. */
export const MANAGER = 'manager';
