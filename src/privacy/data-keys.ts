// The data keys (DEKs), stored in the database they protect, each wrapped by a key
// of the ring (src/privacy/key-ring.ts):
//   data/<kek id>   encrypts people's data; the one named after the newest KEK
//                   seals new writes, older ones only open what they sealed until
//                   the re-encryption job has moved it (then they are deleted);
//   blind-index/1   keys the HMAC of emails (lookups, tombstones); never rotated,
//                   so an index computed once stays valid.
// At every start, a data key wrapped by an older KEK is rewrapped by the newest, so
// an old KEK can leave DATA_ENCRYPTION_KEY after one start. Ids are deterministic,
// so processes starting together insert the same row once (ON CONFLICT).
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config.js';
import type { PrismaClient } from '../db/generated/prisma/client.js';
import { decrypt, encrypt } from './aes-gcm.js';
import type { KeyRing } from './key-ring.js';

export interface DataKeys {
  /** The data key new writes use. */
  readonly current: { id: string; key: Buffer };
  /** Every data key, by id (the current one included). */
  readonly data: ReadonlyMap<string, Buffer>;
  readonly blindIndex: Buffer;
}

const BLIND_INDEX_ID = '1';

interface DataKeyRow {
  purpose: string;
  id: string;
  wrappedBy: string;
  wrapped: string;
}

export async function loadDataKeys(prisma: PrismaClient, ring: KeyRing): Promise<DataKeys> {
  await ensureKey(prisma, ring, 'blind-index', BLIND_INDEX_ID);
  await ensureKey(prisma, ring, 'data', ring.newest.id);
  const rows = await prisma.$queryRaw<DataKeyRow[]>`SELECT "purpose", "id", "wrappedBy", "wrapped" FROM "DataKey"`;
  const data = new Map<string, Buffer>();
  let blindIndex: Buffer | undefined;
  for (const row of rows) {
    const key = unwrap(row, ring);
    if (row.wrappedBy !== ring.newest.id) await rewrap(prisma, row, key, ring);
    if (row.purpose === 'blind-index') blindIndex = key;
    else data.set(row.id, key);
  }
  const current = data.get(ring.newest.id);
  if (!current || !blindIndex) throw new Error('the data keys could not be created');
  return { current: { id: ring.newest.id, key: current }, data, blindIndex };
}

/** Forgets the data keys no sealed value uses any more (after the re-encryption job). */
export async function deleteDataKeys(prisma: PrismaClient, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await prisma.$executeRaw`DELETE FROM "DataKey" WHERE "purpose" = 'data' AND "id" = ANY(${ids as string[]})`;
}

async function ensureKey(prisma: PrismaClient, ring: KeyRing, purpose: string, id: string): Promise<void> {
  const wrapped = encrypt(ring.newest.key, randomBytes(32), label(purpose, id)).toString('base64');
  await prisma.$executeRaw`
    INSERT INTO "DataKey" ("purpose", "id", "wrappedBy", "wrapped") VALUES (${purpose}, ${id}, ${ring.newest.id}, ${wrapped})
    ON CONFLICT ("purpose", "id") DO NOTHING`;
}

function unwrap(row: DataKeyRow, ring: KeyRing): Buffer {
  const kek = ring.byId(row.wrappedBy);
  if (!kek) {
    throw new ConfigError(
      `DATA_ENCRYPTION_KEY lacks key ${row.wrappedBy}, which protects this database's ${row.purpose} key: add it back after the new key (Baton rewraps with the first key at start, then the old one may go)`,
    );
  }
  try {
    return decrypt(kek.key, Buffer.from(row.wrapped, 'base64'), label(row.purpose, row.id));
  } catch {
    throw new ConfigError(`DATA_ENCRYPTION_KEY key ${row.wrappedBy} is not the key that wrapped this database's ${row.purpose} key`);
  }
}

async function rewrap(prisma: PrismaClient, row: DataKeyRow, key: Buffer, ring: KeyRing): Promise<void> {
  const wrapped = encrypt(ring.newest.key, key, label(row.purpose, row.id)).toString('base64');
  await prisma.$executeRaw`
    UPDATE "DataKey" SET "wrappedBy" = ${ring.newest.id}, "wrapped" = ${wrapped}, "rewrappedAt" = now()
    WHERE "purpose" = ${row.purpose} AND "id" = ${row.id}`;
}

function label(purpose: string, id: string): string {
  return `baton:data-key:${purpose}:${id}`;
}
