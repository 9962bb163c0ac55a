// Where a lead enters Baton, for the API's doors: `submit` stores the lead and
// starts its flow (a job on the triage queue, in the same transaction), and
// returns at once; the agents' workers take it from there. Leads submitted in
// the same turn of the event loop share that transaction (src/db/micro-batch.ts).
// A lead sent again with the same data within the re-submission window is its
// earlier flow again, and nothing is run twice (resubmission.ts).
// `triage` is the specification's triage-only call: score, classify and store,
// here and now.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import { microBatch } from '../../db/micro-batch.js';
import type { LeadInput } from '../../domain/lead.js';
import { InputError, UnavailableError } from '../../errors.js';
import { asUnavailable } from '../../db/unavailable.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { leadProcessedEvent, storeLeads, type TriageAgent, type TriagedLead } from '../triage/triage-agent.js';
import type { FlowWaiter } from './flow-waiter.js';
import { loadFlowViews, type FlowView } from './flow-view.js';
import { findResubmissions } from './resubmission.js';
import { admitErasedPeople } from '../../privacy/erasure/tombstones.js';

export interface SubmittedFlow {
  flowId: string;
  leadId: string;
  /** True when the lead repeated its latest flow (same data, within the window): `flowId` is that flow, and nothing was queued. */
  resubmitted: boolean;
}

export interface LeadIntake {
  /** Triage only: score, classify, assign and remember the lead; no handoff, no outreach. */
  triage(input: LeadInput): Promise<TriagedLead>;
  /**
   * Stores the lead and queues it for triage, in one transaction; the flow runs on
   * the workers. `flowId` lets a caller start listening for the flow's end before
   * it can happen. A re-submission answers the earlier flow instead, and stores
   * and queues nothing.
   */
  submit(input: LeadInput, flowId?: string): Promise<SubmittedFlow>;
  /**
   * Submits the lead and, with `wait`, waits on the event spine until its flow
   * settles (engagement executed, failed or escalated; for a campaign's lead, the
   * review too) or PROCESS_WAIT_MS passes: the flow as it then stands.
   */
  process(input: LeadInput, options: { wait: boolean }): Promise<FlowView>;
}

/** Waiting for a pooled connection under load is normal; give it time before failing. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

/** Leads submitted in one turn of the event loop are stored together, up to this many. */
const SUBMIT_BATCH = 64;

