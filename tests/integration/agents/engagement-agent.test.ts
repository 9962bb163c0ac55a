// The Engagement agent against a real database and the seeded knowledge base:
// it plans and schedules every step in the outbox with its delivery job (the
// delivery worker, not engagement, sends them and records the touchpoints:
// tests/integration/delivery/), honours consent, do-not-contact and the frequency cap, learns from recorded
// results, and writes nothing that survives a rollback of the caller's transaction.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngagementAgent, type EngagementRequest } from '../../../src/agents/engagement/engagement-agent.js';
import { recordedResults } from '../../../src/agents/engagement/variant-evidence.js';
import type { LeadInput } from '../../../src/domain/lead.js';
import { loadConfig } from '../../../src/config.js';
import { databaseTarget, openDatabase, type Database } from '../../../src/db/database.js';
import type { InteractionType, TriageCategory } from '../../../src/db/generated/prisma/enums.js';
import { seedKnowledgeBase } from '../../../src/memory/semantic/seed.js';
import { createSemanticMemory, type SemanticMemory } from '../../../src/memory/semantic/semantic-memory.js';
import { seededRandom } from '../../../src/statistics/random.js';
import { openJobQueue } from '../../../src/app/jobs.js';
import type { JobQueue } from '../../../src/jobs/job-queue.js';
import { createLogger } from '../../../src/logger.js';
import { createDeliveryWorker } from '../../../src/delivery/delivery-worker.js';
import { createDeliveryTransports } from '../../../src/delivery/transports/transport-selection.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { testCipher } from '../../support/test-cipher.js';
import type { PersonalDataCipher } from '../../../src/privacy/personal-data-cipher.js';

const DAY = 24 * 3600 * 1000;
// Not from test-app.ts: that one loads the whole server, and this file tests the agent alone.
const uniqueLeadId = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;
const NOW = new Date('2025-06-02T09:00:00.000Z'); // a Monday
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const AGENT_BY_CATEGORY: Record<TriageCategory, string> = {
  CAMPAIGN_QUALIFIED: 'engagement-premium-001',
  GENERAL_INQUIRY: 'engagement-standard-001',
  COLD_LEAD: 'engagement-nurture-001',
};

let cipher: PersonalDataCipher;
let testDatabase: TestDatabase;
let database: Database;
let semantic: SemanticMemory;
/** The real queue the messages' delivery jobs go to; nothing works it here. */
let jobs: JobQueue;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const config = loadConfig(testDatabase.env);
  database = await openDatabase(databaseTarget(config));
  jobs = await openJobQueue(config, database, createLogger('silent', 'engagement-test'));
  semantic = await createSemanticMemory({ prisma: database.prisma });
  cipher = await testCipher(database.prisma);
  await seedKnowledgeBase(semantic);
});
afterAll(async () => {
  await jobs?.stop();
  await semantic?.close();
  await database?.close();
  await testDatabase?.drop();
});

function agent(seed = 1) {
  return createEngagementAgent({ prisma: database.prisma, cipher, semantic, jobs, random: seededRandom(seed), now: () => NOW });
}

interface Profile {
  consent?: boolean;
  doNotContact?: boolean;
  attributes?: Record<string, string>;
  preferredHour?: number;
}

/** A stored lead with its conversation (and profile, when given). */
async function storedLead(lead: Omit<LeadInput, 'leadId'>, profile?: Profile): Promise<{ lead: LeadInput; conversationId: string }> {
  const leadId = uniqueLeadId('engage');
  await database.prisma.lead.create({
    data: {
      id: leadId,
      industry: lead.industry,
      companySize: lead.companySize,
      persona: lead.persona ?? null,
      email: lead.email ?? null,
      phone: lead.phone ?? null,
    },
  });
  const conversation = await database.prisma.conversation.create({ data: { leadId }, select: { id: true } });
  if (profile) await database.prisma.leadProfile.create({ data: { leadId, ...profile } });
  return { lead: { leadId, ...lead }, conversationId: conversation.id };
}

