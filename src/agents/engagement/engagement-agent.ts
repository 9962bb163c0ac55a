// The Engagement agent: builds a lead's engagement plan and executes its first
// touchpoint.
//   1. prepare (before the lead's transaction): what the knowledge base says about
//      the lead's segment and what each template achieved with it so far.
//   2. engage (inside the caller's transaction): the contact policy (consent,
//      do-not-contact, frequency cap), a Thompson-sampling choice among the arms
//      the lead can be reached on, the personalized sequence, every step queued in
//      the outbox through its Channel, and the first step recorded as a
//      TOUCHPOINT_SENT interaction linked to its outbox row. A new plan supersedes
//      the lead's earlier one: its follow-ups still PENDING are cancelled.
//
// Why two steps: the knowledge graph may live in Neo4j, outside the relational
// transaction, and the embedded database (PGlite) has a single connection, so
// while the caller's transaction is open nothing may be read through another
// client (the semantic memory's, or `prisma` itself) without waiting on that
// transaction forever. Everything that does not depend on what the transaction
// writes is read in `prepare`; `engage` reads only through `tx` (the lead's
// profile and its recent touchpoints, which the cap must see consistently).
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import type { Channel, TriageCategory } from '../../db/generated/prisma/enums.js';
import { NotFoundError } from '../../errors.js';
import type { SemanticMemory } from '../../memory/semantic/semantic-memory.js';
import type { Random } from '../../statistics/random.js';
import type { LeadInput } from '../../domain/lead.js';
import { CHANNELS, contactPoints } from './channels.js';
import { contactHistory, contactPolicy, FREQUENCY_CAP, type FrequencyCap } from './contact-policy.js';
import { readEngagementKnowledge, type EngagementKnowledge, type Segment } from './knowledge.js';
import { personalization } from './message.js';
import { followUpActions, planSequence, type NextAction, type PlannedTouchpoint } from './plan.js';
import { armEvidence, recordedResults, segmentLabel, type TemplateResults } from './variant-evidence.js';
import { alternateArm, chooseVariant, decisionRandom } from './variant-selection.js';
import { personaTemplates, segmentArms } from './variants.js';

export interface EngagementAgentDependencies {
  /** Read before the transaction (variant evidence, a persona the request omits); never inside it. */
  prisma: PrismaClient;
  semantic: Pick<SemanticMemory, 'topObjects'>;
  /** Injected for reproducible choices; by default each decision draws from its own seeded stream (see `seed`). */
  random?: Random;
  now?: () => Date;
  cap?: FrequencyCap;
  /**
   * How long a segment's knowledge and recorded results are reused by `prepare`
   * (default 60 s; 0 reads them for every lead). Results only change as response
   * windows close, over days, so a minute-old view costs the bandit nothing and
   * spares the database one aggregate per lead under load.
   */
  evidenceTtlMs?: number;
}

/** See EngagementAgentDependencies.evidenceTtlMs. */
export const EVIDENCE_TTL_MS = 60_000;

export interface EngagementRequest {
  lead: LeadInput;
  conversationId: string | null;
  triage: { category: TriageCategory; assignedAgent: string; score: number };
  /** The engagement agent that signs the work (usually triage.assignedAgent). */
  agent: string;
}

/** What `prepare` read outside the transaction, for `engage`. */
export interface PreparedEngagement {
  segment: Segment;
  knowledge: EngagementKnowledge;
  /** Recorded results of every first-touch template of the segment's persona. */
  results: TemplateResults[];
  preparedAt: Date;
}

export interface ArmEvidenceSummary {
  arm: string;
  channel: Channel;
  template: string;
  successes: number;
  failures: number;
  posteriorMean: number;
  probabilityBest: number;
}

export interface EngagementOutcome {
  status: 'EXECUTED' | 'BLOCKED';
  /** Why nothing was sent (consent withdrawn, do not contact), in words. */
  reason: string | null;
  agent: string;
  /** The whole sequence (empty when blocked). */
  plan: PlannedTouchpoint[];
  firstTouchpoint: (PlannedTouchpoint & { touchpointId: string; outboxId: string }) | null;
  /** One per follow-up step. */
  nextActions: NextAction[];
  variantChoice: {
    /** "Technology/Decision Maker". */
    segment: string;
    /** The chosen arm's id (its template). */
    chosen: string;
    arms: ArmEvidenceSummary[];
    /** The seed of the decision's random stream (replay with seededRandom(seed)); null when a Random was injected. */
    seed: number | null;
  } | null;
}

export interface EngagementAgent {
  /**
   * The out-of-transaction reads for a lead: knowledge facts and variant
   * evidence of its segment. A persona the lead omits (undefined) is the stored
   * lead's, as the pipeline's merge keeps it.
   */
  prepare(lead: Pick<LeadInput, 'leadId' | 'industry' | 'companySize' | 'persona'>): Promise<PreparedEngagement>;
  /** Plans and executes inside `tx`; the lead must exist. Throws when `prepared` is for another segment. */
  engage(tx: Prisma.TransactionClient, prepared: PreparedEngagement, request: EngagementRequest): Promise<EngagementOutcome>;
}

