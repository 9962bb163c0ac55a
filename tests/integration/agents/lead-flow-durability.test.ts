// A lead's flow through a real Baton and its workers: what is written together
// commits together, a step that fails leaves nothing of itself and is retried
// until it goes through, once; and subscribers hear only what committed.
import { openHandoff } from '../../../src/agents/handoff/sealed-handoff.js';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngagementRecord } from '../../../src/agents/engagement/engagement-record.js';
import type { LeadInput } from '../../../src/domain/lead.js';
import type { HandoffProgressEvent } from '../../../src/events/event-bus.js';
import { untilDelivered } from '../../support/delivery.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  // Re-submission off: these tests send one lead several times to watch its flows run side by side
  // (re-submission itself: tests/integration/adapter/lead-resubmission.test.ts).
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', RESUBMISSION_WINDOW_SECONDS: '0' } });
});
afterAll(() => baton?.stop());

const prisma = () => baton.app.database.prisma;

/** The table the server's job queue keeps its jobs in. */
const jobTable = () => (baton.app.jobs.backend === 'in-process' ? '"QueuedJob"' : 'graphile_worker._private_jobs');

/** Jobs still in the queue's table that stand for `flowId` (a job is deleted once done). */
async function jobsOfFlow(flowId: string): Promise<number> {
  const [row] = await prisma().$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${jobTable()} WHERE payload->>'flowId' = $1`, flowId);
  return row!.n;
}

/** While it lives, the database refuses to insert the rows of `table` that match `when`, as a failing step would. */
async function refusing(table: string, when: string, refusal: string) {
  const name = `refuse_${randomBytes(4).toString('hex')}`;
  await prisma().$executeRawUnsafe(`
    CREATE FUNCTION ${name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '${refusal}'; END $$ LANGUAGE plpgsql`);
  await prisma().$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}()`);
  return {
    async lift() {
      await prisma().$executeRawUnsafe(`DROP TRIGGER ${name} ON ${table}`);
      await prisma().$executeRawUnsafe(`DROP FUNCTION ${name}()`);
    },
  };
}

/** Everything published on the server's event bus about `leadId`, from now on. */
async function listen(leadId: string) {
  const { pubsub } = baton.app.eventBus;
  const subscription = pubsub.subscribe('handoff:progress');
  const events: HandoffProgressEvent[] = [];
  const probe = probeEvent();
  let probeHeard = false;
  const listening = (async () => {
    for await (const event of subscription) {
      if (event.leadId === leadId) events.push(event);
      if (event.id === probe.id) probeHeard = true;
    }
  })();
  // Over Redis or LISTEN/NOTIFY, the subscription listens a moment after it is made: until then, events are not heard.
  await vi.waitFor(
    async () => {
      await pubsub.publish('handoff:progress', probe);
      expect(probeHeard).toBe(true);
    },
    { timeout: 5_000, interval: 50 },
  );
  return {
    events,
    async close() {
      await subscription.return?.();
      await listening;
    },
  };
}

function probeEvent(): HandoffProgressEvent {
  return {
    id: crypto.randomUUID(),
    handoffId: crypto.randomUUID(),
    leadId: null,
    campaignId: null,
    handoffType: 'TRIAGE_TO_ENGAGEMENT',
    sequence: 0,
    status: 'REQUESTED',
    qualityScore: null,
    detail: 'probe: is the subscription listening yet?',
    occurredAt: new Date().toISOString(),
  };
}

const statuses = (events: { status: string }[]) => events.map((event) => event.status);
const RETRY = { timeout: 20_000, interval: 50 };

