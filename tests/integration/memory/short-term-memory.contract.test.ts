// The short-term memory contract, for each implementation available: in-process
// always, Redis when REDIS_URL is set (CI sets it). Time moves by an injected
// clock in-process and by real waiting on Redis, whose keys expire by its own clock.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSharedStores } from '../../../src/app/stores.js';
import { InProcessShortTermMemory } from '../../../src/memory/short-term/in-process-short-term-memory.js';
import { MAX_TTL_SECONDS, type ShortTermMemory, type ShortTermMemoryOptions } from '../../../src/memory/short-term/short-term-memory.js';
import { inProcessStoreHarness, redisStoreHarnesses, type StoreHarness } from '../../support/store-harness.js';
import { randomBytes } from 'node:crypto';
import { personalDataCipher } from '../../../src/privacy/personal-data-cipher.js';
import { sealedShortTermMemory } from '../../../src/memory/short-term/sealed-short-term-memory.js';

const DEFAULT_TTL_SECONDS = 60;

type Harness = StoreHarness<ShortTermMemory, ShortTermMemoryOptions>;

const inProcessHarness = (): Harness =>
  inProcessStoreHarness(
    (now, options) =>
      new InProcessShortTermMemory({ keyPrefix: 'unused:', defaultTtlSeconds: DEFAULT_TTL_SECONDS, maxEntries: 1000, now: () => new Date(now()), ...options }),
  );
const redis = redisStoreHarnesses<ShortTermMemory, ShortTermMemoryOptions>('stm', (stores, options) =>
  stores.shortTermMemory({ defaultTtlSeconds: DEFAULT_TTL_SECONDS, maxEntries: 1000, ...options }),
);
const { filePrefix } = redis;
const redisHarness = (redisUrl: string): Harness => redis.harness(redisUrl);

/** A cipher under a key of this file's own: the stores here need no database. */
const dataKey = randomBytes(32);
const cipher = personalDataCipher({ current: { id: 'stm-test', key: dataKey }, data: new Map([['stm-test', dataKey]]), blindIndex: randomBytes(32) });

/** The store as the server opens it: people's data sealed before the backend sees it (sealed-short-term-memory.ts). */
const sealed = (harness: Harness): Harness => ({ ...harness, open: (options) => sealedShortTermMemory(harness.open(options), cipher) });

/** What a sealed store leaves in its backend, and what it answers, for a conversation holding a person's data. */
function sealedContract(makeHarness: () => Harness) {
  it("keeps a person's data sealed in the backend and answers it in clear, merging slots key by key", async () => {
    const harness = makeHarness();
    const backend = harness.open();
    const memory = sealedShortTermMemory(backend, cipher);
    try {
      await memory.store('conv-pii', { extractedSlots: { email: 'ada.slot@example.org', interest: 'pricing' }, activeIntent: 'call +44 20 7946 0002' });
      const stored = await memory.store('conv-pii', { extractedSlots: { phone: '+1 415 555 0199' }, pendingActions: ['write to ada.slot@example.org'] });
      const clear = {
        extractedSlots: { email: 'ada.slot@example.org', interest: 'pricing', phone: '+1 415 555 0199' },
        activeIntent: 'call +44 20 7946 0002',
        pendingActions: ['write to ada.slot@example.org'],
      };
      expect(stored).toMatchObject(clear);
      expect(await memory.retrieve('conv-pii')).toMatchObject(clear);
      expect((await memory.updatedSince(new Date(0))).find((context) => context.conversationId === 'conv-pii')).toMatchObject(clear);
      const raw = JSON.stringify(await backend.retrieve('conv-pii'));
      for (const text of ['ada.slot', '7946', '555 0199']) expect(raw).not.toContain(text);
      expect(raw).toContain('pricing'); // what is not personal stays as it is
    } finally {
      await harness.close();
    }
  });
}

