// The re-encryption job: moves every sealed value in PostgreSQL (SEALED_COLUMNS)
// to the current data key, seals what was stored before encryption existed, keeps
// Lead.emailIndex in step with Lead.email, then deletes the data keys no value
// names any more. After a key rotation (a new key first in DATA_ENCRYPTION_KEY),
// one run leaves the old data key unused and gone; the old key-encryption key
// already left at start (src/privacy/data-keys.ts rewraps).
//
// In batches, by primary key, each row written back only if it still holds the
// value read (a write racing the job keeps its own value, sealed with the current
// key anyway): the job can run beside the agents, and twice at once harmlessly.
//
// Values sealed outside these columns (Redis, a graph database) are kept by
// their own stores, which a `SealedStore` lets take part: they reseal theirs and
// name the keys they still use, so no key they need is deleted.
import type { PrismaClient } from '../db/generated/prisma/client.js';
import { deleteDataKeys } from './data-keys.js';
import type { PersonalDataCipher } from './personal-data-cipher.js';
import { SEALED_COLUMNS, type SealedColumn } from './sealed-columns.js';

export interface ReencryptionReport {
  /** Values sealed anew with the current data key (plain before, or under another key). */
  resealed: number;
  /** Lead.emailIndex values written (missing, or stale beside the email). */
  indexed: number;
  /** Data keys deleted: no value names them any more. */
  deletedKeys: string[];
  /** The data key every value now names. */
  keyId: string;
}

/** A store outside SEALED_COLUMNS that keeps sealed values (short-term memory, a graph): resealed by the job too. */
export interface SealedStore {
  /** Reseals its values with `cipher`'s current key; answers how many, and which data keys its values still name. */
  reseal(cipher: PersonalDataCipher): Promise<{ resealed: number; keyIds: readonly string[] }>;
}

export interface Reencryption {
  run(): Promise<ReencryptionReport>;
}

const BATCH_SIZE = 500;
const PREFIX = 'enc:v1:';

