// Records consolidation left out as /metrics: baton_consolidation_skipped_records_total{reason},
// one count per short-term context a run skipped because PostgreSQL could not
// store it (src/memory/consolidation/consolidation.ts). Above zero, someone wrote
// such a record past the input rules (an older version, an edit in Redis): the
// warning in the log names its key.
import { Counter } from 'prom-client';
import { UNSTORABLE_REASONS } from '../domain/input-rules.js';
import type { Metrics } from '../http/metrics.js';
import type { SkippedRecord } from '../memory/consolidation/consolidation.js';

export function consolidationSkipObserver({ registry }: Metrics): (skipped: SkippedRecord) => void {
  const skipped = new Counter({
    name: 'baton_consolidation_skipped_records_total',
    help: 'Records memory consolidation skipped because they cannot be stored (reason: nul, unpaired_surrogate, too_deep, unreadable); the rest of the run went on.',
    labelNames: ['reason'],
    registers: [registry],
  });
  for (const reason of UNSTORABLE_REASONS) skipped.inc({ reason }, 0);
  return ({ reason }) => skipped.inc({ reason });
}
