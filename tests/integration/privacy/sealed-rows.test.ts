// People's data in the relational columns (issue 16, encryption at rest): leads
// come in through GraphQL and REST, their touchpoints go out through the delivery
// worker, a signal is recorded with metadata quoting the address; operators read
// everything back in clear, viewers masked, while the rows themselves (read with
// plain SQL, as psql would) hold no email or phone in clear. Then a key rotation:
// rows written under ring [k1], Baton restarted with [k2, k1], the re-encryption
// job run, every value names k2, data key k1 is gone, and a Baton with [k2] alone
// reads everything. On PGlite, or PostgreSQL with DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SEALED_COLUMNS } from '../../../src/privacy/sealed-columns.js';
import type { PrismaClient } from '../../../src/db/generated/prisma/client.js';
import { untilDelivered } from '../../support/delivery.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import type { TestDatabase } from '../../support/test-database.js';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const QUIET = { CONSOLIDATION_INTERVAL_S: '0' };

const PROCESS = /* GraphQL */ `
  mutation Process($input: LeadInput!) {
    processLead(input: $input) { status }
  }
`;
const LEAD = /* GraphQL */ `
  query Lead($id: ID!) {
    lead(id: $id) {
      email
      phone
      outboundMessages(first: 50) { recipient subject body lastError }
      interactions(first: 50) { type subject body metadata }
    }
  }
`;
const RECORD = /* GraphQL */ `
  mutation Record($input: InteractionInput!) {
    recordInteraction(input: $input) { ... on Interaction { id metadata } }
  }
`;
const REENCRYPT = /* GraphQL */ `
  mutation { reencryptPersonalData { resealed indexed deletedKeys keyId } }
`;

interface LeadView {
  email: string | null;
  phone: string | null;
  outboundMessages: { recipient: string; subject: string | null; body: string; lastError: string | null }[];
  interactions: { type: string; subject: string | null; body: string | null; metadata: Record<string, unknown> | null }[];
}

let apps: TestApp[] = [];
let database: TestDatabase | undefined;
afterEach(async () => {
  for (const app of apps) await app.stop({ keepDatabase: true });
  apps = [];
  await database?.drop();
  database = undefined;
});

async function start(env: Record<string, string>): Promise<TestApp> {
  const app = await startTestApp({ env: { ...QUIET, ...env }, ...(database ? { database } : {}) });
  database = app.database;
  apps.push(app);
  return app;
}

async function stop(app: TestApp): Promise<void> {
  apps = apps.filter((other) => other !== app);
  await app.stop({ keepDatabase: true });
}

/** A lead through GraphQL, its touchpoint delivered (local mailbox), a reply recorded quoting the address. */
async function seedThroughGraphQL(baton: TestApp, email: string, phone: string): Promise<string> {
  const leadId = uniqueLeadId('sealed');
  const input = { leadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', email, phone };
  const processed = await baton.graphql<{ processLead: { status: string } }, { input: typeof input }>(PROCESS, { input });
  expect(processed.body.errors).toBeUndefined();
  await untilDelivered(baton.app.database.prisma, leadId);
  const recorded = await baton.graphql(RECORD, {
    input: { leadId, type: 'REPLY', channel: 'EMAIL', metadata: { from: email, note: `call me on ${phone}`, mood: 'keen' } },
  });
  expect(recorded.body.errors).toBeUndefined();
  return leadId;
}

async function leadView(baton: TestApp, leadId: string, token?: string): Promise<LeadView> {
  const { body } = await baton.graphql<{ lead: LeadView }, { id: string }>(LEAD, { id: leadId }, token ? { token } : {});
  expect(body.errors).toBeUndefined();
  return body.data!.lead;
}

/** Every row of the tables this helper seals, as text, the way psql shows them. */
async function rowsAsText(prisma: PrismaClient, leadId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ row: string }[]>`
    SELECT row_to_json(l)::text AS "row" FROM "Lead" l WHERE l."id" = ${leadId}
    UNION ALL SELECT row_to_json(o)::text FROM "OutboundMessage" o WHERE o."leadId" = ${leadId}
    UNION ALL SELECT row_to_json(i)::text FROM "Interaction" i WHERE i."leadId" = ${leadId}`;
  return rows.map(({ row }) => row);
}

/** The digits of a phone as they could appear in a row, whatever the separators. */
function phonePatterns(phone: string): RegExp[] {
  const digits = phone.replace(/\D/g, '');
  return [new RegExp(digits), new RegExp(digits.split('').join('[^0-9]{0,3}'))];
}