function request(lead: LeadInput, conversationId: string, category: TriageCategory, score = 75): EngagementRequest {
  const agentId = AGENT_BY_CATEGORY[category];
  return { lead, conversationId, triage: { category, assignedAgent: agentId, score }, agent: agentId };
}

/** prepare outside, engage inside a transaction: how the pipeline calls it. */
async function engage(engagement: ReturnType<typeof agent>, req: EngagementRequest) {
  const prepared = await engagement.prepare(req.lead);
  return database.prisma.$transaction(async (tx) => (await engagement.engage(tx, [{ prepared, request: req }]))[0]!);
}

async function written(leadId: string) {
  const [outbox, interactions] = await Promise.all([
    database.prisma.outboundMessage.findMany({ where: { leadId }, orderBy: { scheduledFor: 'asc' } }),
    database.prisma.interaction.findMany({ where: { leadId, type: 'TOUCHPOINT_SENT' } }),
  ]);
  // Stored sealed: opened as the delivery worker and GraphQL open them.
  return {
    outbox: outbox.map((row) => ({
      ...row,
      recipient: cipher.open(row.recipient),
      subject: cipher.openOptional(row.subject),
      body: cipher.open(row.body),
      metadata: cipher.openJson(row.metadata),
    })),
    interactions: interactions.map((row) => ({
      ...row,
      subject: cipher.openOptional(row.subject),
      body: cipher.openOptional(row.body),
      metadata: cipher.openJson(row.metadata),
    })),
  };
}

