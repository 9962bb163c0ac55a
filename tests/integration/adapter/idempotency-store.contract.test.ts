// The idempotency store contract, for each implementation available:
// in-process always, Redis when REDIS_URL is set (CI sets it). Time moves by an
// injected clock in-process and by real waiting on Redis, whose keys expire by
// its own clock.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSharedStores } from '../../../src/app/stores.js';
import {
  IDEMPOTENCY_LOCK_TTL_MS,
  IDEMPOTENCY_TTL_MS,
  type IdempotencyStore,
  type IdempotencyStoreOptions,
  type ScopedKey,
  type StoredResponse,
  resolveIdempotencyStoreOptions,
} from '../../../src/rest/idempotency/idempotency-store.js';
import { InProcessIdempotencyStore } from '../../../src/rest/idempotency/in-process.js';
import { inProcessStoreHarness, redisStoreHarnesses, type StoreHarness } from '../../support/store-harness.js';
import { randomBytes } from 'node:crypto';
import { personalDataCipher } from '../../../src/privacy/personal-data-cipher.js';
import { sealedIdempotencyStore } from '../../../src/rest/idempotency/sealed-idempotency-store.js';

type Harness = StoreHarness<IdempotencyStore, IdempotencyStoreOptions>;

const inProcessHarness = (): Harness => inProcessStoreHarness((now, options) => inProcessStore({ now, ...options }));
const redis = redisStoreHarnesses<IdempotencyStore, IdempotencyStoreOptions>('idem', (stores, options) => stores.idempotencyStore(options));
const { filePrefix } = redis;
const redisHarness = (redisUrl: string): Harness => redis.harness(redisUrl);

function inProcessStore(options: Partial<IdempotencyStoreOptions> = {}): IdempotencyStore {
  return new InProcessIdempotencyStore(resolveIdempotencyStoreOptions({ keyPrefix: 'unused:', ...options }));
}

const key: ScopedKey = { scope: 'test-operator', key: 'key-1' };
const okResponse: StoredResponse = {
  status: 200,
  body: {
    lead_id: 'lead-1',
    nested: { list: [1, [2, []], { deep: [null] }], empty: {} },
    float: 0.1 + 0.2,
    text: 'café "quoted" \\ 🚀',
    big: Number.MAX_SAFE_INTEGER,
  },
};

/** A cipher under a key of this file's own: the stores here need no database. */
const dataKey = randomBytes(32);
const cipher = personalDataCipher({ current: { id: 'idem-test', key: dataKey }, data: new Map([['idem-test', dataKey]]), blindIndex: randomBytes(32) });

/** The store as the server opens it: replays sealed before the backend keeps them (sealed-idempotency-store.ts). */
const sealed = (harness: Harness): Harness => ({ ...harness, open: (options) => sealedIdempotencyStore(harness.open(options), cipher) });

function sealedContract(makeHarness: () => Harness) {
  it('keeps a replay sealed whole in the backend, its lead id beside it, and replays it in clear', async () => {
    const harness = makeHarness();
    const backend = harness.open();
    const store = sealedIdempotencyStore(backend, cipher);
    try {
      const response: StoredResponse = {
        status: 200,
        body: { lead_id: 'lead-pii', email: 'ada.replay@example.org', phone: '+44 20 7946 0003', note: 'call +44 20 7946 0003', score: 82 },
      };
      const claim = await store.claim(key, 'fp');
      if (claim.outcome !== 'acquired') throw new Error(`expected to acquire, got ${claim.outcome}`);
      expect(await store.complete(key, claim.lease, response)).toBe(true);
      expect(await store.claim(key, 'fp')).toEqual({ outcome: 'replay', response });
      const raw = await backend.claim(key, 'fp');
      expect(raw.outcome).toBe('replay');
      const text = JSON.stringify(raw);
      for (const clear of ['ada.replay', '7946']) expect(text).not.toContain(clear);
      // Sealed whole (a greeting may name the person), but its lead stays readable for erasure's index.
      expect(text).not.toContain('"score":82');
      expect((raw as { response: StoredResponse }).response.body).toMatchObject({ lead_id: 'lead-pii', sealed: expect.stringMatching(/^enc:v1:/) });
    } finally {
      await harness.close();
    }
  });
}

