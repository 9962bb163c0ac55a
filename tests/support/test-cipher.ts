// A personal-data cipher for tests that build stores on a database of their own:
// a fresh key ring each call, so a test that reopens the database passes the same ring.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../src/db/generated/prisma/client.js';
import { keyRing, type KeyRing } from '../../src/privacy/key-ring.js';
import { openPersonalDataCipher, type PersonalDataCipher } from '../../src/privacy/personal-data-cipher.js';

export function testKeyRing(...ids: string[]): KeyRing {
  return keyRing((ids.length > 0 ? ids : ['test']).map((id) => ({ id, key: randomBytes(32) })));
}

export function testCipher(prisma: PrismaClient, ring: KeyRing = testKeyRing()): Promise<PersonalDataCipher> {
  return openPersonalDataCipher(prisma, ring);
}
