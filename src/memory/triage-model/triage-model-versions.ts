// The triage model's versions as a reader sees them: what each learned from and how
// well it did on outcomes it did not train on. Before any fit the current model is
// the cold-start one, which has no stored version.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import { COLD_START_MODEL } from '../../domain/triage-model.js';
import { HELD_OUT_FOLDS, type HeldOutQuality, MIN_HELD_OUT_OUTCOMES } from './triage-model-quality.js';

export interface TriageModelVersionInfo {
  version: string;
  /** Null for the cold-start model, which was never fitted. */
  fittedAt: Date | null;
  outcomes: number;
  conversions: number;
  /** Null when not measured: the cold-start model, or a version fitted before quality was measured. */
  heldOut: (HeldOutQuality & { folds: number; minimumOutcomes: number }) | null;
}

const COLD_START: TriageModelVersionInfo = { version: COLD_START_MODEL.version, fittedAt: null, outcomes: 0, conversions: 0, heldOut: null };

export async function triageModelVersions(prisma: PrismaClient, first: number): Promise<TriageModelVersionInfo[]> {
  const rows = await prisma.triageModelVersion.findMany({
    orderBy: { sequence: 'desc' },
    take: first,
    select: { version: true, createdAt: true, outcomes: true, conversions: true, heldOutOutcomes: true, heldOutAuc: true, heldOutBrier: true },
  });
  const versions = rows.map((row) => ({
    version: row.version,
    fittedAt: row.createdAt,
    outcomes: row.outcomes,
    conversions: row.conversions,
    heldOut:
      row.heldOutOutcomes === null
        ? null
        : { outcomes: row.heldOutOutcomes, auc: row.heldOutAuc, brier: row.heldOutBrier, folds: HELD_OUT_FOLDS, minimumOutcomes: MIN_HELD_OUT_OUTCOMES },
  }));
  // The cold-start model is the oldest version of every history, and the current one until a fit.
  return versions.length < first ? [...versions, COLD_START] : versions;
}

export async function currentTriageModel(prisma: PrismaClient): Promise<TriageModelVersionInfo> {
  const [current] = await triageModelVersions(prisma, 1);
  return current ?? COLD_START;
}