function contract(makeHarness: () => Harness) {
  let harness: Harness;
  let store: IdempotencyStore;
  beforeEach(() => {
    harness = makeHarness();
    store = harness.open();
  });
  afterEach(() => harness.close());

  it('forgets the responses about a lead (erasure), and only those', async () => {
    const other: ScopedKey = { scope: 'test-operator', key: 'key-2' };
    const pending: ScopedKey = { scope: 'test-operator', key: 'key-3' };
    for (const [scoped, response] of [
      [key, okResponse],
      [other, { status: 200, body: { lead_id: 'lead-2' } }],
    ] as const) {
      const claim = await store.claim(scoped, 'fp');
      if (claim.outcome !== 'acquired') throw new Error(`expected acquired, got ${claim.outcome}`);
      await store.complete(scoped, claim.lease, response);
    }
    await store.claim(pending, 'fp');
    expect(await store.forgetLead('lead-1')).toBe(1);
    expect(await store.claim(key, 'fp')).toEqual({ outcome: 'acquired', lease: expect.any(String) });
    expect(await store.claim(other, 'fp')).toMatchObject({ outcome: 'replay' });
    expect(await store.claim(pending, 'fp')).toEqual({ outcome: 'in-flight' });
    expect(await store.forgetLead('lead-1')).toBe(0);
  });

  it('claims a free key once: a repeat is in flight, another fingerprint a mismatch', async () => {
    const claim = await store.claim(key, 'fp-1');
    expect(claim).toEqual({ outcome: 'acquired', lease: expect.any(String) });
    expect(await store.claim(key, 'fp-1')).toEqual({ outcome: 'in-flight' });
    expect(await store.claim(key, 'fp-2')).toEqual({ outcome: 'mismatch' });
  });

  it('replays a completed response exactly, to the same fingerprint only', async () => {
    const claim = await store.claim(key, 'fp-1');
    if (claim.outcome !== 'acquired') throw new Error(`expected acquired, got ${claim.outcome}`);
    expect(await store.complete(key, claim.lease, okResponse)).toBe(true);
    expect(await store.claim(key, 'fp-1')).toStrictEqual({ outcome: 'replay', response: okResponse });
    expect(await store.claim(key, 'fp-1')).toStrictEqual({ outcome: 'replay', response: okResponse });
    expect(await store.claim(key, 'fp-2')).toEqual({ outcome: 'mismatch' });
    // A second completion of the same claim changes nothing.
    expect(await store.complete(key, claim.lease, { status: 400, body: {} })).toBe(false);
    expect(await store.claim(key, 'fp-1')).toStrictEqual({ outcome: 'replay', response: okResponse });
  });

  it('hands out copies: mutating a replayed or a completed response leaves the stored one alone', async () => {
    const response = structuredClone(okResponse) as { status: number; body: { lead_id: string } };
    const claim = await store.claim(key, 'fp-1');
    if (claim.outcome !== 'acquired') throw new Error('expected acquired');
    await store.complete(key, claim.lease, response);
    response.body.lead_id = 'mutated';
    const replay = await store.claim(key, 'fp-1');
    if (replay.outcome !== 'replay') throw new Error('expected replay');
    (replay.response.body as { lead_id: string }).lead_id = 'mutated too';
    expect(await store.claim(key, 'fp-1')).toStrictEqual({ outcome: 'replay', response: okResponse });
  });

  it('frees a released key for a retry, which may then carry another body', async () => {
    const claim = await store.claim(key, 'fp-1');
    if (claim.outcome !== 'acquired') throw new Error('expected acquired');
    expect(await store.release(key, claim.lease)).toBe(true);
    const retry = await store.claim(key, 'fp-2');
    expect(retry).toEqual({ outcome: 'acquired', lease: expect.any(String) });
    expect(retry.outcome === 'acquired' && retry.lease).not.toBe(claim.lease);
  });

  it('ignores a lease that is not the claim holding the key', async () => {
    const claim = await store.claim(key, 'fp-1');
    if (claim.outcome !== 'acquired') throw new Error('expected acquired');
    expect(await store.complete(key, 'someone-else', okResponse)).toBe(false);
    expect(await store.release(key, 'someone-else')).toBe(false);
    expect(await store.claim(key, 'fp-1')).toEqual({ outcome: 'in-flight' });
    expect(await store.complete({ ...key, key: 'never-claimed' }, claim.lease, okResponse)).toBe(false);
    expect(await store.release({ ...key, key: 'never-claimed' }, claim.lease)).toBe(false);
    // Once completed, the key cannot be released.
    await store.complete(key, claim.lease, okResponse);
    expect(await store.release(key, claim.lease)).toBe(false);
    expect(await store.claim(key, 'fp-1')).toEqual({ outcome: 'replay', response: okResponse });
  });

  it('keeps scopes apart, however their text splits', async () => {
    expect((await store.claim({ scope: 'alice', key: 'k' }, 'fp-1')).outcome).toBe('acquired');
    expect((await store.claim({ scope: 'bob', key: 'k' }, 'fp-2')).outcome).toBe('acquired');
    expect((await store.claim({ scope: 'a', key: 'b:c' }, 'fp-3')).outcome).toBe('acquired');
    expect((await store.claim({ scope: 'a:b', key: 'c' }, 'fp-4')).outcome).toBe('acquired');
    expect((await store.claim({ scope: 'alice', key: 'k' }, 'fp-1')).outcome).toBe('in-flight');
  });

  it('lets exactly one of many concurrent claims through', async () => {
    const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(key, 'fp-1')));
    expect(claims.filter((claim) => claim.outcome === 'acquired')).toHaveLength(1);
    expect(claims.filter((claim) => claim.outcome === 'in-flight')).toHaveLength(19);
  });

  it('frees a claim whose lock expired, and keeps the late first claimant from overwriting the next', async () => {
    const short = harness.open({ lockTtlMs: 150 });
    const first = await short.claim(key, 'fp-1');
    if (first.outcome !== 'acquired') throw new Error('expected acquired');
    await harness.advance(300);
    const second = await short.claim(key, 'fp-1');
    if (second.outcome !== 'acquired') throw new Error(`expected acquired after the lock expired, got ${second.outcome}`);
    expect(await short.complete(key, first.lease, { status: 200, body: { late: true } })).toBe(false);
    expect(await short.release(key, first.lease)).toBe(false);
    expect(await short.complete(key, second.lease, okResponse)).toBe(true);
    expect(await short.claim(key, 'fp-1')).toStrictEqual({ outcome: 'replay', response: okResponse });
  });

  it('forgets a completed response after its TTL', async () => {
    const short = harness.open({ ttlMs: 150 });
    const claim = await short.claim(key, 'fp-1');
    if (claim.outcome !== 'acquired') throw new Error('expected acquired');
    await short.complete(key, claim.lease, okResponse);
    expect((await short.claim(key, 'fp-1')).outcome).toBe('replay');
    await harness.advance(300);
    expect((await short.claim(key, 'fp-2')).outcome).toBe('acquired');
  });

  it('keeps responses 24 hours and locks 5 minutes by default, and rejects other durations', () => {
    expect(IDEMPOTENCY_TTL_MS).toBe(24 * 60 * 60 * 1000);
    expect(IDEMPOTENCY_LOCK_TTL_MS).toBe(5 * 60 * 1000);
    expect(() => harness.open({ ttlMs: 0 })).toThrow(RangeError);
    expect(() => harness.open({ lockTtlMs: 1.5 })).toThrow(RangeError);
  });
}

