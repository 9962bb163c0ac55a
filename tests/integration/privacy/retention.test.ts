// Retention (RETENTION_DAYS): a lead quiet for longer than the window is made
// anonymous by the scheduled job, across the tiers, while its non-personal
// fields stay for the aggregates; a recent lead is left alone. The old lead's
// rows are back-dated in the database, then a Baton with RETENTION_DAYS starts
// on it: its first scheduled run comes at start.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const OLD_EMAIL = `olive.old.${Date.now()}@acme.example`;
const OLD_PHONE = '+44 20 7946 0412';
const OLD_DIGITS = '442079460412';
const RECENT_EMAIL = `rita.recent.${Date.now()}@acme.example`;
const oldLead = uniqueLeadId('retain-old');
const recentLead = uniqueLeadId('retain-new');
const repliedLead = uniqueLeadId('retain-replied');
const REPLIED_EMAIL = `rory.replied.${Date.now()}@acme.example`;
const oldConversation = uniqueLeadId('retain-conv');
// One Redis prefix for both servers, so the second sees what the first wrote.
const REDIS_KEY_PREFIX = `baton-test-${randomBytes(4).toString('hex')}:`;

let baton: TestApp;
/** The retention server's log lines. */
const lines: string[] = [];

async function gql(server: TestApp, query: string, variables: Record<string, unknown>): Promise<void> {
  const { body } = await server.graphql(query, variables);
  expect(body.errors).toBeUndefined();
}

beforeAll(async () => {
  const seeding = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', REDIS_KEY_PREFIX } });
  for (const [leadId, email, phone] of [
    [oldLead, OLD_EMAIL, OLD_PHONE],
    [recentLead, RECENT_EMAIL, null],
    [repliedLead, REPLIED_EMAIL, null],
  ] as const) {
    await gql(seeding, 'mutation ($input: LeadInput!) { processLead(input: $input) { status } }', {
      input: { leadId, industry: 'HEALTHCARE', companySize: 'MID_MARKET', persona: 'INFLUENCER', email, phone },
    });
    await gql(seeding, 'mutation ($id: ID!, $input: LeadProfileInput!) { storeLeadProfile(leadId: $id, input: $input) { __typename } }', {
      id: leadId,
      input: { attributes: { first_name: 'Olive', contact: { email } } },
    });
    await gql(seeding, 'mutation ($input: InteractionInput!) { recordInteraction(input: $input) { __typename } }', {
      input: { leadId, type: 'REPLY', channel: 'EMAIL', metadata: { from: `<${email}>` } },
    });
  }
  await gql(seeding, 'mutation ($id: ID!, $input: ConversationContextInput!) { storeShortTermMemory(conversationId: $id, input: $input) { conversationId } }', {
    id: oldConversation,
    input: { leadId: oldLead, extractedSlots: { email: OLD_EMAIL } },
  });
  // Moved into the past: the old lead's last activity of every kind, 400 days ago.
  const prisma = seeding.app.database.prisma;
  const past = new Date(Date.now() - 400 * 86_400_000);
  await prisma.$executeRaw`UPDATE "Lead" SET "updatedAt" = ${past}, "createdAt" = ${past} WHERE "id" = ${oldLead}`;
  await prisma.$executeRaw`UPDATE "Interaction" SET "createdAt" = ${past}, "occurredAt" = ${past} WHERE "leadId" = ${oldLead}`;
  await prisma.$executeRaw`UPDATE "Handoff" SET "updatedAt" = ${past}, "createdAt" = ${past} WHERE "leadId" = ${oldLead}`;
  await prisma.$executeRaw`UPDATE "LeadFlow" SET "submittedAt" = ${past} WHERE "leadId" = ${oldLead}`;
  // Old too, but it replied yesterday: a reply is activity.
  const yesterday = new Date(Date.now() - 86_400_000);
  await prisma.$executeRaw`UPDATE "Lead" SET "updatedAt" = ${past} WHERE "id" = ${repliedLead}`;
  await prisma.$executeRaw`UPDATE "Interaction" SET "createdAt" = ${past}, "occurredAt" = ${past} WHERE "leadId" = ${repliedLead} AND "type" <> 'REPLY'`;
  await prisma.$executeRaw`UPDATE "Interaction" SET "createdAt" = ${yesterday}, "occurredAt" = ${yesterday} WHERE "leadId" = ${repliedLead} AND "type" = 'REPLY'`;
  await prisma.$executeRaw`UPDATE "Handoff" SET "updatedAt" = ${past}, "createdAt" = ${past} WHERE "leadId" = ${repliedLead}`;
  await prisma.$executeRaw`UPDATE "LeadFlow" SET "submittedAt" = ${past} WHERE "leadId" = ${repliedLead}`;
  await seeding.stop({ keepDatabase: true });
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  baton = await startTestApp({
    database: seeding.database,
    env: { CONSOLIDATION_INTERVAL_S: '0', RETENTION_DAYS: '30', REDIS_KEY_PREFIX },
    logger: createLogger('info', 'retention', destination),
  });
}, 120_000);
afterAll(() => baton?.stop());

