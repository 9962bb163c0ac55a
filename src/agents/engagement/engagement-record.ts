// An engagement as its handoff keeps it (Handoff.result): the first touchpoint,
// the follow-ups planned and the variant choice, in JSON. The flow's answer and
// the dashboard read it back from here, not from the agent's memory.
import { z } from 'zod';
import { Channel } from '../../db/generated/prisma/enums.js';
import type { EngagementOutcome } from './engagement-agent.js';

const channel = z.enum(Channel);

const engagementRecordSchema = z.object({
  status: z.enum(['EXECUTED', 'BLOCKED']),
  /** Why nothing was sent, in words. */
  reason: z.string().nullable(),
  agent: z.string(),
  /** The interaction recording the first touchpoint. */
  touchpointId: z.string().nullable(),
  firstTouchpoint: z.object({ channel, template: z.string(), subject: z.string().nullable(), body: z.string(), sendAt: z.string() }).nullable(),
  nextActions: z.array(z.object({ action: z.literal('follow_up'), agent: z.string(), channel, dueAt: z.string(), description: z.string() })),
  variantChoice: z.object({ segment: z.string(), chosen: z.string(), seed: z.number().nullable() }).nullable(),
});

export type EngagementRecord = z.infer<typeof engagementRecordSchema>;
/** An engagement that sent its first touchpoint. */
export type ExecutedEngagement = EngagementRecord & { touchpointId: string; firstTouchpoint: NonNullable<EngagementRecord['firstTouchpoint']> };

export function toEngagementRecord(outcome: EngagementOutcome): EngagementRecord {
  const first = outcome.firstTouchpoint;
  return {
    status: outcome.status,
    reason: outcome.reason,
    agent: outcome.agent,
    touchpointId: first?.touchpointId ?? null,
    firstTouchpoint: first
      ? { channel: first.channel, template: first.template, subject: first.subject, body: first.body, sendAt: first.sendAt.toISOString() }
      : null,
    nextActions: outcome.nextActions.map((action) => ({ ...action, dueAt: action.dueAt.toISOString() })),
    variantChoice: outcome.variantChoice && { segment: outcome.variantChoice.segment, chosen: outcome.variantChoice.chosen, seed: outcome.variantChoice.seed },
  };
}

/** The engagement a handoff recorded, when it executed; null otherwise (or when the handoff was not engagement's). */
export function executedEngagementOf(result: unknown): ExecutedEngagement | null {
  const parsed = engagementRecordSchema.safeParse(result);
  if (!parsed.success || parsed.data.status !== 'EXECUTED' || !parsed.data.firstTouchpoint || !parsed.data.touchpointId) return null;
  return parsed.data as ExecutedEngagement;
}
