// The long-term memory contract (LeadProfileStore), against the test database:
// embedded PGlite, or real PostgreSQL when DATABASE_URL is set (CI runs both, so
// this one suite covers every implementation).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { databaseTarget, openDatabase, type Database } from '../../../src/db/database.js';
import type { Prisma } from '../../../src/db/generated/prisma/client.js';
import { NotFoundError } from '../../../src/errors.js';
import {
  createLeadProfileStore,
  SCORE_HISTORY_LIMIT,
  type BehaviourAggregates,
  type LeadProfileStore,
  type ScoreHistoryEntry,
} from '../../../src/memory/long-term/lead-profile-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { testCipher } from '../../support/test-cipher.js';

const implementation = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

let testDatabase: TestDatabase;
let database: Database;
let store: LeadProfileStore;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(databaseTarget(loadConfig(testDatabase.env)));
  store = createLeadProfileStore(database.prisma, await testCipher(database.prisma));
});
afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

/** A fresh lead in the database (profiles hang off leads). */
async function newLead(prefix = 'lead'): Promise<string> {
  const id = `${prefix}-${randomBytes(5).toString('hex')}`;
  await database.prisma.lead.create({ data: { id, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'organic' } });
  return id;
}

function entry(score: number, at = `2026-03-01T09:${String(score % 60).padStart(2, '0')}:00.000Z`): ScoreHistoryEntry {
  return { score, modelVersion: 'cold-start-v1', at };
}

