// Where triage models live: every fit is a new, immutable version in PostgreSQL
// with its audit trail (training window, weighting, held-out quality, drift check,
// promotion), so it survives restarts and every score names the model that made
// it. Leads are scored by the newest PROMOTED version; replicas pick up a new one
// within `refreshMs` without a restart. Drift episodes are recorded beside them.
import type { Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import { COLD_START_MODEL, type TriageModel } from '../../domain/triage-model.js';
import type { TriageDriftCheck } from './triage-drift.js';
import { refitTriageModel } from './triage-refit.js';
import { DAY_MS, loadTrainingData } from './triage-training.js';

export interface RetrainResult {
  /** The model scoring leads after this retrain: the newest promoted version. */
  model: TriageModel;
  /** The version fitted now and whether it was promoted; null when the recorded outcomes are exactly those the last fit learned from. */
  fitted: { version: string; promoted: boolean } | null;
  /** The drift check run with the fit; null when nothing was fitted. */
  drift: TriageDriftCheck | null;
}

export interface TriageModelStore {
  /** The newest promoted model (cold-start until outcomes have been learned from). Cached; cheap to call per lead. */
  current(): Promise<TriageModel>;
  /** Fits a new version when outcomes changed since the last fit. Run inside the caller's transaction. */
  retrain(db: Prisma.TransactionClient): Promise<RetrainResult>;
}

export interface TriageModelStoreOptions {
  /** TRIAGE_HALF_LIFE_DAYS: an outcome's weight halves every this many days of age (null: no decay). */
  halfLifeDays: number | null;
  refreshMs?: number;
  now?: () => Date;
}

interface StoredModel {
  model: TriageModel;
  fingerprint: string;
}

type Db = PrismaClient | Prisma.TransactionClient;

export function createTriageModelStore(prisma: PrismaClient, options: TriageModelStoreOptions): TriageModelStore {
  const { halfLifeDays, refreshMs = 5_000, now = () => new Date() } = options;
  let cached: { model: TriageModel; checkedAt: number } | null = null;

  async function newest(db: Db, where: Prisma.TriageModelVersionWhereInput = {}) {
    const row = await db.triageModelVersion.findFirst({
      where,
      orderBy: { sequence: 'desc' },
      select: { sequence: true, model: true, trainingTo: true, promoted: true },
    });
    return row ? { sequence: row.sequence, stored: row.model as unknown as StoredModel, trainingTo: row.trainingTo, promoted: row.promoted } : null;
  }

  return {
    async current() {
      if (cached && performance.now() - cached.checkedAt < refreshMs) return cached.model;
      const inUse = await prisma.triageModelVersion.findFirst({ where: { promoted: true }, orderBy: { sequence: 'desc' }, select: { version: true } });
      let model = cached?.model ?? COLD_START_MODEL;
      if ((inUse?.version ?? COLD_START_MODEL.version) !== model.version) {
        model = (await newest(prisma, { promoted: true }))?.stored.model ?? COLD_START_MODEL;
      }
      cached = { model, checkedAt: performance.now() };
      return model;
    },

    async retrain(db) {
      // One after the other: a transaction is one connection, and pg warns about overlapping queries on it.
      const last = await newest(db);
      // Usually the newest fit is the one in use: read the model (a few kilobytes of JSON) once.
      const current = last?.promoted ? last : await newest(db, { promoted: true });
      const inUse = current?.stored.model ?? COLD_START_MODEL;
      const data = await loadTrainingData(db, current?.trainingTo ?? null);
      if (data.outcomes === 0 && !last) return { model: COLD_START_MODEL, fitted: null, drift: null };
      if (last && last.stored.fingerprint === data.fingerprint) return { model: inUse, fitted: null, drift: null };

      const episode = await db.triageDriftEpisode.findFirst({ orderBy: { detectedAt: 'desc' } });
      const sequence = (last?.sequence ?? 0) + 1;
      const checkedAt = now();
      const refit = refitTriageModel({
        data,
        version: `learned-v${sequence}`,
        current: current ? inUse : null,
        drift: episode && {
          changePoint: { day: Math.floor(episode.changePointAt.getTime() / DAY_MS), attributes: episode.changedAttributes },
          recovered: episode.recoveredAt !== null,
        },
        halfLifeDays,
        now: checkedAt,
      });
      const { model, memory, quality, drift, promotion } = refit;
      const stored: StoredModel = { model, fingerprint: data.fingerprint };
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
          heldOutLogLoss: quality.logLoss,
          calibration: quality.calibration as unknown as Prisma.InputJsonValue,
          trainingFrom: data.from,
          trainingTo: data.to,
          halfLifeDays: memory.halfLifeDays,
          changePointAt: memory.changePoint && new Date(memory.changePoint.day * DAY_MS),
          changedAttributes: memory.changePoint?.attributes ?? [],
          effectiveOutcomes: refit.effectiveOutcomes,
          promoted: promotion.promoted,
          promotion: promotion as unknown as Prisma.InputJsonValue,
          drift: JSON.parse(JSON.stringify(drift.check)) as Prisma.InputJsonValue,
        },
      });
      if (drift.check.detected && drift.check.test && drift.check.changePointAt) {
        await db.triageDriftEpisode.create({
          data: {
            detectedAt: checkedAt,
            detectedByVersion: model.version,
            changePointAt: drift.check.changePointAt,
            statistic: drift.check.test.statistic,
            degreesOfFreedom: drift.check.test.degreesOfFreedom,
            pValue: drift.check.test.pValue,
            attribute: drift.check.test.attribute,
            changedAttributes: drift.check.changedAttributes,
            windowOutcomes: drift.check.windowOutcomes,
            referenceOutcomes: drift.check.referenceOutcomes,
            outcomesSinceChange: drift.outcomesSinceChange,
          },
        });
      }
      // While drifting, each fit chooses the changed attributes again: the episode says what is relearned now.
      if (episode && !drift.check.detected && drift.changePoint && drift.changePoint.attributes.join() !== episode.changedAttributes.join()) {
        await db.triageDriftEpisode.update({ where: { id: episode.id }, data: { changedAttributes: drift.changePoint.attributes } });
      }
      if (drift.check.recovered && episode) {
        await db.triageDriftEpisode.update({
          where: { id: episode.id },
          data: { recoveredAt: checkedAt, recoveredByVersion: model.version, outcomesToRecover: drift.outcomesSinceChange },
        });
      }
      const scoring = promotion.promoted ? model : inUse;
      cached = { model: scoring, checkedAt: performance.now() };
      return { model: scoring, fitted: { version: model.version, promoted: promotion.promoted }, drift: drift.check };
    },
  };
}
