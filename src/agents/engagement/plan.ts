// The engagement sequence: the first touchpoint now (or as soon as the frequency
// cap allows), then the tier's follow-ups (premium fast, nurture slow) at the
// lead's preferred hour, the last one on the runner-up channel. Every step is
// written out in full (channel, template, subject, body, send time) so the
// outbox holds exactly what will go out; a sender cancels the rest when the lead
// responds. Pure and deterministic.
import type { Channel, TriageCategory } from '../../db/generated/prisma/enums.js';
import { CHANNEL_LABELS } from '../../memory/semantic/vocabulary.js';
import type { LeadInput } from '../../domain/lead.js';
import { earliestUnderCap, fitsUnderCap, FREQUENCY_CAP, type FrequencyCap } from './contact-policy.js';
import { composeMessage, type MessageKnowledge, type Personalization } from './message.js';
import { DEFAULT_SEND_HOUR_UTC, TIER_PLAYS, type CopyVariant } from './playbook.js';
import { followUpTemplate } from './variants.js';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface PlannedTouchpoint {
  /** 1 for the first touchpoint. */
  step: number;
  channel: Channel;
  template: string;
  /** Email only. */
  subject: string | null;
  body: string;
  sendAt: Date;
  /** Why the step deviates from the playbook's cadence or channel, in words; null when it does not. */
  note: string | null;
}

export interface NextAction {
  action: 'follow_up';
  agent: string;
  channel: Channel;
  dueAt: Date;
  description: string;
}

/** An arm as the plan needs it. */
export interface PlanArm {
  channel: Channel;
  template: string;
  variant: CopyVariant;
}

export interface SequenceInput {
  lead: Pick<LeadInput, 'industry' | 'persona' | 'phone'>;
  category: TriageCategory;
  score?: number | null;
  person: Personalization;
  knowledge: MessageKnowledge;
  /** The chosen arm: the first touchpoint and the follow-ups before the last. */
  first: PlanArm;
  /** The best arm on another channel, for the last step; null keeps the chosen arm. */
  alternate: PlanArm | null;
  now: Date;
  /** The profile's preferred hour (UTC, 0-23), or null. */
  preferredHour: number | null;
  /** The lead's other touchpoints (recorded or in the outbox), for the frequency cap. */
  booked?: readonly Date[];
  cap?: FrequencyCap;
}

export function planSequence(input: SequenceInput): PlannedTouchpoint[] {
  const { category, first, alternate, now } = input;
  const cap = input.cap ?? FREQUENCY_CAP;
  const hour = sendHour(input.preferredHour);
  const followUpDays = TIER_PLAYS[category].followUpDays;
  const last = followUpDays.length + 1;
  const touches = [...(input.booked ?? [])];
  const steps: PlannedTouchpoint[] = [];

  for (let step = 1; step <= last; step++) {
    const previous = steps.at(-1);
    let planned: Date;
    if (!previous) {
      planned = new Date(now.getTime());
    } else {
      planned = slotOnDay(steps[0]!.sendAt, followUpDays[step - 2]!, hour);
      if (planned.getTime() <= previous.sendAt.getTime()) planned = slotAtOrAfter(new Date(previous.sendAt.getTime() + DAY_MS), hour);
    }
    const notes: string[] = [];
    let sendAt = planned;
    if (!fitsUnderCap(planned, touches, cap)) {
      const capped = cappedSlot(touches, planned, hour, cap);
      sendAt = capped.slot;
      notes.push(
        `Deferred by the frequency cap (at most ${cap.maxTouchpoints} touchpoints in any ${cap.windowMs / DAY_MS} days): ` +
          `planned for ${planned.toISOString()}, allowed from ${capped.earliest.toISOString()}, ` +
          `scheduled at the first send slot from then, ${sendAt.toISOString()}.`,
      );
    }
    const arm = step === last && step > 1 && alternate ? alternate : first;
    if (arm !== first) notes.push(`The last step switches to ${CHANNEL_LABELS[arm.channel]}, the runner-up channel.`);
    const message = composeMessage({
      lead: input.lead,
      category,
      channel: arm.channel,
      variant: arm.variant,
      person: input.person,
      knowledge: input.knowledge,
      step,
      last: step === last,
      score: input.score ?? null,
    });
    steps.push({
      step,
      channel: arm.channel,
      template: step === 1 ? arm.template : followUpTemplate(arm.template, step),
      ...message,
      sendAt,
      note: notes.length > 0 ? notes.join(' ') : null,
    });
    touches.push(sendAt);
  }
  return steps;
}

/** One follow-up action per step after the first. */
export function followUpActions(plan: readonly PlannedTouchpoint[], agent: string): NextAction[] {
  const first = plan[0];
  if (!first) return [];
  return plan.slice(1).map((step) => ({
    action: 'follow_up',
    agent,
    channel: step.channel,
    dueAt: step.sendAt,
    description:
      `Step ${step.step}: follow up on "${first.template}" by ${CHANNEL_LABELS[step.channel]} with "${step.template}" ` +
      `unless the lead has replied (queued in the outbox for ${step.sendAt.toISOString()})`,
  }));
}

/** The profile's preferred hour when it is a valid UTC hour, else the business-hours default. */
export function sendHour(preferredHour: number | null | undefined): number {
  return Number.isInteger(preferredHour) && preferredHour! >= 0 && preferredHour! <= 23 ? preferredHour! : DEFAULT_SEND_HOUR_UTC;
}

/** `days` calendar days (UTC) after `start`, at `hour`:00 UTC; a Saturday or Sunday rolls over to Monday. */
export function slotOnDay(start: Date, days: number, hour: number): Date {
  const slot = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + days, hour));
  return skipWeekend(slot);
}

/** The first weekday instant at `hour`:00 UTC at or after `from`. */
export function slotAtOrAfter(from: Date, hour: number): Date {
  let slot = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate(), hour));
  if (slot.getTime() < from.getTime()) slot = new Date(slot.getTime() + DAY_MS);
  return skipWeekend(slot);
}

function skipWeekend(slot: Date): Date {
  const day = slot.getUTCDay();
  return day === 6 ? new Date(slot.getTime() + 2 * DAY_MS) : day === 0 ? new Date(slot.getTime() + DAY_MS) : slot;
}

/**
 * When the cap first allows a touchpoint after `planned`, and the first send slot
 * (weekday, send hour) from then that it allows: a deferred touchpoint goes out
 * at a sensible hour rather than the very millisecond a window frees up.
 */
function cappedSlot(touches: readonly Date[], planned: Date, hour: number, cap: FrequencyCap): { earliest: Date; slot: Date } {
  const earliest = earliestUnderCap(touches, planned, cap);
  let slot = slotAtOrAfter(earliest, hour);
  while (!fitsUnderCap(slot, touches, cap)) slot = slotAtOrAfter(earliestUnderCap(touches, new Date(slot.getTime() + 1), cap), hour);
  return { earliest, slot };
}