export function createLeadIntake(deps: {
  prisma: PrismaClient;
  /** Seals the leads' email and phone as they are stored, and keys the tombstones of erased people (blind index of the email). */
  cipher: PersonalDataCipher;
  pubsub: BatonPubSub;
  jobs: Pick<JobQueue, 'enqueue'>;
  triage: TriageAgent;
  waiter: FlowWaiter;
  /** How long `process` waits for a flow to settle before answering it IN_PROGRESS. */
  waitMs: number;
  /** The same lead with the same data within this long of its latest flow is that flow again; 0: never. */
  resubmissionWindowMs: number;
  now?: () => Date;
}): LeadIntake {
  const now = deps.now ?? (() => new Date());

  /** Leads may name their campaigns; an unknown one is the caller's mistake, caught before anything is written. */
  async function checkCampaigns(inputs: readonly LeadInput[]): Promise<void> {
    const named = [...new Set(inputs.map((input) => input.campaignId).filter((id): id is string => Boolean(id)))];
    if (named.length === 0) return;
    const known = new Set((await deps.prisma.campaign.findMany({ where: { id: { in: named } }, select: { id: true } })).map(({ id }) => id));
    const missing = named.find((id) => !known.has(id));
    if (missing) throw new InputError([{ path: 'input.campaignId', message: `no campaign ${missing}: create it first` }]);
  }

  /**
   * Stores the leads, their flows and their triage jobs in one transaction of
   * three statements. A batch with a bad lead fails and is split (micro-batch.ts),
   * so the lead fails alone with its own error.
   */
  const submitTogether = microBatch<Omit<SubmittedFlow, 'resubmitted'> & { input: LeadInput }, SubmittedFlow>(
    async (submissions) => {
      await checkCampaigns(submissions.map(({ input }) => input));
      return deps.prisma.$transaction(async (tx) => {
        await admitErasedPeople(
          tx,
          deps.cipher,
          submissions.map(({ input }) => input),
        );
        const repeats = await findResubmissions(
          tx,
          submissions.map(({ input }) => input),
          { now: now(), windowMs: deps.resubmissionWindowMs, cipher: deps.cipher },
        );
        const fresh = submissions.flatMap((submission, index) => (repeats[index]!.earlierFlowId ? [] : [{ ...submission, digest: repeats[index]!.digest }]));
        if (fresh.length > 0) {
          const flows = fresh.map(({ flowId, leadId, digest }) => ({ id: flowId, leadId, digest }));
          await storeLeads(
            tx,
            fresh.map(({ input }) => input),
            deps.cipher,
          );
          await tx.$executeRaw`
            INSERT INTO "LeadFlow" ("id", "leadId", "submittedAt", "inputDigest")
            SELECT f."id", f."leadId", ${now()}, f."digest" FROM json_to_recordset(${JSON.stringify(flows)}::json) AS f("id" uuid, "leadId" text, "digest" text)`;
          await deps.jobs.enqueue(
            tx,
            flows.map(({ id, leadId }) => ({ queue: 'triage', payload: { flowId: id, leadId } })),
          );
        }
        return submissions.map(({ flowId, leadId }, index) => {
          const earlierFlowId = repeats[index]!.earlierFlowId;
          return { flowId: earlierFlowId ?? flowId, leadId, resubmitted: earlierFlowId !== null };
        });
      }, TRANSACTION_OPTIONS);
    },
    // One statement cannot upsert a lead twice: a lead submitted twice at once waits for the next batch.
    // One intake transaction at a time: the leads that arrive while it commits go together in the next.
    { maxSize: SUBMIT_BATCH, maxRunning: 1, keyOf: ({ leadId }) => leadId },
  );

  const submit = (input: LeadInput, flowId: string = randomUUID()) => submitTogether({ input, flowId, leadId: input.leadId });
  const loadView = microBatch((flowIds: readonly string[]) => loadFlowViews(deps.prisma, flowIds, now()), { maxSize: SUBMIT_BATCH });

  /**
   * The flow of a lead just stored. Should the database stop answering in
   * between, the caller is not told the lead failed: the 503 says it is stored
   * and going on, and that sending it again answers this same flow.
   */
  async function viewOfStored(flowId: string): Promise<FlowView> {
    try {
      return await loadView(flowId);
    } catch (error) {
      const unavailable = asUnavailable(error);
      if (!unavailable) throw error;
      throw new UnavailableError(
        unavailable.dependency,
        unavailable.retryAfterSeconds,
        `The lead is stored and its flow ${flowId} goes on, but the database does not answer to read it back; retry in ${unavailable.retryAfterSeconds} s: the lead sent again answers this flow`,
      );
    }
  }

  /** A re-submission waits for the earlier flow, if it is still under way, as its first submission did. */
  async function waitForEarlier(flowId: string): Promise<void> {
    const waiting = deps.waiter.wait(flowId, deps.waitMs);
    // It may have settled before listening started: then there is nothing to wait for.
    const flow = await deps.prisma.leadFlow.findUnique({ where: { id: flowId }, select: { status: true } });
    if (flow?.status !== 'IN_PROGRESS') waiting.cancel();
    await waiting.settled;
  }

  return {
    async triage(input) {
      const [inputs] = await Promise.all([deps.triage.scoringInputs(input), checkCampaigns([input])]);
      const [triaged] = await deps.prisma.$transaction(async (tx) => {
        await admitErasedPeople(tx, deps.cipher, [input]);
        const [lead] = await storeLeads(tx, [input], deps.cipher);
        return deps.triage.triage(tx, [{ lead: lead!, inputs }]);
      }, TRANSACTION_OPTIONS);
      await deps.pubsub.publish('lead:processed', leadProcessedEvent(triaged!, now()));
      return triaged!;
    },

    submit,

    async process(input, { wait }) {
      const flowId = randomUUID();
      // Listening starts before the flow exists, so a flow that settles at once is not missed.
      const waiting = wait ? deps.waiter.wait(flowId, deps.waitMs) : null;
      let submitted: SubmittedFlow;
      try {
        submitted = await submit(input, flowId);
      } catch (error) {
        waiting?.cancel();
        throw error;
      }
      if (submitted.resubmitted) {
        waiting?.cancel();
        if (wait) await waitForEarlier(submitted.flowId);
      } else await waiting?.settled;
      return { ...(await viewOfStored(submitted.flowId)), resubmitted: submitted.resubmitted };
    },
  };
}
