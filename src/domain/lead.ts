// A lead as the agents see it, and the domain rules for accepting one. Every
// front door validates through `leadInputSchema` (GraphQL directly; REST and
// MCP through the GraphQL operation they map to).
import { z } from 'zod';
import type { Lead } from '../db/generated/prisma/client.js';
import { CompanySize, Industry, Persona } from '../db/generated/prisma/enums.js';

export { CompanySize, Industry, Persona };

export interface LeadInput {
  leadId: string;
  industry: Industry;
  companySize: CompanySize;
  source?: string | null | undefined;
  persona?: Persona | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  /** The campaign the lead came from; engagement then hands the campaign to optimization. */
  campaignId?: string | null | undefined;
  /**
   * The person agreed anew to be contacted: needed to ingest an email that was erased
   * (src/privacy/erasure/tombstones.ts). Not stored with the lead.
   */
  consent?: boolean | null | undefined;
}

/** Ids travel in URLs, logs and Redis keys: keep them printable and bounded. */
const LEAD_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
/** Digits with the usual separators, optional leading +, "(415) 555-0100" too; 7 to 15 digits (E.164). */
const PHONE = /^\+?[0-9(][0-9 ().-]{5,30}$/;

export const leadInputSchema = z.object({
  leadId: z.string().regex(LEAD_ID, 'must be 1-128 characters: letters, digits and . _ : @ -, starting with a letter or digit'),
  industry: z.enum(Industry),
  companySize: z.enum(CompanySize),
  source: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').nullish(),
  persona: z.enum(Persona).nullish(),
  email: z.email('must be a valid email address').max(254).nullish(),
  phone: z
    .string()
    .refine((value) => PHONE.test(value) && countDigits(value) >= 7 && countDigits(value) <= 15, {
      message: 'must be a phone number of 7 to 15 digits, such as +1 415 555 0100',
    })
    .nullish(),
  campaignId: z.string().regex(LEAD_ID, 'must be a campaign id: 1-128 letters, digits and . _ : @ -').nullish(),
  consent: z.boolean().nullish(),
});

/** The consent field, one description for every door (GraphQL `LeadInput.consent`, the wire's `lead_data.consent`). */
export const CONSENT_DESCRIPTION =
  'The person agreed anew to be contacted. Needed only to ingest an email whose person was erased (eraseLead): without it such a lead is refused (CONFLICT, 409) and nothing is stored; with it the erasure tombstone is lifted and the lead ingested. Not stored with the lead.';

function countDigits(value: string): number {
  return value.replace(/\D/g, '').length;
}

/** What opens a sealed column (src/privacy/personal-data-cipher.ts; base modules name no Baton module). */
export interface SealedValueOpener {
  openOptional(value: string | null): string | null;
}

/** A stored lead as the agents take it: its email and phone opened (they are stored sealed). */
export function leadInputOf(lead: Lead, cipher: SealedValueOpener): LeadInput {
  const { id, industry, companySize, source, persona, email, phone, campaignId } = lead;
  return { leadId: id, industry, companySize, source, persona, email: cipher.openOptional(email), phone: cipher.openOptional(phone), campaignId };
}

/** A lead's own columns as stored (everything but its id and triage verdict); absent fields are null. */
export function leadColumns(lead: LeadInput) {
  return {
    industry: lead.industry,
    companySize: lead.companySize,
    source: lead.source ?? null,
    persona: lead.persona ?? null,
    email: lead.email ?? null,
    phone: lead.phone ?? null,
    campaignId: lead.campaignId ?? null,
  };
}
