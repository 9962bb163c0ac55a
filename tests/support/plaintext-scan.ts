// Looks for a person's data in clear where Baton keeps it at rest: every text,
// character and JSON column of every table of the database (what `psql` would
// show), and every key under the server's Redis prefix. A needle is found
// case-insensitively; a phone number also when only its digits are stored.
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestApp } from './test-app.js';

export interface Needles {
  /** Found as they are (case-insensitive): an email, its local part, a number as written. */
  texts: readonly string[];
  /** Found once every non-digit is stripped from the stored value: a phone number's digits. */
  digits: readonly string[];
}

/** Every `table.column` (`schema.table.column` outside Baton's schema) holding a needle in any row, sorted. */
export async function columnsHolding(baton: TestApp, needles: Needles): Promise<string[]> {
  return withSql(baton, async (query) => {
    // Every schema Baton writes to: its tables, and the job queue's own (graphile_worker on PostgreSQL).
    const columns = await query<{ table_schema: string; table_name: string; column_name: string }>(
      `SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg_toast%'
         AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
       ORDER BY c.table_schema, c.table_name, c.column_name`,
    );
    const found: string[] = [];
    const current = (await query<{ schema: string }>('SELECT current_schema() AS schema'))[0]?.schema;
    for (const { table_schema: schema, table_name: table, column_name: column } of columns) {
      const value = `"${column}"::text`;
      const conditions = [
        ...needles.texts.map((_, index) => `strpos(lower(${value}), lower($${index + 1})) > 0`),
        ...needles.digits.map((_, index) => `strpos(regexp_replace(${value}, '[^0-9]', '', 'g'), $${needles.texts.length + index + 1}) > 0`),
      ];
      const [row] = await query<{ hits: number }>(`SELECT count(*)::int AS hits FROM "${schema}"."${table}" WHERE ${conditions.join(' OR ')}`, [
        ...needles.texts,
        ...needles.digits,
      ]);
      // Baton's own tables by their name alone (as SEALED_COLUMNS names them), others with their schema.
      if ((row?.hits ?? 0) > 0) found.push(schema === current ? `${table}.${column}` : `${schema}.${table}.${column}`);
    }
    return found;
  });
}

/** For each `table.column` given, how many non-null values are not sealed (`enc:v1:...`). */
export async function unsealedValues(baton: TestApp, columns: readonly { table: string; column: string }[]): Promise<Record<string, number>> {
  return withSql(baton, async (query) => {
    const counts: Record<string, number> = {};
    for (const { table, column } of columns) {
      const [row] = await query<{ plain: number }>(
        `SELECT count(*)::int AS plain FROM "${table}" WHERE "${column}" IS NOT NULL AND "${column}"::text NOT LIKE 'enc:v1:%'`,
      );
      counts[`${table}.${column}`] = row?.plain ?? 0;
    }
    return counts;
  });
}

/** Every Redis key under the server's prefix whose value holds a needle (none without REDIS_URL). */
export async function redisKeysHolding(baton: TestApp, needles: Needles): Promise<string[]> {
  const url = baton.app.config.redisUrl;
  if (!url) return [];
  const redis = new Redis(url);
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${baton.app.config.redisKeyPrefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) if (holds(await redisValue(redis, key), needles)) found.push(key);
    } while (cursor !== '0');
    return found.sort();
  } finally {
    await redis.quit();
  }
}

/** Whether text holds a needle, as the database scan decides it. */
export function holds(text: string, needles: Needles): boolean {
  const lower = text.toLowerCase();
  const digits = text.replace(/\D/g, '');
  return needles.texts.some((needle) => lower.includes(needle.toLowerCase())) || needles.digits.some((needle) => digits.includes(needle));
}

async function redisValue(redis: Redis, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return '';
  }
}

type Query = <T>(sql: string, parameters?: unknown[]) => Promise<T[]>;

/**
 * A plain SQL session on the server's database: a `pg` client of its own on PostgreSQL; on
 * embedded PGlite (one process owns the files) the server's own connection, with raw SQL.
 */
async function withSql<T>(baton: TestApp, work: (query: Query) => Promise<T>): Promise<T> {
  const url = baton.database.env.DATABASE_URL;
  if (!url) return work((sql, parameters = []) => baton.app.database.prisma.$queryRawUnsafe(sql, ...parameters));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(async <R>(sql: string, parameters: unknown[] = []) => (await client.query(sql, parameters)).rows as R[]);
  } finally {
    await client.end();
  }
}
