// Where a lead enters Baton, for the API's doors: `submit` stores the lead and
// starts its flow (a job on the triage queue, in the same transaction), and
// returns at once; the agents' workers take it from there. `triage` is the
// specification's triage-only call: score, classify and store, here and now.
import { randomUUID } from 'node:crypto';
import type { Campaign, PrismaClient } from '../../db/generated/prisma/client.js';
import type { LeadInput } from '../../domain/lead.js';
import { InputError } from '../../errors.js';
import type { BatonPubSub } from '../../events/event-bus.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { leadProcessedEvent, storeLead, type TriageAgent, type TriagedLead } from '../triage/triage-agent.js';
import type { FlowWaiter } from './flow-waiter.js';
import { loadFlowView, type FlowView } from './flow-view.js';

export interface SubmittedFlow {
  flowId: string;
  leadId: string;
}

export interface LeadIntake {
  /** Triage only: score, classify, assign and remember the lead; no handoff, no outreach. */
  triage(input: LeadInput): Promise<TriagedLead>;
  /**
   * Stores the lead and queues it for triage, in one transaction; the flow runs on
   * the workers. `flowId` lets a caller start listening for the flow's end before
   * it can happen.
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

export function createLeadIntake(deps: {
  prisma: PrismaClient;
  pubsub: BatonPubSub;
  jobs: Pick<JobQueue, 'enqueue'>;
  triage: TriageAgent;
  waiter: FlowWaiter;
  /** How long `process` waits for a flow to settle before answering it IN_PROGRESS. */
  waitMs: number;
  now?: () => Date;
}): LeadIntake {
  const now = deps.now ?? (() => new Date());

  /** A lead may name its campaign; an unknown one is the caller's mistake, caught before anything is written. */
  async function checkCampaign(input: LeadInput): Promise<Campaign | null> {
    if (!input.campaignId) return null;
    const campaign = await deps.prisma.campaign.findUnique({ where: { id: input.campaignId } });
    if (!campaign) throw new InputError([{ path: 'input.campaignId', message: `no campaign ${input.campaignId}: create it first` }]);
    return campaign;
  }

  return {
    async triage(input) {
      const [inputs] = await Promise.all([deps.triage.scoringInputs(input), checkCampaign(input)]);
      const triaged = await deps.prisma.$transaction(async (tx) => deps.triage.triage(tx, await storeLead(tx, input), inputs), TRANSACTION_OPTIONS);
      await deps.pubsub.publish('lead:processed', leadProcessedEvent(triaged, now()));
      return triaged;
    },

    submit,

    async process(input, { wait }) {
      const flowId = randomUUID();
      // Listening starts before the flow exists, so a flow that settles at once is not missed.
      const waiting = wait ? deps.waiter.wait(flowId, deps.waitMs) : null;
      try {
        await submit(input, flowId);
      } catch (error) {
        waiting?.cancel();
        throw error;
      }
      await waiting?.settled;
      return loadFlowView(deps.prisma, flowId, now());
    },
  };

  async function submit(input: LeadInput, flowId: string = randomUUID()): Promise<SubmittedFlow> {
    await checkCampaign(input);
    await deps.prisma.$transaction(async (tx) => {
      await storeLead(tx, input);
      await tx.leadFlow.create({ data: { id: flowId, leadId: input.leadId, submittedAt: now() }, select: { id: true } });
      await deps.jobs.enqueue(tx, { queue: 'triage', payload: { flowId } });
    }, TRANSACTION_OPTIONS);
    return { flowId, leadId: input.leadId };
  }
}
