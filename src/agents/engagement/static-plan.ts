// The engagement plan without memory or evidence: the playbook's default arm
// (email, else a call for a qualified lead or a text for the others, else
// LinkedIn; copy variant a), personalized from the email address alone. Pure
// and deterministic; nothing is written. The Engagement agent
// (engagement-agent.ts) replaces it wherever a database and the knowledge base
// are at hand.
import type { Channel, TriageCategory } from '../../db/generated/prisma/enums.js';
import type { LeadInput } from '../lead.js';
import { personalization } from './message.js';
import { followUpActions, planSequence, type NextAction } from './plan.js';
import { templateId } from './variants.js';

export interface EngagementTriage {
  category: TriageCategory;
  assignedAgent: string;
}

export interface Touchpoint {
  channel: Channel;
  template: string;
  /** Email only. */
  subject: string | null;
  body: string;
  sendAt: Date;
}

export interface EngagementPlan {
  agent: string;
  firstTouchpoint: Touchpoint;
  nextActions: NextAction[];
}

export function planEngagement(lead: LeadInput, triage: EngagementTriage, now: Date): EngagementPlan {
  const channel = chooseChannel(lead, triage.category);
  const plan = planSequence({
    lead,
    category: triage.category,
    person: personalization(lead, null),
    knowledge: { painPoint: null, theme: null },
    first: { channel, template: templateId(triage.category, lead.persona, channel, 'a'), variant: 'a' },
    alternate: null,
    now,
    preferredHour: null,
  });
  const { channel: firstChannel, template, subject, body, sendAt } = plan[0]!;
  return {
    agent: triage.assignedAgent,
    firstTouchpoint: { channel: firstChannel, template, subject, body, sendAt },
    nextActions: followUpActions(plan, triage.assignedAgent),
  };
}

/**
 * Email when there is an address; otherwise the phone (a sales call for
 * qualified leads, a text for the rest); otherwise a LinkedIn connection note.
 */
export function chooseChannel(lead: Pick<LeadInput, 'email' | 'phone'>, category: TriageCategory): Channel {
  if (lead.email) return 'EMAIL';
  if (lead.phone) return category === 'CAMPAIGN_QUALIFIED' ? 'CALL' : 'SMS';
  return 'LINKEDIN';
}
