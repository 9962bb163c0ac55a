// What the server learns of handoffs for /metrics, without the agents knowing
// Prometheus (src/app/handoff-metrics.ts turns its reports into /metrics). Reports
// come after the transaction that wrote the handoff committed, and only from
// the replica that wrote it: subscribers on other replicas see the events, not
// the reports, so a cluster-wide sum counts each handoff once.
import type { HandoffStatus, HandoffTrigger, HandoffType } from '../../db/generated/prisma/enums.js';

/**
 * Where a handoff ends: COMPLETED or FAILED, or ESCALATED when a transfer
 * between agents gave way to a manager escalation. A manager escalation itself
 * ends COMPLETED or FAILED when a manager decides (ESCALATED is its open state).
 */
export type TerminalHandoffStatus = Extract<HandoffStatus, 'COMPLETED' | 'FAILED' | 'ESCALATED'>;

export interface HandoffObserver {
  /**
   * A handoff reached its terminal status; once per handoff. `qualityScore` is the
   * quality gate's verdict on its packet (after enrichment), null when the packet
   * was never scored (loop protection, a manager escalation).
   */
  finished(handoff: {
    type: HandoffType;
    status: TerminalHandoffStatus;
    qualityScore: number | null;
    /** Context preservation accuracy (0-1), when the receiver worked on the handoff; absent otherwise. */
    contextPreservation?: number;
  }): void;
  /** The quality gate held a handoff for an operator's context (CONTEXT_REQUESTED); once each time it does. */
  contextRequested?(type: HandoffType): void;
  /** A manager escalation was raised; once per escalation (reassigning it raises none). */
  escalated(trigger: HandoffTrigger): void;
  /** A receiving agent ended its work on a handoff: its own time on it, and how long the work waited in its queue first. */
  worked(handoff: { type: HandoffType; processingTimeMs: number; queueWaitMs: number }): void;
}

export const UNOBSERVED: HandoffObserver = { finished: () => {}, escalated: () => {}, worked: () => {} };

const TERMINAL = new Set<HandoffStatus>(['COMPLETED', 'FAILED', 'ESCALATED']);

export function isTerminal(status: HandoffStatus): status is TerminalHandoffStatus {
  return TERMINAL.has(status);
}
