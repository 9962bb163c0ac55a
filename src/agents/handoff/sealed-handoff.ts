// A handoff's personal data at rest: its context packet and result (JSON, sealed
// where they hold a person's address, number or name: cipher.sealJson), and its
// free-text reasons, notes and event details (sealed whole, since any of them may
// quote what a manager or the gate read). Every writer of the Handoff and
// HandoffEvent tables seals through here; every reader that needs the clear packet
// (the receiving agents, the quality gate, the escalation desk) opens through here.
// GraphQL opens the declared fields itself (src/schema/pii-masking.ts), so what the
// doors and the event bus carry stays sealed until a resolver answers.
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';

interface Sealable {
  context?: unknown;
  result?: unknown;
  failureReason?: string | null;
  resolutionNote?: string | null;
}

/** The handoff's packet, result and free text opened (a row stored before encryption passes as it is). */
export function openHandoff<T extends Sealable>(cipher: PersonalDataCipher, handoff: T): T {
  const opened = { ...handoff };
  if (opened.context !== undefined) opened.context = cipher.openJson(opened.context);
  if (opened.result !== undefined) opened.result = cipher.openJson(opened.result);
  if (opened.failureReason !== undefined) opened.failureReason = cipher.openOptional(opened.failureReason);
  if (opened.resolutionNote !== undefined) opened.resolutionNote = cipher.openOptional(opened.resolutionNote);
  return opened;
}

/** Free text stored on a handoff (a failure reason, a note, an event's detail): sealed whole; null stays null. */
export function sealHandoffText<T extends string | null | undefined>(cipher: PersonalDataCipher, text: T): T {
  return (typeof text === 'string' ? cipher.seal(text) : text) as T;
}