/** Every non-null value of the sealed columns in the rows of these leads. */
async function sealedValues(prisma: PrismaClient, leadIds: string[]): Promise<string[]> {
  const values: string[] = [];
  for (const { table, column, shape } of SEALED_COLUMNS.filter(({ table }) => ['Lead', 'OutboundMessage', 'Interaction'].includes(table))) {
    const owner = table === 'Lead' ? '"id"' : '"leadId"';
    const rows = await prisma.$queryRawUnsafe<{ value: string }[]>(
      `SELECT "${column}"::text AS "value" FROM "${table}" WHERE ${owner} = ANY($1::text[]) AND "${column}" IS NOT NULL`,
      leadIds,
    );
    for (const { value } of rows) {
      if (shape === 'text') values.push(value);
      else for (const match of value.matchAll(/enc:v1:[^"]+/g)) values.push(match[0]);
    }
  }
  return values;
}

describe('sealed relational columns', () => {
  it('stores email, phone, the outbox and interactions sealed, and shows them in clear to operators only', async () => {
    const baton = await start({});
    const email = `ada.${randomBytes(3).toString('hex')}@acme-sealed.example`;
    const phone = '+1 415 555 0177';
    const leadId = await seedThroughGraphQL(baton, email, phone);

    // REST too: the same intake.
    const restId = uniqueLeadId('sealed-rest');
    const restEmail = `rest.${randomBytes(3).toString('hex')}@acme-sealed.example`;
    const response = await baton.post('/api/v1/leads', {
      lead_data: { lead_id: restId, industry: 'Healthcare', company_size: 'SMB', email: restEmail, phone: '+44 20 7946 0958' },
    });
    expect(response.status).toBe(200);

    const operator = await baton.token('operator');
    const clear = await leadView(baton, leadId, operator);
    expect(clear).toMatchObject({ email, phone });
    expect(clear.outboundMessages.some((message) => message.recipient === email || message.recipient === phone)).toBe(true);
    expect(clear.outboundMessages.every((message) => message.body.length > 0 && !message.body.startsWith('enc:'))).toBe(true);
    const sent = clear.interactions.find((interaction) => interaction.type === 'TOUCHPOINT_SENT');
    expect(sent?.body).toBeTruthy();
    expect(sent?.body).not.toMatch(/^enc:/);
    const reply = clear.interactions.find((interaction) => interaction.type === 'REPLY');
    expect(reply?.metadata).toEqual({ from: email, note: `call me on ${phone}`, mood: 'keen' });
    expect((await leadView(baton, restId, operator)).email).toBe(restEmail);

    const masked = await leadView(baton, leadId, await baton.token('viewer'));
    expect(masked.email).not.toBe(email);
    expect(masked.email).toContain('***');

    // The rows as psql would show them: no address, no number, in any of them.
    const prisma = baton.app.database.prisma;
    for (const [id, address, number] of [
      [leadId, email, phone],
      [restId, restEmail, '+44 20 7946 0958'],
    ] as const) {
      const rows = await rowsAsText(prisma, id);
      expect(rows.length).toBeGreaterThan(2);
      for (const row of rows) {
        expect(row).not.toContain(address);
        expect(row).not.toContain(address.split('@')[0]);
        for (const pattern of phonePatterns(number)) expect(row).not.toMatch(pattern);
      }
    }
    expect(await sealedValues(prisma, [leadId, restId])).not.toEqual([]);
    for (const value of await sealedValues(prisma, [leadId, restId])) expect(value).toMatch(/^enc:v1:/);

    // The blind index stands in for the address: equal for the same address however it is spelled.
    const [stored] = await prisma.$queryRaw<{ emailIndex: string }[]>`SELECT "emailIndex" FROM "Lead" WHERE "id" = ${leadId}`;
    expect(stored!.emailIndex).toBe(baton.app.cipher.blindIndex(` ${email.toUpperCase()} `));
  }, 120_000);

  it('re-encrypts every value under the new key after a rotation, deletes the old data key, and the old key-encryption key may go', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const first = await start({ DATA_ENCRYPTION_KEY: k1 });
    const email = `grace.${randomBytes(3).toString('hex')}@acme-rotated.example`;
    const phone = '+1 212 555 0199';
    const leadId = await seedThroughGraphQL(first, email, phone);
    // A row from before encryption: plain, no blind index.
    const legacyId = uniqueLeadId('legacy');
    const legacyEmail = `legacy.${randomBytes(3).toString('hex')}@acme-rotated.example`;
    await first.app.database.prisma.lead.create({
      data: { id: legacyId, industry: 'FINANCE', companySize: 'SMB', email: legacyEmail, phone: '+1 646 555 0123' },
    });
    const before = await sealedValues(first.app.database.prisma, [leadId]);
    expect(before.length).toBeGreaterThan(4);
    expect(before.every((value) => value.startsWith('enc:v1:k1:'))).toBe(true);
    await stop(first);

    const rotated = await start({ DATA_ENCRYPTION_KEY: `${k2},${k1}` });
    const refused = await rotated.graphql(REENCRYPT, undefined, { token: await rotated.token('operator') });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { body } = await rotated.graphql<{ reencryptPersonalData: { resealed: number; indexed: number; deletedKeys: string[]; keyId: string } }, never>(
      REENCRYPT,
    );
    expect(body.errors).toBeUndefined();
    const report = body.data!.reencryptPersonalData;
    expect(report.keyId).toBe('k2');
    expect(report.deletedKeys).toEqual(['k1']);
    // Counted by column value (a JSON column's several sealed strings are one): the legacy email and phone, and the k1 values.
    expect(report.resealed).toBeGreaterThanOrEqual(2 + 4);
    expect(report.indexed).toBeGreaterThanOrEqual(1);

    const prisma = rotated.app.database.prisma;
    const after = await sealedValues(prisma, [leadId, legacyId]);
    expect(after.length).toBeGreaterThanOrEqual(before.length + 2);
    expect(after.every((value) => value.startsWith('enc:v1:k2:'))).toBe(true);
    for (const row of await rowsAsText(prisma, legacyId)) expect(row).not.toContain(legacyEmail);
    const [legacy] = await prisma.$queryRaw<{ emailIndex: string | null }[]>`SELECT "emailIndex" FROM "Lead" WHERE "id" = ${legacyId}`;
    expect(legacy!.emailIndex).toBe(rotated.app.cipher.blindIndex(legacyEmail));
    const keys = await prisma.$queryRaw<{ purpose: string; id: string }[]>`SELECT "purpose", "id" FROM "DataKey" ORDER BY "purpose", "id"`;
    expect(keys.map(({ purpose, id }) => `${purpose}/${id}`)).toEqual(['blind-index/1', 'data/k2']);
    // A second run finds nothing left to do.
    const again = await rotated.graphql<{ reencryptPersonalData: { resealed: number; deletedKeys: string[] } }, never>(REENCRYPT);
    expect(again.body.data!.reencryptPersonalData).toMatchObject({ resealed: 0, deletedKeys: [] });
    await stop(rotated);

    // k1 gone from the ring: everything still reads in clear.
    const only = await start({ DATA_ENCRYPTION_KEY: k2 });
    const operator = await only.token('operator');
    const view = await leadView(only, leadId, operator);
    expect(view).toMatchObject({ email, phone });
    expect(view.outboundMessages.some((message) => message.recipient === email || message.recipient === phone)).toBe(true);
    expect(view.interactions.find((interaction) => interaction.type === 'REPLY')?.metadata).toMatchObject({ from: email });
    expect(view.interactions.find((interaction) => interaction.type === 'TOUCHPOINT_SENT')?.body).not.toMatch(/^enc:/);
    expect(await leadView(only, legacyId, operator)).toMatchObject({ email: legacyEmail, phone: '+1 646 555 0123' });
  }, 180_000);

  it('runs as a job of the queue the agents work, as the schedule armed at start does', async () => {
    const k1 = key('k1');
    const first = await start({ DATA_ENCRYPTION_KEY: k1 });
    const leadId = await seedThroughGraphQL(first, `job.${randomBytes(3).toString('hex')}@acme-queued.example`, '+1 305 555 0142');
    await stop(first);

    const rotated = await start({ DATA_ENCRYPTION_KEY: `${key('k2')},${k1}` });
    const prisma = rotated.app.database.prisma;
    await prisma.$transaction((tx) => rotated.app.jobs.enqueue(tx, [{ queue: 'reencryption', payload: {} }]));
    await vi.waitFor(
      async () => {
        const keys = await prisma.$queryRaw<{ id: string }[]>`SELECT "id" FROM "DataKey" WHERE "purpose" = 'data'`;
        expect(keys.map(({ id }) => id)).toEqual(['k2']);
      },
      { timeout: 30_000, interval: 100 },
    );
    const values = await sealedValues(prisma, [leadId]);
    expect(values.length).toBeGreaterThan(4);
    expect(values.every((value) => value.startsWith('enc:v1:k2:'))).toBe(true);
  }, 120_000);
});