function contract(makeHarness: () => Harness) {
  let harness: Harness;
  let memory: ShortTermMemory;
  beforeEach(() => {
    harness = makeHarness();
    memory = harness.open();
  });
  afterEach(() => harness.close());

  it('creates a context on first write and retrieves it, dates as Dates', async () => {
    const stored = await memory.store('conv-1', {
      leadId: 'lead-1',
      activeIntent: 'pricing',
      extractedSlots: { budget: 5000 },
      lastAgent: 'triage',
      pendingActions: ['send-quote'],
    });
    expect(stored).toMatchObject({
      conversationId: 'conv-1',
      leadId: 'lead-1',
      activeIntent: 'pricing',
      extractedSlots: { budget: 5000 },
      lastAgent: 'triage',
      pendingActions: ['send-quote'],
    });
    expect(stored.updatedAt).toBeInstanceOf(Date);
    expect(stored.expiresAt.getTime() - stored.updatedAt.getTime()).toBe(DEFAULT_TTL_SECONDS * 1000);
    const retrieved = await memory.retrieve('conv-1');
    expect(retrieved).toEqual(stored);
    expect(retrieved?.expiresAt).toBeInstanceOf(Date);

    expect(await memory.store('conv-2', {})).toMatchObject({
      conversationId: 'conv-2',
      leadId: null,
      activeIntent: null,
      extractedSlots: {},
      lastAgent: null,
      pendingActions: [],
    });
    expect(await memory.retrieve('conv-unknown')).toBeNull();
  });

  it('merges a write into the stored context', async () => {
    await memory.store('conv-1', {
      leadId: 'lead-1',
      activeIntent: 'pricing',
      extractedSlots: { budget: 5000, seats: 10 },
      lastAgent: 'triage',
      pendingActions: ['a', 'b'],
    });
    const merged = await memory.store('conv-1', { extractedSlots: { seats: null, region: 'EU' }, pendingActions: ['c'], lastAgent: null });
    const expected = {
      conversationId: 'conv-1',
      leadId: 'lead-1', // omitted: kept
      activeIntent: 'pricing',
      extractedSlots: { budget: 5000, region: 'EU' }, // merged; null removed the slot
      lastAgent: null, // explicit null: cleared
      pendingActions: ['c'], // replaced, not appended
    };
    expect(merged).toMatchObject(expected);
    expect(await memory.retrieve('conv-1')).toMatchObject(expected);
    expect(await memory.store('conv-1', { pendingActions: [] })).toMatchObject({ pendingActions: [], extractedSlots: { budget: 5000, region: 'EU' } });
  });

  it('keeps slot values exactly as written', async () => {
    const slots = {
      empty: [],
      emptyObject: {},
      nested: { list: [1, [2, []], { deep: [null] }] },
      float: 0.1 + 0.2,
      big: Number.MAX_SAFE_INTEGER,
      negative: -1.5e-7,
      text: 'café "quoted" \\ 🚀',
      flag: false,
      nothing: [null],
      '1': 'numeric key',
    };
    await memory.store('conv-1', { extractedSlots: slots, pendingActions: [] });
    expect((await memory.retrieve('conv-1'))?.extractedSlots).toEqual(slots);
    expect((await memory.retrieve('conv-1'))?.pendingActions).toEqual([]);
  });

  it('hands out copies: mutating a result or a written patch leaves the stored context alone', async () => {
    const patch = { extractedSlots: { products: ['crm'] }, pendingActions: ['call'] };
    const stored = await memory.store('conv-1', patch);
    patch.extractedSlots.products.push('erp');
    patch.pendingActions.push('email');
    stored.pendingActions.push('mutated');
    (await memory.retrieve('conv-1'))?.pendingActions.push('mutated');
    expect(await memory.retrieve('conv-1')).toMatchObject({ extractedSlots: { products: ['crm'] }, pendingActions: ['call'] });
  });

  it('expires a context after its TTL and refreshes the TTL on every write', async () => {
    await memory.store('short', { activeIntent: 'demo' }, { ttlSeconds: 1 });
    await memory.store('refreshed', { activeIntent: 'demo' }, { ttlSeconds: 1 });
    await harness.advance(600);
    await memory.store('refreshed', { lastAgent: 'engagement' }, { ttlSeconds: 1 });
    await harness.advance(600);

    expect(await memory.retrieve('short')).toBeNull();
    expect(await memory.retrieve('refreshed')).toMatchObject({ activeIntent: 'demo', lastAgent: 'engagement' });
    expect(await memory.retrieveMany(['short', 'refreshed'])).toEqual([null, expect.objectContaining({ conversationId: 'refreshed' })]);
    expect((await memory.updatedSince(new Date(0))).map((context) => context.conversationId)).toEqual(['refreshed']);
    expect((await memory.stats()).activeContexts).toBe(1);
    expect(await memory.forget('short')).toBe(false);
    // Writing to an expired conversation starts afresh rather than reviving it.
    expect(await memory.store('short', {}, { ttlSeconds: 1 })).toMatchObject({ activeIntent: null });

    await harness.advance(1100);
    expect(await memory.retrieve('refreshed')).toBeNull();
    expect(await memory.retrieve('short')).toBeNull();
    expect(await memory.updatedSince(new Date(0))).toEqual([]);
    expect((await memory.stats()).activeContexts).toBe(0);
  });

  it('retrieves several at once, in the order asked, null where absent', async () => {
    await memory.store('conv-a', { activeIntent: 'a' });
    await memory.store('conv-b', { activeIntent: 'b' });
    const found = await memory.retrieveMany(['conv-b', 'missing', 'conv-a', 'conv-b']);
    expect(found.map((context) => context?.activeIntent ?? null)).toEqual(['b', null, 'a', 'b']);
    expect(found[0]?.updatedAt).toBeInstanceOf(Date);
    expect(await memory.retrieveMany([])).toEqual([]);
  });

  it('forgets a context and says whether there was one', async () => {
    await memory.store('conv-1', { activeIntent: 'pricing' });
    expect(await memory.forget('conv-1')).toBe(true);
    expect(await memory.retrieve('conv-1')).toBeNull();
    expect(await memory.forget('conv-1')).toBe(false);
    expect(await memory.updatedSince(new Date(0))).toEqual([]);
    expect((await memory.stats()).activeContexts).toBe(0);
  });

  it('lists live contexts written at or after a time, oldest first, at most limit', async () => {
    await memory.store('conv-1', {});
    await harness.advance(10);
    const second = await memory.store('conv-2', {});
    await harness.advance(10);
    await memory.store('conv-3', {});
    await harness.advance(10);
    await memory.store('conv-1', { activeIntent: 'rewritten' }); // a write moves it to the end

    const ids = async (since: Date, limit?: number) => (await memory.updatedSince(since, limit)).map((context) => context.conversationId);
    expect(await ids(new Date(0))).toEqual(['conv-2', 'conv-3', 'conv-1']);
    expect(await ids(second.updatedAt)).toEqual(['conv-2', 'conv-3', 'conv-1']);
    expect(await ids(new Date(second.updatedAt.getTime() + 1))).toEqual(['conv-3', 'conv-1']);
    expect(await ids(new Date(0), 2)).toEqual(['conv-2', 'conv-3']);
    expect(await ids(new Date(second.updatedAt.getTime() + 86_400_000))).toEqual([]);
    const [first] = await memory.updatedSince(new Date(0), 1);
    expect(first?.updatedAt).toBeInstanceOf(Date);
    await expect(memory.updatedSince(new Date(0), 0)).rejects.toThrow(RangeError);
  });

  it('counts hits, misses and live contexts', async () => {
    expect(await memory.stats()).toEqual({ backend: memory.backend, activeContexts: 0, hits: 0, misses: 0, hitRate: null });
    await memory.store('conv-1', {});
    await memory.store('conv-2', {});
    await memory.retrieve('conv-1');
    await memory.retrieve('conv-2');
    await memory.retrieve('missing');
    await memory.retrieveMany(['conv-1', 'missing']); // batch reads are not counted
    expect(await memory.stats()).toEqual({ backend: memory.backend, activeContexts: 2, hits: 2, misses: 1, hitRate: 2 / 3 });
  });

  it('keeps the slots of every concurrent writer to one conversation', async () => {
    const writers = 50;
    await Promise.all(Array.from({ length: writers }, (_, i) => memory.store('busy', { extractedSlots: { [`writer${i}`]: i }, lastAgent: `agent-${i}` })));
    const context = await memory.retrieve('busy');
    expect(context?.extractedSlots).toEqual(Object.fromEntries(Array.from({ length: writers }, (_, i) => [`writer${i}`, i])));
    expect(context?.lastAgent).toMatch(/^agent-\d+$/);
  });

  it('rejects TTLs that are not a whole number of seconds from 1 to 30 days', async () => {
    for (const ttlSeconds of [0, -5, 1.5, Number.NaN, MAX_TTL_SECONDS + 1]) {
      await expect(memory.store('conv-1', {}, { ttlSeconds })).rejects.toThrow(RangeError);
    }
    expect(await memory.retrieveMany(['conv-1'])).toEqual([null]);
    const longest = await memory.store('conv-1', {}, { ttlSeconds: MAX_TTL_SECONDS });
    expect(longest.expiresAt.getTime() - longest.updatedAt.getTime()).toBe(MAX_TTL_SECONDS * 1000);
    expect(() => harness.open({ defaultTtlSeconds: 0 })).toThrow(RangeError);
  });
}

