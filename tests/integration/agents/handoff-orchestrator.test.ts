// The handoff orchestrator against a real database: the quality gate, enrichment,
// the low-quality policies, loop protection, the manager's desk and analytics.
import { createPubSub } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTriageHandoffContext, type HandoffContext } from '../../../src/agents/handoff/handoff-context.js';
import { handoffAnalytics } from '../../../src/agents/handoff/handoff-analytics.js';
import { createEscalationDesk } from '../../../src/agents/handoff/escalation-desk.js';
import { BOUNCE_LIMIT, createHandoffOrchestrator, type HandoffPlan } from '../../../src/agents/handoff/handoff-orchestrator.js';
import type { ContextRequirement } from '../../../src/agents/handoff/handoff-quality.js';
import { triageLead } from '../../../src/agents/triage/triage.js';
import { COLD_START_MODEL } from '../../../src/domain/triage-model.js';
import { loadConfig } from '../../../src/config.js';
import { databaseTarget, openDatabase, type Database } from '../../../src/db/database.js';
import type { BatonEvents, HandoffProgressEvent } from '../../../src/events/event-bus.js';
import { untilClockPasses } from '../../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let testDb: TestDatabase;
let database: Database;
const orchestrator = createHandoffOrchestrator();

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase(databaseTarget(loadConfig({ ...testDb.env, LOG_LEVEL: 'silent' })));
});
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

async function newLead(): Promise<{ leadId: string; context: HandoffContext }> {
  const leadId = uniqueLeadId();
  await database.prisma.lead.create({ data: { id: leadId, industry: 'FINANCE', companySize: 'SMB' } });
  const lead = { leadId, industry: 'FINANCE', companySize: 'SMB' } as const;
  return { leadId, context: buildTriageHandoffContext(lead, 'conv', triageLead(lead, COLD_START_MODEL), new Date(), new Date()) };
}

function plan(leadId: string, context: HandoffContext, overrides: Partial<HandoffPlan<string>> = {}): HandoffPlan<string> {
  return {
    type: 'TRIAGE_TO_ENGAGEMENT',
    trigger: 'TASK_COMPLETION',
    fromAgent: 'agent-a',
    toAgent: 'agent-b',
    leadId,
    campaignId: null,
    conversationId: null,
    context,
    requirements: NEEDS_CONTACT,
    onLowQuality: 'FAIL',
    continuation: 'test',
    execute: async () => ({ outcome: 'COMPLETED', detail: 'done', result: 'worked' }),
    ...overrides,
  };
}

const run = (p: HandoffPlan<string>) => database.prisma.$transaction((tx) => orchestrator.run(tx, p));
const statuses = (events: { status: string }[]) => events.map((event) => event.status);

