// The migration runner on an empty database, and the migrated schema against
// the Prisma model (every model written and read through the generated client).
import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/database.js';
import { applyMigrations, MIGRATIONS_DIR, MigrationError, readMigrations } from '../../../src/db/migrate.js';
import { pgliteSession, pgSession, type SqlSession } from '../../../src/db/sql-session.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let database: TestDatabase;
let session: SqlSession;
let closeSession: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  if (database.kind === 'postgres') {
    // A fresh PostgreSQL database: nothing applied yet.
    // A client of its own, not a pool's: Client.end() resolves once the connection is closed, while
    // Pool.end() resolves before its clients have ended, and the database's DROP ... WITH (FORCE)
    // could then reach a client nobody listens to (an uncaught 57P01).
    const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    session = pgSession(client);
    closeSession = () => client.end();
  } else {
    // The test copy of PGlite is already migrated; the runner needs an empty one.
    const db = await PGlite.create('memory://');
    session = pgliteSession(db);
    closeSession = () => db.close();
  }
});
afterAll(async () => {
  await closeSession?.();
  await database?.drop();
});

describe('applyMigrations', () => {
  it("applies every migration once and records it in Prisma's table with its checksum", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(await applyMigrations(session, migrations)).toEqual(migrations.map((migration) => migration.name));

    const rows = await session.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(migrations.map((migration) => migration.name));
    for (const [index, row] of rows.entries()) {
      expect(row.checksum).toBe(createHash('sha256').update(migrations[index]!.sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await applyMigrations(session, migrations)).toEqual([]);
  });

  it('refuses to start when a landed migration was edited', async () => {
    const [first, ...rest] = await readMigrations();
    const edited = { ...first!, checksum: 'f'.repeat(64) };
    await expect(applyMigrations(session, [edited, ...rest])).rejects.toThrow(MigrationError);
    await expect(applyMigrations(session, [edited, ...rest])).rejects.toThrow(/edited after it was applied/);
  });

  it('rolls a failing migration back completely', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-migrations-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await cp(join(dir, '20261126200000_init'), join(dir, '29990101000000_broken'), { recursive: true });
      await writeFile(join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "Half" (id INT);\nSELECT no_such_function();\n');
      await expect(applyMigrations(session, await readMigrations(dir))).rejects.toThrow(/29990101000000_broken failed/);
      const tables = await session.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'");
      expect(tables).toEqual([]);
      const recorded = await session.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`);
      expect(recorded).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the migrated schema', () => {
  it('stores and reads every model of schema.prisma through the generated client', async () => {
    const opened = await openDatabase(
      database.kind === 'postgres'
        ? { kind: 'postgres', url: database.env.DATABASE_URL!, poolSize: 2 }
        : { kind: 'pglite', dataDir: join(database.env.DATA_DIR!, 'pglite') },
    );
    const { prisma } = opened;
    try {
      const campaign = await prisma.campaign.create({ data: { id: 'camp-1', name: 'Spring launch' } });
      await prisma.campaignMetrics.create({
        data: {
          campaignId: campaign.id,
          variant: 'B',
          channel: 'email',
          periodStart: new Date(),
          periodEnd: new Date(),
          impressions: 1000,
          clicks: 30,
          conversions: 3,
          spendUsd: 120.5,
          revenueUsd: 600,
        },
      });
      const lead = await prisma.lead.create({
        data: {
          id: 'lead-every-model',
          industry: 'HEALTHCARE',
          companySize: 'MID_MARKET',
          source: 'webinar',
          persona: 'INFLUENCER',
          email: 'a.b@example.com',
          phone: '+1 415 555 0100',
          campaignId: campaign.id,
          score: 55,
          category: 'GENERAL_INQUIRY',
          confidence: 0.6,
          reasoning: 'r',
          factors: [{ feature: 'industry', value: 'Healthcare', contribution: 0.2 }],
          assignedAgent: 'engagement-standard-001',
          modelVersion: 'cold-start-v1',
          triagedAt: new Date(),
          outcome: 'CONVERTED',
          outcomeAt: new Date(),
        },
      });
      const conversation = await prisma.conversation.create({ data: { leadId: lead.id } });
      await prisma.interaction.create({
        data: {
          leadId: lead.id,
          conversationId: conversation.id,
          type: 'REPLY',
          channel: 'EMAIL',
          agent: 'a',
          template: 't',
          subject: 's',
          body: 'b',
          metadata: { k: 1 },
        },
      });
      await prisma.handoff.create({
        data: {
          leadId: lead.id,
          conversationId: conversation.id,
          type: 'MANAGER_ESCALATION',
          trigger: 'PERFORMANCE_THRESHOLD',
          fromAgent: 'x',
          toAgent: 'y',
          status: 'ESCALATED',
          qualityScore: 0.8,
          context: { a: 1 },
          failureReason: null,
          processingTimeMs: 12,
          completedAt: new Date(),
          events: {
            create: [
              { sequence: 1, status: 'REQUESTED' },
              { sequence: 2, status: 'ESCALATED', qualityScore: 0.8, detail: 'd' },
            ],
          },
        },
      });
      await prisma.leadProfile.create({
        data: {
          leadId: lead.id,
          attributes: { title: 'CTO' },
          touches: 2,
          opens: 1,
          clicks: 1,
          replies: 1,
          lastActivityAt: new Date(),
          preferredChannel: 'SMS',
          preferredHour: 9,
          scoreHistory: [55],
          consent: true,
          doNotContact: false,
        },
      });
      await prisma.episode.create({
        data: {
          leadId: lead.id,
          industry: 'HEALTHCARE',
          companySize: 'MID_MARKET',
          persona: 'INFLUENCER',
          source: 'webinar',
          channel: 'EMAIL',
          template: 't',
          sentHour: 9,
          action: 'send',
          outcome: 'REPLIED',
          occurredAt: new Date(),
        },
      });
      await prisma.semanticNode.createMany({
        data: [
          { id: 'Industry:Healthcare', kind: 'Industry', name: 'Healthcare' },
          { id: 'PainPoint:HIPAA', kind: 'PainPoint', name: 'HIPAA', properties: { note: 'compliance' } },
        ],
      });
      await prisma.semanticEdge.create({
        data: { subjectId: 'Industry:Healthcare', predicate: 'HAS_PAIN_POINT', objectId: 'PainPoint:HIPAA', weight: 0.9, evidenceCount: 3, provenance: 'seed' },
      });

      const loaded = await prisma.lead.findUniqueOrThrow({
        where: { id: lead.id },
        include: {
          campaign: { include: { metrics: true } },
          conversation: true,
          interactions: true,
          handoffs: { include: { events: true } },
          profile: true,
          episode: true,
        },
      });
      expect(loaded.campaign!.metrics[0]).toMatchObject({ variant: 'B', spendUsd: 120.5 });
      expect(loaded.interactions[0]!.metadata).toEqual({ k: 1 });
      expect(loaded.handoffs[0]!.events).toHaveLength(2);
      expect(loaded.profile).toMatchObject({ preferredChannel: 'SMS', scoreHistory: [55] });
      expect(loaded.episode).toMatchObject({ outcome: 'REPLIED' });
      const edge = await prisma.semanticEdge.findFirstOrThrow({ include: { subject: true, object: true } });
      expect(edge).toMatchObject({ subject: { name: 'Healthcare' }, object: { properties: { note: 'compliance' } } });
      // Deleting a lead takes its history with it.
      await prisma.lead.delete({ where: { id: lead.id } });
      expect(await prisma.handoffEvent.count()).toBe(0);
    } finally {
      await opened.close();
    }
  });
});
