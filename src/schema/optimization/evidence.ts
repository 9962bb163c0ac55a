// Evidence: the quantities a recommendation or breach rests on (ARCHITECTURE rule 5).
// The agent keeps them as a record keyed by snake_case name, whose keys vary with
// the kind of claim (a budget reallocation has a set per channel). GraphQL cannot
// select the keys of a free-form record, so each entry becomes an item a dashboard
// can list or pick by name; the typed views of recurring kinds (anomaly.ts,
// budget-moves.ts) read the same record.
import type { Evidence, EvidenceValue } from '../../agents/optimization/recommendation.js';
import { builder } from '../builder.js';

export interface EvidenceItem {
  name: string;
  value: EvidenceValue;
}

export const EvidenceItemRef = builder.objectRef<EvidenceItem>('EvidenceItem').implement({
  description:
    'One named quantity behind a claim: a sample size, a rate, an interval bound, a z, a p-value, a posterior probability, or words ' +
    '(a method, a period boundary, a note). At most one of value and text is set; both are null when the quantity is undefined ' +
    '(a rate over zero trials, a robust z against a history without spread). Pick items by name: a review just made lists them in ' +
    "the agent's order, a stored run in its database's.",
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'snake_case, as in the REST and JSON-RPC `evidence` object (e.g. p_value, control_clicks, channel.search.proposed_spend_usd).',
    }),
    value: t.float({
      nullable: true,
      description: 'The quantity, when it is a number.',
      resolve: (item) => (typeof item.value === 'number' && Number.isFinite(item.value) ? item.value : null),
    }),
    text: t.string({ nullable: true, description: 'The quantity, when it is words.', resolve: (item) => (typeof item.value === 'string' ? item.value : null) }),
  }),
});

/** The record's entries as items, in its key order. */
export function evidenceItems(evidence: Evidence): EvidenceItem[] {
  return Object.entries(evidence).map(([name, value]) => ({ name, value }));
}
