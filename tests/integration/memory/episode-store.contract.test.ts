// The episodic memory contract (EpisodeStore), against the test database: embedded
// PGlite, or real PostgreSQL when DATABASE_URL is set (CI runs both, so this one
// suite covers every implementation). Every test starts from an empty Episode table.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { databaseTarget, openDatabase, type Database } from '../../../src/db/database.js';
import type { CompanySize, Episode, EpisodeOutcome, Industry, Persona, Prisma, PrismaClient } from '../../../src/db/generated/prisma/client.js';
import {
  CONVERSION_NEIGHBOURS,
  createEpisodeStore,
  type EpisodeInput,
  type EpisodeStore,
  type SimilarEpisode,
  type Situation,
} from '../../../src/memory/episodic/episode-store.js';
import { mulberry32 } from '../../support/synthetic-population.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const implementation = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

let testDatabase: TestDatabase;
let database: Database;
let store: EpisodeStore;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(databaseTarget(loadConfig(testDatabase.env)));
  // Uncached: most tests change episodes behind the store's back (prisma.episode.deleteMany).
  store = createEpisodeStore(database.prisma, { neighboursTtlMs: 0 });
});
afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});
beforeEach(async () => {
  await database.prisma.episode.deleteMany();
});

/** The situation most tests search from. */
const HERE: Situation = { industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', source: 'organic' };

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * HOUR);

function episode(overrides: Partial<EpisodeInput> = {}): EpisodeInput {
  return {
    ...HERE,
    leadId: null,
    channel: 'EMAIL',
    template: 'welcome',
    sentHour: 10,
    action: 'touchpoint:email:welcome',
    outcome: 'CONVERTED',
    occurredAt: at(0),
    ...overrides,
  };
}

/** Imports episodes tagged by `template` (a name to recognise them by in results). */
async function seed(named: Record<string, Partial<EpisodeInput>>): Promise<void> {
  const episodes = Object.entries(named).map(([name, overrides]) => episode({ template: name, ...overrides }));
  expect(await store.importMany(episodes)).toBe(episodes.length);
}

const names = (found: SimilarEpisode[]) => found.map(({ episode }) => episode.template);
const fifteenths = (found: SimilarEpisode[]) => found.map(({ similarity }) => Math.round(similarity * 15));

