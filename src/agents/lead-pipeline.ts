// The primary lead flow of the specification: Triage scores and routes the lead
// and hands it to Engagement through the orchestrator (context packet, quality
// gate, enrichment from memory); Engagement plans the outreach and sends the
// first touchpoint; for a campaign's lead, Engagement hands the campaign to
// Optimization, which escalates to a manager when a KPI breaches its threshold.
// Everything one lead writes commits in one transaction; handoff events are
// published after the commit, so no subscriber sees a state that was rolled back.
import type { Campaign, Handoff, HandoffEvent, Lead, Prisma, PrismaClient } from '../db/generated/prisma/client.js';
import { InputError } from '../errors.js';
import type { BatonPubSub } from '../events/event-bus.js';
import type { EpisodeStore } from '../memory/episodic/episode-store.js';
import type { LeadProfileStore } from '../memory/long-term/lead-profile-store.js';
import type { ShortTermMemory } from '../memory/short-term/short-term-memory.js';
import { OPTIMIZATION_AGENT, TRIAGE_AGENT } from '../domain/agent-ids.js';
import { createEngagementAgent, type EngagementAgent, type EngagementOutcome, type PreparedEngagement } from './engagement/engagement-agent.js';
import { EMPTY_KNOWLEDGE_BASE } from './engagement/knowledge.js';
import { buildTriageHandoffContext, type HandoffContext } from './handoff/handoff-context.js';
import { createHandoffOrchestrator, publishHandoffs, type HandoffOrchestrator, type RecordedHandoff } from './handoff/handoff-orchestrator.js';
import { ENGAGEMENT_REQUIREMENTS, OPTIMIZATION_REQUIREMENTS } from './handoff/handoff-quality.js';
import { memoryEnrichment } from './handoff/memory-enrichment.js';
import { leadColumns, leadInputOf, type LeadInput } from '../domain/lead.js';
import { campaignAlerts, reviewCampaign, type CampaignReview } from './optimization/campaign-review.js';
import type { OptimizationAgent } from './optimization/optimization-agent.js';
import { triageLead, type SimilarEpisodes, type TriageResult } from './triage/triage.js';
import { normalizeSource, type TriageModel } from '../domain/triage-model.js';

export interface LeadPipelineDependencies {
  prisma: PrismaClient;
  pubsub: BatonPubSub;
  /** The model triage scores with: the cold-start model until outcomes teach a better one. */
  triageModel: () => TriageModel | Promise<TriageModel>;
  /** What past leads like this one did; absent, triage relies on the model alone. */
  episodes?: Pick<EpisodeStore, 'conversionEvidence'>;
  /** Keeps each lead's score history. */
  profiles?: Pick<LeadProfileStore, 'appendScore'>;
  /** Where the conversation's working context is left for the next agent, and enrichment looks. */
  shortTerm?: Pick<ShortTermMemory, 'store' | 'retrieve'>;
  /** Plans and executes the engagement; absent, one without a knowledge base (cold-start priors, playbook copy). */
  engagement?: EngagementAgent;
  /** Reviews the campaign of a campaign's lead; absent, the flow ends with engagement. */
  optimization?: OptimizationAgent;
  orchestrator?: HandoffOrchestrator;
  now?: () => Date;
}

/** An engagement that executed: its first touchpoint was recorded as `touchpointId`. */
export type ExecutedEngagement = Omit<EngagementOutcome, 'firstTouchpoint'> & {
  firstTouchpoint: NonNullable<EngagementOutcome['firstTouchpoint']>;
  touchpointId: string;
};

export interface TriagedLead {
  lead: Lead;
  conversationId: string;
  triage: TriageResult;
}

export interface ProcessedLead extends TriagedLead {
  /** True when the handoff to engagement passed its quality gate and engagement ran. */
  success: boolean;
  /** Triage → engagement. */
  handoff: Handoff & { events: HandoffEvent[] };
  /** Null when the handoff did not execute or engagement was blocked (consent, do not contact: see the handoff's events). */
  engagement: ExecutedEngagement | null;
  /** Engagement → optimization, for a campaign's lead. */
  optimizationHandoff: RecordedHandoff | null;
  review: CampaignReview | null;
  /** Manager escalations the flow raised (low context quality, a loop, a KPI breach). */
  escalations: RecordedHandoff[];
  processingTimeMs: number;
}

export interface LeadPipeline {
  /** Triage only: score, classify, assign and remember the lead. */
  triage(input: LeadInput): Promise<TriagedLead>;
  /** The whole flow: triage, engagement (first touchpoint), and for a campaign's lead the optimization review. */
  process(input: LeadInput): Promise<ProcessedLead>;
}

