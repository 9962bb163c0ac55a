// A KPI past its threshold with significance: what escalates to a manager.
import type { Breach } from '../../agents/optimization/recommendation.js';
import { builder } from '../builder.js';
import { BreachSeverityEnum, KpiEnum, KpiScopeEnum } from './enums.js';
import { EvidenceItemRef, evidenceItems } from './evidence.js';

export const KpiBreachRef = builder.objectRef<Breach>('KpiBreach').implement({
  description:
    'A KPI past its threshold with significance: ROAS whose 95 % upper bound is below the floor, a CPL spike against the ' +
    "campaign's own history, or CPL whose 95 % lower bound is above a configured ceiling. Each raises a PERFORMANCE_THRESHOLD escalation.",
  fields: (t) => ({
    kpi: t.expose('kpi', { type: KpiEnum, description: 'ROAS or CPL_USD.' }),
    scope: t.expose('scope', { type: KpiScopeEnum }),
    observed: t.exposeFloat('observed'),
    threshold: t.exposeFloat('threshold', {
      description: "In the KPI's unit: the ROAS floor, the CPL ceiling, or the CPL spike level (the history median plus cplSpikeZ robust σ).",
    }),
    severity: t.expose('severity', { type: BreachSeverityEnum }),
    summary: t.exposeString('summary'),
    evidence: t.field({
      type: [EvidenceItemRef],
      description: 'The counts, the interval or robust z, and the threshold the breach rests on, by snake_case name.',
      resolve: (b) => evidenceItems(b.evidence),
    }),
  }),
});
