// The primary lead flow of the specification: Triage scores and routes the lead,
// hands it to Engagement with a context packet whose quality is gated, and
// Engagement records the first touchpoint. Everything one lead writes commits
// in one transaction; handoff events are published after the commit, so no
// subscriber ever sees a state that was rolled back.
import { randomUUID } from 'node:crypto';
import type { HandoffStatus } from '../db/generated/prisma/enums.js';
import type { Handoff, HandoffEvent, Lead, Prisma, PrismaClient } from '../db/generated/prisma/client.js';
import type { BatonPubSub } from '../events/event-bus.js';
import { handoffProgressEvent } from '../events/handoff-progress.js';
import { TRIAGE_AGENT } from './agent-ids.js';
import { planEngagement, type EngagementPlan } from './engagement.js';
import { buildTriageHandoffContext } from './handoff/handoff-context.js';
import { ENGAGEMENT_REQUIREMENTS, HANDOFF_QUALITY_THRESHOLD, scoreHandoffContext } from './handoff/handoff-quality.js';
import type { LeadInput } from './lead.js';
import { triageLead, type SimilarEpisodes, type TriageResult } from './triage.js';
import { normalizeSource, type TriageModel } from './triage-model.js';
import type { EpisodeStore } from '../memory/episodic/episode-store.js';
import type { LeadProfileStore } from '../memory/long-term/lead-profile-store.js';
import type { ShortTermMemory } from '../memory/short-term/short-term-memory.js';

export interface LeadPipelineDependencies {
  prisma: PrismaClient;
  pubsub: BatonPubSub;
  /** The model triage scores with: the cold-start model until outcomes teach a better one. */
  triageModel: () => TriageModel | Promise<TriageModel>;
  /** What past leads like this one did; absent, triage relies on the model alone. */
  episodes?: Pick<EpisodeStore, 'conversionEvidence'>;
  /** Keeps each lead's score history. */
  profiles?: Pick<LeadProfileStore, 'appendScore'>;
  /** Where the conversation's working context is left for the next agent. */
  shortTerm?: Pick<ShortTermMemory, 'store'>;
  now?: () => Date;
}

export interface TriagedLead {
  lead: Lead;
  conversationId: string;
  triage: TriageResult;
}

export interface ProcessedLead extends TriagedLead {
  /** True when the handoff passed its quality gate and engagement ran. */
  success: boolean;
  handoff: Handoff & { events: HandoffEvent[] };
  engagement: (EngagementPlan & { touchpointId: string }) | null;
  processingTimeMs: number;
}

export interface LeadPipeline {
  /** Triage only: score, classify, assign and remember the lead. */
  triage(input: LeadInput): Promise<TriagedLead>;
  /** The whole flow: triage, handoff to engagement, first touchpoint. */
  process(input: LeadInput): Promise<ProcessedLead>;
}

