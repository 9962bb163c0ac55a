// The triage model's versions as a reader sees them: what each learned from (its
// training window and recency weighting), how well it did on recent outcomes it
// did not train on (AUC, Brier, log-loss, calibration by decile), the drift check
// run when it was fitted, and whether it was promoted. Before any fit the current
// model is the cold-start one, which has no stored version.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import { COLD_START_MODEL } from '../../domain/triage-model.js';
import type { CalibrationBin } from '../../statistics/classification-metrics.js';
import type { TriageDriftCheck, TriageDriftEpisodeInfo, TriageDriftState } from './triage-drift.js';
import { HELD_OUT_FOLDS, type HeldOutQuality, MIN_HELD_OUT_OUTCOMES } from './triage-model-quality.js';

export interface TriageTrainingWindow {
  /** outcomeAt of the oldest and newest outcome learned from. */
  from: Date | null;
  to: Date | null;
  /** An outcome weighs 2^(-age/halfLifeDays), its age counted from the newest outcome; null: no decay. */
  halfLifeDays: number | null;
  /** A detected drift's change point: the changed attributes' effects (and the base rate) are learned from outcomes after it alone. */
  changePointAt: Date | null;
  changedAttributes: string[];
  /** Σ of the outcomes' weights: how many outcomes' worth the fit learned from. */
  effectiveOutcomes: number;
}

/** Why a fit was or was not promoted: its held-out log-loss on the outcomes the current version never saw, against the current version's. */
export interface TriagePromotion {
  promoted: boolean;
  reason: string;
  /** Outcomes compared (recorded after the current version was fitted); 0 when there was nothing to compare on. */
  comparedOutcomes: number;
  candidateLogLoss: number | null;
  currentLogLoss: number | null;
  /** The version it was compared with. */
  comparedWith: string | null;
}

export interface TriageModelVersionInfo {
  version: string;
  /** Null for the cold-start model, which was never fitted. */
  fittedAt: Date | null;
  outcomes: number;
  conversions: number;
  /** Null when not measured: the cold-start model, or a version fitted before quality was measured. */
  heldOut: (HeldOutQuality & { folds: number; minimumOutcomes: number }) | null;
  /** Null for the cold-start model and versions fitted before training windows were recorded. */
  training: TriageTrainingWindow | null;
  /** True for the cold-start model and every version in use at some time; false for a fit kept only for audit. */
  promoted: boolean;
  promotion: TriagePromotion | null;
  /** The drift check run when it was fitted; null for the cold-start model and older versions. */
  drift: TriageDriftCheck | null;
}

export type { CalibrationBin, TriageDriftCheck, TriageDriftEpisodeInfo };

const COLD_START: TriageModelVersionInfo = {
  version: COLD_START_MODEL.version,
  fittedAt: null,
  outcomes: 0,
  conversions: 0,
  heldOut: null,
  training: null,
  promoted: true,
  promotion: null,
  drift: null,
};

type VersionRow = Awaited<ReturnType<PrismaClient['triageModelVersion']['findMany']>>[number];
const SELECTED = {
  version: true,
  createdAt: true,
  outcomes: true,
  conversions: true,
  heldOutOutcomes: true,
  heldOutAuc: true,
  heldOutBrier: true,
  heldOutLogLoss: true,
  calibration: true,
  trainingFrom: true,
  trainingTo: true,
  halfLifeDays: true,
  changePointAt: true,
  changedAttributes: true,
  effectiveOutcomes: true,
  promoted: true,
  promotion: true,
  drift: true,
} as const;

function infoOf(row: Omit<VersionRow, 'model' | 'sequence'>): TriageModelVersionInfo {
  return {
    version: row.version,
    fittedAt: row.createdAt,
    outcomes: row.outcomes,
    conversions: row.conversions,
    heldOut:
      row.heldOutOutcomes === null
        ? null
        : {
            outcomes: row.heldOutOutcomes,
            auc: row.heldOutAuc,
            brier: row.heldOutBrier,
            logLoss: row.heldOutLogLoss,
            calibration: (row.calibration as CalibrationBin[] | null) ?? [],
            folds: HELD_OUT_FOLDS,
            minimumOutcomes: MIN_HELD_OUT_OUTCOMES,
          },
    training:
      row.effectiveOutcomes === null
        ? null
        : {
            from: row.trainingFrom,
            to: row.trainingTo,
            halfLifeDays: row.halfLifeDays,
            changePointAt: row.changePointAt,
            changedAttributes: row.changedAttributes,
            effectiveOutcomes: row.effectiveOutcomes,
          },
    promoted: row.promoted,
    promotion: (row.promotion as TriagePromotion | null) ?? null,
    drift: reviveDriftCheck(row.drift),
  };
}

/** Every version, newest first, promoted or not; the cold-start model ends the history. */
export async function triageModelVersions(prisma: PrismaClient, first: number): Promise<TriageModelVersionInfo[]> {
  const rows = await prisma.triageModelVersion.findMany({ orderBy: { sequence: 'desc' }, take: first, select: SELECTED });
  const versions = rows.map(infoOf);
  // The cold-start model is the oldest version of every history, and the current one until a fit.
  return versions.length < first ? [...versions, COLD_START] : versions;
}

/** The version scoring leads now: the newest promoted one. */
export async function currentTriageModel(prisma: PrismaClient): Promise<TriageModelVersionInfo> {
  const row = await prisma.triageModelVersion.findFirst({ where: { promoted: true }, orderBy: { sequence: 'desc' }, select: SELECTED });
  return row ? infoOf(row) : COLD_START;
}

/** The drift check of the newest fit (promoted or not; every fit runs one): the drift state now. Null before any fit. */
export async function latestDriftCheck(prisma: PrismaClient): Promise<TriageDriftCheck | null> {
  const row = await prisma.triageModelVersion.findFirst({ orderBy: { sequence: 'desc' }, select: { drift: true } });
  return reviveDriftCheck(row?.drift ?? null);
}

/** The drift state now: the newest fit's check, WARMING_UP before any check. */
export async function triageDriftStatus(prisma: PrismaClient): Promise<{ state: TriageDriftState; check: TriageDriftCheck | null }> {
  const check = await latestDriftCheck(prisma);
  return { state: check?.state ?? 'WARMING_UP', check };
}

/** Drift episodes, newest first. */
export async function triageDriftEpisodes(prisma: PrismaClient, first: number): Promise<TriageDriftEpisodeInfo[]> {
  return prisma.triageDriftEpisode.findMany({ orderBy: { detectedAt: 'desc' }, take: first });
}

function reviveDriftCheck(stored: unknown): TriageDriftCheck | null {
  if (!stored) return null;
  const check = stored as TriageDriftCheck & { checkedAt: string; changePointAt: string | null; windowFrom: string | null };
  return {
    ...check,
    checkedAt: new Date(check.checkedAt),
    changePointAt: check.changePointAt ? new Date(check.changePointAt) : null,
    windowFrom: check.windowFrom ? new Date(check.windowFrom) : null,
  };
}