describe('createEngagementAgent().engage', () => {
  // Changed by issue 14 (delivery): engagement no longer records the first touchpoint as sent when it plans it;
  // the delivery worker records it when it sends it. Here: every step SCHEDULED, no interaction yet.
  it('plans the sequence and schedules every step in the outbox, sending nothing itself', async () => {
    const { lead, conversationId } = await storedLead(
      { industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', email: 'jane.doe@acme-corp.com', phone: '+1 415 555 0100' },
      { attributes: { firstName: 'Janet', lastName: 'Doe', title: 'VP Sales' }, preferredHour: 8 },
    );
    const outcome = await engage(agent(), request(lead, conversationId, 'CAMPAIGN_QUALIFIED', 82));

    expect(outcome).toMatchObject({ status: 'EXECUTED', reason: null, agent: 'engagement-premium-001' });
    expect(outcome.plan).toHaveLength(4);
    const first = outcome.firstTouchpoint!;
    expect(first).toMatchObject(outcome.plan[0]!);
    expect(first.sendAt).toEqual(NOW);
    expect(first.template).toBe(outcome.variantChoice!.chosen);
    // Personalized from the profile and the knowledge base (Technology's top pain point).
    expect(first.body).toContain('Janet');
    expect(first.body).toContain('pipeline growth');
    expect(outcome.plan.slice(1).every((step) => step.sendAt.getUTCHours() === 8)).toBe(true);

    const { outbox, interactions } = await written(lead.leadId);
    expect(outbox).toHaveLength(4);
    const recipients = { EMAIL: 'jane.doe@acme-corp.com', SMS: '+1 415 555 0100', CALL: '+1 415 555 0100', LINKEDIN: '"Janet Doe" Acme Corp VP Sales' };
    outbox.forEach((row, index) => {
      const step = outcome.plan[index]!;
      expect(row).toMatchObject({
        channel: step.channel,
        template: step.template,
        subject: step.subject,
        body: step.body,
        scheduledFor: step.sendAt,
        status: 'SCHEDULED',
        recipient: recipients[step.channel],
        interactionId: null,
        sentAt: null,
        attempts: 0,
        purpose: 'TOUCHPOINT',
        // What the send-time interaction will belong to and carry.
        conversationId,
        agent: 'engagement-premium-001',
        dedupKey: `baton-${row.id}`,
      });
      expect(row.metadata).toMatchObject({ step: index + 1 });
    });
    expect(outbox[0]!.id).toBe(first.outboxId);
    expect(first.touchpointId).toBe(first.outboxId);
    expect(outbox[0]!.metadata).toMatchObject({ engagement: { segment: 'Technology/Decision Maker', arm: first.template, steps: 4 } });
    // Nothing is recorded as sent before the delivery worker sends it.
    expect(interactions).toHaveLength(0);

    expect(outcome.nextActions).toHaveLength(3);
    outcome.nextActions.forEach((action, index) => {
      expect(action).toMatchObject({
        action: 'follow_up',
        agent: 'engagement-premium-001',
        channel: outcome.plan[index + 1]!.channel,
        dueAt: outcome.plan[index + 1]!.sendAt,
      });
    });

    const choice = outcome.variantChoice!;
    expect(choice.segment).toBe('Technology/Decision Maker');
    expect(choice.seed).toBeNull();
    expect(choice.arms.map((arm) => arm.channel)).toEqual(['EMAIL', 'EMAIL', 'CALL', 'CALL', 'LINKEDIN', 'LINKEDIN', 'SMS', 'SMS']);
    expect(choice.arms.reduce((sum, arm) => sum + arm.probabilityBest, 0)).toBeCloseTo(1, 9);
    // Cold start: no results yet, the prior's mean comes from the segment's RESPONDS_ON weight (LinkedIn 0.078).
    const linkedIn = choice.arms.find((arm) => arm.channel === 'LINKEDIN')!;
    expect(linkedIn).toMatchObject({ successes: 0, failures: 0 });
    expect(linkedIn.posteriorMean).toBeCloseTo((1 + 0.078 * 10) / 12, 9);
  });

  it.each([
    [{ consent: false }, /^Consent withdrawn/],
    [{ doNotContact: true }, /^Do not contact/],
  ])('is BLOCKED with its reason and writes nothing for a profile %o', async (profile, reason) => {
    const { lead, conversationId } = await storedLead(
      { industry: 'HEALTHCARE', companySize: 'SMB', persona: 'END_USER', email: 'sam.lee@clinic.example' },
      profile,
    );
    const outcome = await engage(agent(), request(lead, conversationId, 'CAMPAIGN_QUALIFIED'));
    expect(outcome).toMatchObject({ status: 'BLOCKED', plan: [], firstTouchpoint: null, nextActions: [], variantChoice: null });
    expect(outcome.reason).toMatch(reason);
    const { outbox, interactions } = await written(lead.leadId);
    expect(outbox).toHaveLength(0);
    expect(interactions).toHaveLength(0);
  });

  it('is BLOCKED after an unsubscribe that consolidation has not folded into the profile yet', async () => {
    const { lead, conversationId } = await storedLead({ industry: 'HEALTHCARE', companySize: 'SMB', persona: null, phone: '+1 415 555 0111' });
    await database.prisma.interaction.create({ data: { leadId: lead.leadId, type: 'UNSUBSCRIBED', channel: 'SMS', occurredAt: ago(1) } });
    const outcome = await engage(agent(), request(lead, conversationId, 'GENERAL_INQUIRY'));
    expect(outcome.status).toBe('BLOCKED');
    expect(outcome.reason).toBe(`Consent withdrawn: the lead unsubscribed on ${ago(1).toISOString()}.`);
    expect((await written(lead.leadId)).outbox).toHaveLength(0);
  });

  it('schedules the first step later when the lead already had 3 touchpoints in the last 7 days', async () => {
    const { lead, conversationId } = await storedLead({
      industry: 'FINANCE',
      companySize: 'MID_MARKET',
      persona: 'DECISION_MAKER',
      email: 'kim.park@bank.example',
    });
    await database.prisma.interaction.createMany({
      data: [6, 4, 1].map((days) => ({
        leadId: lead.leadId,
        type: 'TOUCHPOINT_SENT' as const,
        channel: 'EMAIL' as const,
        template: 'earlier',
        occurredAt: ago(days),
      })),
    });
    const outcome = await engage(agent(), request(lead, conversationId, 'COLD_LEAD'));
    expect(outcome.status).toBe('EXECUTED');
    // The touch of 6 days ago leaves the window 24 hours from now; the default send hour is 15:00 UTC.
    expect(outcome.firstTouchpoint!.sendAt.toISOString()).toBe('2025-06-03T15:00:00.000Z');
    expect(outcome.firstTouchpoint!.note).toMatch(/^Deferred by the frequency cap/);
    const { outbox } = await written(lead.leadId);
    expect(outbox[0]!.scheduledFor).toEqual(outcome.firstTouchpoint!.sendAt);
    expect(outbox[0]!.id).toBe(outcome.firstTouchpoint!.outboxId);

    // Engaging again replaces the plan: its follow-ups are cancelled, its first
    // touchpoint (scheduled, not sent yet) stays and still counts, so the new one comes later.
    const again = await engage(agent(), request(lead, conversationId, 'COLD_LEAD'));
    expect(again.firstTouchpoint!.sendAt.getTime()).toBeGreaterThan(outcome.firstTouchpoint!.sendAt.getTime());
    expect(again.firstTouchpoint!.note).toContain('Supersedes the earlier plan: 2 pending follow-ups cancelled in the outbox.');
    const rows = (await written(lead.leadId)).outbox;
    expect(rows.filter((row) => row.status === 'CANCELLED').map((row) => row.template)).toEqual(outcome.plan.slice(1).map((step) => step.template));
    const all = [...[6, 4, 1].map((days) => ago(days)), ...rows.filter((row) => row.status === 'SCHEDULED').map((row) => row.scheduledFor)].map((d) =>
      d.getTime(),
    );
    expect(all).toHaveLength(3 + 1 + 3); // earlier touches, the first plan's first step, the new plan
    for (const start of all) expect(all.filter((t) => t >= start && t < start + 7 * DAY).length).toBeLessThanOrEqual(3);
  });

  it('lets recorded results shift the choice: the template that keeps getting replies wins', async () => {
    const segment = { industry: 'MANUFACTURING', companySize: 'SMB', persona: 'INFLUENCER' } as const;
    const winner = 'standard-evaluation-guide-email-b';
    const history: { template: string; channel: 'EMAIL' | 'LINKEDIN'; replied: boolean }[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ template: winner, channel: 'EMAIL' as const, replied: i < 24 })),
      ...Array.from({ length: 30 }, (_, i) => ({ template: 'standard-evaluation-guide-email-a', channel: 'EMAIL' as const, replied: i < 2 })),
      ...Array.from({ length: 20 }, () => ({ template: 'standard-evaluation-guide-linkedin-a', channel: 'LINKEDIN' as const, replied: false })),
    ];
    const leadIds = history.map(() => uniqueLeadId('history'));
    await database.prisma.lead.createMany({ data: leadIds.map((id) => ({ id, ...segment })) });
    await database.prisma.interaction.createMany({
      data: history.flatMap(({ template, channel, replied }, i) => [
        { leadId: leadIds[i]!, type: 'TOUCHPOINT_SENT' as const, channel, template, occurredAt: ago(30) },
        ...(replied ? [{ leadId: leadIds[i]!, type: 'REPLY' as const, channel, occurredAt: ago(28) }] : []),
      ]),
    });

    for (const seed of [1, 2, 3]) {
      const { lead, conversationId } = await storedLead({ ...segment, email: 'alex.kim@factory.example' });
      const outcome = await engage(agent(seed), request(lead, conversationId, 'GENERAL_INQUIRY'));
      expect(outcome.firstTouchpoint!.template).toBe(winner);
      const arms = outcome.variantChoice!.arms;
      expect(arms.find((arm) => arm.arm === winner)).toMatchObject({ successes: 24, failures: 6 });
      expect(arms.find((arm) => arm.arm === 'standard-evaluation-guide-email-a')).toMatchObject({ successes: 2, failures: 28 });
      const best = arms.reduce((x, y) => (y.probabilityBest > x.probabilityBest ? y : x));
      expect(best.arm).toBe(winner);
      expect(best.probabilityBest).toBeGreaterThan(0.99);
      // The first message carries the decision's evidence, for the interaction recorded when it is sent (audit).
      const message = await database.prisma.outboundMessage.findUniqueOrThrow({ where: { id: outcome.firstTouchpoint!.outboxId } });
      expect(message.metadata).toMatchObject({ engagement: { segment: 'Manufacturing/Influencer', arm: winner } });
    }
  });

  it("leaves nothing behind when the caller's transaction rolls back", async () => {
    const { lead, conversationId } = await storedLead({ industry: 'TECHNOLOGY', companySize: 'STARTUP', persona: 'END_USER', email: 'li.wei@startup.example' });
    const engagement = agent();
    const prepared = await engagement.prepare(lead);
    let planned = 0;
    await expect(
      database.prisma.$transaction(async (tx) => {
        const [outcome] = await engagement.engage(tx, [{ prepared, request: request(lead, conversationId, 'GENERAL_INQUIRY') }]);
        planned = outcome!.plan.length;
        expect(await tx.outboundMessage.count({ where: { leadId: lead.leadId } })).toBe(planned);
        throw new Error('a later step of the caller failed');
      }),
    ).rejects.toThrow('a later step of the caller failed');
    expect(planned).toBe(4);
    const { outbox, interactions } = await written(lead.leadId);
    expect(outbox).toHaveLength(0);
    expect(interactions).toHaveLength(0);
  });

  it('reads an omitted persona from the stored lead and refuses evidence prepared for another segment', async () => {
    const { lead, conversationId } = await storedLead({ industry: 'FINANCE', companySize: 'ENTERPRISE', persona: 'INFLUENCER' });
    const engagement = agent();
    const { persona: _omitted, ...withoutPersona } = lead;
    expect((await engagement.prepare(withoutPersona)).segment).toMatchObject({ industry: 'FINANCE', persona: 'INFLUENCER' });
    const other = await engagement.prepare({ ...lead, persona: 'END_USER' });
    await expect(
      database.prisma.$transaction((tx) => engagement.engage(tx, [{ prepared: other, request: request(lead, conversationId, 'COLD_LEAD') }])),
    ).rejects.toThrow(/prepared for Finance\/End User, but lead .* is in Finance\/Influencer/);
  });

  it('reaches a lead without email or phone on LinkedIn, addressed by a search', async () => {
    const { lead, conversationId } = await storedLead({ industry: 'HEALTHCARE', companySize: 'MID_MARKET', persona: 'DECISION_MAKER' });
    const outcome = await engage(agent(), request(lead, conversationId, 'COLD_LEAD'));
    expect(outcome.plan.every((step) => step.channel === 'LINKEDIN')).toBe(true);
    const { outbox } = await written(lead.leadId);
    expect(outbox.map((row) => row.recipient)).toEqual(Array(3).fill('Decision Maker, Healthcare'));
  });

  it('draws each decision from its own seeded stream by default, and reports the seed', async () => {
    const { lead, conversationId } = await storedLead({ industry: 'TECHNOLOGY', companySize: 'SMB', persona: null, email: 'ops@tools.example' });
    const engagement = createEngagementAgent({ prisma: database.prisma, cipher, semantic, jobs, now: () => NOW });
    const outcome = await engage(engagement, request(lead, conversationId, 'GENERAL_INQUIRY'));
    expect(Number.isInteger(outcome.variantChoice!.seed)).toBe(true);
    expect(outcome.variantChoice!.segment).toBe('Technology/No persona');
  });
});

