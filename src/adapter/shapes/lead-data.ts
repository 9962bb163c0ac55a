// The specification's LeadData (snake_case, human enum labels) ↔ GraphQL's LeadInput.
// Only vocabulary is checked here; the domain rules (id format, email, phone)
// are GraphQL's, reported back under the caller's field names by `leadDataPath`.
import { z } from 'zod';
import { safeText } from '../../domain/input-rules.js';
import { CONSENT_DESCRIPTION } from '../../domain/lead.js';
import { COMPANY_SIZE_LABELS, INDUSTRY_LABELS, PERSONA_LABELS } from '../../domain/labels.js';
import type { LeadInput } from '../__generated__/operations.js';
import { orNull } from './fields.js';
import { snakeCase } from './issue-paths.js';
import { named } from './named-shapes.js';
import { labelled } from './params.js';

/** Optional; null clears the stored value. `meta`: more JSON Schema for the string (format, examples). */
const optionalText = (description: string, meta: z.core.JSONSchemaMeta = {}) =>
  orNull(safeText(undefined, z.string({ error: 'must be a string' })).meta(meta), description).optional();

export const leadDataSchema = named(
  'LeadData',
  z.object(
    {
      lead_id: safeText(undefined, z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })).meta({
        description: 'Your id for the lead; storing is idempotent by it.',
        examples: ['lead-001'],
      }),
      industry: labelled(INDUSTRY_LABELS),
      company_size: labelled(COMPANY_SIZE_LABELS),
      source: optionalText('Where the lead came from, e.g. organic or webinar; null clears it.', { examples: ['organic'] }),
      persona: labelled(PERSONA_LABELS).nullish().describe('Who the contact is; null clears it.'),
      email: optionalText('The contact address; null clears it.', { format: 'email' }),
      phone: optionalText('7 to 15 digits, e.g. +1 415 555 0100; null clears it.'),
      campaign_id: optionalText('Baton extension: the campaign the lead came from (it must exist); engagement then hands the campaign to optimization.'),
      consent: z.boolean({ error: 'must be true or false' }).optional().describe(CONSENT_DESCRIPTION),
    },
    { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object') },
  ),
);

export type LeadData = z.infer<typeof leadDataSchema>;

/** `{ "lead_data": LeadData }`: LeadProcessingRequest, and the params of agent/triage/lead. */
export const leadRequestSchema = named(
  'LeadProcessingRequest',
  z.object({ lead_data: leadDataSchema }, { error: 'must be a JSON object with a "lead_data" object' }),
);

/** Omitted fields stay omitted (the stored value is kept); nulls are passed on (the value is cleared). */
export function toLeadInput(data: LeadData): LeadInput {
  const input: LeadInput = { leadId: data.lead_id, industry: data.industry, companySize: data.company_size };
  if (data.source !== undefined) input.source = data.source;
  if (data.persona !== undefined) input.persona = data.persona;
  if (data.email !== undefined) input.email = data.email;
  if (data.phone !== undefined) input.phone = data.phone;
  if (data.campaign_id !== undefined) input.campaignId = data.campaign_id;
  if (data.consent !== undefined) input.consent = data.consent;
  return input;
}

/** `input.leadId` → `lead_data.lead_id`, `input.campaignId` → `lead_data.campaign_id`. */
export function leadDataPath(graphqlPath: string): string {
  return graphqlPath
    .split('.')
    .map((segment, index) => (index === 0 && segment === 'input' ? 'lead_data' : snakeCase(segment)))
    .join('.');
}