describe('idempotency store (in-process)', () => {
  contract(inProcessHarness);
  sealedContract(inProcessHarness);

  it('expires by its clock: a lock after 5 minutes, a response after 24 hours', async () => {
    const harness = inProcessHarness();
    const store = harness.open();
    try {
      const claim = await store.claim(key, 'fp-1');
      if (claim.outcome !== 'acquired') throw new Error('expected acquired');
      await harness.advance(IDEMPOTENCY_LOCK_TTL_MS - 1);
      expect((await store.claim(key, 'fp-1')).outcome).toBe('in-flight');
      expect(await store.complete(key, claim.lease, okResponse)).toBe(true);
      await harness.advance(IDEMPOTENCY_TTL_MS - 1);
      expect((await store.claim(key, 'fp-1')).outcome).toBe('replay');
      await harness.advance(1);
      expect((await store.claim(key, 'fp-1')).outcome).toBe('acquired');
    } finally {
      await harness.close();
    }
  });

  it('drops the oldest written records beyond maxEntries', async () => {
    const harness = inProcessHarness();
    const store = harness.open({ maxEntries: 2 });
    try {
      const a = await store.claim({ scope: 's', key: 'a' }, 'fp');
      await store.claim({ scope: 's', key: 'b' }, 'fp');
      if (a.outcome !== 'acquired') throw new Error('expected acquired');
      await store.complete({ scope: 's', key: 'a' }, a.lease, okResponse); // rewritten: now newer than b
      await store.claim({ scope: 's', key: 'c' }, 'fp');
      expect((await store.claim({ scope: 's', key: 'a' }, 'fp')).outcome).toBe('replay');
      expect((await store.claim({ scope: 's', key: 'c' }, 'fp')).outcome).toBe('in-flight');
      expect((await store.claim({ scope: 's', key: 'b' }, 'fp')).outcome).toBe('acquired'); // b was dropped
      expect(() => harness.open({ maxEntries: 0 })).toThrow(RangeError);
    } finally {
      await harness.close();
    }
  });

  it('refuses use after close', async () => {
    const store = inProcessStore();
    expect(store.backend).toBe('in-process');
    await store.close();
    await expect(store.claim(key, 'fp-1')).rejects.toThrow(/closed/);
  });
});

