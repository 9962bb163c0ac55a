// The durable handoff against a real database, both sides of it: the sender's
// request (REQUESTED, CONTEXT_BUILT and a job, in the sender's transaction) and
// the receiver's worker taking that job (the quality gate, enrichment, the
// low-quality policies, the work and its retries), then loop protection, the
// manager's desk, analytics and what the metrics hear. The queue is a recording
// double here (the queue itself: tests/integration/jobs/job-queue.contract.test.ts);
// each test takes the jobs it queued and receives them, as a worker would.
import { createPubSub } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTriageHandoffContext, type HandoffContext } from '../../../src/agents/handoff/handoff-context.js';
import { handoffAnalytics } from '../../../src/agents/handoff/handoff-analytics.js';
import { createEscalationDesk } from '../../../src/agents/handoff/escalation-desk.js';
import {
  BOUNCE_LIMIT,
  createHandoffOrchestrator,
  type HandoffOrchestrator,
  type AgentWork,
  type HandoffRequest,
  type RecordedHandoff,
  type RequestedHandoff,
} from '../../../src/agents/handoff/handoff-orchestrator.js';
import { UNOBSERVED, type HandoffObserver } from '../../../src/agents/handoff/handoff-observer.js';
import type { ContextRequirement } from '../../../src/agents/handoff/handoff-quality.js';
import { createHandoffReceipt, type HandoffReceipt, type ReceivedHandoff, type Receiver } from '../../../src/agents/handoff/handoff-receipt.js';
import { triageLead } from '../../../src/agents/triage/triage.js';
import { COLD_START_MODEL } from '../../../src/domain/triage-model.js';
import { loadConfig } from '../../../src/config.js';
import { databaseTarget, openDatabase, type Database } from '../../../src/db/database.js';
import type { Prisma } from '../../../src/db/generated/prisma/client.js';
import type { BatonEvents, HandoffProgressEvent } from '../../../src/events/event-bus.js';
import type { JobContext, JobSpec } from '../../../src/jobs/job-queue.js';
import { untilClockPasses } from '../../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { testCipher } from '../../support/test-cipher.js';
import { openHandoff } from '../../../src/agents/handoff/sealed-handoff.js';
import type { PersonalDataCipher } from '../../../src/privacy/personal-data-cipher.js';

let testDb: TestDatabase;
let database: Database;
let cipher: PersonalDataCipher;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase(databaseTarget(loadConfig({ ...testDb.env, LOG_LEVEL: 'silent' })));
  cipher = await testCipher(database.prisma);
});

/** A handoff as its readers see it: packet, result, reasons and event details opened (they are stored sealed). */
function opened<T extends RecordedHandoff | null>(handoff: T): T {
  if (!handoff) return handoff;
  return { ...openHandoff(cipher, handoff), events: handoff.events.map((event) => ({ ...event, detail: cipher.openOptional(event.detail) })) };
}
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

/** Contact counts for half: a packet without email or phone scores 0.5 against these. */
const NEEDS_CONTACT: ContextRequirement[] = [
  { name: 'leadId', weight: 0.5, coverage: (c) => (c.lead.leadId ? 1 : 0) },
  { name: 'contact', weight: 0.5, coverage: (c) => (c.lead.email || c.lead.phone ? 1 : 0) },
];

const uniqueLeadId = () => `lead-${crypto.randomUUID().slice(0, 12)}`;

async function newLead(): Promise<{ leadId: string; context: HandoffContext; withContact: HandoffContext }> {
  const leadId = uniqueLeadId();
  await database.prisma.lead.create({ data: { id: leadId, industry: 'FINANCE', companySize: 'SMB' } });
  const lead = { leadId, industry: 'FINANCE', companySize: 'SMB' } as const;
  const context = buildTriageHandoffContext(lead, 'conv', triageLead(lead, COLD_START_MODEL), new Date(), new Date());
  return { leadId, context, withContact: { ...context, lead: { ...context.lead, email: 'a@b.co' } } };
}

