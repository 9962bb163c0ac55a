// The Lead Triage agent's work on the database: what it reads before scoring a
// lead (the current model, the nearest past episodes of its market) and what it writes after
// (the verdict on the lead, its score history, the conversation it opens).
// Scoring itself is triageLead (triage.ts), pure.
import { randomUUID } from 'node:crypto';
import type { Lead, Prisma } from '../../db/generated/prisma/client.js';
import { leadColumns, leadInputOf, type LeadInput } from '../../domain/lead.js';
import { NotFoundError } from '../../errors.js';
import type { TriageModel } from '../../domain/triage-model.js';
import type { LeadProcessedEvent } from '../../events/event-bus.js';
import { type EpisodeStore, situationOf } from '../../memory/episodic/episode-store.js';
import type { LeadProfileStore } from '../../memory/long-term/lead-profile-store.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import { triageLead, type SimilarEpisodes, type TriageResult } from './triage.js';

export interface TriagedLead {
  lead: Lead;
  conversationId: string;
  triage: TriageResult;
}

/** What scoring a lead needs from outside its transaction. */
export interface ScoringInputs {
  model: TriageModel;
  evidence: SimilarEpisodes;
}

export interface TriageAgent {
  /** Read before the lead's transaction: neither depends on what it writes. */
  scoringInputs(lead: LeadInput): Promise<ScoringInputs>;
  /**
   * Scores each lead as stored and records its verdict, score history and
   * conversation, in `tx`: three statements however many leads. Each lead once.
   */
  triage(tx: Prisma.TransactionClient, leads: readonly { lead: LeadInput; inputs: ScoringInputs }[]): Promise<TriagedLead[]>;
}

export function createTriageAgent(deps: {
  /** The model triage scores with: the cold-start model until outcomes teach a better one. */
  triageModel: () => TriageModel | Promise<TriageModel>;
  /** What past leads like this one did; absent, triage relies on the model alone. */
  episodes?: Pick<EpisodeStore, 'conversionEvidence'>;
  /** Keeps each lead's score history. */
  profiles?: Pick<LeadProfileStore, 'appendScores'>;
  now?: () => Date;
}): TriageAgent {
  const now = deps.now ?? (() => new Date());
  return {
    async scoringInputs(lead) {
      // The model first: after a detected drift it says when the market began, and episodes before it are the old market's.
      const model = await deps.triageModel();
      const evidence = deps.episodes
        ? await deps.episodes.conversionEvidence(situationOf(lead), lead.leadId, model.marketSince ? new Date(model.marketSince) : undefined)
        : { considered: 0, converted: 0 };
      return { model, evidence };
    },

    async triage(tx, leads) {
      if (leads.length === 0) return [];
      const triagedAt = now();
      const results = leads.map(({ lead, inputs }) => triageLead(lead, inputs.model, inputs.evidence));
      const verdicts = results.map((result, index) => ({ id: leads[index]!.lead.leadId, ...result }));
      const stored = await tx.$queryRaw<Lead[]>`
        UPDATE "Lead" l SET
          "score" = v."score", "category" = v."category"::"TriageCategory", "confidence" = v."confidence", "reasoning" = v."reasoning",
          "factors" = v."factors", "assignedAgent" = v."assignedAgent", "modelVersion" = v."modelVersion",
          "triagedAt" = ${triagedAt}, "updatedAt" = ${triagedAt}
        FROM json_to_recordset(${JSON.stringify(verdicts)}::json)
             AS v("id" text, "score" int, "category" text, "confidence" float8, "reasoning" text, "factors" jsonb, "assignedAgent" text, "modelVersion" text)
        WHERE l."id" = v."id"
        RETURNING l.*`;
      const conversations = await tx.$queryRaw<{ id: string; leadId: string }[]>`
        INSERT INTO "Conversation" ("id", "leadId", "createdAt", "updatedAt")
        SELECT c."id", c."leadId", ${triagedAt}, ${triagedAt}
        FROM json_to_recordset(${JSON.stringify(leads.map(({ lead }) => ({ id: randomUUID(), leadId: lead.leadId })))}::json) AS c("id" uuid, "leadId" text)
        ON CONFLICT ("leadId") DO UPDATE SET "updatedAt" = EXCLUDED."updatedAt"
        RETURNING "id", "leadId"`;
      await deps.profiles?.appendScores(
        tx,
        leads.map(({ lead, inputs }, index) => ({
          leadId: lead.leadId,
          entry: { score: results[index]!.score, modelVersion: inputs.model.version, at: triagedAt.toISOString() },
        })),
      );
      const leadById = new Map(stored.map((lead) => [lead.id, lead]));
      const conversationByLead = new Map(conversations.map((conversation) => [conversation.leadId, conversation.id]));
      return leads.map(({ lead }, index) => {
        const row = leadById.get(lead.leadId);
        if (!row) throw new NotFoundError('Lead', lead.leadId);
        return { lead: row, conversationId: conversationByLead.get(lead.leadId)!, triage: results[index]! };
      });
    },
  };
}

