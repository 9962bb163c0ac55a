// Leads the dashboard tests share, processed through the API.
import { expect } from 'vitest';
import { ProcessLeadForTestDocument } from '../__generated__/graphql.js';
import { uniqueLeadId, type TestApp } from './test-app.js';

/**
 * One lead of each triage category, scoring 86, 65 and 17 on the cold-start model,
 * all with `source` (an unknown source, worth 0), so a test can filter other files' leads out.
 */
export async function processOneLeadPerCategory(baton: TestApp, source: string): Promise<void> {
  const leads = [
    { industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', email: 'a@acme.com' },
    { industry: 'TECHNOLOGY', companySize: 'ENTERPRISE' },
    { industry: 'MANUFACTURING', companySize: 'STARTUP', persona: 'END_USER' },
  ] as const;
  for (const lead of leads) {
    const { body } = await baton.graphql(ProcessLeadForTestDocument, { input: { leadId: uniqueLeadId(), source, ...lead } });
    expect(body.errors).toBeUndefined();
  }
}