/** Waiting for a pooled connection under load is normal; give it time before failing. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

export function createLeadPipeline(deps: LeadPipelineDependencies): LeadPipeline {
  const now = deps.now ?? (() => new Date());
  const engagement = deps.engagement ?? createEngagementAgent({ prisma: deps.prisma, semantic: EMPTY_KNOWLEDGE_BASE, now });
  const orchestrator = deps.orchestrator ?? createHandoffOrchestrator({ now });

  /** Scores with the current model and the lead's nearest episodes, then stores lead, conversation and score history. */
  async function triageAndStore(tx: Prisma.TransactionClient, input: LeadInput, model: TriageModel, evidence: SimilarEpisodes): Promise<TriagedLead> {
    const triagedAt = now();
    const existing = await tx.lead.findUnique({ where: { id: input.leadId } });
    const lead = mergeLead(existing, input);
    const triaged = await storeTriage(tx, lead, triageLead(lead, model, evidence), triagedAt);
    await deps.profiles?.appendScore(tx, lead.leadId, {
      score: triaged.triage.score,
      modelVersion: model.version,
      at: triagedAt.toISOString(),
    });
    return triaged;
  }

  /** Read before the transaction: neither depends on what the transaction writes. */
  async function scoringInputs(input: LeadInput): Promise<[TriageModel, SimilarEpisodes]> {
    return Promise.all([
      deps.triageModel(),
      deps.episodes
        ? deps.episodes.conversionEvidence(
            {
              industry: input.industry,
              companySize: input.companySize,
              persona: input.persona ?? null,
              source: input.source ? normalizeSource(input.source) : null,
            },
            input.leadId,
          )
        : { considered: 0, converted: 0 },
    ]);
  }

  async function triage(input: LeadInput): Promise<TriagedLead> {
    const [[model, evidence]] = await Promise.all([scoringInputs(input), campaignOf(input)]);
    const triaged = await deps.prisma.$transaction((tx) => triageAndStore(tx, input, model, evidence), TRANSACTION_OPTIONS);
    await deps.pubsub.publish('lead:processed', leadProcessedEvent(triaged, now()));
    return triaged;
  }

  async function process(input: LeadInput): Promise<ProcessedLead> {
    const started = performance.now();
    // Reads that do not depend on this lead's writes happen before its transaction.
    const [[model, evidence], prepared, campaign] = await Promise.all([scoringInputs(input), engagement.prepare(input), campaignOf(input)]);
    const processed = await deps.prisma.$transaction(async (tx) => {
      const triaged = await triageAndStore(tx, input, model, evidence);
      return { ...triaged, ...(await handOff(tx, triaged, prepared, campaign)) };
    }, TRANSACTION_OPTIONS);
    orchestrator.committed([processed.handoff, processed.optimizationHandoff, ...processed.escalations]);
    await deps.shortTerm?.store(processed.conversationId, {
      leadId: processed.lead.id,
      activeIntent: processed.engagement ? 'nurture' : 'triage_review',
      lastAgent: processed.engagement?.agent ?? TRIAGE_AGENT,
      pendingActions: processed.engagement?.nextActions.map((action) => action.action) ?? [],
    });
    await publishHandoffs(deps.pubsub, [processed.handoff, processed.optimizationHandoff, ...processed.escalations]);
    for (const alert of processed.review ? campaignAlerts(processed.review) : []) await deps.pubsub.publish('campaign:alert', alert);
    await deps.pubsub.publish('lead:processed', leadProcessedEvent(processed, now()));
    return { ...processed, success: processed.handoff.status === 'COMPLETED', processingTimeMs: Math.round(performance.now() - started) };
  }

  /** A lead may name its campaign; an unknown one is the caller's mistake, caught before anything is written. */
  async function campaignOf(input: LeadInput): Promise<Campaign | null> {
    // Omitted keeps the stored campaign; null leaves it (see mergeLead).
    const campaignId =
      input.campaignId !== undefined
        ? input.campaignId
        : (await deps.prisma.lead.findUnique({ where: { id: input.leadId }, select: { campaignId: true } }))?.campaignId;
    if (!campaignId) return null;
    const campaign = await deps.prisma.campaign.findUnique({ where: { id: campaignId } });
    if (!campaign) throw new InputError([{ path: 'input.campaignId', message: `no campaign ${campaignId}: create it first` }]);
    return campaign;
  }

  async function handOff(
    tx: Prisma.TransactionClient,
    { lead, conversationId, triage }: TriagedLead,
    prepared: PreparedEngagement,
    campaign: Campaign | null,
  ): Promise<Omit<ProcessedLead, keyof TriagedLead | 'success' | 'processingTimeMs'>> {
    const leadInput = leadInputOf(lead);
    const context: HandoffContext = {
      ...buildTriageHandoffContext(leadInput, conversationId, triage, lead.triagedAt ?? now(), now()),
      campaign: campaign ? { campaignId: campaign.id, name: campaign.name, budgetUsd: campaign.budgetUsd } : null,
    };
    const toEngagement = await orchestrator.run(tx, {
      type: 'TRIAGE_TO_ENGAGEMENT',
      trigger: 'TASK_COMPLETION',
      fromAgent: TRIAGE_AGENT,
      toAgent: triage.assignedAgent,
      leadId: lead.id,
      campaignId: campaign?.id ?? null,
      conversationId,
      context,
      requirements: ENGAGEMENT_REQUIREMENTS,
      enrich: memoryEnrichment(tx, deps.shortTerm),
      // A qualified lead is worth a manager's look; the rest fail with the reason.
      onLowQuality: triage.category === 'CAMPAIGN_QUALIFIED' ? 'ESCALATE' : 'FAIL',
      continuation: 'engagement',
      execute: async () => {
        const outcome = await engagement.engage(tx, prepared, { lead: leadInput, conversationId, triage, agent: triage.assignedAgent });
        const first = outcome.firstTouchpoint;
        if (outcome.status !== 'EXECUTED' || !first) return { outcome: 'COMPLETED', detail: `No outreach: ${outcome.reason}`, result: null };
        const executed: ExecutedEngagement = { ...outcome, firstTouchpoint: first, touchpointId: first.touchpointId };
        return {
          outcome: 'COMPLETED',
          detail: `First touchpoint: ${first.channel} "${first.template}"; ${outcome.nextActions.length} follow-ups queued`,
          result: executed,
        };
      },
    });
    const escalations = toEngagement.escalation ? [toEngagement.escalation] : [];
    if (!toEngagement.result || !campaign || !deps.optimization) {
      return { handoff: toEngagement.handoff, engagement: toEngagement.result, optimizationHandoff: null, review: null, escalations };
    }

    const optimization = deps.optimization;
    const toOptimization = await orchestrator.run(tx, {
      type: 'ENGAGEMENT_TO_OPTIMIZATION',
      trigger: 'TASK_COMPLETION',
      fromAgent: triage.assignedAgent,
      toAgent: OPTIMIZATION_AGENT,
      leadId: lead.id,
      campaignId: campaign.id,
      conversationId,
      parentId: toEngagement.handoff.id,
      context: { ...(toEngagement.handoff.context as unknown as HandoffContext), conversation: { conversationId, lastAgent: triage.assignedAgent } },
      requirements: OPTIMIZATION_REQUIREMENTS,
      onLowQuality: 'FAIL',
      continuation: 'optimization',
      execute: async (packet, handoffId) => {
        const review = await reviewCampaign(
          tx,
          { optimization, orchestrator },
          {
            campaignId: campaign.id,
            leadId: lead.id,
            conversationId,
            parentId: handoffId,
            context: packet,
          },
        );
        const verdict = review.escalation
          ? `escalated to a manager: ${review.escalation.failureReason ?? 'KPI breach'}`
          : `${review.analysis.recommendations.length} recommendations`;
        return { outcome: 'COMPLETED', detail: `Reviewed campaign ${campaign.id}: ${verdict}`, result: review };
      },
    });
    if (toOptimization.result?.escalation) escalations.push(toOptimization.result.escalation);
    if (toOptimization.escalation) escalations.push(toOptimization.escalation);
    return {
      handoff: toEngagement.handoff,
      engagement: toEngagement.result,
      optimizationHandoff: toOptimization.handoff,
      review: toOptimization.result,
      escalations,
    };
  }

  return { triage, process };
}

