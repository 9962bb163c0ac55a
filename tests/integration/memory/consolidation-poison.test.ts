// One record consolidation cannot store must not stop learning: a short-term
// context with NUL or an unpaired surrogate (written past the input rules: by an
// older version, or by hand in Redis) is skipped and counted in
// baton_consolidation_skipped_records_total{reason}, and every other record is
// consolidated, run after run.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsolidateMemoryDocument, LeadMemoryDocument, StoreShortTermMemoryDocument, TriageLeadForTestDocument } from '../../__generated__/graphql.js';
import { createConsolidator, type SkippedRecord } from '../../../src/memory/consolidation/consolidation.js';
import { metric } from '../../support/metrics.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
const KEY_PREFIX = `baton-test-poison-${randomBytes(4).toString('hex')}:`;
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', REDIS_KEY_PREFIX: KEY_PREFIX } });
});
afterAll(() => baton?.stop());

const SKIPPED = 'baton_consolidation_skipped_records_total';

async function triage(leadId: string) {
  const { body } = await baton.graphql(TriageLeadForTestDocument, {
    input: { leadId, industry: 'HEALTHCARE', companySize: 'MID_MARKET', persona: 'INFLUENCER', source: 'webinar' },
  });
  expect(body.errors).toBeUndefined();
}

async function consolidate() {
  const { body } = await baton.graphql(ConsolidateMemoryDocument, {});
  expect(body.errors).toBeUndefined();
  return body.data!.consolidateMemory;
}

async function attributesOf(leadId: string) {
  const { body } = await baton.graphql(LeadMemoryDocument, { id: leadId, similar: 1 });
  expect(body.errors).toBeUndefined();
  return (body.data!.lead!.profile?.attributes ?? {}) as Record<string, unknown>;
}

describe('consolidation with a poisoned short-term record', () => {
  it('skips and reports the bad records, and consolidates the rest', async () => {
    const good = uniqueLeadId('good');
    const poisoned = uniqueLeadId('poisoned');
    await triage(good);
    await triage(poisoned);
    const stored = await baton.graphql(StoreShortTermMemoryDocument, {
      conversationId: `conv-${good}`,
      input: { leadId: good, extractedSlots: { budget: '50k', timeline: 'Q3' } },
    });
    expect(stored.body.errors).toBeUndefined();

    // Past the boundary, as an older version or an edit in Redis would leave them.
    const shortTerm = baton.app.services.memory.shortTerm;
    await shortTerm.store(`conv-${poisoned}`, { leadId: poisoned, extractedSlots: { note: 'call\u0000me', budget: '10k' } });
    await shortTerm.store('conv-nul-lead', { leadId: `${poisoned}\u0000`, extractedSlots: { budget: '1k' } });
    const nulBefore = await metric(baton.url, SKIPPED, { reason: 'nul' });

    const first = await consolidate();
    expect(first.skipped).toBe(false);
    expect(await attributesOf(good)).toMatchObject({ budget: '50k', timeline: 'Q3' });
    // The poisoned context taught nothing, not even its clean slots: a record is taken whole or not at all.
    expect(await attributesOf(poisoned)).not.toHaveProperty('budget');
    expect((await metric(baton.url, SKIPPED, { reason: 'nul' })) - nulBefore).toBe(2);

    // The records are still there (until they expire): the next run skips them again, and learns what is new.
    const later = await baton.graphql(StoreShortTermMemoryDocument, { conversationId: `conv-${good}`, input: { extractedSlots: { product: 'ehr' } } });
    expect(later.body.errors).toBeUndefined();
    const second = await consolidate();
    expect(second.skipped).toBe(false);
    expect(await attributesOf(good)).toMatchObject({ budget: '50k', product: 'ehr' });
  });

  it('skips a record with an unpaired surrogate in a slot key or value', async () => {
    const leadId = uniqueLeadId('surrogate');
    await triage(leadId);
    const before = await metric(baton.url, SKIPPED, { reason: 'unpaired_surrogate' });
    const shortTerm = baton.app.services.memory.shortTerm;
    try {
      await shortTerm.store(`conv-${leadId}`, { leadId, extractedSlots: { '\uD800key': 'x', budget: '5k' } });
    } catch {
      // Redis's Lua JSON refuses an unpaired surrogate escape: such a record cannot be written there at all.
      return;
    }
    expect((await consolidate()).skipped).toBe(false);
    expect(await attributesOf(leadId)).not.toHaveProperty('budget');
    expect((await metric(baton.url, SKIPPED, { reason: 'unpaired_surrogate' })) - before).toBeGreaterThanOrEqual(1);
  });

  it.runIf(process.env.REDIS_URL)('skips a Redis record that is no JSON at all (an edit by hand), and reads on past it', async () => {
    const broken = uniqueLeadId('broken');
    const after = uniqueLeadId('after');
    await triage(broken);
    await triage(after);
    for (const leadId of [broken, after]) {
      const { body } = await baton.graphql(StoreShortTermMemoryDocument, {
        conversationId: `conv-${leadId}`,
        input: { leadId, extractedSlots: { budget: '7k' } },
      });
      expect(body.errors).toBeUndefined();
    }
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      await redis.set(`${KEY_PREFIX}stm:ctx:conv-${broken}`, '{"conversationId": "conv-', 'KEEPTTL');
    } finally {
      redis.disconnect();
    }
    const before = await metric(baton.url, SKIPPED, { reason: 'unreadable' });
    expect((await consolidate()).skipped).toBe(false);
    expect(await attributesOf(after)).toMatchObject({ budget: '7k' });
    expect(await attributesOf(broken)).not.toHaveProperty('budget');
    expect((await metric(baton.url, SKIPPED, { reason: 'unreadable' })) - before).toBe(1);
  });

  it("logs the skipped record's key and field, never its values", async () => {
    const leadId = uniqueLeadId('logged');
    await triage(leadId);
    await baton.app.services.memory.shortTerm.store(`conv-${leadId}`, { leadId, extractedSlots: { phone: 'secret-555\u0000-0100' } });
    const lines: string[] = [];
    const skipped: SkippedRecord[] = [];
    const { memory, prisma } = baton.app.services;
    // A second consolidator on the same stores and database, with a logger the test reads.
    const consolidator = createConsolidator({
      prisma,
      shortTerm: memory.shortTerm,
      profiles: memory.profiles,
      episodes: memory.episodes,
      semantic: memory.semantic,
      triageModels: memory.triageModels,
      serverId: 'poison-test',
      logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }),
      ignoredAfterMs: 7 * 86_400_000,
      onSkippedRecord: (record) => skipped.push(record),
    });
    await consolidator.run();
    await consolidator.stop();
    expect(skipped).toContainEqual({ tier: 'short_term', key: `conv-${leadId}`, field: 'extractedSlots', reason: 'nul' });
    const line = lines.map((text) => JSON.parse(text)).find((entry) => entry.consolidation?.skipped?.key === `conv-${leadId}`);
    expect(line).toMatchObject({
      level: 40,
      msg: 'consolidation skipped a record that cannot be stored',
      consolidation: { skipped: { field: 'extractedSlots', reason: 'nul' } },
    });
    expect(lines.join('\n')).not.toContain('secret-555');
  });
});