/**
 * Stores submitted leads (each once), in one statement: a field a caller omits
 * keeps its stored value; an explicit null clears it. Email and phone are stored
 * sealed, the email's blind index beside it. Returns the leads as the agents now
 * take them (opened), in the given order.
 */
export async function storeLeads(tx: Prisma.TransactionClient, inputs: readonly LeadInput[], cipher: PersonalDataCipher): Promise<LeadInput[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map((input) => ({
    ...leadColumns(input),
    ...sealedContact(input, cipher),
    id: input.leadId,
    given: OPTIONAL_FIELDS.filter((field) => input[field] !== undefined),
  }));
  // The merge happens in the upsert: ON CONFLICT sees only EXCLUDED, so it looks up which fields the caller gave.
  const stored = await tx.$queryRaw<Lead[]>`
    WITH input AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS i("id" text, "industry" text, "companySize" text, "source" text, "persona" text, "email" text, "emailIndex" text, "phone" text, "campaignId" text, "given" text[]))
    INSERT INTO "Lead" ("id", "industry", "companySize", "source", "persona", "email", "emailIndex", "phone", "campaignId", "updatedAt")
    SELECT "id", "industry"::"Industry", "companySize"::"CompanySize", "source", "persona"::"Persona", "email", "emailIndex", "phone", "campaignId", now() FROM input
    ON CONFLICT ("id") DO UPDATE SET
      "industry" = EXCLUDED."industry",
      "companySize" = EXCLUDED."companySize",
      "source" = CASE WHEN (SELECT 'source' = ANY("given") FROM input WHERE input."id" = EXCLUDED."id") THEN EXCLUDED."source" ELSE "Lead"."source" END,
      "persona" = CASE WHEN (SELECT 'persona' = ANY("given") FROM input WHERE input."id" = EXCLUDED."id") THEN EXCLUDED."persona" ELSE "Lead"."persona" END,
      "email" = CASE WHEN (SELECT 'email' = ANY("given") FROM input WHERE input."id" = EXCLUDED."id") THEN EXCLUDED."email" ELSE "Lead"."email" END,
      "emailIndex" = CASE WHEN (SELECT 'email' = ANY("given") FROM input WHERE input."id" = EXCLUDED."id") THEN EXCLUDED."emailIndex" ELSE "Lead"."emailIndex" END,
      "phone" = CASE WHEN (SELECT 'phone' = ANY("given") FROM input WHERE input."id" = EXCLUDED."id") THEN EXCLUDED."phone" ELSE "Lead"."phone" END,
      "campaignId" = CASE WHEN (SELECT 'campaignId' = ANY("given") FROM input WHERE input."id" = EXCLUDED."id") THEN EXCLUDED."campaignId" ELSE "Lead"."campaignId" END,
      "updatedAt" = now()
    RETURNING *`;
  const byId = new Map(stored.map((lead) => [lead.id, leadInputOf(lead, cipher)]));
  return inputs.map((input) => byId.get(input.leadId)!);
}

/** A lead's contact columns as stored: email and phone sealed, the email's keyed blind index beside it for lookups. */
export function sealedContact(
  lead: Pick<LeadInput, 'email' | 'phone'>,
  cipher: Pick<PersonalDataCipher, 'sealOptional' | 'blindIndex'>,
): { email: string | null; emailIndex: string | null; phone: string | null } {
  const email = lead.email ?? null;
  return { email: cipher.sealOptional(email), emailIndex: email === null ? null : cipher.blindIndex(email), phone: cipher.sealOptional(lead.phone ?? null) };
}

/** The fields a caller may omit (keeping the stored value) or clear with null. */
export const OPTIONAL_FIELDS = ['source', 'persona', 'email', 'phone', 'campaignId'] as const satisfies readonly (keyof LeadInput)[];

export function leadProcessedEvent({ lead, triage }: TriagedLead, processedAt: Date): LeadProcessedEvent {
  return { leadId: lead.id, score: triage.score, category: triage.category, processedAt: processedAt.toISOString() };
}
