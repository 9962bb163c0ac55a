// The Lead Triage agent's work on the database: what it reads before scoring a
// lead (the current model, the nearest past episodes) and what it writes after
// (the verdict on the lead, its score history, the conversation it opens).
// Scoring itself is triageLead (triage.ts), pure.
import type { Lead, Prisma } from '../../db/generated/prisma/client.js';
import { leadInputOf, type LeadInput } from '../../domain/lead.js';
import { normalizeSource, type TriageModel } from '../../domain/triage-model.js';
import type { LeadProcessedEvent } from '../../events/event-bus.js';
import type { EpisodeStore } from '../../memory/episodic/episode-store.js';
import type { LeadProfileStore } from '../../memory/long-term/lead-profile-store.js';
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
  /** Scores the lead as stored and records the verdict, its score history and its conversation, in `tx`. */
  triage(tx: Prisma.TransactionClient, lead: LeadInput, inputs: ScoringInputs): Promise<TriagedLead>;
}

export function createTriageAgent(deps: {
  /** The model triage scores with: the cold-start model until outcomes teach a better one. */
  triageModel: () => TriageModel | Promise<TriageModel>;
  /** What past leads like this one did; absent, triage relies on the model alone. */
  episodes?: Pick<EpisodeStore, 'conversionEvidence'>;
  /** Keeps each lead's score history. */
  profiles?: Pick<LeadProfileStore, 'appendScore'>;
  now?: () => Date;
}): TriageAgent {
  const now = deps.now ?? (() => new Date());
  return {
    async scoringInputs(lead) {
      const [model, evidence] = await Promise.all([
        deps.triageModel(),
        deps.episodes
          ? deps.episodes.conversionEvidence(
              {
                industry: lead.industry,
                companySize: lead.companySize,
                persona: lead.persona ?? null,
                source: lead.source ? normalizeSource(lead.source) : null,
              },
              lead.leadId,
            )
          : { considered: 0, converted: 0 },
      ]);
      return { model, evidence };
    },

    async triage(tx, lead, { model, evidence }) {
      const triagedAt = now();
      const result = triageLead(lead, model, evidence);
      const stored = await tx.lead.update({
        where: { id: lead.leadId },
        data: {
          score: result.score,
          category: result.category,
          confidence: result.confidence,
          reasoning: result.reasoning,
          factors: result.factors as unknown as Prisma.InputJsonValue,
          assignedAgent: result.assignedAgent,
          modelVersion: result.modelVersion,
          triagedAt,
        },
      });
      // A non-empty update lets Prisma use one INSERT … ON CONFLICT instead of SELECT, INSERT, SELECT.
      const conversation = await tx.conversation.upsert({
        where: { leadId: lead.leadId },
        create: { leadId: lead.leadId, updatedAt: triagedAt },
        update: { updatedAt: triagedAt },
        select: { id: true },
      });
      await deps.profiles?.appendScore(tx, lead.leadId, { score: result.score, modelVersion: model.version, at: triagedAt.toISOString() });
      return { lead: stored, conversationId: conversation.id, triage: result };
    },
  };
}

/**
 * Stores a submitted lead: a field the caller omits keeps its stored value; an
 * explicit null clears it. Returns the lead as the agents now take it. One
 * statement: the merge happens in the upsert itself.
 */
export async function storeLead(tx: Prisma.TransactionClient, input: LeadInput): Promise<LeadInput> {
  const given = (field: keyof LeadInput) => input[field] !== undefined;
  const [stored] = await tx.$queryRaw<Lead[]>`
    INSERT INTO "Lead" ("id", "industry", "companySize", "source", "persona", "email", "phone", "campaignId", "updatedAt")
    VALUES (${input.leadId}, ${input.industry}::"Industry", ${input.companySize}::"CompanySize", ${input.source ?? null},
            ${input.persona ?? null}::"Persona", ${input.email ?? null}, ${input.phone ?? null}, ${input.campaignId ?? null}, now())
    ON CONFLICT ("id") DO UPDATE SET
      "industry" = EXCLUDED."industry",
      "companySize" = EXCLUDED."companySize",
      "source" = CASE WHEN ${given('source')} THEN EXCLUDED."source" ELSE "Lead"."source" END,
      "persona" = CASE WHEN ${given('persona')} THEN EXCLUDED."persona" ELSE "Lead"."persona" END,
      "email" = CASE WHEN ${given('email')} THEN EXCLUDED."email" ELSE "Lead"."email" END,
      "phone" = CASE WHEN ${given('phone')} THEN EXCLUDED."phone" ELSE "Lead"."phone" END,
      "campaignId" = CASE WHEN ${given('campaignId')} THEN EXCLUDED."campaignId" ELSE "Lead"."campaignId" END,
      "updatedAt" = now()
    RETURNING *`;
  return leadInputOf(stored!);
}

export function leadProcessedEvent({ lead, triage }: TriagedLead, processedAt: Date): LeadProcessedEvent {
  return { leadId: lead.id, score: triage.score, category: triage.category, processedAt: processedAt.toISOString() };
}