describe('createEngagementAgent().prepare', () => {
  it("reuses a segment's evidence for a minute, and reads it afresh when told to", async () => {
    const segment = { industry: 'HEALTHCARE', companySize: 'STARTUP', persona: 'INFLUENCER' } as const;
    const first = await storedLead({ ...segment, email: 'ana.ruiz@health.example' });
    const second = await storedLead(segment);
    const cached = agent();
    const prepared = await cached.prepare(first.lead);
    expect(await cached.prepare(second.lead)).toBe(prepared);
    expect(prepared.results).toEqual([]);

    const engaged = await engage(cached, request(first.lead, first.conversationId, 'GENERAL_INQUIRY'));
    // The delivery worker sends the first touchpoint (to the local mailbox: no transport configured) and records it.
    const deliver = createDeliveryWorker({
      prisma: database.prisma,
      cipher,
      jobs,
      transports: createDeliveryTransports({ smtpUrl: undefined, smtpFrom: undefined, webhookUrl: undefined, webhookSecret: undefined }),
      retry: { maxAttempts: 1, backoffMs: 0, backoffMaxMs: 0 },
      now: () => NOW,
    });
    await deliver({ messageId: engaged.firstTouchpoint!.outboxId, leadId: first.lead.leadId }, { attempt: 1, maxAttempts: 1, queueWaitMs: 0 });
    await database.prisma.interaction.create({ data: { leadId: first.lead.leadId, type: 'REPLY', channel: 'EMAIL', occurredAt: NOW } });
    expect(await cached.prepare(second.lead)).toBe(prepared);
    const fresh = createEngagementAgent({ prisma: database.prisma, cipher, semantic, jobs, random: seededRandom(1), now: () => NOW, evidenceTtlMs: 0 });
    const reread = await fresh.prepare(second.lead);
    expect(reread.results).toHaveLength(1);
    expect(reread.results[0]).toMatchObject({ successes: 1, failures: 0, pending: 0 });
    expect(await fresh.prepare(second.lead)).not.toBe(reread);
  });
});

