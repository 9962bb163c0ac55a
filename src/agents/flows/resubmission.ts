// A lead sent again is not new work. The same lead with the same data, within
// RESUBMISSION_WINDOW_SECONDS of its latest flow, is a re-submission: the caller
// gets that flow back, and nothing runs twice (no second triage, no second
// touchpoint, no escalation). Later, or with changed data, it is a re-engagement:
// a new flow, which triages the lead as it now stands and may reach out again.
// A latest flow that FAILED is never repeated: sending the lead again tries anew.
//
// "The same data" is the lead as it would be stored after this submission (a field
// left out keeps its stored value, as storeLeads merges it), so leaving out what
// was sent before is still the same lead. The stored email and phone are sealed:
// opened to merge, and the digest takes their keyed blind index, never the
// plaintext (an unkeyed hash of an address is a lookup table away from it).
import { createHash } from 'node:crypto';
import type { Prisma } from '../../db/generated/prisma/client.js';
import { leadColumns, type LeadInput } from '../../domain/lead.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import { OPTIONAL_FIELDS } from '../triage/triage-agent.js';

export interface Resubmission {
  /** The digest of the lead's data as this submission leaves it: stored on a new flow. */
  digest: string;
  /** The flow this submission repeats, when it is a re-submission; null: a new flow. */
  earlierFlowId: string | null;
}

/**
 * For each lead (one submission per lead), whether it repeats its latest flow.
 * Takes a transaction-long lock per lead first, so two submissions of one lead
 * in concurrent transactions (two replicas) cannot both start a flow: the second
 * waits, then sees the first one's flow.
 */
export async function findResubmissions(
  tx: Prisma.TransactionClient,
  inputs: readonly LeadInput[],
  options: { now: Date; windowMs: number; cipher: PersonalDataCipher },
): Promise<Resubmission[]> {
  const leadIds = inputs.map(({ leadId }) => leadId);
  await tx.$queryRaw`
    SELECT pg_advisory_xact_lock(hashtextextended('lead-intake:' || "id", 0))::text
    FROM (SELECT DISTINCT "id" FROM unnest(${leadIds}::text[]) AS l("id") ORDER BY "id") AS sorted`;
  const stored = await tx.$queryRaw<StoredLead[]>`
    SELECT l."id", l."industry"::text, l."companySize"::text, l."source", l."persona"::text, l."email", l."phone", l."campaignId",
           f."id"::text AS "flowId", f."status"::text AS "flowStatus", f."submittedAt", f."inputDigest"
    FROM "Lead" l
    LEFT JOIN LATERAL (
      SELECT "id", "status", "submittedAt", "inputDigest" FROM "LeadFlow" WHERE "leadId" = l."id" ORDER BY "submittedAt" DESC LIMIT 1
    ) f ON true
    WHERE l."id" = ANY(${leadIds}::text[])`;
  const byId = new Map(stored.map((lead) => [lead.id, lead]));
  const since = options.now.getTime() - options.windowMs;
  return inputs.map((input) => {
    const stored = byId.get(input.leadId);
    const lead = stored && { ...stored, email: options.cipher.openOptional(stored.email), phone: options.cipher.openOptional(stored.phone) };
    const digest = digestOf(merged(input, lead), options.cipher);
    const repeats =
      options.windowMs > 0 &&
      lead?.flowId != null &&
      lead.inputDigest === digest &&
      lead.flowStatus !== 'FAILED' &&
      lead.submittedAt !== null &&
      lead.submittedAt.getTime() >= since;
    return { digest, earlierFlowId: repeats ? lead.flowId : null };
  });
}

interface StoredLead {
  id: string;
  industry: string;
  companySize: string;
  source: string | null;
  persona: string | null;
  email: string | null;
  phone: string | null;
  campaignId: string | null;
  flowId: string | null;
  flowStatus: string | null;
  submittedAt: Date | null;
  inputDigest: string | null;
}

/** The lead's columns as this submission leaves them. */
function merged(input: LeadInput, stored: StoredLead | undefined): Record<string, string | null> {
  const columns: Record<string, string | null> = { ...leadColumns(input) };
  for (const field of OPTIONAL_FIELDS) {
    if (input[field] === undefined) columns[field] = stored?.[field] ?? null;
  }
  return columns;
}

/** Stable over key order: the columns in a fixed order; email and phone by their keyed blind index. */
function digestOf(columns: Record<string, string | null>, cipher: Pick<PersonalDataCipher, 'blindIndex'>): string {
  const ordered = Object.keys(columns)
    .sort()
    .map((key) => {
      const value = columns[key] ?? null;
      return [key, value !== null && (key === 'email' || key === 'phone') ? cipher.blindIndex(value) : value];
    });
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}
