// The agents report handoffs through an observer and know nothing of Prometheus;
// here their reports become /metrics (src/http/metrics.ts).
import type { HandoffObserver } from '../agents/handoff/handoff-observer.js';
import type { Metrics } from '../http/metrics.js';

/** The handoff services' observer, feeding baton_handoffs_total, baton_handoff_quality_score and baton_escalations_total. */
export function handoffObserver({ handoffs, handoffQualityScore, escalations }: Metrics): HandoffObserver {
  return {
    finished({ type, status, qualityScore }) {
      handoffs.inc({ type: type.toLowerCase(), status: status.toLowerCase() });
      if (qualityScore !== null) handoffQualityScore.observe({ type: type.toLowerCase() }, qualityScore);
    },
    escalated(trigger) {
      escalations.inc({ trigger: trigger.toLowerCase() });
    },
  };
}