describe('the quality gate', () => {
  it('executes a packet at or above 0.7 and records every step', async () => {
    const { leadId, context } = await newLead();
    const outcome = await run(plan(leadId, { ...context, lead: { ...context.lead, email: 'a@b.co' } }));
    expect(outcome.result).toBe('worked');
    expect(outcome.handoff).toMatchObject({ status: 'COMPLETED', qualityScore: 1, failureReason: null });
    expect(statuses(outcome.handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'COMPLETED']);
    const stored = await database.prisma.handoffEvent.count({ where: { handoffId: outcome.handoff.id } });
    expect(stored).toBe(5);
  });

  it('fails a packet below the gate when enrichment cannot help, naming what is missing, without running the agent', async () => {
    const { leadId, context } = await newLead();
    let ran = false;
    const outcome = await run(
      plan(leadId, context, {
        enrich: async (c) => c,
        execute: async () => {
          ran = true;
          return { outcome: 'COMPLETED', detail: '', result: '' };
        },
      }),
    );
    expect(ran).toBe(false);
    expect(outcome.handoff).toMatchObject({ status: 'FAILED', qualityScore: 0.5, failureReason: 'Context quality 0.50 is below 0.7 (incomplete: contact)' });
    expect(statuses(outcome.handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'FAILED']);
  });

  it('enriches a packet from memory, re-scores it and executes when it passes', async () => {
    const { leadId, context } = await newLead();
    const missingSeen: string[][] = [];
    const outcome = await run(
      plan(leadId, context, {
        enrich: async (c, missing) => {
          missingSeen.push([...missing]);
          return { ...c, lead: { ...c.lead, phone: '+1 415 555 0100' } };
        },
      }),
    );
    expect(missingSeen).toEqual([['contact']]);
    expect(statuses(outcome.handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ENRICHED', 'VALIDATED', 'ACCEPTED', 'COMPLETED']);
    expect(outcome.handoff.events[2]).toMatchObject({ detail: 'Enriched from memory: quality 0.50 → 1.00', qualityScore: 1 });
    expect((outcome.handoff.context as unknown as HandoffContext).lead.phone).toBe('+1 415 555 0100');
  });

  it('stops enriching after two rounds', async () => {
    const { leadId, context } = await newLead();
    let rounds = 0;
    const halfway: ContextRequirement[] = [{ name: 'rounds', weight: 1, coverage: (c) => Number((c.memory?.knowledge.length ?? 0) / 10) }];
    const outcome = await run(
      plan(leadId, context, {
        requirements: halfway,
        enrich: async (c) => {
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
    expect(statuses(outcome.handoff.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ENRICHED', 'ENRICHED', 'FAILED']);
  });

  it('escalates a packet below the gate to a manager when the policy says so', async () => {
    const { leadId, context } = await newLead();
    const outcome = await run(plan(leadId, context, { onLowQuality: 'ESCALATE' }));
    expect(outcome.handoff.status).toBe('ESCALATED');
    expect(outcome.escalation).toMatchObject({
      type: 'MANAGER_ESCALATION',
      trigger: 'ESCALATION_REQUIRED',
      status: 'ESCALATED',
      toAgent: 'manager',
      parentId: outcome.handoff.id,
      leadId,
    });
    expect(statuses(outcome.escalation!.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ESCALATED']);
  });

  it('records a refusal by the receiving agent as FAILED with its reason', async () => {
    const { leadId, context } = await newLead();
    const outcome = await run(
      plan(
        leadId,
        { ...context, lead: { ...context.lead, email: 'a@b.co' } },
        { execute: async () => ({ outcome: 'FAILED', detail: 'Consent withdrawn', result: '' }) },
      ),
    );
    expect(outcome.handoff).toMatchObject({ status: 'FAILED', failureReason: 'Consent withdrawn' });
  });

  it('writes nothing when the agent throws: the transaction rolls back', async () => {
    const { leadId, context } = await newLead();
    const failing = plan(
      leadId,
      { ...context, lead: { ...context.lead, email: 'a@b.co' } },
      {
        execute: async () => {
          throw new Error('boom');
        },
      },
    );
    await expect(run(failing)).rejects.toThrow('boom');
    expect(await database.prisma.handoff.count({ where: { leadId } })).toBe(0);
  });
});

describe('loop protection', () => {
  it(`escalates instead of handing over a lead a ${BOUNCE_LIMIT + 1}th time between the same two agents`, async () => {
    const { leadId, context } = await newLead();
    const withContact = { ...context, lead: { ...context.lead, email: 'a@b.co' } };
    const forth = plan(leadId, withContact);
    const back = plan(leadId, withContact, { fromAgent: 'agent-b', toAgent: 'agent-a' });
    for (const p of [forth, back, forth]) expect((await run(p)).handoff.status).toBe('COMPLETED');
    const looping = await run(back);
    expect(looping.result).toBeNull();
    expect(looping.handoff.status).toBe('ESCALATED');
    expect(looping.handoff.failureReason).toBe(`Loop: ${BOUNCE_LIMIT} handoffs between agent-b and agent-a in the last 24 hours`);
    expect(looping.escalation).toMatchObject({ trigger: 'ESCALATION_REQUIRED', status: 'ESCALATED' });
  });
});

describe('the escalation desk', () => {
  const published: HandoffProgressEvent[] = [];
  const pubsub = createPubSub<BatonEvents>();
  void (async () => {
    for await (const event of pubsub.subscribe('handoff:progress')) published.push(event);
  })();
  const continued: string[] = [];
  const desk = () =>
    createEscalationDesk({
      prisma: database.prisma,
      pubsub,
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
    const outcome = await run(plan(leadId, context, { onLowQuality: 'ESCALATE' }));
    return { leadId, escalationId: outcome.escalation!.id };
  }

  it('approving continues the interrupted flow and closes the escalation', async () => {
    const { leadId, escalationId } = await openEscalation();
    const resolved = await desk().resolve({ escalationId, decision: 'APPROVE', by: 'manager-jo', note: 'go ahead' });
    expect(resolved).toMatchObject({ status: 'COMPLETED', resolution: 'APPROVED', resolvedBy: 'manager-jo', resolutionNote: 'go ahead' });
    expect(statuses(resolved.events)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ESCALATED', 'ACCEPTED', 'COMPLETED']);
    expect(continued).toContain(`${leadId}:go ahead`);
    // Subscribers hear only what the decision added.
    await vi.waitFor(() => expect(published.filter((e) => e.handoffId === escalationId).map((e) => e.status)).toEqual(['ACCEPTED', 'COMPLETED']));
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
  it('counts, rates and times the handoffs of a window', async () => {
    // Handoffs of earlier tests in this file must fall outside the window.
    const latest = await database.prisma.handoff.findFirst({ orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
    if (latest) await untilClockPasses(latest.createdAt);
    const since = new Date();
    const { leadId, context } = await newLead();
    const withContact = { ...context, lead: { ...context.lead, email: 'a@b.co' } };
    await run(plan(leadId, withContact));
    await run(plan(leadId, context));
    await run(plan(leadId, context, { onLowQuality: 'ESCALATE', type: 'ENGAGEMENT_TO_OPTIMIZATION', trigger: 'PERFORMANCE_THRESHOLD' }));
    const analytics = await handoffAnalytics(database.prisma, { since, until: new Date(Date.now() + 1000) });
    expect(analytics).toMatchObject({
      totalHandoffs: 4,
      activeHandoffs: 1,
      successRate: 0.3333,
      escalations: 1,
      openEscalations: 1,
      byType: { TRIAGE_TO_ENGAGEMENT: 2, ENGAGEMENT_TO_OPTIMIZATION: 1, MANAGER_ESCALATION: 1 },
      byTrigger: { TASK_COMPLETION: 2, ESCALATION_REQUIRED: 1, PERFORMANCE_THRESHOLD: 1, SPECIALIZATION_NEEDED: 0 },
    });
    expect(analytics.averageQuality).toBeCloseTo((1 + 0.5 + 0.5) / 3, 3);
    expect(analytics.p95ProcessingTimeMs).toBeGreaterThanOrEqual(0);
    const empty = await handoffAnalytics(database.prisma, { since: new Date(0), until: new Date(1) });
    expect(empty).toMatchObject({ totalHandoffs: 0, successRate: null, averageQuality: null, p95ProcessingTimeMs: null });
  });
});

describe('the observer (/metrics)', () => {
  it('hears of each handoff once it committed: how it ended, its quality, the escalations raised and closed', async () => {
    const heard: unknown[] = [];
    const observe = {
      finished: (handoff: unknown) => heard.push(handoff),
      escalated: (trigger: unknown) => heard.push({ escalated: trigger }),
    };
    const observed = createHandoffOrchestrator({ observe });
    const { leadId, context } = await newLead();
    const withContact = { ...context, lead: { ...context.lead, email: 'a@b.co' } };
    const [completed, failed, escalated] = await database.prisma.$transaction(async (tx) => [
      await observed.run(tx, plan(leadId, withContact)),
      await observed.run(tx, plan(leadId, context, { type: 'ENGAGEMENT_TO_OPTIMIZATION', fromAgent: 'agent-c' })),
      await observed.run(tx, plan(leadId, context, { onLowQuality: 'ESCALATE', fromAgent: 'agent-d' })),
    ]);
    expect(heard).toEqual([]); // nothing before the commit is known to the caller
    observed.committed([completed!.handoff, failed!.handoff, escalated!.handoff, escalated!.escalation, null]);
    expect(heard).toEqual([
      { type: 'TRIAGE_TO_ENGAGEMENT', status: 'COMPLETED', qualityScore: 1 },
      { type: 'ENGAGEMENT_TO_OPTIMIZATION', status: 'FAILED', qualityScore: 0.5 },
      { type: 'TRIAGE_TO_ENGAGEMENT', status: 'ESCALATED', qualityScore: 0.5 },
      { escalated: 'ESCALATION_REQUIRED' },
    ]);

    heard.length = 0;
    const desk = createEscalationDesk({ prisma: database.prisma, pubsub: createPubSub<BatonEvents>(), continuations: {}, observe });
    const escalationId = escalated!.escalation!.id;
    await desk.resolve({ escalationId, decision: 'REASSIGN', by: 'jo', reassignTo: 'manager-emea' });
    expect(heard).toEqual([]); // still open
    await desk.resolve({ escalationId, decision: 'REJECT', by: 'manager-emea' });
    expect(heard).toEqual([{ type: 'MANAGER_ESCALATION', status: 'FAILED', qualityScore: null }]);
  });
});
