// Leads arriving over a window, counted per hour or per day, zeros included, so a
// chart of them has no gaps. Buckets are UTC hours or days (aligned on the epoch),
// and one grouped statement counts them all.
import type { PrismaClient } from '../../db/generated/prisma/client.js';

export type ActivityBucket = 'HOUR' | 'DAY';

export const BUCKET_MS: Record<ActivityBucket, number> = { HOUR: 3_600_000, DAY: 86_400_000 };

export interface ActivityPoint {
  /** The bucket's first instant. */
  start: Date;
  leads: number;
}

export interface LeadActivity {
  since: Date;
  until: Date;
  bucket: ActivityBucket;
  points: ActivityPoint[];
}

/** The buckets [since, until) spans, counting a bucket that holds either end. */
export function bucketCount(window: { since: Date; until: Date }, bucket: ActivityBucket): number {
  const size = BUCKET_MS[bucket];
  return Math.floor((window.until.getTime() - 1) / size) - Math.floor(window.since.getTime() / size) + 1;
}

export async function leadActivity(prisma: PrismaClient, window: { since: Date; until: Date }, bucket: ActivityBucket): Promise<LeadActivity> {
  const size = BUCKET_MS[bucket];
  const seconds = size / 1000;
  const rows = await prisma.$queryRaw<{ bucket: number; leads: number }[]>`
    SELECT floor(extract(epoch FROM "createdAt") / ${seconds})::int AS "bucket", count(*)::int AS "leads"
    FROM "Lead" WHERE "createdAt" >= ${window.since} AND "createdAt" < ${window.until}
    GROUP BY 1`;
  const counts = new Map(rows.map((row) => [Number(row.bucket), Number(row.leads)]));
  const first = Math.floor(window.since.getTime() / size);
  const points = Array.from({ length: bucketCount(window, bucket) }, (_, i) => ({
    start: new Date((first + i) * size),
    leads: counts.get(first + i) ?? 0,
  }));
  return { ...window, bucket, points };
}
