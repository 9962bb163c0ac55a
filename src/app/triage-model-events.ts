// A consolidation that fitted a triage model tells subscribers (triageModelFitted):
// one event per fit, naming what its drift check found, so a dashboard or an
// operator hears of a drift the moment a replica detects it.
import type { TriageModelEventKind, TriageModelFittedEvent } from '../events/event-bus.js';
import type { ConsolidationReport } from '../memory/consolidation/consolidation.js';

/** The event of a run's fit; null when the run fitted nothing (no outcome changed, or another replica held the lock). */
export function triageModelFittedEvent(report: ConsolidationReport): TriageModelFittedEvent | null {
  const { fitted, drift, version } = report.triageModel;
  if (!fitted) return null;
  return {
    kind: kindOf(drift),
    version: fitted.version,
    promoted: fitted.promoted,
    currentVersion: version,
    driftState: drift?.state ?? null,
    pValue: drift?.pValue ?? null,
    occurredAt: new Date(report.startedAt.getTime() + report.durationMs).toISOString(),
  };
}

function kindOf(drift: ConsolidationReport['triageModel']['drift']): TriageModelEventKind {
  if (drift?.detected) return 'DRIFT_DETECTED';
  if (drift?.recovered) return 'RECOVERED';
  return 'FITTED';
}
