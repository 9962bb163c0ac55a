// Where a campaign's metrics live: campaigns and their metric snapshots (one
// variant on one channel over one period) in PostgreSQL.
//
// Validation of every snapshot (all issues reported together, nothing stored on any):
//   - impressions, clicks, conversions: integers ≥ 0; spendUsd, revenueUsd: finite ≥ 0;
//   - clicks ≤ impressions, and conversions ≤ clicks (ENFORCED: conversions are counted
//     per click, which the conversion-rate tests and intervals rely on; report
//     view-through conversions elsewhere, or count the visits they came from as clicks);
//   - periodStart/periodEnd: valid date-times (Date or ISO-8601 string), periodEnd > periodStart;
//   - variant/channel: optional non-empty strings of at most 100 characters (defaults
//     `default` and `all`, as in the schema);
//   - at most one snapshot per (variant, channel, periodStart, periodEnd) in a batch, and
//     1 to MAX_SNAPSHOTS_PER_INGEST snapshots per call.
// Issues carry paths `metrics.<index>.<field>` (camelCase fields; snake_case with
// `naming: 'snake'`, as the REST adapter's request parser uses).
//
// Idempotent re-ingestion: a snapshot for a (variant, channel, periodStart, periodEnd)
// already stored REPLACES the stored one (a corrected report overwrites, it does not add).
// Periods of different lengths that overlap are not detected: report aligned periods.
import type { Campaign, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import { InputError, NotFoundError, type InputIssue } from '../../errors.js';
import type { MetricsSnapshot } from './kpis.js';

export type Db = PrismaClient | Prisma.TransactionClient;

export const DEFAULT_VARIANT = 'default';
export const DEFAULT_CHANNEL = 'all';
export const MAX_SNAPSHOTS_PER_INGEST = 1000;
const MAX_NAME_LENGTH = 100;
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

export interface CampaignInput {
  id: string;
  name: string;
  /** The campaign's lifetime budget in USD; omitted leaves a stored budget unchanged, null clears it. */
  budgetUsd?: number | null;
}

export interface MetricsSnapshotInput {
  variant?: string;
  channel?: string;
  periodStart: Date | string;
  periodEnd: Date | string;
  impressions: number;
  clicks: number;
  conversions: number;
  spendUsd: number;
  revenueUsd: number;
}

export interface IngestResult {
  /** Snapshots written. */
  stored: number;
  /** Stored snapshots they replaced (same variant, channel and period). */
  replaced: number;
}

export interface CampaignMetricsStore {
  /** Creates the campaign, or updates its name (and budget, when given): idempotent by id. */
  createCampaign(input: CampaignInput, db?: Db): Promise<Campaign>;
  /** Validates and stores snapshots; in `db` when given (the caller's transaction), else in a transaction of its own. */
  ingest(campaignId: string, snapshots: readonly MetricsSnapshotInput[], db?: Prisma.TransactionClient): Promise<IngestResult>;
  /** The campaign's snapshots, by period then variant and channel; NotFoundError for an unknown campaign. */
  history(campaignId: string, db?: Db): Promise<MetricsSnapshot[]>;
}

export interface SnapshotValidationOptions {
  /** The prefix of issue paths; default `metrics`. */
  path?: string;
  /** Field names in issue paths; default camelCase. */
  naming?: 'camel' | 'snake';
}

const SNAKE: Record<string, string> = { periodStart: 'period_start', periodEnd: 'period_end', spendUsd: 'spend_usd', revenueUsd: 'revenue_usd' };

/** The validated, normalized snapshots; throws InputError with every issue. */
export function validateSnapshots(snapshots: readonly MetricsSnapshotInput[], options: SnapshotValidationOptions = {}): MetricsSnapshot[] {
  const prefix = options.path ?? 'metrics';
  const name = (field: string) => (options.naming === 'snake' ? (SNAKE[field] ?? field) : field);
  const issues: InputIssue[] = [];
  if (!Array.isArray(snapshots) || snapshots.length === 0) throw new InputError([{ path: prefix, message: 'must hold at least one snapshot' }]);
  if (snapshots.length > MAX_SNAPSHOTS_PER_INGEST) {
    throw new InputError([{ path: prefix, message: `must hold at most ${MAX_SNAPSHOTS_PER_INGEST} snapshots per call` }]);
  }
  const result: MetricsSnapshot[] = [];
  const seen = new Map<string, number>();
  snapshots.forEach((input, index) => {
    const at = (field: string) => `${prefix}.${index}.${name(field)}`;
    const before = issues.length;
    if (typeof input !== 'object' || input === null) {
      issues.push({ path: `${prefix}.${index}`, message: 'must be an object' });
      return;
    }
    for (const field of ['impressions', 'clicks', 'conversions'] as const) {
      const v: unknown = input[field];
      if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) issues.push({ path: at(field), message: 'must be an integer ≥ 0' });
    }
    for (const field of ['spendUsd', 'revenueUsd'] as const) {
      const v: unknown = input[field];
      if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) issues.push({ path: at(field), message: 'must be a finite number ≥ 0' });
    }
    const labels: Record<'variant' | 'channel', string> = { variant: DEFAULT_VARIANT, channel: DEFAULT_CHANNEL };
    for (const field of ['variant', 'channel'] as const) {
      const v: unknown = input[field];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_NAME_LENGTH) {
        issues.push({ path: at(field), message: `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters` });
      } else {
        labels[field] = v.trim();
      }
    }
    const periodStart = toDate(input.periodStart);
    const periodEnd = toDate(input.periodEnd);
    if (!periodStart) issues.push({ path: at('periodStart'), message: 'must be a valid date-time' });
    if (!periodEnd) issues.push({ path: at('periodEnd'), message: 'must be a valid date-time' });
    if (issues.length > before) return;
    const { impressions, clicks, conversions, spendUsd, revenueUsd } = input;
    if (clicks > impressions) issues.push({ path: at('clicks'), message: `must not exceed impressions (${impressions})` });
    if (conversions > clicks) issues.push({ path: at('conversions'), message: `must not exceed clicks (${clicks})` });
    if (periodStart && periodEnd && !(periodEnd.getTime() > periodStart.getTime())) {
      issues.push({ path: at('periodEnd'), message: `must be after ${name('periodStart')}` });
    }
    if (issues.length > before || !periodStart || !periodEnd) return;
    const key = snapshotKey({ variant: labels.variant, channel: labels.channel, periodStart, periodEnd });
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      issues.push({ path: `${prefix}.${index}`, message: `repeats the variant, channel and period of ${prefix}.${earlier}` });
      return;
    }
    seen.set(key, index);
    result.push({ variant: labels.variant, channel: labels.channel, periodStart, periodEnd, impressions, clicks, conversions, spendUsd, revenueUsd });
  });
  if (issues.length > 0) throw new InputError(issues);
  return result;
}

