// Consolidation through the real API: what conversations and the interaction log
// taught lands in profiles, episodes and the knowledge graph; a second run changes
// nothing; a later run reads only what is new; and across replicas it runs once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConsolidateMemoryDocument,
  LeadMemoryDocument,
  ProcessLeadForTestDocument,
  RecordInteractionDocument,
  RecordOutcomeDocument,
  StoreLeadProfileDocument,
  StoreShortTermMemoryDocument,
  TriageLeadForTestDocument,
} from '../../__generated__/graphql.js';
import { CONSOLIDATION_LOCK_KEY } from '../../../src/memory/consolidation/consolidation.js';
import { channelId, RESPONDS_ON, segmentId } from '../../../src/memory/semantic/vocabulary.js';
import { untilDelivered } from '../../support/delivery.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

async function processLead(leadId: string) {
  const input = { leadId, industry: 'HEALTHCARE', companySize: 'MID_MARKET', persona: 'INFLUENCER', source: 'webinar' } as const;
  // No email or phone, but a name in the long-term profile: LinkedIn is the one channel that reaches these leads, so
  // the touchpoints are predictable. (Without the name the quality gate would hold them for context: issue 14.)
  // The lead exists once triaged, and its profile can then be written.
  expect((await baton.graphql(TriageLeadForTestDocument, { input })).body.errors).toBeUndefined();
  const named = await baton.graphql(StoreLeadProfileDocument, { leadId, input: { attributes: { firstName: 'Dana', lastName: 'Reyes' } } });
  expect(named.body.errors).toBeUndefined();
  const { body } = await baton.graphql(ProcessLeadForTestDocument, { input });
  expect(body.errors).toBeUndefined();
  const flow = body.data!.processLead;
  expect(flow.status).toBe('COMPLETED');
  // The touchpoint is recorded when the delivery worker sends it (to the local mailbox), just after the flow settles.
  await untilDelivered(baton.app.services.prisma, leadId);
  return { ...flow, conversationId: flow.conversationId! };
}

async function consolidate() {
  const { body } = await baton.graphql(ConsolidateMemoryDocument, {});
  expect(body.errors).toBeUndefined();
  return body.data!.consolidateMemory;
}

async function record(leadId: string, type: 'CLICK' | 'REPLY', occurredAt: string) {
  const { body } = await baton.graphql(RecordInteractionDocument, { input: { leadId, type, channel: 'LINKEDIN', occurredAt } });
  expect(body.errors).toBeUndefined();
  expect(body.data!.recordInteraction.__typename).toBe('Interaction');
}

async function memoryOf(leadId: string) {
  const { body } = await baton.graphql(LeadMemoryDocument, { id: leadId, similar: 5 });
  expect(body.errors).toBeUndefined();
  return body.data!.lead!;
}

