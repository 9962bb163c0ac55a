// What a consolidation's report tells triageModelFitted subscribers: one event per
// fit, its kind what the fit's drift check found.
import { describe, expect, it } from 'vitest';
import { triageModelFittedEvent } from '../../src/app/triage-model-events.js';
import type { ConsolidatedTriageModel, ConsolidationReport } from '../../src/memory/consolidation/consolidation.js';

function report(triageModel: ConsolidatedTriageModel): ConsolidationReport {
  return {
    runId: 'run',
    skipped: false,
    startedAt: new Date('2026-12-01T10:00:00.000Z'),
    durationMs: 1_500,
    since: null,
    watermark: new Date('2026-12-01T10:00:00.000Z'),
    shortTerm: { contextsRead: 0 },
    longTerm: { profilesUpdated: 0 },
    episodic: { episodesWritten: 0 },
    semantic: { factsReweighted: 0 },
    triageModel,
  };
}

const drift = (state: 'STABLE' | 'DRIFTING', detected: boolean, recovered: boolean, pValue: number | null) => ({ state, detected, recovered, pValue });

describe('triageModelFittedEvent', () => {
  it('is null for a run that fitted nothing', () => {
    expect(triageModelFittedEvent(report({ version: 'learned-v2', retrained: false, outcomes: 40, fitted: null, drift: null }))).toBeNull();
  });

  it('names what the drift check found: a detection, a recovery, or neither', () => {
    const fitted = { version: 'learned-v3', promoted: true };
    const kinds = [
      [drift('DRIFTING', true, false, 0.0004), 'DRIFT_DETECTED'],
      [drift('STABLE', false, true, 0.4), 'RECOVERED'],
      [drift('DRIFTING', false, false, 0.01), 'FITTED'],
      [drift('STABLE', false, false, 0.7), 'FITTED'],
      [null, 'FITTED'],
    ] as const;
    for (const [check, kind] of kinds) {
      const event = triageModelFittedEvent(report({ version: 'learned-v3', retrained: true, outcomes: 40, fitted, drift: check }));
      expect(event, kind).toEqual({
        kind,
        version: 'learned-v3',
        promoted: true,
        currentVersion: 'learned-v3',
        driftState: check?.state ?? null,
        pValue: check?.pValue ?? null,
        occurredAt: '2026-12-01T10:00:01.500Z',
      });
    }
  });

  it('tells a fit that was not promoted from the version still in use', () => {
    const event = triageModelFittedEvent(
      report({
        version: 'learned-v2',
        retrained: true,
        outcomes: 40,
        fitted: { version: 'learned-v3', promoted: false },
        drift: drift('STABLE', false, false, 0.3),
      }),
    );
    expect(event).toMatchObject({ kind: 'FITTED', version: 'learned-v3', promoted: false, currentVersion: 'learned-v2' });
  });
});
