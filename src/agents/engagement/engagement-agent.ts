// The Engagement agent: builds a lead's engagement plan and executes its first
// touchpoint.
//   1. prepare (before the lead's transaction): what the knowledge base says about
//      the lead's segment and what each template achieved with it so far.
//   2. engage (inside the caller's transaction): the contact policy (consent,
//      do-not-contact, frequency cap), a Thompson-sampling choice among the arms
//      the lead can be reached on, the personalized sequence, every step addressed
//      through its Channel and scheduled in the outbox (src/delivery/outbox.ts)
//      with a delivery job due at its send time. Nothing is sent here: the
//      delivery worker sends each message when it falls due and only then
//      records it as a TOUCHPOINT_SENT interaction (the first one carries the
//      engagement decision: arm, segment, seed). A new plan supersedes the lead's
//      earlier one: its follow-ups still SCHEDULED are cancelled.
//
// Why two steps: the knowledge graph may live in Neo4j, outside the relational
// transaction, and the embedded database (PGlite) has a single connection, so
// while the caller's transaction is open nothing may be read through another
// client (the semantic memory's, or `prisma` itself) without waiting on that
// transaction forever. Everything that does not depend on what the transaction
// writes is read in `prepare`; `engage` reads only through `tx` (the lead's
// profile and its recent touchpoints, which the cap must see consistently).
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import type { Channel, TriageCategory } from '../../db/generated/prisma/enums.js';
import { NotFoundError } from '../../errors.js';
import type { SemanticMemory } from '../../memory/semantic/semantic-memory.js';
import type { Random } from '../../statistics/random.js';
import type { LeadInput } from '../../domain/lead.js';
import { scheduleMessages, type ScheduledMessage } from '../../delivery/outbox.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { readCampaignPlans, type CampaignPlans } from './campaign-plan.js';
import { CHANNELS, contactPoints } from './channels.js';
import { contactHistories, contactPolicy, FREQUENCY_CAP, type FrequencyCap } from './contact-policy.js';
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
  /** Where each planned message's delivery job is queued (with its outbox row, in the caller's transaction). */
  jobs: Pick<JobQueue, 'enqueue'>;
  /** Seals each message's recipient, subject and body in the outbox; opens the profile attributes (stored sealed) that personalize it. */
  cipher: PersonalDataCipher;
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

/** One lead's engagement: what `prepare` read for it, and the request. */
export interface EngagementCall {
  prepared: PreparedEngagement;
  request: EngagementRequest;
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
  /**
   * The first step, scheduled (not sent: the delivery worker sends it when due).
   * `outboxId` is its outbox message; `touchpointId` the TOUCHPOINT_SENT
   * interaction that records it once sent (the same id).
   */
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
  /**
   * Plans and executes each request inside `tx`, in a few statements however
   * many (the leads that travel together); one outcome per request, in order.
   * Each lead once, and it must exist. Throws when a `prepared` is for another segment.
   */
  engage(tx: Prisma.TransactionClient, requests: readonly EngagementCall[]): Promise<EngagementOutcome[]>;
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

  async function engage(tx: Prisma.TransactionClient, calls: readonly EngagementCall[]): Promise<EngagementOutcome[]> {
    if (calls.length === 0) return [];
    for (const { prepared, request } of calls) checkSegment(prepared, request.lead);
    const at = now();
    const leadIds = calls.map(({ request }) => request.lead.leadId);
    // Serializes engagements of one lead, so two of them cannot both pass the frequency cap (sorted: no deadlock between batches).
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Lead" WHERE "id" = ANY(${leadIds}::text[]) ORDER BY "id" FOR UPDATE`;
    const present = new Set(locked.map(({ id }) => id));
    const absent = leadIds.find((leadId) => !present.has(leadId));
    if (absent) throw new NotFoundError('Lead', absent);
    const profiles = new Map(
      (
        await tx.leadProfile.findMany({
          where: { leadId: { in: leadIds } },
          select: { leadId: true, attributes: true, consent: true, doNotContact: true, preferredHour: true },
        })
      ).map((profile) => [profile.leadId, { ...profile, attributes: deps.cipher.openJson(profile.attributes) }]),
    );
    const since = new Date(at.getTime() - cap.windowMs);
    let histories = await contactHistories(tx, leadIds, since);
    // The campaign's approved optimization (campaign-plan.ts): paused arms, the channel split.
    const plans = await readCampaignPlans(
      tx,
      calls.map(({ request }) => request.lead),
    );
    const decisions = calls.map(({ request }) =>
      plans.gate(
        request.lead,
        segmentArms(request.lead, request.triage.category),
        contactPolicy(profiles.get(request.lead.leadId) ?? null, histories.get(request.lead.leadId)!, at, cap),
      ),
    );
    const going = calls.filter((_, index) => decisions[index]!.allowed || decisions[index]!.earliest);

    // A new plan replaces the lead's earlier one: its follow-ups still waiting in
    // the outbox are cancelled (a first touchpoint stays: step 1 in its metadata,
    // or, written before delivery existed, linked to its interaction).
    const goingIds = going.map(({ request }) => request.lead.leadId);
    const superseded = new Map(
      (
        await tx.$queryRaw<{ leadId: string; cancelled: number }[]>`
          WITH cancelled AS (
            UPDATE "OutboundMessage" SET "status" = 'CANCELLED'
            WHERE "leadId" = ANY(${goingIds}::text[]) AND "status" = 'SCHEDULED' AND "interactionId" IS NULL
              AND "purpose" = 'TOUCHPOINT' AND COALESCE(("metadata"->>'step')::int, 2) > 1
            RETURNING "leadId")
          SELECT "leadId", count(*)::int AS "cancelled" FROM cancelled GROUP BY "leadId"`
      ).map(({ leadId, cancelled }) => [leadId, cancelled]),
    );
    if (superseded.size > 0) histories = new Map([...histories, ...(await contactHistories(tx, [...superseded.keys()], since))]);

    const messages: ScheduledMessage[] = [];
    const outcomes = calls.map(({ prepared, request }, index): EngagementOutcome => {
      const decision = decisions[index]!;
      if (!decision.allowed && !decision.earliest) {
        return {
          status: 'BLOCKED',
          reason: decision.reason ?? 'Contact not allowed.',
          agent: request.agent,
          plan: [],
          firstTouchpoint: null,
          nextActions: [],
          variantChoice: null,
        };
      }
      const { lead } = request;
      const execution = execute(prepared, request, {
        at,
        profile: profiles.get(lead.leadId) ?? null,
        booked: histories.get(lead.leadId)!.touches,
        superseded: superseded.get(lead.leadId) ?? 0,
        plans,
      });
      messages.push(...execution.messages);
      return execution.outcome;
    });
    await scheduleMessages(tx, deps.jobs, messages, deps.cipher);
    await plans.save(tx);
    return outcomes;
  }