describe('short-term memory (in-process)', () => {
  contract(inProcessHarness);
  sealedContract(inProcessHarness);

  it('evicts the least recently used context when full', async () => {
    const harness = inProcessHarness();
    const memory = harness.open({ maxEntries: 3 });
    try {
      await memory.store('a', {});
      await memory.store('b', {});
      await memory.store('c', {});
      await memory.retrieve('a'); // a is now more recent than b
      await memory.store('c', { activeIntent: 'touched' }); // rewriting an entry evicts nothing
      await memory.store('d', {});
      expect((await memory.retrieveMany(['a', 'b', 'c', 'd'])).map((context) => context?.conversationId ?? null)).toEqual(['a', null, 'c', 'd']);
      expect((await memory.stats()).activeContexts).toBe(3);
      expect(() => harness.open({ maxEntries: 0 })).toThrow(RangeError);
    } finally {
      await harness.close();
    }
  });
});

describe.skipIf(!process.env.REDIS_URL)('short-term memory (redis)', () => {
  const redisUrl = process.env.REDIS_URL!;
  contract(() => redisHarness(redisUrl));
  sealedContract(() => redisHarness(redisUrl));

  afterAll(() => redis.deleteKeys(redisUrl));

  it('shares contexts, atomic merges and counters across replicas', async () => {
    const harness = redisHarness(redisUrl);
    const [one, two] = [harness.open(), harness.open()];
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two).store('shared', { extractedSlots: { [`slot${i}`]: i } })));
      expect(Object.keys((await two.retrieve('shared'))?.extractedSlots ?? {})).toHaveLength(40);
      expect(await one.retrieve('missing')).toBeNull();
      expect(await one.stats()).toMatchObject({ backend: 'redis', activeContexts: 1, hits: 1, misses: 1 });
    } finally {
      await harness.close();
    }
  });

  it('skips and drops index entries whose key vanished before its recorded expiry', async () => {
    const keyPrefix = `${filePrefix}stale:`;
    const harness = redisHarness(redisUrl);
    const memory = harness.open({ keyPrefix });
    const client = new Redis(redisUrl);
    try {
      for (const id of ['conv-1', 'conv-2', 'conv-3']) await memory.store(id, {});
      // What another replica's clock running behind, or an eviction by maxmemory, leaves behind.
      await client.del(`${keyPrefix}stm:ctx:conv-1`);
      expect((await memory.updatedSince(new Date(0), 2)).map((context) => context.conversationId)).toEqual(['conv-2', 'conv-3']);
      expect(await client.zrange(`${keyPrefix}stm:by-update`, 0, -1)).toEqual(['conv-2', 'conv-3']);
    } finally {
      await client.quit();
      await harness.close();
    }
  });

  it('lets Redis expire the keys, all under the prefix', async () => {
    const harness = redisHarness(redisUrl);
    const memory = harness.open({ keyPrefix: `${filePrefix}layout:` });
    const client = new Redis(redisUrl);
    try {
      await memory.store('conv-1', {}, { ttlSeconds: 120 });
      const ttl = await client.ttl(`${filePrefix}layout:stm:ctx:conv-1`);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    } finally {
      await client.quit();
      await harness.close();
    }
  });
});

describe('short-term memory (in-process, sealed)', () => {
  contract(() => sealed(inProcessHarness()));
});

describe.skipIf(!process.env.REDIS_URL)('short-term memory (redis, sealed)', () => {
  contract(() => sealed(redisHarness(process.env.REDIS_URL!)));
});

describe('short-term memory (redis unreachable)', () => {
  it('rejects operations instead of hanging, and closes', async () => {
    // Port 1: nothing listens there, so every connection attempt is refused.
    const stores = openSharedStores({ redisUrl: 'redis://127.0.0.1:1', keyPrefix: 'unreachable:', logger: { warn: () => {} } });
    const memory = stores.shortTermMemory({ defaultTtlSeconds: 60, maxEntries: 10 });
    await expect(memory.store('conv-1', {})).rejects.toThrow();
    await expect(memory.retrieve('conv-1')).rejects.toThrow();
    await memory.close();
    await stores.close();
  }, 10_000);
});