describe('a lead submitted', () => {
  it('is stored with its flow and its triage job together, or not at all', async () => {
    const lead: LeadInput = { leadId: uniqueLeadId('atomic'), industry: 'FINANCE', companySize: 'ENTERPRISE', email: 'kim.park@bank.example' };
    const flowId = crypto.randomUUID();
    // The intake writes the lead, then its flow, then the triage job: refuse the last, when the other two are written.
    const refusal = await refusing(jobTable(), `NEW.payload->>'flowId' = '${flowId}'`, 'the queue refused the job');
    try {
      await expect(baton.app.services.leads.submit(lead, flowId)).rejects.toThrow(/the queue refused the job/);
    } finally {
      await refusal.lift();
    }
    expect(await prisma().lead.count({ where: { id: lead.leadId } })).toBe(0);
    expect(await prisma().leadFlow.count({ where: { leadId: lead.leadId } })).toBe(0);
    expect(await jobsOfFlow(flowId)).toBe(0);

    // The same lead goes in once the cause is gone, and its flow runs.
    const submitted = await baton.app.services.leads.submit(lead, flowId);
    expect(submitted).toEqual({ flowId, leadId: lead.leadId, resubmitted: false });
    await vi.waitFor(async () => expect((await prisma().leadFlow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('COMPLETED'), RETRY);
    expect(await jobsOfFlow(flowId)).toBe(0);
  });

  it('has a failing step leave none of its writes and show RETRYING; once the cause is gone the retry completes the flow, once', async () => {
    const lead: LeadInput = { leadId: uniqueLeadId('retry'), industry: 'FINANCE', companySize: 'ENTERPRISE', email: 'kim.park@bank.example' };
    const heard = await listen(lead.leadId);
    // The engagement's plan in the outbox is the work step's own insert: make it fail.
    // (Issue 14: engagement no longer records a TOUCHPOINT_SENT itself; the delivery worker does, when it sends.)
    const refusal = await refusing('"OutboundMessage"', `NEW."leadId" = '${lead.leadId}'`, 'touchpoint refused');
    let lifted = false;
    try {
      const flow = await baton.app.services.leads.process(lead, { wait: false });
      expect(flow.status).toBe('IN_PROGRESS');

      // As its readers see it: the packet, result and event details are stored sealed.
      const handoffOf = async () => {
        const { cipher } = baton.app;
        const stored = await prisma().handoff.findFirstOrThrow({
          where: { flowId: flow.flowId, type: 'TRIAGE_TO_ENGAGEMENT' },
          include: { events: { orderBy: { sequence: 'asc' } } },
        });
        return { ...openHandoff(cipher, stored), events: stored.events.map((event) => ({ ...event, detail: cipher.openOptional(event.detail) })) };
      };
      await vi.waitFor(async () => expect((await handoffOf()).status).toBe('RETRYING'), RETRY);
      const retrying = await handoffOf();
      expect(statuses(retrying.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'RETRYING']);
      expect(retrying.events.at(-1)!.detail).toMatch(/^Attempt 1 of 10 failed \(.*touchpoint refused.*\); retrying$/s);
      expect(retrying).toMatchObject({ attempts: 1, result: null, completedAt: null, failureReason: null });
      // The failed step left nothing: no touchpoint, nothing in the outbox; the flow is still under way.
      expect(await prisma().interaction.count({ where: { leadId: lead.leadId } })).toBe(0);
      expect(await prisma().outboundMessage.count({ where: { leadId: lead.leadId } })).toBe(0);
      expect((await prisma().leadFlow.findUniqueOrThrow({ where: { id: flow.flowId } })).status).toBe('IN_PROGRESS');

      await refusal.lift();
      lifted = true;
      // The queue's backoff (e^1 s) brings the retry; it goes through.
      await vi.waitFor(async () => expect((await prisma().leadFlow.findUniqueOrThrow({ where: { id: flow.flowId } })).status).toBe('COMPLETED'), RETRY);
      const completed = await handoffOf();
      expect(statuses(completed.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'RETRYING', 'COMPLETED']);
      expect(completed).toMatchObject({ status: 'COMPLETED', attempts: 2, failureReason: null });
      // Done once: one touchpoint (recorded when the delivery worker sent it), and the outbox holds the plan once.
      await untilDelivered(prisma(), lead.leadId);
      const touchpoints = await prisma().interaction.findMany({ where: { leadId: lead.leadId } });
      expect(touchpoints.map((touchpoint) => touchpoint.type)).toEqual(['TOUCHPOINT_SENT']);
      const record = completed.result as unknown as EngagementRecord;
      expect(record.touchpointId).toBe(touchpoints[0]!.id);
      const outbox = await prisma().outboundMessage.findMany({ where: { leadId: lead.leadId } });
      expect(outbox).toHaveLength(1 + record.nextActions.length);
      expect(outbox.filter((message) => message.interactionId === touchpoints[0]!.id)).toHaveLength(1);
      expect(await jobsOfFlow(flow.flowId)).toBe(0);

      // Subscribers heard what committed, each once, in order: the failed try's end never.
      await vi.waitFor(() => expect(heard.events.filter((event) => event.handoffId === completed.id)).toHaveLength(7));
      expect(heard.events.filter((event) => event.handoffId === completed.id).map((event) => [event.sequence, event.status])).toEqual(
        completed.events.map((event) => [event.sequence, event.status]),
      );
    } finally {
      if (!lifted) await refusal.lift();
      await heard.close();
    }
  });
});

describe('concurrent submissions of one lead', () => {
  it('end as one lead and one conversation, each submission its own flow', async () => {
    const lead: LeadInput = { leadId: uniqueLeadId('race'), industry: 'TECHNOLOGY', companySize: 'SMB', source: 'referral' };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => baton.app.services.leads.process(lead, { wait: false })));
    expect(results.map((result) => result.status)).toEqual(Array(5).fill('fulfilled'));
    const flowIds = results.map((result) => (result as PromiseFulfilledResult<{ flowId: string }>).value.flowId);
    expect(new Set(flowIds).size).toBe(5);

    // The triage workers take the five flows at once; each opens or joins the lead's conversation.
    await vi.waitFor(async () => expect(await prisma().leadFlow.count({ where: { leadId: lead.leadId, status: 'IN_PROGRESS' } })).toBe(0), RETRY);
    expect(await prisma().lead.count({ where: { id: lead.leadId } })).toBe(1);
    const conversations = await prisma().conversation.findMany({ where: { leadId: lead.leadId } });
    expect(conversations).toHaveLength(1);
    const flows = await prisma().leadFlow.findMany({ where: { leadId: lead.leadId }, include: { handoffs: { where: { type: 'TRIAGE_TO_ENGAGEMENT' } } } });
    expect(flows.map((flow) => flow.id).sort()).toEqual([...flowIds].sort());
    for (const flow of flows) {
      expect(flow.triagedAt).not.toBeNull();
      expect(flow.handoffs.map((handoff) => handoff.conversationId)).toEqual([conversations[0]!.id]);
    }
  });
});
