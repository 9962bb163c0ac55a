// memory/store/long-term and the MCP tool store_lead_profile:
// `{ lead_id, profile: { attributes?, consent?, do_not_contact? } }` → LeadProfile,
// one GraphQL operation (MemoryStoreLongTerm.graphql). Creates the profile on
// first write; an unknown lead is NOT_FOUND.
import { z } from 'zod';
import { MemoryStoreLongTermDocument, type LeadProfileInput } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { IDEMPOTENT_WRITE } from '../door-bindings.js';
import { payload } from '../operation-payload.js';
import { jsonObjectInput } from '../shapes/fields.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { leadProfileSchema, toLeadProfile } from '../shapes/lead-profile.js';
import { expected, strictParams, text } from '../shapes/params.js';

/** What to write. Omitted fields keep their stored value; attributes merge key by key (an attribute set to null is removed). */
const profileData = strictParams({
  attributes: jsonObjectInput().optional().describe("Facts about the lead, the caller's own keys."),
  consent: z.boolean(expected('true or false')).optional().describe('False withdraws consent to be contacted.'),
  do_not_contact: z.boolean(expected('true or false')).optional(),
});

export const memoryStoreLongTerm = defineAdapterOperation({
  description:
    "Writes a lead's long-term profile: attributes (merged key by key; null removes one), consent and do-not-contact. Creates the profile on first write; an unknown lead is not found.",
  jsonRpc: { method: 'memory/store/long-term' },
  mcp: { name: 'store_lead_profile', title: "Write a lead's profile (long-term memory)", annotations: IDEMPOTENT_WRITE },
  input: strictParams({ lead_id: text().describe('A lead Baton knows.'), profile: profileData }),
  document: MemoryStoreLongTermDocument,
  toVariables: ({ lead_id, profile: { attributes, consent, do_not_contact: doNotContact } }) => {
    const input: LeadProfileInput = {};
    if (attributes !== undefined) input.attributes = attributes;
    if (consent !== undefined) input.consent = consent;
    if (doNotContact !== undefined) input.doNotContact = doNotContact;
    return { leadId: lead_id, input };
  },
  output: leadProfileSchema,
  toOutput: (data) => toLeadProfile(payload(data.storeLeadProfile, 'LeadProfile')),
  issuePath: issuePaths({
    leadId: 'lead_id',
    input: 'profile',
    'input.attributes': 'profile.attributes',
    'input.consent': 'profile.consent',
    'input.doNotContact': 'profile.do_not_contact',
  }),
});
