// May Baton contact this lead now? Consent and do-not-contact are absolute: a
// lead who withdrew consent (profile.consent false, or an UNSUBSCRIBED in the log
// that consolidation has not folded into the profile yet) or is flagged
// do-not-contact gets nothing. The frequency cap only delays: at most
// FREQUENCY_CAP.maxTouchpoints touchpoints in any rolling window of
// FREQUENCY_CAP.windowMs, counting the touchpoints recorded in the interaction
// log and the messages waiting in (or sent from) the outbox, future ones
// included. A capped touchpoint is scheduled at the earliest time that keeps
// every window under the cap.
import type { Prisma, PrismaClient } from '../../db/generated/prisma/client.js';

const DAY_MS = 24 * 3600 * 1000;

export interface FrequencyCap {
  maxTouchpoints: number;
  windowMs: number;
}

/** The default: at most 3 touchpoints per lead in any rolling 7 days. */
export const FREQUENCY_CAP: FrequencyCap = { maxTouchpoints: 3, windowMs: 7 * DAY_MS };

export interface ContactPermissions {
  consent: boolean;
  doNotContact: boolean;
}

export interface ContactHistory {
  /** Times of the lead's touchpoints (recorded or in the outbox) since the window before now, future ones included. */
  touches: Date[];
  /** The lead's first unsubscribe, if any. */
  unsubscribedAt: Date | null;
}

export interface ContactDecision {
  allowed: boolean;
  /** Why not, in words. */
  reason?: string;
  /** Set when only the frequency cap stands in the way: the earliest time it allows. */
  earliest?: Date;
}

/** `profile` null: no profile yet, so consent by default and no do-not-contact flag. */
export function contactPolicy(profile: ContactPermissions | null, history: ContactHistory, at: Date, cap: FrequencyCap = FREQUENCY_CAP): ContactDecision {
  if (history.unsubscribedAt) {
    return { allowed: false, reason: `Consent withdrawn: the lead unsubscribed on ${history.unsubscribedAt.toISOString()}.` };
  }
  if (profile && !profile.consent) return { allowed: false, reason: "Consent withdrawn: the lead's profile records no consent to outreach." };
  if (profile?.doNotContact) return { allowed: false, reason: "Do not contact: the lead's profile is flagged do-not-contact." };
  if (fitsUnderCap(at, history.touches, cap)) return { allowed: true };
  const earliest = earliestUnderCap(history.touches, at, cap);
  return { allowed: false, reason: capReason(history.touches, at, earliest, cap), earliest };
}

/** Whether one more touchpoint at `at` keeps every window of the cap's length at or under the cap. */
export function fitsUnderCap(at: Date, touches: readonly Date[], cap: FrequencyCap = FREQUENCY_CAP): boolean {
  const t = at.getTime();
  const times = touches.map((touch) => touch.getTime());
  // The fullest window holding `at` can be taken to start at its first element:
  // `at` itself, or a touch in (at − window, at].
  const anchors = [t, ...times.filter((x) => x <= t && x > t - cap.windowMs)];
  return anchors.every((start) => times.filter((x) => x >= start && x < start + cap.windowMs).length + 1 <= cap.maxTouchpoints);
}

/**
 * The earliest time at or after `from` where one more touchpoint fits under the
 * cap. A window frees up when a touch leaves it, so it is `from` or some touch
 * plus the window; past the last touch plus the window it always fits.
 */
export function earliestUnderCap(touches: readonly Date[], from: Date, cap: FrequencyCap = FREQUENCY_CAP): Date {
  const candidates = [from.getTime(), ...touches.map((touch) => touch.getTime() + cap.windowMs)].filter((time) => time >= from.getTime()).sort((x, y) => x - y);
  for (const time of candidates) {
    if (fitsUnderCap(new Date(time), touches, cap)) return new Date(time);
  }
  // Unreachable with maxTouchpoints ≥ 1: the last candidate always fits.
  throw new RangeError(`no time fits a frequency cap of ${cap.maxTouchpoints} touchpoints`);
}

function capReason(touches: readonly Date[], at: Date, earliest: Date, cap: FrequencyCap): string {
  const near = touches.filter((touch) => Math.abs(touch.getTime() - at.getTime()) < cap.windowMs).length;
  return (
    `Frequency cap: at most ${cap.maxTouchpoints} touchpoints in any ${cap.windowMs / DAY_MS} days, ` +
    `and ${near} are within ${cap.windowMs / DAY_MS} days of ${at.toISOString()}; the earliest allowed time is ${earliest.toISOString()}.`
  );
}

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Each lead's touchpoints after `since` (recorded TOUCHPOINT_SENT interactions,
 * and SCHEDULED, SENDING or SENT outbox messages not linked to one, so none counts twice)
 * and its first unsubscribe: one query for all the leads, inside the caller's
 * transaction. Every lead asked about has an entry.
 */
export async function contactHistories(db: Db, leadIds: readonly string[], since: Date): Promise<Map<string, ContactHistory>> {
  const ids = [...new Set(leadIds)];
  const histories = new Map<string, ContactHistory>(ids.map((leadId) => [leadId, { touches: [], unsubscribedAt: null }]));
  if (ids.length === 0) return histories;
  const rows = await db.$queryRaw<{ leadId: string; kind: string; at: Date }[]>`
    SELECT "leadId", 'touch'::text AS "kind", "occurredAt" AS "at" FROM "Interaction"
    WHERE "leadId" = ANY(${ids}::text[]) AND "type" = 'TOUCHPOINT_SENT' AND "occurredAt" > ${since}
    UNION ALL
    SELECT "leadId", 'touch'::text, COALESCE("sentAt", "scheduledFor") FROM "OutboundMessage"
    WHERE "leadId" = ANY(${ids}::text[]) AND "status" IN ('SCHEDULED', 'SENDING', 'SENT') AND "interactionId" IS NULL
      AND COALESCE("sentAt", "scheduledFor") > ${since}
    UNION ALL
    (SELECT DISTINCT ON ("leadId") "leadId", 'unsubscribed'::text, "occurredAt" FROM "Interaction"
     WHERE "leadId" = ANY(${ids}::text[]) AND "type" = 'UNSUBSCRIBED'
     ORDER BY "leadId", "occurredAt")`;
  for (const row of rows) {
    const history = histories.get(row.leadId)!;
    const at = row.at instanceof Date ? row.at : new Date(row.at);
    if (row.kind === 'touch') history.touches.push(at);
    else history.unsubscribedAt ??= at;
  }
  for (const history of histories.values()) history.touches.sort((x, y) => x.getTime() - y.getTime());
  return histories;
}
