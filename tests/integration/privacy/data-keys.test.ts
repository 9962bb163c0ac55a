// Envelope encryption against the test database (PGlite, or PostgreSQL with
// DATABASE_URL): data keys wrapped by the ring's newest key, rotation that keeps
// old values readable, and a ring that cannot open the database refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { databaseTarget, openDatabase, type Database } from '../../../src/db/database.js';
import { keyRing } from '../../../src/privacy/key-ring.js';
import { openPersonalDataCipher } from '../../../src/privacy/personal-data-cipher.js';
import { testKeyRing } from '../../support/test-cipher.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await openDatabase(databaseTarget(loadConfig(testDatabase.env)));
});
afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

describe('data keys', () => {
  it('stores only wrapped keys, rotates the key-encryption key, and keeps every sealed value readable', async () => {
    const first = testKeyRing('k1');
    const before = await openPersonalDataCipher(database.prisma, first);
    const sealed = before.seal('jane.doe@acme.com');
    expect(sealed).toMatch(/^enc:v1:k1:/);
    expect(sealed).not.toContain('jane');
    const index = before.blindIndex(' Jane.Doe@ACME.com ');
    expect(index).toBe(before.blindIndex('jane.doe@acme.com'));

    const [newKey] = testKeyRing('k2').keys;
    const rotated = keyRing([newKey!, first.newest]);
    const during = await openPersonalDataCipher(database.prisma, rotated);
    expect(during.keyId).toBe('k2');
    expect(during.open(sealed)).toBe('jane.doe@acme.com');
    expect(during.seal('x')).toMatch(/^enc:v1:k2:/);
    // The blind index outlives rotation: lookups by an email computed before still match.
    expect(during.blindIndex('jane.doe@acme.com')).toBe(index);

    const rows = await database.prisma.dataKey.findMany();
    expect(new Set(rows.map((row) => row.wrappedBy))).toEqual(new Set(['k2']));
    expect(rows.map((row) => `${row.purpose}/${row.id}`).sort()).toEqual(['blind-index/1', 'data/k1', 'data/k2']);

    // Rewrapped at the start above: the old key-encryption key may now leave the ring.
    const after = await openPersonalDataCipher(database.prisma, keyRing([newKey!]));
    expect(after.open(sealed)).toBe('jane.doe@acme.com');
    expect(after.blindIndex('jane.doe@acme.com')).toBe(index);
  });

  it('refuses a ring without the key that wrapped the data keys, naming it', async () => {
    await expect(openPersonalDataCipher(database.prisma, testKeyRing('stranger'))).rejects.toThrow(/lacks key k2/);
    const impostor = testKeyRing('k2');
    await expect(openPersonalDataCipher(database.prisma, impostor)).rejects.toThrow(/key k2 is not the key that wrapped/);
  });
});