export function createReencryption(deps: {
  prisma: PrismaClient;
  cipher: PersonalDataCipher;
  columns?: readonly SealedColumn[];
  stores?: readonly SealedStore[];
  batchSize?: number;
}): Reencryption {
  const { prisma, cipher } = deps;
  const columns = deps.columns ?? SEALED_COLUMNS;
  const batchSize = deps.batchSize ?? BATCH_SIZE;
  const keyTypes = new Map<string, string>();

  /** The SQL type of a key column (text, uuid...), to compare it with a JSON-carried value. */
  async function keyType(table: string, column: string): Promise<string> {
    const name = `${table}.${column}`;
    let type = keyTypes.get(name);
    if (!type) {
      const [row] = await prisma.$queryRawUnsafe<{ udt_name: string }[]>(
        'SELECT udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2',
        table,
        column,
      );
      if (!row) throw new Error(`SEALED_COLUMNS names ${name}, which the database lacks`);
      type = row.udt_name;
      keyTypes.set(name, type);
    }
    return type;
  }

  /** Whether a stored value needs sealing anew: plain personal data, or a sealed value under another key. */
  function resealed(column: SealedColumn, value: unknown): unknown {
    if (column.shape === 'text') {
      if (typeof value !== 'string') return undefined;
      if (cipher.isSealed(value) && cipher.keyIdOf(value) === cipher.keyId) return undefined;
      return cipher.seal(cipher.open(value));
    }
    if (namesOtherKey(value)) return cipher.sealJson(cipher.openJson(value));
    const sealed = cipher.sealJson(value);
    return JSON.stringify(sealed) === JSON.stringify(value) ? undefined : sealed;
  }

  function namesOtherKey(value: unknown): boolean {
    if (typeof value === 'string') return cipher.isSealed(value) && cipher.keyIdOf(value) !== cipher.keyId;
    if (Array.isArray(value)) return value.some(namesOtherKey);
    if (value && typeof value === 'object') return Object.values(value).some(namesOtherKey);
    return false;
  }

  async function resealColumn(column: SealedColumn): Promise<number> {
    const table = quote(column.table);
    const target = quote(column.column);
    const keys = column.key.map(quote);
    const types = await Promise.all(column.key.map((key) => keyType(column.table, key)));
    const keyList = keys.join(', ');
    // Text columns already under the current key need no look: the database skips them ($1, the key id,
    // is passed either way so the keyset parameters keep their numbers).
    const pending = column.shape === 'text' ? `AND ${target} NOT LIKE '${PREFIX}' || $1 || ':%'` : `AND $1::text IS NOT NULL`;
    let after: unknown[] | null = null;
    let count = 0;
    for (;;) {
      const from = after ? `AND (${keyList}) > (${keys.map((_key, i) => `$${i + 2}::${types[i]}`).join(', ')})` : '';
      const rows: Record<string, unknown>[] = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(
        `SELECT ${keys.map((key, i) => `${key}::text AS "k${i}"`).join(', ')}, ${target} AS "value"
         FROM ${table} WHERE ${target} IS NOT NULL ${pending} ${from}
         ORDER BY ${keyList} LIMIT ${batchSize}`,
        cipher.keyId,
        ...(after ?? []),
      );
      if (rows.length === 0) return count;
      after = column.key.map((_key, i) => rows.at(-1)![`k${i}`]);
      const updates = rows.flatMap((row) => {
        const value = resealed(column, row.value);
        if (value === undefined) return [];
        const keyValues = Object.fromEntries(column.key.map((_key, i) => [`k${i}`, row[`k${i}`]]));
        return [{ ...keyValues, old: row.value, new: value }];
      });
      if (updates.length > 0) count += await writeBack(column, types, updates);
    }
  }

  /** Writes the batch back in one statement; a row changed since it was read keeps its own value. */
  async function writeBack(column: SealedColumn, types: string[], updates: Record<string, unknown>[]): Promise<number> {
    const json = column.shape === 'json';
    const keyColumns = column.key.map((_key, i) => `"k${i}" text`).join(', ');
    const matches = column.key.map((key, i) => `t.${quote(key)} = v."k${i}"::${types[i]}`).join(' AND ');
    const target = quote(column.column);
    return prisma.$executeRawUnsafe(
      `UPDATE ${quote(column.table)} t SET ${target} = v."new"
       FROM json_to_recordset($1::json) AS v(${keyColumns}, "old" ${json ? 'jsonb' : 'text'}, "new" ${json ? 'jsonb' : 'text'})
       WHERE ${matches} AND t.${target} = v."old"`,
      JSON.stringify(updates),
    );
  }

  /** Lead.emailIndex beside every email (the index survives rotation: only missing or stale ones are written). */
  async function indexEmails(): Promise<number> {
    let after = '';
    let count = 0;
    for (;;) {
      const rows = await prisma.$queryRaw<{ id: string; email: string; emailIndex: string | null }[]>`
        SELECT "id", "email", "emailIndex" FROM "Lead" WHERE "email" IS NOT NULL AND "id" > ${after} ORDER BY "id" LIMIT ${batchSize}`;
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      const updates = rows.flatMap((row) => {
        const index = cipher.blindIndex(cipher.open(row.email));
        return index === row.emailIndex ? [] : [{ id: row.id, email: row.email, emailIndex: index }];
      });
      if (updates.length > 0) {
        count += await prisma.$executeRaw`
          UPDATE "Lead" l SET "emailIndex" = v."emailIndex"
          FROM json_to_recordset(${JSON.stringify(updates)}::json) AS v("id" text, "email" text, "emailIndex" text)
          WHERE l."id" = v."id" AND l."email" = v."email"`;
      }
    }
    return count + (await prisma.$executeRaw`UPDATE "Lead" SET "emailIndex" = NULL WHERE "email" IS NULL AND "emailIndex" IS NOT NULL`);
  }

  /** The data keys some value in the columns still names. */
  async function keysInUse(): Promise<Set<string>> {
    const used = new Set<string>();
    for (const column of columns) {
      const target = quote(column.column);
      const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
        column.shape === 'text'
          ? `SELECT DISTINCT split_part(${target}, ':', 3) AS "id" FROM ${quote(column.table)} WHERE ${target} LIKE '${PREFIX}%'`
          : `SELECT DISTINCT m[1] AS "id" FROM ${quote(column.table)}, regexp_matches(${target}::text, 'enc:v1:([A-Za-z0-9_-]+):', 'g') AS m
             WHERE ${target}::text LIKE '%${PREFIX}%'`,
      );
      for (const { id } of rows) used.add(id);
    }
    return used;
  }

  return {
    async run() {
      let resealedCount = 0;
      for (const column of columns) resealedCount += await resealColumn(column);
      const indexed = await indexEmails();
      const used = await keysInUse();
      for (const store of deps.stores ?? []) {
        const result = await store.reseal(cipher);
        resealedCount += result.resealed;
        for (const id of result.keyIds) used.add(id);
      }
      const stored = await prisma.$queryRaw<{ id: string }[]>`SELECT "id" FROM "DataKey" WHERE "purpose" = 'data'`;
      const unused = stored.map(({ id }) => id).filter((id) => id !== cipher.keyId && !used.has(id));
      await deleteDataKeys(prisma, unused);
      return { resealed: resealedCount, indexed, deletedKeys: unused, keyId: cipher.keyId };
    },
  };
}

/** Table and column names come from SEALED_COLUMNS (code, not input); quoted all the same. */
function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