async function storeTriage(tx: Prisma.TransactionClient, lead: LeadInput, result: TriageResult, triagedAt: Date): Promise<TriagedLead> {
  const triageFields = {
    score: result.score,
    category: result.category,
    confidence: result.confidence,
    reasoning: result.reasoning,
    factors: result.factors as unknown as Prisma.InputJsonValue,
    assignedAgent: result.assignedAgent,
    modelVersion: result.modelVersion,
    triagedAt,
  };
  const attributes = leadColumns(lead);
  const stored = await tx.lead.upsert({
    where: { id: lead.leadId },
    create: { id: lead.leadId, ...attributes, ...triageFields },
    update: { ...attributes, ...triageFields },
  });
  // A non-empty update lets Prisma use one INSERT … ON CONFLICT instead of SELECT, INSERT, SELECT.
  const conversation = await tx.conversation.upsert({
    where: { leadId: lead.leadId },
    create: { leadId: lead.leadId, updatedAt: triagedAt },
    update: { updatedAt: triagedAt },
    select: { id: true },
  });
  return { lead: stored, conversationId: conversation.id, triage: result };
}

/**
 * Re-submitting a lead updates it: a field the caller omits keeps its stored
 * value; an explicit null clears it.
 */
function mergeLead(existing: Lead | null, input: LeadInput): LeadInput {
  const keep = <T>(given: T | undefined, stored: T | null | undefined): T | null => (given === undefined ? (stored ?? null) : given);
  return {
    leadId: input.leadId,
    industry: input.industry,
    companySize: input.companySize,
    source: keep(input.source, existing?.source),
    persona: keep(input.persona, existing?.persona),
    email: keep(input.email, existing?.email),
    phone: keep(input.phone, existing?.phone),
    campaignId: keep(input.campaignId, existing?.campaignId),
  };
}

function leadProcessedEvent({ lead, triage }: TriagedLead, processedAt: Date) {
  return { leadId: lead.id, score: triage.score, category: triage.category, processedAt: processedAt.toISOString() };
}