function request(leadId: string, context: HandoffContext, overrides: Partial<HandoffRequest> = {}): HandoffRequest {
  return {
    type: 'TRIAGE_TO_ENGAGEMENT',
    trigger: 'TASK_COMPLETION',
    fromAgent: 'agent-a',
    toAgent: 'agent-b',
    leadId,
    campaignId: null,
    conversationId: null,
    flowId: null,
    context,
    continuation: 'test',
    ...overrides,
  };
}

/** A receiver whose work is written for one handoff at a time (the receipt hands it a batch). */
type OneByOne = Omit<Receiver<string, string>, 'work'> & {
  work(tx: Prisma.TransactionClient, handoff: ReceivedHandoff, prepared: string): Promise<AgentWork<string>>;
};

function receiver(overrides: Partial<OneByOne> = {}): Receiver<string, string> {
  const { work = async () => ({ outcome: 'COMPLETED', detail: 'done', result: 'worked' }), ...rest } = overrides;
  return {
    requirements: NEEDS_CONTACT,
    onLowQuality: () => 'FAIL',
    continuation: 'test',
    prepare: async () => 'prepared',
    ...rest,
    async work(tx, handoffs) {
      const works: AgentWork<string>[] = [];
      for (const { handoff, prepared } of handoffs) works.push(await work(tx, handoff, prepared));
      return works;
    },
  };
}

/** One side of the machinery as the server assembles it, around a queue that only records what it is given. */
function handoffs(deps: { observe?: HandoffObserver } = {}) {
  const queued: JobSpec[] = [];
  const published: HandoffProgressEvent[] = [];
  const pubsub = createPubSub<BatonEvents>();
  void (async () => {
    for await (const event of pubsub.subscribe('handoff:progress')) published.push({ ...event, detail: cipher.openOptional(event.detail) });
  })();
  const observe = deps.observe ?? UNOBSERVED;
  const orchestrator = createHandoffOrchestrator({ jobs: { enqueue: async (_tx, jobs) => void queued.push(...jobs) }, pubsub, observe, cipher });
  const receipt = createHandoffReceipt({ prisma: database.prisma, pubsub, orchestrator, observe, cipher });
  return { queued, published, pubsub, orchestrator, receipt };
}

const FIRST_TRY: JobContext = { attempt: 1, maxAttempts: 10, queueWaitMs: 0 };

/** The sender's step: the request in its own transaction, announced once committed. */
async function send(orchestrator: HandoffOrchestrator, sent: HandoffRequest) {
  const [requested] = await database.prisma.$transaction((tx) => orchestrator.request(tx, [sent]));
  await orchestrator.announce([requested!.handoff, requested!.escalation]);
  return { handoff: opened(requested!.handoff), escalation: opened(requested!.escalation) };
}

/** The worker's step: the job queued for `handoffId`, received. */
async function take(side: { queued: JobSpec[]; receipt: HandoffReceipt }, handoffId: string, work: Receiver<string, string>, job = FIRST_TRY) {
  const queued = side.queued.find((spec) => spec.payload.handoffId === handoffId);
  if (!queued) throw new Error(`no job was queued for handoff ${handoffId}`);
  await side.receipt.handler(work)(queued.payload, job);
}

/** A handoff as stored now, with its events, and the manager escalation it gave way to, if any. */
async function stored(handoffId: string) {
  const handoff = await database.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId }, include: { events: { orderBy: { sequence: 'asc' } } } });
  const escalation = await database.prisma.handoff.findFirst({
    where: { parentId: handoffId, type: 'MANAGER_ESCALATION' },
    include: { events: { orderBy: { sequence: 'asc' } } },
  });
  return { handoff: opened(handoff as RecordedHandoff), escalation: opened(escalation as RecordedHandoff | null) };
}

/** Sends a handoff and has its receiver take it: the whole transfer. */
async function handOver(side: ReturnType<typeof handoffs>, sent: HandoffRequest, work: Receiver<string, string>) {
  const { handoff } = await send(side.orchestrator, sent);
  await take(side, handoff.id, work);
  return stored(handoff.id);
}

const statuses = (events: { status: string }[]) => events.map((event) => event.status);

