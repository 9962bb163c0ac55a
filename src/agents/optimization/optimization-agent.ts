// The Campaign Optimization agent: KPIs and evidence-backed recommendations for a
// campaign from its metrics over time (see analysis.ts and the modules it runs), and
// the record of each run.
//
// Escalation is the caller's: when `analysis.breaches.length > 0` it raises a manager
// escalation (trigger PERFORMANCE_THRESHOLD) and passes its id to record(), which links
// the run to it. analyze() and record() take the caller's client so that the run, the
// escalation and any ingestion can commit together.
import type { OptimizationRun, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import { analyzeCampaign, type OptimizationAnalysis } from './analysis.js';
import { createCampaignMetricsStore, loadCampaign, type CampaignMetricsStore, type Db } from './campaign-metrics.js';
import { validateReportedKpis, type ReportedKpis } from './reported-kpis.js';
import { resolveThresholds, type OptimizationThresholds } from './thresholds.js';

export interface OptimizationAgentOptions {
  prisma: PrismaClient;
  /** Overrides of DEFAULT_THRESHOLDS; validated (InputError on a bad value). */
  thresholds?: Partial<OptimizationThresholds>;
  now?: () => Date;
}

export interface OptimizationAgent {
  metrics: CampaignMetricsStore;
  /** The thresholds in force. */
  thresholds: OptimizationThresholds;
  /** NotFoundError for an unknown campaign; InputError for an invalid `reported` snapshot (paths `metrics.<field>`). */
  analyze(db: PrismaClient | Prisma.TransactionClient, campaignId: string, reported?: ReportedKpis | null): Promise<OptimizationAnalysis>;
  /** Stores the run (createdAt = analyzedAt), linked to the escalation it raised, if any. */
  record(db: PrismaClient | Prisma.TransactionClient, analysis: OptimizationAnalysis, escalationId: string | null): Promise<OptimizationRun>;
}

/**
 * What an OptimizationRun row holds: `kpis` = the analysis's KPIs plus `breaches` and the
 * `reported` assessment (threshold matters, alongside the numbers they judge);
 * `recommendations` = the recommendations array. Dates as ISO-8601 strings.
 */
export function storedRun(analysis: OptimizationAnalysis): { kpis: Prisma.InputJsonValue; recommendations: Prisma.InputJsonValue } {
  return {
    kpis: toJson({ ...analysis.kpis, breaches: analysis.breaches, reported: analysis.reported, thresholds: analysis.thresholds }),
    recommendations: toJson(analysis.recommendations),
  };
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

export function createOptimizationAgent(options: OptimizationAgentOptions): OptimizationAgent {
  const thresholds = resolveThresholds(options.thresholds);
  const now = options.now ?? (() => new Date());
  return {
    metrics: createCampaignMetricsStore(options.prisma),
    thresholds,
    async analyze(db: Db, campaignId, reported) {
      const checked = reported ? validateReportedKpis(reported) : null;
      const { campaign, snapshots } = await loadCampaign(db, campaignId);
      return analyzeCampaign({ id: campaign.id, budgetUsd: campaign.budgetUsd }, snapshots, { thresholds, analyzedAt: now(), reported: checked });
    },
    async record(db: Db, analysis, escalationId) {
      return db.optimizationRun.create({
        data: {
          campaignId: analysis.campaignId,
          createdAt: analysis.analyzedAt,
          dataSufficient: analysis.dataSufficient,
          escalationId,
          ...storedRun(analysis),
        },
      });
    },
  };
}