describe.skipIf(!process.env.REDIS_URL)('idempotency store (redis)', () => {
  const redisUrl = process.env.REDIS_URL!;
  contract(() => redisHarness(redisUrl));
  sealedContract(() => redisHarness(redisUrl));

  afterAll(() => redis.deleteKeys(redisUrl));

  it('shares keys across replicas: one claims, the other sees it in flight, then replays', async () => {
    const harness = redisHarness(redisUrl);
    const [one, two] = [harness.open(), harness.open()];
    try {
      expect(one.backend).toBe('redis');
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? one : two).claim(key, 'fp-1')));
      const acquired = claims.filter((claim) => claim.outcome === 'acquired');
      expect(acquired).toHaveLength(1);
      expect(await two.claim(key, 'fp-2')).toEqual({ outcome: 'mismatch' });
      const lease = acquired[0]!.outcome === 'acquired' ? acquired[0]!.lease : '';
      expect((await one.complete(key, lease, okResponse)) || (await two.complete(key, lease, okResponse))).toBe(true);
      expect(await two.claim(key, 'fp-1')).toStrictEqual({ outcome: 'replay', response: okResponse });
      expect(await one.claim(key, 'fp-1')).toStrictEqual({ outcome: 'replay', response: okResponse });
    } finally {
      await harness.close();
    }
  });

  it('keeps one Redis key per scoped key under the prefix, expiring with the lock, then the TTL', async () => {
    const keyPrefix = `${filePrefix}layout:`;
    const harness = redisHarness(redisUrl);
    const store = harness.open({ keyPrefix });
    const client = new Redis(redisUrl);
    try {
      const claim = await store.claim({ scope: 'subject with spaces', key: 'k'.repeat(255) }, 'fp-1');
      if (claim.outcome !== 'acquired') throw new Error('expected acquired');
      const keys = await client.keys(`${keyPrefix}*`);
      expect(keys).toEqual([expect.stringMatching(new RegExp(`^${keyPrefix}idempotency:[0-9a-f]{64}$`))]);
      const lockTtl = await client.pttl(keys[0]!);
      expect(lockTtl).toBeGreaterThan(IDEMPOTENCY_LOCK_TTL_MS - 10_000);
      expect(lockTtl).toBeLessThanOrEqual(IDEMPOTENCY_LOCK_TTL_MS);
      await store.complete({ scope: 'subject with spaces', key: 'k'.repeat(255) }, claim.lease, okResponse);
      const ttl = await client.pttl(keys[0]!);
      expect(ttl).toBeGreaterThan(IDEMPOTENCY_TTL_MS - 10_000);
      expect(ttl).toBeLessThanOrEqual(IDEMPOTENCY_TTL_MS);
    } finally {
      await client.quit();
      await harness.close();
    }
  });
});

describe('idempotency store (in-process, sealed)', () => {
  contract(() => sealed(inProcessHarness()));
});

describe.skipIf(!process.env.REDIS_URL)('idempotency store (redis, sealed)', () => {
  contract(() => sealed(redisHarness(process.env.REDIS_URL!)));
});

describe('idempotency store (redis unreachable)', () => {
  it('rejects commands instead of queueing them forever', async () => {
    const stores = openSharedStores({ redisUrl: 'redis://127.0.0.1:1', keyPrefix: 'unreachable:', logger: { warn: () => {} } });
    const store = stores.idempotencyStore();
    try {
      await expect(store.claim(key, 'fp-1')).rejects.toThrow();
    } finally {
      await store.close();
      await stores.close();
    }
  });
});