function snapshotKey(s: { variant: string; channel: string; periodStart: Date; periodEnd: Date }): string {
  return JSON.stringify([s.variant, s.channel, s.periodStart.toISOString(), s.periodEnd.toISOString()]);
}

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  // ISO 8601 date or date-time only: `Date.parse` also accepts free-form strings.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) return null;
  const date = new Date(value.trim());
  return Number.isFinite(date.getTime()) ? date : null;
}

export function validateCampaignInput(input: CampaignInput, path = 'campaign'): CampaignInput {
  const issues: InputIssue[] = [];
  for (const field of ['id', 'name'] as const) {
    const v: unknown = input[field];
    if (typeof v !== 'string' || v.trim() === '' || v.length > 200)
      issues.push({ path: `${path}.${field}`, message: 'must be a non-empty string of at most 200 characters' });
  }
  const budget: unknown = input.budgetUsd;
  if (budget !== undefined && budget !== null && !(typeof budget === 'number' && Number.isFinite(budget) && budget >= 0)) {
    issues.push({ path: `${path}.budgetUsd`, message: 'must be a finite number ≥ 0, or null' });
  }
  if (issues.length > 0) throw new InputError(issues);
  return input;
}

/** The campaign and its snapshots; NotFoundError when it does not exist. */
export async function loadCampaign(db: Db, campaignId: string): Promise<{ campaign: Campaign; snapshots: MetricsSnapshot[] }> {
  const campaign = await db.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw new NotFoundError('Campaign', campaignId);
  const rows = await db.campaignMetrics.findMany({
    where: { campaignId },
    orderBy: [{ periodStart: 'asc' }, { periodEnd: 'asc' }, { variant: 'asc' }, { channel: 'asc' }],
  });
  const snapshots = rows.map((row) => ({
    variant: row.variant,
    channel: row.channel,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    impressions: row.impressions,
    clicks: row.clicks,
    conversions: row.conversions,
    spendUsd: row.spendUsd,
    revenueUsd: row.revenueUsd,
  }));
  return { campaign, snapshots };
}

export function createCampaignMetricsStore(prisma: PrismaClient): CampaignMetricsStore {
  async function ingestIn(tx: Prisma.TransactionClient, campaignId: string, snapshots: MetricsSnapshot[]): Promise<IngestResult> {
    const campaign = await tx.campaign.findUnique({ where: { id: campaignId }, select: { id: true } });
    if (!campaign) throw new NotFoundError('Campaign', campaignId);
    const { count: replaced } = await tx.campaignMetrics.deleteMany({
      where: {
        campaignId,
        OR: snapshots.map((s) => ({ variant: s.variant, channel: s.channel, periodStart: s.periodStart, periodEnd: s.periodEnd })),
      },
    });
    const { count: stored } = await tx.campaignMetrics.createMany({ data: snapshots.map((s) => ({ campaignId, ...s })) });
    return { stored, replaced };
  }

  return {
    async createCampaign(input, db = prisma) {
      const { id, name, budgetUsd } = validateCampaignInput(input);
      return db.campaign.upsert({
        where: { id },
        create: { id, name: name.trim(), budgetUsd: budgetUsd ?? null },
        update: { name: name.trim(), ...(budgetUsd !== undefined ? { budgetUsd } : {}) },
      });
    },
    async ingest(campaignId, input, db) {
      const snapshots = validateSnapshots(input);
      if (db) return ingestIn(db, campaignId, snapshots);
      return prisma.$transaction((tx) => ingestIn(tx, campaignId, snapshots), TRANSACTION_OPTIONS);
    },
    async history(campaignId, db = prisma) {
      return (await loadCampaign(db, campaignId)).snapshots;
    },
  };
}