/** Runs `work` in a transaction and keeps it open (with its row locks) until `commit`. */
async function holdInTransaction(work: (tx: Prisma.TransactionClient) => Promise<void>): Promise<{ commit(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  let failed!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  const done = database.prisma.$transaction(
    async (tx) => {
      await work(tx);
      started();
      await released;
    },
    { timeout: 20_000 },
  );
  done.catch(failed);
  await ready;
  return {
    commit: async () => {
      release();
      await done;
    },
  };
}

/** Resolves once some backend of this database waits on a lock (PostgreSQL only). */
async function untilBlockedOnLock(): Promise<void> {
  await vi.waitFor(
    async () => {
      const [row] = await database.prisma.$queryRaw<{ waiting: number }[]>`
        SELECT count(*)::int AS "waiting" FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      expect(row?.waiting ?? 0, 'backends blocked on a lock').toBeGreaterThan(0);
    },
    { timeout: 5_000, interval: 25 },
  );
}

const QUIET: BehaviourAggregates = {
  touches: 0,
  opens: 0,
  clicks: 0,
  replies: 0,
  lastActivityAt: null,
  preferredChannel: null,
  preferredHour: null,
  unsubscribed: false,
};

const ENGAGED: BehaviourAggregates = {
  touches: 4,
  opens: 3,
  clicks: 2,
  replies: 1,
  lastActivityAt: new Date('2026-03-04T15:30:00.000Z'),
  preferredChannel: 'EMAIL',
  preferredHour: 15,
  unsubscribed: false,
};

describe(`LeadProfileStore on ${implementation}`, () => {
  describe('store', () => {
    it('creates the profile on first write, with the defaults for everything not given', async () => {
      const leadId = await newLead();
      const stored = await store.store(leadId, { attributes: { budget: 5000, region: 'EU' } });
      expect(stored).toMatchObject({
        leadId,
        attributes: { budget: 5000, region: 'EU' },
        touches: 0,
        opens: 0,
        clicks: 0,
        replies: 0,
        lastActivityAt: null,
        preferredChannel: null,
        preferredHour: null,
        scoreHistory: [],
        consent: true,
        doNotContact: false,
      });
      expect(stored.updatedAt).toBeInstanceOf(Date);
      expect(await store.retrieve(leadId)).toEqual(stored);
    });

    it('creates an empty profile from an empty patch', async () => {
      const leadId = await newLead();
      expect(await store.store(leadId, {})).toMatchObject({ leadId, attributes: {}, consent: true, doNotContact: false });
    });

    it("keeps a person's data in the attributes sealed at rest and answers it in clear", async () => {
      const leadId = await newLead();
      const attributes = { first_name: 'Ada', contact: { email: 'ada.sealed@example.org' }, note: 'call +44 20 7946 0001', budget: 5000 };
      expect((await store.store(leadId, { attributes })).attributes).toEqual(attributes);
      expect((await store.retrieve(leadId))?.attributes).toEqual(attributes);
      const [row] = await database.prisma.$queryRaw<{ attributes: string }[]>`SELECT "attributes"::text FROM "LeadProfile" WHERE "leadId" = ${leadId}`;
      for (const clear of ['Ada', 'ada.sealed', '7946']) expect(row!.attributes).not.toContain(clear);
      expect(JSON.parse(row!.attributes)).toMatchObject({ budget: 5000 }); // what is not personal stays queryable
    });

    it('merges attributes key by key; a key set to null is removed', async () => {
      const leadId = await newLead();
      await store.store(leadId, { attributes: { budget: 5000, region: 'EU', seats: 10, prefs: { tone: 'formal', lang: 'de' } } });
      const merged = await store.store(leadId, { attributes: { region: null, seats: 25, timeline: 'Q3', prefs: { tone: 'casual' } } });
      expect(merged.attributes).toEqual({
        budget: 5000, // omitted: kept
        seats: 25, // replaced
        timeline: 'Q3', // added
        prefs: { tone: 'casual' }, // top-level merge: a nested document is replaced whole
      });
      // Removing a key that is not there is a no-op, not an error.
      expect((await store.store(leadId, { attributes: { nothing: null } })).attributes).toEqual(merged.attributes);
    });

    it('keeps omitted fields: consent, doNotContact and attributes', async () => {
      const leadId = await newLead();
      await store.store(leadId, { attributes: { budget: 5000 }, consent: false, doNotContact: true });
      const afterAttributes = await store.store(leadId, { attributes: { region: 'EU' } });
      expect(afterAttributes).toMatchObject({ attributes: { budget: 5000, region: 'EU' }, consent: false, doNotContact: true });
      const afterFlags = await store.store(leadId, { doNotContact: false });
      expect(afterFlags).toMatchObject({ attributes: { budget: 5000, region: 'EU' }, consent: false, doNotContact: false });
    });

    it('sets consent and doNotContact', async () => {
      const leadId = await newLead();
      expect(await store.store(leadId, { consent: false })).toMatchObject({ consent: false, doNotContact: false });
      expect(await store.store(leadId, { doNotContact: true })).toMatchObject({ consent: false, doNotContact: true });
      expect(await store.store(leadId, { consent: true, doNotContact: false })).toMatchObject({ consent: true, doNotContact: false });
      expect(await store.retrieve(leadId)).toMatchObject({ consent: true, doNotContact: false });
    });

    it('does not touch behaviour aggregates or the score history', async () => {
      const leadId = await newLead();
      await store.appendScores(database.prisma, [{ leadId, entry: entry(61) }]);
      await store.consolidate(database.prisma, leadId, ENGAGED, {});
      const stored = await store.store(leadId, { attributes: { budget: 1 }, doNotContact: true });
      expect(stored).toMatchObject({
        touches: 4,
        opens: 3,
        clicks: 2,
        replies: 1,
        lastActivityAt: ENGAGED.lastActivityAt,
        preferredChannel: 'EMAIL',
        preferredHour: 15,
        scoreHistory: [entry(61)],
      });
    });

    it('throws NotFoundError for an unknown lead and writes nothing', async () => {
      const before = await store.count();
      const leadId = `unknown-${randomBytes(5).toString('hex')}`;
      await expect(store.store(leadId, { attributes: { budget: 1 }, consent: false })).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.store(leadId, {})).rejects.toThrow(`Lead ${leadId} does not exist`);
      expect(await store.retrieve(leadId)).toBeNull();
      expect(await store.count()).toBe(before);
    });
  });

  describe('retrieve', () => {
    it('returns null for a lead without a profile, and for an unknown lead', async () => {
      expect(await store.retrieve(await newLead())).toBeNull();
      expect(await store.retrieve('no-such-lead')).toBeNull();
    });
  });

  describe('appendScores', () => {
    it('creates the profile when absent, with the entry as its whole history', async () => {
      const leadId = await newLead();
      await store.appendScores(database.prisma, [{ leadId, entry: entry(73) }]);
      expect(await store.retrieve(leadId)).toMatchObject({
        leadId,
        scoreHistory: [entry(73)],
        attributes: {},
        consent: true,
        doNotContact: false,
        touches: 0,
      });
    });

    it('appends entries in order and keeps the rest of the profile', async () => {
      const leadId = await newLead();
      await store.store(leadId, { attributes: { budget: 5000 }, consent: false });
      for (const score of [40, 55, 73]) await store.appendScores(database.prisma, [{ leadId, entry: entry(score) }]);
      const profile = await store.retrieve(leadId);
      expect(profile?.scoreHistory).toEqual([entry(40), entry(55), entry(73)]);
      expect(profile).toMatchObject({ attributes: { budget: 5000 }, consent: false });
    });

    it('appends to several leads in one call, a lead named twice keeping both entries in order', async () => {
      const [a, b] = [await newLead(), await newLead()];
      await store.appendScores(database.prisma, [{ leadId: a, entry: entry(1) }]);
      await store.appendScores(database.prisma, [
        { leadId: a, entry: entry(2) },
        { leadId: b, entry: entry(3) },
        { leadId: a, entry: entry(4) },
      ]);
      expect((await store.retrieve(a))?.scoreHistory).toEqual([entry(1), entry(2), entry(4)]);
      expect((await store.retrieve(b))?.scoreHistory).toEqual([entry(3)]);
    });

    it('runs inside the caller’s transaction: committed with it, and gone when it rolls back', async () => {
      const committed = await newLead();
      await database.prisma.$transaction(async (tx) => {
        await store.appendScores(tx, [{ leadId: committed, entry: entry(10) }]);
        await store.appendScores(tx, [{ leadId: committed, entry: entry(11) }]);
      });
      expect((await store.retrieve(committed))?.scoreHistory).toEqual([entry(10), entry(11)]);

      const absent = await newLead();
      const before = await store.count();
      await expect(
        database.prisma.$transaction(async (tx) => {
          await store.appendScores(tx, [{ leadId: absent, entry: entry(20) }]);
          throw new Error('a later step failed');
        }),
      ).rejects.toThrow('a later step failed');
      expect(await store.retrieve(absent)).toBeNull();
      expect(await store.count()).toBe(before);

      // On an existing profile, a rolled-back append leaves the history as it was.
      await expect(
        database.prisma.$transaction(async (tx) => {
          await store.appendScores(tx, [{ leadId: committed, entry: entry(12) }]);
          throw new Error('a later step failed');
        }),
      ).rejects.toThrow('a later step failed');
      expect((await store.retrieve(committed))?.scoreHistory).toEqual([entry(10), entry(11)]);
    });

    it('loses no entry when appends race (one statement each)', async () => {
      const leadId = await newLead();
      const scores = Array.from({ length: 10 }, (_, i) => 30 + i);
      await Promise.all(scores.map((score) => store.appendScores(database.prisma, [{ leadId, entry: entry(score) }])));
      const history = (await store.retrieve(leadId))?.scoreHistory as unknown as ScoreHistoryEntry[];
      expect(history).toHaveLength(10);
      expect(history.map((item) => item.score).sort((a, b) => a - b)).toEqual(scores);
    });

    it('fails for an unknown lead and writes nothing', async () => {
      const leadId = `unknown-${randomBytes(5).toString('hex')}`;
      await expect(store.appendScores(database.prisma, [{ leadId, entry: entry(50) }])).rejects.toThrow();
      expect(await store.retrieve(leadId)).toBeNull();
    });
  });

  describe('consolidate', () => {
    it('creates the profile when absent and sets the aggregates', async () => {
      const leadId = await newLead();
      expect(await store.consolidate(database.prisma, leadId, ENGAGED, { budget: 5000 })).toBe(true);
      expect(await store.retrieve(leadId)).toMatchObject({
        leadId,
        touches: 4,
        opens: 3,
        clicks: 2,
        replies: 1,
        lastActivityAt: ENGAGED.lastActivityAt,
        preferredChannel: 'EMAIL',
        preferredHour: 15,
        consent: true,
        doNotContact: false,
        attributes: { budget: 5000 },
        scoreHistory: [],
      });
    });

    it('sets aggregates to absolute values, never increments them', async () => {
      const leadId = await newLead();
      await store.consolidate(database.prisma, leadId, ENGAGED, {});
      const later: BehaviourAggregates = {
        ...ENGAGED,
        touches: 1,
        opens: 0,
        clicks: 0,
        replies: 0,
        lastActivityAt: null,
        preferredChannel: 'SMS',
        preferredHour: null,
      };
      expect(await store.consolidate(database.prisma, leadId, later, {})).toBe(true);
      expect(await store.retrieve(leadId)).toMatchObject({
        touches: 1,
        opens: 0,
        clicks: 0,
        replies: 0,
        lastActivityAt: null,
        preferredChannel: 'SMS',
        preferredHour: null,
      });
    });

    it('merges learned attributes into the stored ones (null removes a key)', async () => {
      const leadId = await newLead();
      await store.store(leadId, { attributes: { budget: 5000, region: 'EU', seats: 10 } });
      await store.consolidate(database.prisma, leadId, QUIET, { seats: 25, timeline: 'Q3', region: null });
      expect((await store.retrieve(leadId))?.attributes).toEqual({ budget: 5000, seats: 25, timeline: 'Q3' });
    });

    it(`trims the score history to the latest ${SCORE_HISTORY_LIMIT} entries`, async () => {
      expect(SCORE_HISTORY_LIMIT).toBe(20);
      const leadId = await newLead();
      for (let score = 0; score < SCORE_HISTORY_LIMIT + 5; score++) await store.appendScores(database.prisma, [{ leadId, entry: entry(score) }]);
      expect((await store.retrieve(leadId))?.scoreHistory).toHaveLength(SCORE_HISTORY_LIMIT + 5);
      await store.consolidate(database.prisma, leadId, QUIET, {});
      const history = (await store.retrieve(leadId))?.scoreHistory;
      expect(history).toEqual(Array.from({ length: SCORE_HISTORY_LIMIT }, (_, i) => entry(i + 5)));
    });

    it('is idempotent: an identical second call changes nothing and returns false', async () => {
      const leadId = await newLead();
      await store.store(leadId, { attributes: { budget: 5000, nested: { b: 1, a: [1, 2] } }, doNotContact: true });
      for (let score = 0; score < SCORE_HISTORY_LIMIT + 3; score++) await store.appendScores(database.prisma, [{ leadId, entry: entry(score) }]);
      const learned = { seats: 25, zeta: 'z', alpha: { y: 2, x: 1 } };
      expect(await store.consolidate(database.prisma, leadId, ENGAGED, learned)).toBe(true);
      const first = await store.retrieve(leadId);
      expect(await store.consolidate(database.prisma, leadId, ENGAGED, learned)).toBe(false);
      expect(await store.consolidate(database.prisma, leadId, { ...ENGAGED }, { ...learned })).toBe(false);
      const second = await store.retrieve(leadId);
      expect(second).toEqual(first);
      expect(second?.updatedAt.getTime()).toBe(first?.updatedAt.getTime());
      // doNotContact is the caller's, not consolidation's.
      expect(second?.doNotContact).toBe(true);
      // Any difference is a change again.
      expect(await store.consolidate(database.prisma, leadId, { ...ENGAGED, clicks: 3 }, learned)).toBe(true);
    });

    it('withdraws consent when the lead unsubscribed, for good', async () => {
      const leadId = await newLead();
      await store.store(leadId, { consent: true });
      expect(await store.consolidate(database.prisma, leadId, { ...ENGAGED, unsubscribed: true }, {})).toBe(true);
      expect((await store.retrieve(leadId))?.consent).toBe(false);
      // Nothing in later behaviour gives consent back.
      await store.consolidate(database.prisma, leadId, { ...ENGAGED, unsubscribed: false }, {});
      expect((await store.retrieve(leadId))?.consent).toBe(false);
    });

    it('leaves consent as stored when the lead did not unsubscribe', async () => {
      const leadId = await newLead();
      await store.store(leadId, { consent: false });
      await store.consolidate(database.prisma, leadId, ENGAGED, {});
      expect((await store.retrieve(leadId))?.consent).toBe(false);
      const fresh = await newLead();
      await store.consolidate(database.prisma, fresh, ENGAGED, {});
      expect((await store.retrieve(fresh))?.consent).toBe(true);
    });

    it('does the same with a profile the caller already loaded (null: none yet) as when it loads it itself', async () => {
      const loaded = await newLead();
      const loading = await newLead();
      for (const leadId of [loaded, loading]) {
        await store.store(leadId, { attributes: { budget: 5000, region: 'EU' } });
        for (let score = 0; score < SCORE_HISTORY_LIMIT + 2; score++) await store.appendScores(database.prisma, [{ leadId, entry: entry(score) }]);
      }
      const learned = { region: null, seats: 25 };
      expect(await store.consolidate(database.prisma, loaded, ENGAGED, learned, await store.retrieve(loaded))).toBe(true);
      expect(await store.consolidate(database.prisma, loading, ENGAGED, learned)).toBe(true);
      const [a, b] = [await store.retrieve(loaded), await store.retrieve(loading)];
      expect({ ...a, leadId: null, updatedAt: null }).toEqual({ ...b, leadId: null, updatedAt: null });
      expect(a?.attributes).toEqual({ budget: 5000, seats: 25 });
      expect(a?.scoreHistory).toHaveLength(SCORE_HISTORY_LIMIT);
      // Idempotent with a preloaded profile too.
      expect(await store.consolidate(database.prisma, loaded, ENGAGED, learned, await store.retrieve(loaded))).toBe(false);

      const fresh = await newLead();
      expect(await store.consolidate(database.prisma, fresh, QUIET, { budget: 1 }, null)).toBe(true);
      expect(await store.retrieve(fresh)).toMatchObject({ attributes: { budget: 1 }, consent: true, touches: 0 });
    });

    it('runs inside the caller’s transaction: a rollback leaves the profile as it was', async () => {
      const leadId = await newLead();
      await store.consolidate(database.prisma, leadId, ENGAGED, { budget: 5000 });
      const before = await store.retrieve(leadId);
      await expect(
        database.prisma.$transaction(async (tx) => {
          await store.consolidate(tx, leadId, { ...ENGAGED, touches: 99, unsubscribed: true }, { budget: null });
          throw new Error('a later step failed');
        }),
      ).rejects.toThrow('a later step failed');
      expect(await store.retrieve(leadId)).toEqual(before);
    });
  });

  // Read-modify-write races, on PostgreSQL only (PGlite has one connection, so nothing
  // runs concurrently there). Each test holds a row lock in an open transaction, starts
  // the store's write, waits until PostgreSQL reports it blocked on that lock, then
  // commits: the store must build on what committed, not on what it read before.
  // `store` and `consolidate` read, merge and write back; they lock the row first
  // (SELECT ... FOR UPDATE), so a write that commits in between is never lost.
  describe('concurrent writers (PostgreSQL)', () => {
    const onPostgres = implementation === 'PostgreSQL';
    const raceTest = onPostgres ? it : it.skip;

    it.runIf(onPostgres)('the harness sees a write blocked on a row lock (appendScore serializes correctly)', async () => {
      const leadId = await newLead();
      await store.appendScores(database.prisma, [{ leadId, entry: entry(1) }]);
      const holder = await holdInTransaction((tx) => store.appendScores(tx, [{ leadId, entry: entry(2) }]));
      const appending = store.appendScores(database.prisma, [{ leadId, entry: entry(3) }]);
      await untilBlockedOnLock();
      await holder.commit();
      await appending;
      expect((await store.retrieve(leadId))?.scoreHistory).toEqual([entry(1), entry(2), entry(3)]);
    });

    raceTest('consolidate keeps a score appended by a triage transaction that commits while it runs', async () => {
      const leadId = await newLead();
      await store.appendScores(database.prisma, [{ leadId, entry: entry(1) }]);
      const triage = await holdInTransaction((tx) => store.appendScores(tx, [{ leadId, entry: entry(2) }]));
      const consolidating = store.consolidate(database.prisma, leadId, ENGAGED, {});
      await untilBlockedOnLock();
      await triage.commit();
      expect(await consolidating).toBe(true);
      expect((await store.retrieve(leadId))?.scoreHistory).toEqual([entry(1), entry(2)]);
    });

    raceTest('consolidate does not give back consent withdrawn by an unsubscribe that commits while it runs', async () => {
      // The interaction log withdraws consent in the UNSUBSCRIBED interaction's transaction;
      // consolidation computed its aggregates from interactions read before it.
      const leadId = await newLead();
      await store.store(leadId, {});
      const unsubscribe = await holdInTransaction(async (tx) => {
        await tx.leadProfile.update({ where: { leadId }, data: { consent: false } });
      });
      const consolidating = store.consolidate(database.prisma, leadId, { ...ENGAGED, unsubscribed: false }, {});
      await untilBlockedOnLock();
      await unsubscribe.commit();
      await consolidating;
      expect((await store.retrieve(leadId))?.consent).toBe(false);
    });

    raceTest('store keeps attributes another writer committed while it ran', async () => {
      const leadId = await newLead();
      await store.store(leadId, { attributes: { budget: 5000 } });
      const other = await holdInTransaction(async (tx) => {
        await tx.leadProfile.update({ where: { leadId }, data: { attributes: { budget: 5000, region: 'EU' } } });
      });
      const storing = store.store(leadId, { attributes: { seats: 10 } });
      await untilBlockedOnLock();
      await other.commit();
      await storing;
      expect((await store.retrieve(leadId))?.attributes).toEqual({ budget: 5000, region: 'EU', seats: 10 });
    });
  });

  describe('count', () => {
    it('counts profiles, not leads', async () => {
      const before = await store.count();
      const a = await newLead();
      const b = await newLead();
      await newLead(); // a lead without a profile
      expect(await store.count()).toBe(before);
      await store.store(a, {});
      await store.appendScores(database.prisma, [{ leadId: b, entry: entry(1) }]);
      expect(await store.count()).toBe(before + 2);
      await store.store(a, { consent: false }); // an update, not a new profile
      expect(await store.count()).toBe(before + 2);
    });
  });
});