describe('recordedResults', () => {
  it('judges each touchpoint in its response window: success, failure once closed, pending while open', async () => {
    const segment = { industry: 'MANUFACTURING', companySize: 'ENTERPRISE', persona: 'END_USER' } as const;
    const X = `x-${randomUUID()}`;
    const Y = `y-${randomUUID()}`;
    type Event = [InteractionType, number, string?];
    const leads: [persona: 'END_USER' | null, events: Event[]][] = [
      [
        'END_USER',
        [
          ['TOUCHPOINT_SENT', 20, X],
          ['REPLY', 19],
        ],
      ], // success
      ['END_USER', [['TOUCHPOINT_SENT', 20, X]]], // failure: 14 days passed
      ['END_USER', [['TOUCHPOINT_SENT', 5, X]]], // pending: window open
      [
        'END_USER',
        [
          ['TOUCHPOINT_SENT', 20, X],
          ['TOUCHPOINT_SENT', 18, Y],
          ['REPLY', 17],
        ],
      ], // X failure (closed by Y), Y success
      [
        'END_USER',
        [
          ['TOUCHPOINT_SENT', 3, X],
          ['CLICK', 2],
        ],
      ], // success, young
      [
        'END_USER',
        [
          ['TOUCHPOINT_SENT', 30, X],
          ['MEETING_BOOKED', 10],
        ],
      ], // failure: the meeting came after 14 days
      [
        'END_USER',
        [
          ['TOUCHPOINT_SENT', 20, X],
          ['EMAIL_OPEN', 19],
        ],
      ], // failure: an open is not a response
      [
        null,
        [
          ['TOUCHPOINT_SENT', 20, X],
          ['CONVERTED', 19],
        ],
      ], // another segment
    ];
    for (const [persona, events] of leads) {
      const leadId = uniqueLeadId('judged');
      await database.prisma.lead.create({ data: { id: leadId, industry: segment.industry, companySize: segment.companySize, persona } });
      await database.prisma.interaction.createMany({
        data: events.map(([type, days, template]) => ({ leadId, type, channel: 'EMAIL' as const, template: template ?? null, occurredAt: ago(days) })),
      });
    }
    expect(await recordedResults(database.prisma, segment, [X, Y, 'unused'], NOW)).toEqual(
      [
        { channel: 'EMAIL', template: X, successes: 2, failures: 4, pending: 1 },
        { channel: 'EMAIL', template: Y, successes: 1, failures: 0, pending: 0 },
      ].sort((a, b) => a.template.localeCompare(b.template)),
    );
    expect(await recordedResults(database.prisma, { industry: 'MANUFACTURING', persona: null }, [X], NOW)).toEqual([
      { channel: 'EMAIL', template: X, successes: 1, failures: 0, pending: 0 },
    ]);
    expect(await recordedResults(database.prisma, segment, [], NOW)).toEqual([]);
  });
});