export function createEngagementAgent(deps: EngagementAgentDependencies): EngagementAgent {
  const now = deps.now ?? (() => new Date());
  const cap = deps.cap ?? FREQUENCY_CAP;
  const ttlMs = deps.evidenceTtlMs ?? EVIDENCE_TTL_MS;
  /** By segment (and company size): at most 4 industries × 4 personas (or none) × 4 sizes entries. */
  const cache = new Map<string, { readAt: number; reading: Promise<PreparedEngagement> }>();

  async function read(segment: Segment): Promise<PreparedEngagement> {
    const preparedAt = now();
    const [knowledge, results] = await Promise.all([
      readEngagementKnowledge(deps.semantic, segment),
      recordedResults(deps.prisma, segment, personaTemplates(segment.persona), preparedAt),
    ]);
    return { segment, knowledge, results, preparedAt };
  }

  async function prepare(lead: Pick<LeadInput, 'leadId' | 'industry' | 'companySize' | 'persona'>): Promise<PreparedEngagement> {
    const persona =
      lead.persona !== undefined
        ? lead.persona
        : ((await deps.prisma.lead.findUnique({ where: { id: lead.leadId }, select: { persona: true } }))?.persona ?? null);
    const segment: Segment = { industry: lead.industry, persona, companySize: lead.companySize };
    if (ttlMs <= 0) return read(segment);
    const key = `${segment.industry}/${segment.persona}/${segment.companySize}`;
    const cached = cache.get(key);
    if (cached && performance.now() - cached.readAt < ttlMs) return cached.reading;
    // Concurrent leads of one segment share one read; a failed read is not kept.
    const reading = read(segment);
    cache.set(key, { readAt: performance.now(), reading });
    reading.catch(() => {
      if (cache.get(key)?.reading === reading) cache.delete(key);
    });
    return reading;
  }

  async function engage(tx: Prisma.TransactionClient, prepared: PreparedEngagement, request: EngagementRequest): Promise<EngagementOutcome> {
    const { lead, triage, agent } = request;
    const persona = lead.persona ?? null;
    if (prepared.segment.industry !== lead.industry || prepared.segment.persona !== persona) {
      throw new Error(
        `engagement prepared for ${segmentLabel(prepared.segment.industry, prepared.segment.persona)}, ` +
          `but lead ${lead.leadId} is in ${segmentLabel(lead.industry, persona)}`,
      );
    }
    const at = now();
    // Serializes engagements of one lead, so two of them cannot both pass the frequency cap.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Lead" WHERE "id" = ${lead.leadId} FOR UPDATE`;
    if (locked.length === 0) throw new NotFoundError('Lead', lead.leadId);
    const profile = await tx.leadProfile.findUnique({
      where: { leadId: lead.leadId },
      select: { attributes: true, consent: true, doNotContact: true, preferredHour: true },
    });
    const since = new Date(at.getTime() - cap.windowMs);
    let history = await contactHistory(tx, lead.leadId, since);
    const decision = contactPolicy(profile, history, at, cap);
    if (!decision.allowed && !decision.earliest) {
      return {
        status: 'BLOCKED',
        reason: decision.reason ?? 'Contact not allowed.',
        agent,
        plan: [],
        firstTouchpoint: null,
        nextActions: [],
        variantChoice: null,
      };
    }
    // A new plan replaces the lead's earlier one: its follow-ups still waiting in
    // the outbox are cancelled (a first touchpoint, recorded as sent, stays).
    const { count: superseded } = await tx.outboundMessage.updateMany({
      where: { leadId: lead.leadId, status: 'PENDING', interactionId: null },
      data: { status: 'CANCELLED' },
    });
    if (superseded > 0) history = await contactHistory(tx, lead.leadId, since);

    const arms = armEvidence(segmentArms(lead, triage.category), prepared.results, prepared.knowledge);
    const { random, seed } = deps.random ? { random: deps.random, seed: null } : decisionRandom();
    const choice = chooseVariant(arms, random);
    const person = personalization(lead, profile?.attributes);
    const plan = planSequence({
      lead,
      category: triage.category,
      score: triage.score,
      person,
      knowledge: prepared.knowledge,
      first: choice.chosen,
      alternate: alternateArm(arms, choice),
      now: at,
      preferredHour: profile?.preferredHour ?? null,
      booked: history.touches,
      cap,
    });
    if (superseded > 0) {
      const note = `Supersedes the earlier plan: ${superseded} pending follow-up${superseded === 1 ? '' : 's'} cancelled in the outbox.`;
      plan[0] = { ...plan[0]!, note: plan[0]!.note ? `${plan[0]!.note} ${note}` : note };
    }
    const segment = segmentLabel(lead.industry, persona);
    const chosenSummary = choice.arms.find((arm) => arm.arm === choice.chosen.id);

    // Execute: the first step is recorded as sent and linked to its outbox row;
    // every step is queued through its channel.
    const [first, ...followUps] = plan as [PlannedTouchpoint, ...PlannedTouchpoint[]];
    const touchpointId = randomUUID();
    await tx.interaction.create({
      data: {
        id: touchpointId,
        leadId: lead.leadId,
        conversationId: request.conversationId,
        type: 'TOUCHPOINT_SENT',
        channel: first.channel,
        agent,
        template: first.template,
        subject: first.subject,
        body: first.body,
        occurredAt: first.sendAt,
        metadata: {
          engagement: {
            segment,
            arm: choice.chosen.id,
            posteriorMean: chosenSummary?.posteriorMean ?? null,
            probabilityBest: chosenSummary?.probabilityBest ?? null,
            seed,
            steps: plan.length,
          },
        },
      },
      select: { id: true },
    });
    const contact = contactPoints(lead, person);
    const { outboxId } = await CHANNELS[first.channel].deliver(tx, { leadId: lead.leadId, contact, touchpoint: first, interactionId: touchpointId });
    for (const step of followUps) await CHANNELS[step.channel].deliver(tx, { leadId: lead.leadId, contact, touchpoint: step });

    return {
      status: 'EXECUTED',
      reason: null,
      agent,
      plan,
      firstTouchpoint: { ...first, touchpointId, outboxId },
      nextActions: followUpActions(plan, agent),
      variantChoice: { segment, chosen: choice.chosen.id, arms: choice.arms, seed },
    };
  }

  return { prepare, engage };
}