/** Waiting for a pooled connection under load is normal; give it time before failing. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

export function createLeadPipeline(deps: LeadPipelineDependencies): LeadPipeline {
  const now = deps.now ?? (() => new Date());

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
    const [model, evidence] = await scoringInputs(input);
    const triaged = await deps.prisma.$transaction((tx) => triageAndStore(tx, input, model, evidence), TRANSACTION_OPTIONS);
    await deps.pubsub.publish('lead:processed', leadProcessedEvent(triaged, now()));
    return triaged;
  }

  async function process(input: LeadInput): Promise<ProcessedLead> {
    const started = performance.now();
    const [model, evidence] = await scoringInputs(input);
    const processed = await deps.prisma.$transaction(async (tx) => {
      const triaged = await triageAndStore(tx, input, model, evidence);
      const { handoff, engagement } = await handOffToEngagement(tx, triaged, now, started);
      return { ...triaged, handoff, engagement };
    }, TRANSACTION_OPTIONS);
    await deps.shortTerm?.store(processed.conversationId, {
      leadId: processed.lead.id,
      activeIntent: processed.engagement ? 'nurture' : 'triage_review',
      lastAgent: processed.engagement?.agent ?? TRIAGE_AGENT,
      pendingActions: processed.engagement?.nextActions.map((action) => action.action) ?? [],
    });

    for (const event of processed.handoff.events) {
      await deps.pubsub.publish('handoff:progress', handoffProgressEvent(processed.handoff, event));
    }
    await deps.pubsub.publish('lead:processed', leadProcessedEvent(processed, now()));
    return {
      ...processed,
      success: processed.handoff.status === 'COMPLETED',
      processingTimeMs: Math.round(performance.now() - started),
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
  const attributes = {
    industry: lead.industry,
    companySize: lead.companySize,
    source: lead.source ?? null,
    persona: lead.persona ?? null,
    email: lead.email ?? null,
    phone: lead.phone ?? null,
  };
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
  };
}

function leadInputOf(lead: Lead): LeadInput {
  const { id, industry, companySize, source, persona, email, phone } = lead;
  return { leadId: id, industry, companySize, source, persona, email, phone };
}

async function handOffToEngagement(
  tx: Prisma.TransactionClient,
  { lead, conversationId, triage }: TriagedLead,
  now: () => Date,
  started: number,
): Promise<Pick<ProcessedLead, 'handoff' | 'engagement'>> {
  const events = new EventLog(now);
  const target = triage.assignedAgent;
  events.record('REQUESTED', `${TRIAGE_AGENT} → ${target}: triage complete (${triage.category}, score ${triage.score})`);

  const leadInput = leadInputOf(lead);
  const context = buildTriageHandoffContext(leadInput, conversationId, triage, lead.triagedAt ?? now(), now());
  events.record('CONTEXT_BUILT', 'Context packet: conversation, lead, triage verdict');

  const quality = scoreHandoffContext(context, ENGAGEMENT_REQUIREMENTS, now());
  const missing = quality.missing.length > 0 ? ` (incomplete: ${quality.missing.join(', ')})` : '';
  let engagement: ProcessedLead['engagement'] = null;
  let failureReason: string | null = null;

  if (quality.passed) {
    events.record('VALIDATED', `Quality ${quality.score.toFixed(2)} ≥ ${HANDOFF_QUALITY_THRESHOLD}${missing}`, quality.score);
    events.record('ACCEPTED', `${target} accepted the lead`);
    const plan = planEngagement(leadInput, triage, now());
    const touchpoint = await tx.interaction.create({
      data: {
        leadId: lead.id,
        conversationId,
        type: 'TOUCHPOINT_SENT',
        channel: plan.firstTouchpoint.channel,
        agent: plan.agent,
        template: plan.firstTouchpoint.template,
        subject: plan.firstTouchpoint.subject,
        body: plan.firstTouchpoint.body,
        occurredAt: plan.firstTouchpoint.sendAt,
      },
      select: { id: true },
    });
    engagement = { ...plan, touchpointId: touchpoint.id };
    events.record('COMPLETED', `First touchpoint: ${plan.firstTouchpoint.channel} "${plan.firstTouchpoint.template}"`);
  } else {
    failureReason = `Context quality ${quality.score.toFixed(2)} is below ${HANDOFF_QUALITY_THRESHOLD}${missing}`;
    events.record('FAILED', failureReason, quality.score);
  }

  // Rows are written without reading them back: ids are made here, and the
  // events are known. One INSERT each keeps the lead's transaction short.
  const handoff = await tx.handoff.create({
    data: {
      id: randomUUID(),
      leadId: lead.id,
      conversationId,
      type: 'TRIAGE_TO_ENGAGEMENT',
      trigger: 'TASK_COMPLETION',
      fromAgent: TRIAGE_AGENT,
      toAgent: target,
      status: events.last,
      qualityScore: quality.score,
      context: context as unknown as Prisma.InputJsonValue,
      failureReason,
      processingTimeMs: Math.round(performance.now() - started),
      completedAt: events.last === 'COMPLETED' ? now() : null,
    },
  });
  const handoffEvents = events.entries.map((entry) => ({ ...entry, id: randomUUID(), handoffId: handoff.id }));
  await tx.handoffEvent.createMany({ data: handoffEvents });
  return { handoff: { ...handoff, events: handoffEvents }, engagement };
}

/** The status history of one handoff, in the order it happened. */
class EventLog {
  readonly entries: { sequence: number; status: HandoffStatus; detail: string; qualityScore: number | null; occurredAt: Date }[] = [];
  constructor(private readonly now: () => Date) {}

  record(status: HandoffStatus, detail: string, qualityScore: number | null = null): void {
    this.entries.push({ sequence: this.entries.length + 1, status, detail, qualityScore, occurredAt: this.now() });
  }

  get last(): HandoffStatus {
    const last = this.entries.at(-1);
    if (!last) throw new Error('EventLog is empty');
    return last.status;
  }
}

function leadProcessedEvent({ lead, triage }: TriagedLead, processedAt: Date) {
  return { leadId: lead.id, score: triage.score, category: triage.category, processedAt: processedAt.toISOString() };
}