describe('RETENTION_DAYS', () => {
  it('anonymizes a lead quiet past the window, in every tier, and keeps what aggregates read', async () => {
    const prisma = baton.app.database.prisma;
    // The run's end: its rows commit first, then it forgets the leads' short-term contexts and knowledge outside them.
    await vi.waitFor(() => expect(lines.map((line) => JSON.parse(line).msg)).toContain('retention: inactive leads anonymized'), {
      timeout: 20_000,
      interval: 100,
    });
    const lead = await prisma.lead.findUniqueOrThrow({ where: { id: oldLead } });
    expect(lead).toMatchObject({ email: null, phone: null, industry: 'HEALTHCARE', companySize: 'MID_MARKET', persona: 'INFLUENCER' });
    expect(lead.score).not.toBeNull();
    expect(await prisma.auditEntry.findMany({ where: { action: 'ERASE', leadIds: { has: oldLead } } })).toEqual([
      expect.objectContaining({ subject: 'retention', door: 'internal', operation: 'retention' }),
    ]);
    expect(lead.category).not.toBeNull();
    expect((await prisma.leadProfile.findUniqueOrThrow({ where: { leadId: oldLead } })).attributes).toEqual({});
    const interactions = await prisma.interaction.findMany({ where: { leadId: oldLead } });
    expect(interactions.length).toBeGreaterThan(0);
    expect(interactions.map(({ type }) => type)).toContain('REPLY');
    expect(await prisma.handoff.count({ where: { leadId: oldLead } })).toBeGreaterThan(0);
    expect(await baton.app.services.memory.shortTerm.retrieve(oldConversation)).toBeNull();

    // No personal value of the old lead is left in any row of any table (its id stays, on purpose).
    const tables = await prisma.$queryRawUnsafe<{ schema: string; name: string }[]>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_%'`,
    );
    const traces: string[] = [];
    for (const { schema, name } of tables) {
      const rows = await prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${schema}"."${name}" t`);
      for (const { row } of rows) {
        const text = row.replace(/enc:v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+/g, (sealed) => `${sealed} ${JSON.stringify(baton.app.cipher.openJson(sealed))}`);
        if (text.includes(OLD_EMAIL) || text.includes(OLD_PHONE) || text.replace(/\D/g, '').includes(OLD_DIGITS)) traces.push(`${name}: ${row.slice(0, 200)}`);
      }
    }
    expect(traces).toEqual([]);
  });

  it('leaves a lead with recent activity as it was: a new lead, and an old one that replied yesterday', async () => {
    const prisma = baton.app.database.prisma;
    expect(baton.app.cipher.openOptional((await prisma.lead.findUniqueOrThrow({ where: { id: recentLead } })).email)).toBe(RECENT_EMAIL);
    expect(baton.app.cipher.openOptional((await prisma.lead.findUniqueOrThrow({ where: { id: repliedLead } })).email)).toBe(REPLIED_EMAIL);
    expect(baton.app.cipher.openJson((await prisma.leadProfile.findUniqueOrThrow({ where: { leadId: recentLead } })).attributes)).toMatchObject({
      first_name: 'Olive',
    });
  });
});