describe('the sender: request', () => {
  it("records REQUESTED and CONTEXT_BUILT and queues the handoff for the receiving agent's queue, in the sender's transaction", async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    const { handoff, escalation } = await send(side.orchestrator, request(leadId, withContact, { type: 'ENGAGEMENT_TO_OPTIMIZATION' }));
    expect(escalation).toBeNull();
    expect(handoff.status).toBe('CONTEXT_BUILT');
    expect(statuses(handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT']);
    expect(handoff.events[1]!.detail).toBe('Context packet: conversation, lead, triage verdict');
    expect(side.queued).toEqual([{ queue: 'optimization', payload: { handoffId: handoff.id, leadId, type: 'ENGAGEMENT_TO_OPTIMIZATION' } }]);
    await vi.waitFor(() => expect(statuses(side.published.filter((e) => e.handoffId === handoff.id))).toEqual(['REQUESTED', 'CONTEXT_BUILT']));
  });

  it('leaves neither the handoff nor its job when the sender’s transaction rolls back', async () => {
    const { leadId, withContact } = await newLead();
    // A queue that adds its job through the transaction, as both real queues do.
    const orchestrator = createHandoffOrchestrator({
      jobs: {
        async enqueue(tx, jobs) {
          for (const job of jobs)
            await tx.$executeRaw`INSERT INTO "QueuedJob" ("queue", "payload") VALUES (${job.queue}, ${JSON.stringify(job.payload)}::jsonb)`;
        },
      },
      pubsub: createPubSub<BatonEvents>(),
      cipher,
    });
    let handoffId = '';
    await expect(
      database.prisma.$transaction(async (tx) => {
        handoffId = (await orchestrator.request(tx, [request(leadId, withContact)]))[0]!.handoff.id;
        throw new Error('the sender failed after requesting');
      }),
    ).rejects.toThrow('the sender failed');
    expect(handoffId).not.toBe('');
    expect(await database.prisma.handoff.count({ where: { leadId } })).toBe(0);
    expect(await database.prisma.queuedJob.count({ where: { payload: { equals: { handoffId } } } })).toBe(0);
  });
});

describe('the receiver: the quality gate', () => {
  it('works a packet at or above 0.7 and records every step', async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    let preparedSeen = '';
    const { handoff } = await handOver(
      side,
      request(leadId, withContact),
      receiver({
        work: async (_tx, _handoff, prepared) => {
          preparedSeen = prepared;
          return { outcome: 'COMPLETED', detail: 'done', result: 'worked' };
        },
      }),
    );
    expect(preparedSeen).toBe('prepared');
    expect(handoff).toMatchObject({ status: 'COMPLETED', qualityScore: 1, failureReason: null, result: 'worked', attempts: 1 });
    expect(handoff.acceptedAt).not.toBeNull();
    expect(handoff.completedAt).not.toBeNull();
    expect(statuses(handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED']);
    expect(handoff.events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(handoff.events.at(-1)!.detail).toBe('done');
    expect(await database.prisma.handoffEvent.count({ where: { handoffId: handoff.id } })).toBe(6);
  });

  it('fails a packet below the gate when enrichment cannot help, naming what is missing, without running the agent', async () => {
    const side = handoffs();
    const { leadId, context } = await newLead();
    let ran = false;
    const { handoff, escalation } = await handOver(
      side,
      request(leadId, context),
      receiver({
        enrich: async (_tx, c) => c,
        prepare: async () => {
          ran = true;
          return '';
        },
        work: async () => {
          ran = true;
          return { outcome: 'COMPLETED', detail: '', result: '' };
        },
      }),
    );
    expect(ran).toBe(false);
    expect(escalation).toBeNull();
    expect(handoff).toMatchObject({
      status: 'FAILED',
      qualityScore: 0.5,
      failureReason: 'Context quality 0.50 is below 0.7 (incomplete: contact)',
      acceptedAt: null,
    });
    expect(statuses(handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'FAILED']);
  });

  it('enriches a packet from memory, re-scores it and works it when it passes', async () => {
    const side = handoffs();
    const { leadId, context } = await newLead();
    const missingSeen: string[][] = [];
    let phoneAtWork: string | null = null;
    const { handoff } = await handOver(
      side,
      request(leadId, context),
      receiver({
        enrich: async (_tx, c, missing) => {
          missingSeen.push([...missing]);
          return { ...c, lead: { ...c.lead, phone: '+1 415 555 0100' } };
        },
        work: async (_tx, received) => {
          phoneAtWork = received.context.lead.phone;
          return { outcome: 'COMPLETED', detail: 'done', result: 'worked' };
        },
      }),
    );
    expect(missingSeen).toEqual([['contact']]);
    expect(statuses(handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ENRICHED', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED']);
    expect(handoff.events[2]).toMatchObject({ detail: 'Enriched from memory: quality 0.50 → 1.00', qualityScore: 1 });
    expect((handoff.context as unknown as HandoffContext).lead.phone).toBe('+1 415 555 0100');
    // The work gets the enriched packet.
    expect(phoneAtWork).toBe('+1 415 555 0100');
  });

  it('stops enriching after two rounds', async () => {
    const side = handoffs();
    const { leadId, context } = await newLead();
    let rounds = 0;
    const halfway: ContextRequirement[] = [{ name: 'rounds', weight: 1, coverage: (c) => Number((c.memory?.knowledge.length ?? 0) / 10) }];
    const { handoff } = await handOver(
      side,
      request(leadId, context),
      receiver({
        requirements: halfway,
        enrich: async (_tx, c) => {
          rounds++;
          return {
            ...c,
            memory: {
              conversation: null,
              profile: null,
              similarEpisodes: null,
              knowledge: [...(c.memory?.knowledge ?? []), { predicate: 'P', object: 'o', weight: 1 }],
            },
          };
        },
      }),
    );
    expect(rounds).toBe(2);
    expect(statuses(handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ENRICHED', 'ENRICHED', 'FAILED']);
  });

  it('escalates a packet below the gate to a manager when the policy says so', async () => {
    const side = handoffs();
    const { leadId, context } = await newLead();
    const { handoff, escalation } = await handOver(side, request(leadId, context), receiver({ onLowQuality: () => 'ESCALATE' }));
    expect(handoff).toMatchObject({ status: 'ESCALATED', failureReason: 'Context quality 0.50 is below 0.7 (incomplete: contact)' });
    expect(statuses(handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ESCALATED']);
    expect(escalation).toMatchObject({
      type: 'MANAGER_ESCALATION',
      trigger: 'ESCALATION_REQUIRED',
      status: 'ESCALATED',
      toAgent: 'manager',
      parentId: handoff.id,
      leadId,
    });
    expect(statuses(escalation!.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ESCALATED']);
    // The escalation is no job: it waits for a person.
    expect(side.queued.map((job) => job.payload.handoffId)).toEqual([handoff.id]);
  });

  it('records a refusal by the receiving agent as FAILED with its reason', async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    const { handoff } = await handOver(
      side,
      request(leadId, withContact),
      receiver({ work: async () => ({ outcome: 'FAILED', detail: 'Consent withdrawn', result: '' }) }),
    );
    expect(handoff).toMatchObject({ status: 'FAILED', failureReason: 'Consent withdrawn' });
    expect(statuses(handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'FAILED']);
  });
});

describe('the receiver: a work step that throws', () => {
  /** Work that writes an effect (the lead's source) and then throws while `failing`. */
  function flakyWork(failing: () => boolean) {
    let runs = 0;
    return {
      runs: () => runs,
      receiver: receiver({
        work: async (tx, handoff) => {
          runs++;
          await tx.lead.update({ where: { id: handoff.leadId! }, data: { source: `touched-${runs}` } });
          if (failing()) throw new Error('provider timed out');
          return { outcome: 'COMPLETED', detail: 'done', result: 'worked' };
        },
      }),
    };
  }

  it('leaves none of its effects, records RETRYING and rethrows for the queue to retry; on the last attempt FAILS with the reason and does not rethrow', async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    const { handoff } = await send(side.orchestrator, request(leadId, withContact));
    const flaky = flakyWork(() => true);
    const attempt = (n: number) => ({ attempt: n, maxAttempts: 3, queueWaitMs: 0 });

    await expect(take(side, handoff.id, flaky.receiver, attempt(1))).rejects.toThrow('provider timed out');
    let now = (await stored(handoff.id)).handoff;
    expect(now).toMatchObject({ status: 'RETRYING', attempts: 1, failureReason: null, completedAt: null });
    expect(statuses(now.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'RETRYING']);
    expect(now.events.at(-1)!.detail).toBe('Attempt 1 of 3 failed (provider timed out); retrying');
    expect((await database.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).source).toBeNull();

    await expect(take(side, handoff.id, flaky.receiver, attempt(2))).rejects.toThrow('provider timed out');
    await expect(take(side, handoff.id, flaky.receiver, attempt(3))).resolves.toBeUndefined();
    now = (await stored(handoff.id)).handoff;
    expect(now).toMatchObject({ status: 'FAILED', attempts: 3, failureReason: 'Gave up after 3 attempts: provider timed out' });
    // The gate passed once; each try of the work left only its verdict.
    expect(statuses(now.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'RETRYING', 'RETRYING', 'FAILED']);
    expect(flaky.runs()).toBe(3);
    expect((await database.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).source).toBeNull();
  });

  it('a retry after the cause is gone completes the work once; a job taken again after that does nothing', async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    const { handoff } = await send(side.orchestrator, request(leadId, withContact));
    let failing = true;
    const flaky = flakyWork(() => failing);

    await expect(take(side, handoff.id, flaky.receiver, { attempt: 1, maxAttempts: 10, queueWaitMs: 0 })).rejects.toThrow('provider timed out');
    failing = false;
    await take(side, handoff.id, flaky.receiver, { attempt: 2, maxAttempts: 10, queueWaitMs: 0 });
    const done = (await stored(handoff.id)).handoff;
    expect(done).toMatchObject({ status: 'COMPLETED', attempts: 2, result: 'worked' });
    expect(statuses(done.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'RETRYING', 'COMPLETED']);
    expect((await database.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).source).toBe('touched-2');

    // The same job again (its worker died after the step committed): the step is not done twice.
    await take(side, handoff.id, flaky.receiver, { attempt: 3, maxAttempts: 10, queueWaitMs: 0 });
    expect(flaky.runs()).toBe(2);
    expect((await stored(handoff.id)).handoff.events).toHaveLength(7);
  });

  it('a throw before the work (preparing it) is retried the same way, without passing the gate twice', async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    const { handoff } = await send(side.orchestrator, request(leadId, withContact));
    let prepares = 0;
    const work = receiver({
      prepare: async () => {
        if (++prepares === 1) throw new Error('memory unavailable');
        return 'prepared';
      },
    });
    await expect(take(side, handoff.id, work, { attempt: 1, maxAttempts: 10, queueWaitMs: 0 })).rejects.toThrow('memory unavailable');
    await take(side, handoff.id, work, { attempt: 2, maxAttempts: 10, queueWaitMs: 0 });
    const done = (await stored(handoff.id)).handoff;
    expect(statuses(done.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'RETRYING', 'COMPLETED']);
  });
});

describe('loop protection', () => {
  /** A flow of the lead, as the intake starts one: loop protection counts bounces within it. */
  async function newFlow(leadId: string): Promise<string> {
    return (await database.prisma.leadFlow.create({ data: { leadId } })).id;
  }

  it(`escalates bounce ${BOUNCE_LIMIT} of work between two agents within one flow instead of handing it over`, async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    const flowId = await newFlow(leadId);
    const forth = request(leadId, withContact, { flowId });
    const back = request(leadId, withContact, { fromAgent: 'agent-b', toAgent: 'agent-a', flowId });
    // A → B, B → A (bounce 1), A → B (bounce 2): handed over.
    for (const sent of [forth, back, forth]) expect((await handOver(side, sent, receiver())).handoff.status).toBe('COMPLETED');
    // B → A again would be bounce 3.
    const looping = await send(side.orchestrator, back);
    expect(looping.handoff.status).toBe('ESCALATED');
    expect(statuses(looping.handoff.events)).toEqual(['REQUESTED', 'ESCALATED']);
    expect(looping.handoff.failureReason).toBe(`Loop: work went back and forth between agent-b and agent-a ${BOUNCE_LIMIT} times in this flow`);
    expect(looping.escalation).toMatchObject({ trigger: 'ESCALATION_REQUIRED', status: 'ESCALATED', parentId: looping.handoff.id, flowId });
    // Nothing is handed over: no job for the receiver.
    expect(side.queued.some((job) => job.payload.handoffId === looping.handoff.id)).toBe(false);
    expect(side.queued).toHaveLength(3);
  });

  it('counts bounces per flow: the same transfers in separate flows of one lead are no loop', async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    for (let round = 0; round <= BOUNCE_LIMIT + 1; round++) {
      const flowId = await newFlow(leadId);
      const forth = await send(side.orchestrator, request(leadId, withContact, { flowId }));
      const back = await send(side.orchestrator, request(leadId, withContact, { fromAgent: 'agent-b', toAgent: 'agent-a', flowId }));
      expect([forth, back].map(({ handoff, escalation }) => [handoff.status, escalation])).toEqual([
        ['CONTEXT_BUILT', null],
        ['CONTEXT_BUILT', null],
      ]);
    }
  });

  it('a transfer repeated in the same direction is no bounce: work never came back', async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    const flowId = await newFlow(leadId);
    for (let round = 0; round <= BOUNCE_LIMIT + 1; round++) {
      const { handoff, escalation } = await send(side.orchestrator, request(leadId, withContact, { flowId }));
      expect([handoff.status, escalation]).toEqual(['CONTEXT_BUILT', null]);
    }
  });

  it('handoffs outside a flow have no chain to bounce in', async () => {
    const side = handoffs();
    const { leadId, withContact } = await newLead();
    for (let round = 0; round <= BOUNCE_LIMIT + 1; round++) {
      const sent = round % 2 === 0 ? request(leadId, withContact) : request(leadId, withContact, { fromAgent: 'agent-b', toAgent: 'agent-a' });
      expect((await send(side.orchestrator, sent)).escalation).toBeNull();
    }
  });
});

describe('the escalation desk', () => {
  let side: ReturnType<typeof handoffs>;
  beforeAll(() => {
    side = handoffs();
  });
  const continued: string[] = [];
  const desk = () =>
    createEscalationDesk({
      prisma: database.prisma,
      orchestrator: side.orchestrator,
      cipher,
      continuations: {
        test: {
          run: async (_tx, escalation, _prepared, note) => {
            continued.push(`${escalation.leadId}:${note}`);
            return { outcome: 'COMPLETED', detail: 'Engagement ran', result: null };
          },
        },
      },
    });

  async function openEscalation() {
    const { leadId, context } = await newLead();
    const { escalation } = await handOver(side, request(leadId, context), receiver({ onLowQuality: () => 'ESCALATE' }));
    return { leadId, escalationId: escalation!.id };
  }

  const publishedFor = (id: string) => statuses(side.published.filter((event) => event.handoffId === id));

  it('approving continues the interrupted flow and closes the escalation', async () => {
    const { leadId, escalationId } = await openEscalation();
    await vi.waitFor(() => expect(publishedFor(escalationId)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ESCALATED']));
    const resolved = await desk().resolve({ escalationId, decision: 'APPROVE', by: 'manager-jo', note: 'go ahead' });
    expect(resolved).toMatchObject({ status: 'COMPLETED', resolution: 'APPROVED', resolvedBy: 'manager-jo', resolutionNote: 'go ahead' });
    expect(statuses(resolved.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ESCALATED', 'ACCEPTED', 'COMPLETED']);
    expect(continued).toContain(`${leadId}:go ahead`);
    // Subscribers hear only what the decision added: each event once.
    await vi.waitFor(() => expect(publishedFor(escalationId)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ESCALATED', 'ACCEPTED', 'COMPLETED']));
  });

  it('rejecting ends the flow; reassigning keeps it open for someone else', async () => {
    const rejected = await openEscalation();
    expect(await desk().resolve({ escalationId: rejected.escalationId, decision: 'REJECT', by: 'jo' })).toMatchObject({
      status: 'FAILED',
      resolution: 'REJECTED',
    });

    const reassigned = await openEscalation();
    const handed = await desk().resolve({ escalationId: reassigned.escalationId, decision: 'REASSIGN', by: 'jo', reassignTo: 'manager-emea' });
    expect(handed).toMatchObject({ status: 'ESCALATED', toAgent: 'manager-emea', resolution: 'REASSIGNED' });
    expect(await desk().resolve({ escalationId: reassigned.escalationId, decision: 'APPROVE', by: 'manager-emea' })).toMatchObject({ status: 'COMPLETED' });
  });

  it('refuses to decide twice, to reassign to nobody, and unknown escalations', async () => {
    const { escalationId } = await openEscalation();
    await desk().resolve({ escalationId, decision: 'REJECT', by: 'jo' });
    await expect(desk().resolve({ escalationId, decision: 'APPROVE', by: 'al' })).rejects.toMatchObject({
      code: 'CONFLICT',
      kind: 'Escalation',
      id: escalationId,
    });
    await expect(desk().resolve({ escalationId, decision: 'REASSIGN', by: 'al' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(desk().resolve({ escalationId: crypto.randomUUID(), decision: 'APPROVE', by: 'al' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('handoff analytics', () => {
  it('counts, rates and times the handoffs of a window, the ones in flight among the active', async () => {
    // Handoffs of earlier tests in this file must fall outside the window.
    const latest = await database.prisma.handoff.findFirst({ orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
    if (latest) await untilClockPasses(latest.createdAt);
    const since = new Date();
    const side = handoffs();
    const { leadId, context, withContact } = await newLead();
    await handOver(side, request(leadId, withContact), receiver());
    await handOver(side, request(leadId, context), receiver());
    await handOver(
      side,
      request(leadId, context, { type: 'ENGAGEMENT_TO_OPTIMIZATION', trigger: 'PERFORMANCE_THRESHOLD' }),
      receiver({ onLowQuality: () => 'ESCALATE' }),
    );

    // In flight: one still waiting in its queue, one being worked on, one waiting to be retried.
    // (From other agents each: a fourth handoff between the same two would be a loop.)
    await send(side.orchestrator, request(leadId, withContact, { trigger: 'SPECIALIZATION_NEEDED', fromAgent: 'agent-queued' }));
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const working = (await send(side.orchestrator, request(leadId, withContact, { fromAgent: 'agent-working' }))).handoff;
    const workedOn = take(side, working.id, receiver({ prepare: () => held.then(() => 'prepared') }));
    await vi.waitFor(async () => expect((await stored(working.id)).handoff.status).toBe('IN_PROGRESS'));
    const retrying = (await send(side.orchestrator, request(leadId, withContact, { fromAgent: 'agent-retrying' }))).handoff;
    await expect(take(side, retrying.id, receiver({ prepare: () => Promise.reject(new Error('boom')) }))).rejects.toThrow('boom');

    try {
      const analytics = await handoffAnalytics(database.prisma, { since, until: new Date(Date.now() + 1000) });
      expect(analytics).toMatchObject({
        totalHandoffs: 7,
        activeHandoffs: 4,
        successRate: 0.3333,
        escalations: 1,
        openEscalations: 1,
        byType: { TRIAGE_TO_ENGAGEMENT: 5, ENGAGEMENT_TO_OPTIMIZATION: 1, MANAGER_ESCALATION: 1 },
        byTrigger: { TASK_COMPLETION: 4, ESCALATION_REQUIRED: 1, PERFORMANCE_THRESHOLD: 1, SPECIALIZATION_NEEDED: 1 },
      });
      // Scored packets: completed 1, failed 0.5, escalated 0.5, and the two that passed the gate 1 each.
      expect(analytics.averageQuality).toBeCloseTo((1 + 0.5 + 0.5 + 1 + 1) / 5, 3);
      expect(analytics.p95ProcessingTimeMs).toBeGreaterThanOrEqual(0);
    } finally {
      release();
      await workedOn;
    }
    const empty = await handoffAnalytics(database.prisma, { since: new Date(0), until: new Date(1) });
    expect(empty).toMatchObject({ totalHandoffs: 0, successRate: null, averageQuality: null, p95ProcessingTimeMs: null });
  });
});

describe('the observer (/metrics)', () => {
  it('hears of each handoff once it committed: how it ended, its quality, the work and its queue wait, the escalations raised and closed', async () => {
    const heard: unknown[] = [];
    const observe: HandoffObserver = {
      finished: (handoff) => heard.push(handoff),
      escalated: (trigger) => heard.push({ escalated: trigger }),
      worked: (handoff) => heard.push({ worked: handoff }),
    };
    const side = handoffs({ observe });
    const { leadId, context, withContact } = await newLead();

    // The sender's transaction: nothing is known before it commits; announcing publishes, and a request ends nothing.
    let requested: RequestedHandoff | undefined;
    await database.prisma.$transaction(async (tx) => {
      [requested] = await side.orchestrator.request(tx, [request(leadId, withContact)]);
    });
    expect(side.published.filter((event) => event.handoffId === requested!.handoff.id)).toEqual([]);
    await side.orchestrator.announce([requested!.handoff, requested!.escalation]);
    await vi.waitFor(() => expect(statuses(side.published.filter((e) => e.handoffId === requested!.handoff.id))).toEqual(['REQUESTED', 'CONTEXT_BUILT']));
    expect(heard).toEqual([]);

    // The receiver's steps: the gate is published before the work starts; the end is heard once the work committed.
    let duringWork: { heard: number; published: string[] } | undefined;
    await take(
      side,
      requested!.handoff.id,
      receiver({
        work: async () => {
          duringWork = { heard: heard.length, published: statuses(side.published.filter((e) => e.handoffId === requested!.handoff.id)) };
          return { outcome: 'COMPLETED', detail: 'done', result: 'worked' };
        },
      }),
      { attempt: 1, maxAttempts: 10, queueWaitMs: 1234.4 },
    );
    expect(duringWork).toEqual({ heard: 0, published: ['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS'] });
    const completed = (await stored(requested!.handoff.id)).handoff;
    expect(completed.queueWaitMs).toBe(1234);
    expect(completed.processingTimeMs).toBeGreaterThanOrEqual(0);
    expect(heard).toEqual([
      { worked: { type: 'TRIAGE_TO_ENGAGEMENT', processingTimeMs: completed.processingTimeMs, queueWaitMs: 1234 } },
      { type: 'TRIAGE_TO_ENGAGEMENT', status: 'COMPLETED', qualityScore: 1 },
    ]);
    await vi.waitFor(() => expect(statuses(side.published.filter((e) => e.handoffId === completed.id)).at(-1)).toBe('COMPLETED'));

    heard.length = 0;
    await handOver(side, request(leadId, context, { type: 'ENGAGEMENT_TO_OPTIMIZATION', fromAgent: 'agent-c' }), receiver());
    const { escalation } = await handOver(side, request(leadId, context, { fromAgent: 'agent-d' }), receiver({ onLowQuality: () => 'ESCALATE' }));
    // Refused at the gate: no work was done, so none is reported.
    expect(heard).toEqual([
      { type: 'ENGAGEMENT_TO_OPTIMIZATION', status: 'FAILED', qualityScore: 0.5 },
      { type: 'TRIAGE_TO_ENGAGEMENT', status: 'ESCALATED', qualityScore: 0.5 },
      { escalated: 'ESCALATION_REQUIRED' },
    ]);

    heard.length = 0;
    const desk = createEscalationDesk({ prisma: database.prisma, orchestrator: side.orchestrator, cipher, continuations: {} });
    await desk.resolve({ escalationId: escalation!.id, decision: 'REASSIGN', by: 'jo', reassignTo: 'manager-emea' });
    expect(heard).toEqual([]); // still open
    await desk.resolve({ escalationId: escalation!.id, decision: 'REJECT', by: 'manager-emea' });
    expect(heard).toEqual([{ type: 'MANAGER_ESCALATION', status: 'FAILED', qualityScore: null }]);
  });
});