describe('consolidateMemory', () => {
  const replied = uniqueLeadId('replied');
  const converted = uniqueLeadId('converted');
  const untouched = uniqueLeadId('untouched');

  it('moves conversations, signals and outcomes into profiles, episodes and the knowledge graph', async () => {
    const first = await processLead(replied);
    await processLead(converted);
    await processLead(untouched);
    const { body } = await baton.graphql(StoreShortTermMemoryDocument, {
      conversationId: first.conversationId,
      input: { activeIntent: 'pricing', extractedSlots: { budget: '50k', timeline: 'Q3' } },
    });
    expect(body.errors).toBeUndefined();
    // Signals after the touchpoint (sent now), two clicks in one hour and the reply a little later.
    const sent = Date.now();
    const at = (seconds: number) => new Date(sent + seconds * 1000);
    await record(replied, 'CLICK', at(1).toISOString());
    await record(replied, 'CLICK', at(2).toISOString());
    await record(replied, 'REPLY', at(3).toISOString());
    await baton.graphql(RecordOutcomeDocument, { leadId: converted, outcome: 'CONVERTED' });

    const report = await consolidate();
    expect(report.skipped).toBe(false);
    expect(report.contextsRead).toBeGreaterThanOrEqual(3);
    expect(report.episodesWritten).toBe(2);
    expect(report.factsReweighted).toBeGreaterThan(0);
    expect(report.triageModelRetrained).toBe(true);
    expect(report.outcomesLearned).toBe(1);

    const memory = await memoryOf(replied);
    expect(memory.profile).toMatchObject({
      attributes: { budget: '50k', timeline: 'Q3' },
      touches: 1,
      clicks: 2,
      replies: 1,
      preferredChannel: 'LINKEDIN',
      preferredHour: at(1).getUTCHours() === at(3).getUTCHours() ? at(1).getUTCHours() : expect.any(Number),
      lastActivityAt: at(3).toISOString(),
      consent: true,
    });
    // Triaged twice: once to store the lead before its profile was named, once when processed.
    const triaged = expect.objectContaining({ score: memory.score, modelVersion: 'cold-start-v1' });
    expect(memory.profile!.scoreHistory).toEqual([triaged, triaged]);
    expect(memory.episode).toMatchObject({ outcome: 'REPLIED', channel: 'LINKEDIN', action: expect.stringMatching(/^touchpoint:linkedin:/) });
    expect((await memoryOf(converted)).episode).toMatchObject({ outcome: 'CONVERTED' });
    // Inside its reply window, an unanswered touchpoint is no episode yet.
    expect((await memoryOf(untouched)).episode).toBeNull();

    // A reply and a conversion after three LinkedIn touchpoints: the segment's observed response rate.
    const facts = await baton.app.services.memory.semantic.topObjects(segmentId('HEALTHCARE', 'INFLUENCER'), RESPONDS_ON, 10);
    expect(facts.find((fact) => fact.object.id === channelId('LINKEDIN'))).toMatchObject({ weight: 2 / 3, evidenceCount: 3, provenance: 'consolidation' });
    // Knowledge about the lead's industry and segment reaches GraphQL.
    expect(memory.knowledge.length).toBeGreaterThan(0);
  });

  it('changes nothing when run again over the same history', async () => {
    const before = await memoryOf(replied);
    const again = await consolidate();
    expect(again).toMatchObject({ profilesUpdated: 0, episodesWritten: 0, factsReweighted: 0, triageModelRetrained: false });
    expect(await memoryOf(replied)).toEqual(before);
  });

  it('reads only what was recorded since the last run', async () => {
    await record(untouched, 'CLICK', new Date().toISOString());
    const report = await consolidate();
    expect(report.profilesUpdated).toBe(1);
    expect(report.episodesWritten).toBe(0);
    expect((await memoryOf(untouched)).profile).toMatchObject({ clicks: 1 });
  });

  it('turns a touchpoint left unanswered past the reply window into an IGNORED episode', async () => {
    const leadId = uniqueLeadId('silent');
    await processLead(leadId);
    const { memory } = baton.app.services;
    // Back-date the touchpoint beyond the 14-day window, as if sent weeks ago.
    await baton.app.services.prisma.interaction.updateMany({
      where: { leadId, type: 'TOUCHPOINT_SENT' },
      data: { occurredAt: new Date(Date.now() - 20 * 86_400_000), createdAt: new Date() },
    });
    await memory.consolidator.run();
    expect((await memoryOf(leadId)).episode).toMatchObject({ outcome: 'IGNORED' });
  });
});

describe.runIf(process.env.DATABASE_URL)('consolidation across replicas', () => {
  it('runs once: a scheduled run skips while another replica holds the lock, and queued runs find nothing left to do', async () => {
    const replica = await startTestApp({ database: baton.database, env: { CONSOLIDATION_INTERVAL_S: '0' } });
    try {
      await processLead(uniqueLeadId('replica'));
      // Another replica mid-run: hold the advisory lock from outside.
      const holder = new pg.Client({ connectionString: baton.database.env.DATABASE_URL });
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [CONSOLIDATION_LOCK_KEY.toString()]);
      expect((await replica.app.services.memory.consolidator.run({ wait: false })).skipped).toBe(true);
      await holder.query('COMMIT');
      await holder.end();

      const [a, b] = await Promise.all([baton.app.services.memory.consolidator.run(), replica.app.services.memory.consolidator.run()]);
      expect([a.skipped, b.skipped]).toEqual([false, false]);
      // One of them did the work; the other, queued behind it, found nothing new.
      const work = [a, b].map((r) => r.longTerm.profilesUpdated + r.episodic.episodesWritten);
      expect(Math.min(...work)).toBe(0);
      expect(Math.max(...work)).toBeGreaterThan(0);
    } finally {
      await replica.stop({ keepDatabase: true });
    }
  });
});
