// The pipeline's promise: everything one lead writes commits together, and
// subscribers hear only about what committed.
import { join } from 'node:path';
import { createPubSub } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLeadPipeline } from '../../../src/agents/lead-pipeline.js';
import { COLD_START_MODEL } from '../../../src/domain/triage-model.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import type { BatonEvents } from '../../../src/events/event-bus.js';
import { uniqueLeadId } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(
    testDatabase.kind === 'postgres'
      ? { kind: 'postgres', url: testDatabase.env.DATABASE_URL!, poolSize: 4 }
      : { kind: 'pglite', dataDir: join(testDatabase.env.DATA_DIR!, 'pglite') },
  );
});
afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

describe('createLeadPipeline().process', () => {
  it('leaves no lead, conversation or handoff behind when a later step fails, and publishes nothing', async () => {
    const pubsub = createPubSub<BatonEvents>();
    const subscription = pubsub.subscribe('handoff:progress');
    const published: string[] = [];
    const listening = (async () => {
      for await (const event of subscription) published.push(event.status);
    })();
    const pipeline = createLeadPipeline({ prisma: database.prisma, pubsub, triageModel: () => COLD_START_MODEL });
    const leadId = uniqueLeadId('atomic');

    // The engagement agent's touchpoint insert is the last write of the lead's transaction: make it fail.
    await database.prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_touchpoint() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'touchpoint refused for %', NEW."leadId"; END $$ LANGUAGE plpgsql`);
    await database.prisma.$executeRawUnsafe(`
      CREATE TRIGGER refuse_touchpoint BEFORE INSERT ON "Interaction"
      FOR EACH ROW WHEN (NEW."leadId" = '${leadId}') EXECUTE FUNCTION refuse_touchpoint()`);
    try {
      await expect(pipeline.process({ leadId, industry: 'FINANCE', companySize: 'ENTERPRISE', email: 'kim.park@bank.example' })).rejects.toThrow(
        /touchpoint refused/,
      );
    } finally {
      await database.prisma.$executeRawUnsafe('DROP TRIGGER refuse_touchpoint ON "Interaction"');
    }
    expect(await database.prisma.lead.count({ where: { id: leadId } })).toBe(0);
    expect(await database.prisma.conversation.count({ where: { leadId } })).toBe(0);
    expect(await database.prisma.handoff.count({ where: { leadId } })).toBe(0);

    // The same lead goes through once the failure is gone.
    const processed = await pipeline.process({ leadId, industry: 'FINANCE', companySize: 'ENTERPRISE', email: 'kim.park@bank.example' });
    expect(processed.success).toBe(true);
    await vi.waitFor(() => expect(published).toHaveLength(5));
    await subscription.return();
    await listening;
    expect(published).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'COMPLETED']);
  });

  it('processes concurrent submissions of one lead into one lead and one conversation', async () => {
    const pipeline = createLeadPipeline({ prisma: database.prisma, pubsub: createPubSub<BatonEvents>(), triageModel: () => COLD_START_MODEL });
    const leadId = uniqueLeadId('race');
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => pipeline.process({ leadId, industry: 'TECHNOLOGY', companySize: 'SMB', source: 'referral' })),
    );
    // Racing first inserts may conflict; whatever commits must not duplicate the lead.
    expect(results.some((result) => result.status === 'fulfilled')).toBe(true);
    expect(await database.prisma.lead.count({ where: { id: leadId } })).toBe(1);
    expect(await database.prisma.conversation.count({ where: { leadId } })).toBe(1);
  });
});
