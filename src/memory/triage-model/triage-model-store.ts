// Where triage models live: every fitted model is a new, immutable version in
// PostgreSQL, so it survives restarts and every score names the model that made
// it. Replicas pick up a new version within `refreshMs` without a restart.
import type { Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import type { TriageDriftCheck } from './triage-drift.js';
import { measureHeldOutQuality } from './triage-model-quality.js';
import { fitTriageModel, loadTrainingData } from './triage-training.js';
import { COLD_START_MODEL, type TriageModel } from '../../domain/triage-model.js';

export interface RetrainResult {
  /** The model scoring leads after this retrain: the newest promoted version. */
  model: TriageModel;
  /** The version fitted now and whether it was promoted; null when the recorded outcomes are exactly those the last fit learned from. */
  fitted: { version: string; promoted: boolean } | null;
  /** The drift check run with the fit; null when nothing was fitted. */
  drift: TriageDriftCheck | null;
}

export interface TriageModelStore {
  /** The newest model (cold-start until outcomes have been learned from). Cached; cheap to call per lead. */
  current(): Promise<TriageModel>;
  /** Fits a new version when outcomes changed since the current one. Run inside the caller's transaction. */
  retrain(db: Prisma.TransactionClient): Promise<RetrainResult>;
}

interface StoredModel {
  model: TriageModel;
  fingerprint: string;
}

export function createTriageModelStore(prisma: PrismaClient, { refreshMs = 5_000 } = {}): TriageModelStore {
  let cached: { model: TriageModel; checkedAt: number } | null = null;

  async function latest(db: PrismaClient | Prisma.TransactionClient): Promise<{ sequence: number; stored: StoredModel } | null> {
    const row = await db.triageModelVersion.findFirst({ orderBy: { sequence: 'desc' } });
    return row ? { sequence: row.sequence, stored: row.model as unknown as StoredModel } : null;
  }

  return {
    async current() {
      if (cached && performance.now() - cached.checkedAt < refreshMs) return cached.model;
      const newestVersion = await prisma.triageModelVersion.findFirst({ orderBy: { sequence: 'desc' }, select: { version: true } });
      let model = cached?.model ?? COLD_START_MODEL;
      if ((newestVersion?.version ?? COLD_START_MODEL.version) !== model.version) {
        model = (await latest(prisma))?.stored.model ?? COLD_START_MODEL;
      }
      cached = { model, checkedAt: performance.now() };
      return model;
    },

    async retrain(db) {
      // One after the other: a transaction is one connection, and pg warns about overlapping queries on it.
      const data = await loadTrainingData(db);
      const previous = await latest(db);
      if (data.outcomes === 0 && !previous) return { model: COLD_START_MODEL, fitted: null, drift: null };
      if (previous && previous.stored.fingerprint === data.fingerprint) return { model: previous.stored.model, fitted: null, drift: null };
      const sequence = (previous?.sequence ?? 0) + 1;
      const model = fitTriageModel(data, `learned-v${sequence}`);
      const stored: StoredModel = { model, fingerprint: data.fingerprint };
      const quality = measureHeldOutQuality(data);
      await db.triageModelVersion.create({
        data: {
          version: model.version,
          sequence,
          model: stored as unknown as Prisma.InputJsonValue,
          outcomes: data.outcomes,
          conversions: data.conversions,
          heldOutOutcomes: quality.outcomes,
          heldOutAuc: quality.auc,
          heldOutBrier: quality.brier,
        },
      });
      cached = { model, checkedAt: performance.now() };
      return { model, fitted: { version: model.version, promoted: true }, drift: null };
    },
  };
}
