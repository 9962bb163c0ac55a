// One feature of a lead and how much it moved the triage score: on a stored Lead
// and on a fresh TriageResult alike.
import type { TriageFactor } from '../agents/triage/triage.js';
import { builder } from './builder.js';

export const TriageFactorRef = builder.objectRef<TriageFactor>('TriageFactor').implement({
  description: 'One feature of the lead and how much it moved the score (log-odds).',
  fields: (t) => ({
    feature: t.exposeString('feature'),
    value: t.exposeString('value', { nullable: true, description: 'What the lead gave; null when it gave nothing.' }),
    contribution: t.exposeFloat('contribution'),
  }),
});