async function newLead(prefix = 'lead'): Promise<string> {
  const id = `${prefix}-${randomBytes(5).toString('hex')}`;
  await database.prisma.lead.create({ data: { id, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE' } });
  return id;
}

describe(`EpisodeStore on ${implementation}`, () => {
  describe('similar', () => {
    it('returns exact matches first, then tiers by industry 8 > company size 4 > persona 2 > source 1, newest first within a tier', async () => {
      await seed({
        exactOld: { occurredAt: at(1) },
        exactNew: { occurredAt: at(3) },
        noSource: { source: 'referral', occurredAt: at(2) }, // 8+4+2 = 14
        nullSource: { source: null, occurredAt: at(5) }, // 14: null is distinct from 'organic'
        noPersona: { persona: 'INFLUENCER', occurredAt: at(9) }, // 8+4+1 = 13
        noPersonaNoSource: { persona: null, source: 'event', occurredAt: at(9) }, // 12
        noSize: { companySize: 'STARTUP', occurredAt: at(9) }, // 8+2+1 = 11
        industryOnly: { companySize: 'SMB', persona: 'END_USER', source: 'social', occurredAt: at(0) }, // 8
        allButIndustry: { industry: 'FINANCE', occurredAt: at(9) }, // 4+2+1 = 7: below industry alone
        sizeOnly: { industry: 'HEALTHCARE', persona: null, source: null, occurredAt: at(9) }, // 4
        nothing: { industry: 'MANUFACTURING', companySize: 'SMB', persona: null, source: null, occurredAt: at(9) }, // 0
      });
      const found = await store.similar(HERE, { k: 20 });
      expect(names(found)).toEqual([
        'exactNew',
        'exactOld',
        'nullSource',
        'noSource',
        'noPersona',
        'noPersonaNoSource',
        'noSize',
        'industryOnly',
        'allButIndustry',
        'sizeOnly',
        'nothing',
      ]);
      expect(fifteenths(found)).toEqual([15, 15, 14, 14, 13, 12, 11, 8, 7, 4, 0]);
      expect(found[0]!.similarity).toBe(1);
      expect(found[2]!.similarity).toBeCloseTo(14 / 15, 12);
      expect(found.at(-1)!.similarity).toBe(0);
      // Similarity never increases along the list.
      for (let i = 1; i < found.length; i++) expect(found[i]!.similarity).toBeLessThanOrEqual(found[i - 1]!.similarity);
    });

    it('breaks ties on occurredAt by id, so the order is total', async () => {
      await seed({ a: { occurredAt: at(1) }, b: { occurredAt: at(1) }, c: { occurredAt: at(1) } });
      const found = await store.similar(HERE, { k: 3 });
      const ids = found.map(({ episode }) => episode.id);
      expect(ids).toEqual([...ids].sort());
      expect(await store.similar(HERE, { k: 3 })).toEqual(found);
    });

    it('returns at most k, taking the most similar (and newest) first', async () => {
      await seed({
        exact: { occurredAt: at(1) },
        tier14new: { source: 'referral', occurredAt: at(8) },
        tier14old: { source: 'referral', occurredAt: at(2) },
        tier12: { persona: null, source: null, occurredAt: at(9) },
      });
      expect(names(await store.similar(HERE, { k: 1 }))).toEqual(['exact']);
      expect(names(await store.similar(HERE, { k: 2 }))).toEqual(['exact', 'tier14new']);
      expect(names(await store.similar(HERE, { k: 3 }))).toEqual(['exact', 'tier14new', 'tier14old']);
      expect(names(await store.similar(HERE, { k: 10 }))).toEqual(['exact', 'tier14new', 'tier14old', 'tier12']);
      expect(await store.similar(HERE, { k: 0 })).toEqual([]);
    });

    it('returns nothing from an empty store', async () => {
      expect(await store.similar(HERE, { k: 5 })).toEqual([]);
    });

    it('keeps only converted and lost episodes with terminalOnly', async () => {
      await seed({
        converted: { outcome: 'CONVERTED', occurredAt: at(1) },
        replied: { outcome: 'REPLIED', occurredAt: at(5) },
        ignored: { outcome: 'IGNORED', occurredAt: at(6) },
        lost: { outcome: 'LOST', occurredAt: at(2) },
        lostElsewhere: { outcome: 'LOST', industry: 'FINANCE', occurredAt: at(9) },
      });
      expect(names(await store.similar(HERE, { k: 10 }))).toEqual(['ignored', 'replied', 'lost', 'converted', 'lostElsewhere']);
      expect(names(await store.similar(HERE, { k: 10, terminalOnly: true }))).toEqual(['lost', 'converted', 'lostElsewhere']);
      // k counts what is kept, not what was skipped.
      expect(names(await store.similar(HERE, { k: 2, terminalOnly: true }))).toEqual(['lost', 'converted']);
    });

    it('leaves out the excluded lead’s own episode, but keeps episodes without a lead', async () => {
      const self = await newLead('self');
      const other = await newLead('other');
      await seed({
        mine: { leadId: self, occurredAt: at(9) },
        theirs: { leadId: other, occurredAt: at(5) },
        imported: { leadId: null, occurredAt: at(1) },
      });
      expect(names(await store.similar(HERE, { k: 10 }))).toEqual(['mine', 'theirs', 'imported']);
      expect(names(await store.similar(HERE, { k: 10, excludeLeadId: self }))).toEqual(['theirs', 'imported']);
      expect(names(await store.similar(HERE, { k: 10, excludeLeadId: 'nobody' }))).toEqual(['mine', 'theirs', 'imported']);
      expect(names(await store.similar(HERE, { k: 10, excludeLeadId: self, terminalOnly: true }))).toEqual(['theirs', 'imported']);
    });

    it('treats a null persona or source as a value: null matches null, and is distinct from any other value', async () => {
      const unknown: Situation = { industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: null, source: null };
      await seed({
        bothNull: { persona: null, source: null, occurredAt: at(1) }, // 15 for `unknown`, 12 for HERE
        personaNull: { persona: null, source: 'organic', occurredAt: at(2) }, // 14 for `unknown`, 13 for HERE
        sourceNull: { persona: 'DECISION_MAKER', source: null, occurredAt: at(3) }, // 13 for `unknown`, 14 for HERE
        neither: { persona: 'DECISION_MAKER', source: 'organic', occurredAt: at(4) }, // 12 for `unknown`, 15 for HERE
      });
      const fromUnknown = await store.similar(unknown, { k: 10 });
      expect(names(fromUnknown)).toEqual(['bothNull', 'personaNull', 'sourceNull', 'neither']);
      expect(fifteenths(fromUnknown)).toEqual([15, 14, 13, 12]);
      const fromHere = await store.similar(HERE, { k: 10 });
      expect(names(fromHere)).toEqual(['neither', 'sourceNull', 'personaNull', 'bothNull']);
      expect(fifteenths(fromHere)).toEqual([15, 14, 13, 12]);
    });

    it('finds each episode exactly once (the tiers partition the store)', async () => {
      const random = mulberry32(7);
      const episodes = Array.from({ length: 300 }, (_, i) => randomEpisode(random, i));
      await store.importMany(episodes);
      const found = await store.similar(HERE, { k: 1000 });
      expect(found).toHaveLength(300);
      expect(new Set(found.map(({ episode }) => episode.id)).size).toBe(300);
    });
  });

  describe('similar over a few thousand imported episodes', () => {
    const SIZE = 3000;
    let all: Episode[];

    beforeEach(async () => {
      const random = mulberry32(2026);
      expect(await store.importMany(Array.from({ length: SIZE }, (_, i) => randomEpisode(random, i)))).toBe(SIZE);
      all = await database.prisma.episode.findMany();
    });

    it('agrees with a brute-force ranking over every episode', async () => {
      const situations: Situation[] = [
        HERE,
        { industry: 'MANUFACTURING', companySize: 'STARTUP', persona: null, source: null },
        { industry: 'FINANCE', companySize: 'SMB', persona: 'END_USER', source: 'never_seen' },
        { industry: 'HEALTHCARE', companySize: 'MID_MARKET', persona: 'INFLUENCER', source: 'referral' },
      ];
      for (const situation of situations)
        for (const k of [1, 7, 50, 400])
          for (const terminalOnly of [false, true]) {
            const found = await store.similar(situation, { k, terminalOnly });
            const expected = bruteForce(all, situation, k, terminalOnly);
            expect(
              found.map(({ episode }) => episode.id),
              `${JSON.stringify(situation)} k=${k} terminalOnly=${terminalOnly}`,
            ).toEqual(expected.map(({ episode }) => episode.id));
            expect(found.map(({ similarity }) => similarity)).toEqual(expected.map(({ similarity }) => similarity));
          }
    });

    it('stops reading as soon as k are found: exact matches, then the same segment, then the rest', async () => {
      const queries: unknown[] = [];
      const counting = database.prisma.$extends({
        query: {
          $queryRaw({ args, query }) {
            queries.push(args);
            return query(args);
          },
        },
      }) as unknown as PrismaClient;
      const countingStore = createEpisodeStore(counting);
      const stagesRead = async (k: number) => {
        queries.length = 0;
        const found = await countingStore.similar(HERE, { k });
        return { found, stages: queries.length };
      };

      // Each exact situation holds about 3000 / 320 ≈ 9 episodes: k = 3 is filled by exact matches alone.
      const exactCount = all.filter((e) => matchWeight(e, HERE) === 15).length;
      const sameSegment = all.filter((e) => matchWeight(e, HERE) >= 12).length;
      expect(exactCount).toBeGreaterThanOrEqual(3);
      const few = await stagesRead(3);
      expect(fifteenths(few.found)).toEqual([15, 15, 15]);
      expect(few.stages).toBe(1);

      // One more than the exact matches: the same industry and size are read too, and no further.
      const more = await stagesRead(exactCount + 1);
      expect(more.found).toHaveLength(exactCount + 1);
      expect(more.stages).toBe(2);

      // More than the segment holds: every stage is read, and the answer is complete.
      const beyond = await stagesRead(sameSegment + 1);
      expect(beyond.found).toHaveLength(sameSegment + 1);
      expect(beyond.stages).toBe(3);
      expect((await stagesRead(SIZE + 10)).found).toHaveLength(SIZE);
    });
  });

  describe('conversionEvidence', () => {
    it('weights each converted or lost neighbour by its similarity and ignores replies and silence', async () => {
      await seed({
        convertedA: { outcome: 'CONVERTED', occurredAt: at(1) }, // 1
        convertedB: { outcome: 'CONVERTED', occurredAt: at(2) }, // 1
        lost: { outcome: 'LOST', occurredAt: at(3) }, // 1
        replied: { outcome: 'REPLIED', occurredAt: at(4) }, // not counted
        ignored: { outcome: 'IGNORED', occurredAt: at(5) }, // not counted
        convertedTier12: { outcome: 'CONVERTED', persona: null, source: null, occurredAt: at(6) }, // 12/15
        lostTier8: { outcome: 'LOST', companySize: 'SMB', persona: null, source: null, occurredAt: at(7) }, // 8/15
        convertedTier0: { outcome: 'CONVERTED', industry: 'FINANCE', companySize: 'SMB', persona: null, source: null, occurredAt: at(8) }, // 0
      });
      const evidence = await store.conversionEvidence(HERE);
      // considered = 1 + 1 + 1 + 12/15 + 8/15 + 0 = 4.3333; converted = 1 + 1 + 12/15 + 0 = 2.8
      expect(evidence.considered).toBeCloseTo(3 + 12 / 15 + 8 / 15, 10);
      expect(evidence.converted).toBeCloseTo(2 + 12 / 15, 10);
    });

    it('counts only the episodes of the market since a given start, when given one', async () => {
      await seed({
        oldConverted: { outcome: 'CONVERTED', occurredAt: at(1) },
        oldConvertedToo: { outcome: 'CONVERTED', occurredAt: at(2) },
        newLost: { outcome: 'LOST', occurredAt: at(3) },
        newConverted: { outcome: 'CONVERTED', occurredAt: at(4) },
      });
      expect(await store.conversionEvidence(HERE)).toEqual({ considered: 4, converted: 3 });
      // From the third episode's moment on (inclusive): the old market's two are not evidence.
      expect(await store.conversionEvidence(HERE, undefined, at(3))).toEqual({ considered: 2, converted: 1 });
      // Cached per start: asking again without one still sees all four.
      expect(await store.conversionEvidence(HERE)).toEqual({ considered: 4, converted: 3 });
    });

    it('is zero without episodes', async () => {
      expect(await store.conversionEvidence(HERE)).toEqual({ considered: 0, converted: 0 });
    });

    it(`consults the ${CONVERSION_NEIGHBOURS} most similar terminal episodes only`, async () => {
      expect(CONVERSION_NEIGHBOURS).toBe(50);
      const exact = Array.from({ length: 60 }, (_, i) => episode({ outcome: i < 15 ? 'CONVERTED' : 'LOST', occurredAt: at(i) }));
      // Newest first: the 50 consulted are i = 59 … 10, of which i = 10 … 14 converted.
      const elsewhere = Array.from({ length: 20 }, (_, i) => episode({ industry: 'FINANCE', outcome: 'CONVERTED', occurredAt: at(100 + i) }));
      await store.importMany([...exact, ...elsewhere]);
      expect(await store.conversionEvidence(HERE)).toEqual({ considered: 50, converted: 5 });
    });

    it('does not count the lead’s own episode as evidence about itself', async () => {
      const self = await newLead('self');
      await seed({
        mine: { leadId: self, outcome: 'CONVERTED', occurredAt: at(3) },
        other: { leadId: null, outcome: 'LOST', occurredAt: at(2) },
      });
      expect(await store.conversionEvidence(HERE)).toEqual({ considered: 2, converted: 1 });
      expect(await store.conversionEvidence(HERE, self)).toEqual({ considered: 1, converted: 0 });
    });

    it('reuses a situation’s neighbours until the store writes episodes', async () => {
      const cached = createEpisodeStore(database.prisma);
      await seed({ lost: { outcome: 'LOST', occurredAt: at(1) } });
      expect(await cached.conversionEvidence(HERE)).toEqual({ considered: 1, converted: 0 });
      // Written behind its back: still the minute-old view.
      await seed({ converted: { outcome: 'CONVERTED', occurredAt: at(2) } });
      expect(await cached.conversionEvidence(HERE)).toEqual({ considered: 1, converted: 0 });
      // Written through it (consolidation, an import): read afresh.
      await cached.importMany([episode({ outcome: 'CONVERTED', occurredAt: at(3) })]);
      expect(await cached.conversionEvidence(HERE)).toEqual({ considered: 3, converted: 2 });
    });
  });

  describe('writeForLeads and forLead', () => {
    /** One lead's episode through the batch writer, paired with what is stored, as consolidation does. */
    const writeOne = async (db: Prisma.TransactionClient | PrismaClient, next: EpisodeInput & { leadId: string }) =>
      (await store.writeForLeads(db, [{ episode: next, existing: await db.episode.findUnique({ where: { leadId: next.leadId } }) }])) > 0;

    it('creates the lead’s episode, returns false for an identical repeat, and updates when the outcome changes', async () => {
      const leadId = await newLead();
      expect(await store.forLead(leadId)).toBeNull();
      const replied = { ...episode({ outcome: 'REPLIED', occurredAt: at(5) }), leadId };
      expect(await writeOne(database.prisma, replied)).toBe(true);
      const created = await store.forLead(leadId);
      expect(created).toMatchObject({ ...replied, occurredAt: at(5) });

      expect(await writeOne(database.prisma, { ...replied, occurredAt: new Date(at(5).getTime()) })).toBe(false);
      expect(await store.forLead(leadId)).toEqual(created);

      const converted = { ...replied, outcome: 'CONVERTED' as const, occurredAt: at(30) };
      expect(await writeOne(database.prisma, converted)).toBe(true);
      const updated = await store.forLead(leadId);
      expect(updated).toMatchObject({ id: created!.id, outcome: 'CONVERTED', occurredAt: at(30) });
      expect(await store.countByOutcome()).toMatchObject({ CONVERTED: 1, REPLIED: 0 });
    });

    it('treats any changed field of the situation or action as a change', async () => {
      const leadId = await newLead();
      const base = { ...episode({ outcome: 'IGNORED' }), leadId };
      await writeOne(database.prisma, base);
      const changes: Partial<Omit<EpisodeInput, 'leadId'>>[] = [
        { channel: 'SMS' },
        { channel: null },
        { template: null },
        { sentHour: 11 },
        { action: 'none' },
        { persona: null },
        { source: 'referral' },
        { companySize: 'SMB' },
        { occurredAt: at(1) },
      ];
      let current = base;
      for (const change of changes) {
        current = { ...current, ...change };
        expect(await writeOne(database.prisma, current), JSON.stringify(change)).toBe(true);
        expect(await writeOne(database.prisma, current), JSON.stringify(change)).toBe(false);
      }
      expect(await store.forLead(leadId)).toMatchObject({ channel: null, template: null, sentHour: 11, action: 'none', persona: null });
    });

    it('writes inside the caller’s transaction', async () => {
      const leadId = await newLead();
      await expect(
        database.prisma.$transaction(async (tx) => {
          expect(await writeOne(tx, { ...episode(), leadId })).toBe(true);
          throw new Error('a later step failed');
        }),
      ).rejects.toThrow('a later step failed');
      expect(await store.forLead(leadId)).toBeNull();
    });
  });

  describe('importMany', () => {
    it('imports episodes with and without leads and returns how many it wrote', async () => {
      const leadId = await newLead();
      expect(await store.importMany([])).toBe(0);
      expect(await store.importMany([episode({ leadId }), episode({ outcome: 'LOST' }), episode({ industry: 'FINANCE', persona: null, source: null })])).toBe(
        3,
      );
      expect(await database.prisma.episode.count()).toBe(3);
      expect(await store.forLead(leadId)).toMatchObject({ leadId, outcome: 'CONVERTED' });
    });

    it('skips an episode for a lead that already has one (one episode per lead)', async () => {
      const leadId = await newLead();
      await store.writeForLeads(database.prisma, [{ episode: { ...episode({ outcome: 'REPLIED' }), leadId }, existing: null }]);
      expect(await store.importMany([episode({ leadId, outcome: 'LOST' }), episode(), episode()])).toBe(2);
      expect((await store.forLead(leadId))?.outcome).toBe('REPLIED');
      expect(await database.prisma.episode.count()).toBe(3);
    });
  });

  describe('countByOutcome', () => {
    it('counts every outcome, with zeros for those never reached', async () => {
      expect(await store.countByOutcome()).toEqual({ CONVERTED: 0, REPLIED: 0, IGNORED: 0, LOST: 0 });
      await store.importMany([
        episode({ outcome: 'CONVERTED' }),
        episode({ outcome: 'CONVERTED' }),
        episode({ outcome: 'LOST' }),
        episode({ outcome: 'IGNORED' }),
        episode({ outcome: 'CONVERTED', industry: 'HEALTHCARE' }),
      ]);
      expect(await store.countByOutcome()).toEqual({ CONVERTED: 3, REPLIED: 0, IGNORED: 1, LOST: 1 });
    });
  });
});

const INDUSTRIES: Industry[] = ['TECHNOLOGY', 'HEALTHCARE', 'FINANCE', 'MANUFACTURING'];
const SIZES: CompanySize[] = ['STARTUP', 'SMB', 'MID_MARKET', 'ENTERPRISE'];
const PERSONAS: (Persona | null)[] = ['DECISION_MAKER', 'INFLUENCER', 'END_USER', null];
const SOURCES: (string | null)[] = ['organic', 'referral', 'event', 'paid_search', null];
const OUTCOMES: EpisodeOutcome[] = ['CONVERTED', 'LOST', 'REPLIED', 'IGNORED'];

/** A random episode with a distinct occurredAt (i minutes apart, shuffled by the random source). */
function randomEpisode(random: () => number, i: number): EpisodeInput {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  return episode({
    industry: pick(INDUSTRIES),
    companySize: pick(SIZES),
    persona: pick(PERSONAS),
    source: pick(SOURCES),
    outcome: pick(OUTCOMES),
    template: `t${i}`,
    occurredAt: new Date(T0 + i * 60_000 + Math.floor(random() * 1000) * 1000 * 1000),
  });
}

/** Matched weight, industry 8, company size 4, persona 2, source 1; null equals null. */
function matchWeight(episode: Pick<Episode, 'industry' | 'companySize' | 'persona' | 'source'>, situation: Situation): number {
  return (
    (episode.industry === situation.industry ? 8 : 0) +
    (episode.companySize === situation.companySize ? 4 : 0) +
    (episode.persona === situation.persona ? 2 : 0) +
    (episode.source === situation.source ? 1 : 0)
  );
}

/** The documented ranking, computed over every episode: similarity, then newest, then id. */
function bruteForce(all: Episode[], situation: Situation, k: number, terminalOnly: boolean): SimilarEpisode[] {
  return all
    .filter((e) => !terminalOnly || e.outcome === 'CONVERTED' || e.outcome === 'LOST')
    .map((e) => ({ episode: e, weight: matchWeight(e, situation) }))
    .sort(
      (a, b) =>
        b.weight - a.weight ||
        b.episode.occurredAt.getTime() - a.episode.occurredAt.getTime() ||
        (a.episode.id < b.episode.id ? -1 : a.episode.id > b.episode.id ? 1 : 0),
    )
    .slice(0, k)
    .map(({ episode, weight }) => ({ episode, similarity: weight / 15 }));
}
