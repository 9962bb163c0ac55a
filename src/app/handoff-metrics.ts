// The agents report their work through observers and know nothing of Prometheus;
// here their reports become /metrics (src/http/metrics.ts).
import type { HandoffObserver } from '../agents/handoff/handoff-observer.js';
import { RECEIVING_QUEUE, type AgentHandoffType } from '../agents/handoff/handoff-orchestrator.js';
import type { TriageObserver } from '../agents/triage/triage-worker.js';
import type { Metrics } from '../http/metrics.js';

/**
 * The handoff services' observer, feeding baton_handoffs_total, baton_handoff_quality_score,
 * baton_handoff_context_preservation_ratio, baton_handoff_context_requests_total, baton_escalations_total
 * and the receiving agents' timings.
 */
export function handoffObserver(metrics: Metrics): HandoffObserver {
  const { handoffs, handoffQualityScore, handoffContextPreservation, handoffContextRequests, escalations, agentProcessing, queueWait } = metrics;
  return {
    finished({ type, status, qualityScore, contextPreservation }) {
      handoffs.inc({ type: type.toLowerCase(), status: status.toLowerCase() });
      if (qualityScore !== null) handoffQualityScore.observe({ type: type.toLowerCase() }, qualityScore);
      if (contextPreservation !== undefined) handoffContextPreservation.observe({ type: type.toLowerCase() }, contextPreservation);
    },
    contextRequested(type) {
      handoffContextRequests.inc({ type: type.toLowerCase() });
    },
    escalated(trigger) {
      escalations.inc({ trigger: trigger.toLowerCase() });
    },
    worked({ type, processingTimeMs, queueWaitMs }) {
      if (type === 'MANAGER_ESCALATION') return;
      const queue = RECEIVING_QUEUE[type as AgentHandoffType];
      agentProcessing.observe({ agent: queue }, processingTimeMs / 1000);
      queueWait.observe({ queue }, queueWaitMs / 1000);
    },
  };
}

/** The triage worker's timings. */
export function triageObserver({ agentProcessing, queueWait }: Metrics): TriageObserver {
  return ({ processingTimeMs, queueWaitMs }) => {
    agentProcessing.observe({ agent: 'triage' }, processingTimeMs / 1000);
    queueWait.observe({ queue: 'triage' }, queueWaitMs / 1000);
  };
}