  /** One lead's plan, every step addressed through its channel as a message to schedule; the first carries the decision for its send-time interaction. */
  function execute(
    prepared: PreparedEngagement,
    { lead, triage, agent, conversationId }: EngagementRequest,
    known: {
      at: Date;
      profile: { attributes: Prisma.JsonValue; preferredHour: number | null } | null;
      booked: Date[];
      superseded: number;
      plans: CampaignPlans;
    },
  ): { outcome: EngagementOutcome; messages: ScheduledMessage[] } {
    const persona = lead.persona ?? null;
    const planned = known.plans.arms(lead, segmentArms(lead, triage.category));
    const arms = armEvidence(planned.arms, prepared.results, prepared.knowledge);
    const { random, seed } = deps.random ? { random: deps.random, seed: null } : decisionRandom();
    const choice = chooseVariant(arms, random);
    const person = personalization(lead, known.profile?.attributes);
    const plan = planSequence({
      lead,
      category: triage.category,
      score: triage.score,
      person,
      knowledge: prepared.knowledge,
      first: choice.chosen,
      alternate: alternateArm(arms, choice),
      now: known.at,
      preferredHour: known.profile?.preferredHour ?? null,
      booked: known.booked,
      cap,
    });
    if (planned.note) plan[0] = { ...plan[0]!, note: plan[0]!.note ? `${plan[0]!.note} ${planned.note}` : planned.note };
    if (known.superseded > 0) {
      const note = `Supersedes the earlier plan: ${known.superseded} pending follow-up${known.superseded === 1 ? '' : 's'} cancelled in the outbox.`;
      plan[0] = { ...plan[0]!, note: plan[0]!.note ? `${plan[0]!.note} ${note}` : note };
    }
    const segment = segmentLabel(lead.industry, persona);
    const chosenSummary = choice.arms.find((arm) => arm.arm === choice.chosen.id);
    const [first, ...followUps] = plan as [PlannedTouchpoint, ...PlannedTouchpoint[]];
    // The first message's id is also the id of the TOUCHPOINT_SENT interaction the delivery worker records when it sends it.
    const touchpointId = randomUUID();
    const decision = {
      engagement: {
        segment,
        arm: choice.chosen.id,
        posteriorMean: chosenSummary?.posteriorMean ?? null,
        probabilityBest: chosenSummary?.probabilityBest ?? null,
        seed,
        steps: plan.length,
      },
    };
    const contact = contactPoints(lead, person);
    const messages = [first, ...followUps].map((step, index): ScheduledMessage => {
      const addressed = CHANNELS[step.channel].address({ leadId: lead.leadId, contact, touchpoint: step });
      return {
        ...addressed,
        id: index === 0 ? touchpointId : addressed.id,
        conversationId,
        agent,
        // `step` tells a later plan which messages are follow-ups it may cancel.
        metadata: index === 0 ? { ...decision, step: step.step } : { step: step.step, firstMessageId: touchpointId },
      };
    });
    return {
      messages,
      outcome: {
        status: 'EXECUTED',
        reason: null,
        agent,
        plan,
        firstTouchpoint: { ...first, touchpointId, outboxId: touchpointId },
        nextActions: followUpActions(plan, agent),
        variantChoice: { segment, chosen: choice.chosen.id, arms: choice.arms, seed },
      },
    };
  }

  return { prepare, engage };
}

/** `prepared` must be for the lead's segment: engagement would otherwise choose among another segment's arms. */
function checkSegment(prepared: PreparedEngagement, lead: LeadInput): void {
  const persona = lead.persona ?? null;
  if (prepared.segment.industry !== lead.industry || prepared.segment.persona !== persona) {
    throw new Error(
      `engagement prepared for ${segmentLabel(prepared.segment.industry, prepared.segment.persona)}, ` +
        `but lead ${lead.leadId} is in ${segmentLabel(lead.industry, persona)}`,
    );
  }
}
