-- A triage model that follows a changing market (issue 18): each version records
-- its training window, its memory (half-life, change point), its held-out log-loss and
-- calibration, the drift check run when it was fitted, and whether it was
-- promoted (a fit worse than the current one on recent held-out outcomes is kept
-- for audit, never used). A detected drift is an episode with its change point,
-- test figures and, once the model has recovered, when and after how many outcomes.

ALTER TABLE "TriageModelVersion" ADD COLUMN "heldOutLogLoss" DOUBLE PRECISION;
ALTER TABLE "TriageModelVersion" ADD COLUMN "calibration" JSONB;
ALTER TABLE "TriageModelVersion" ADD COLUMN "trainingFrom" TIMESTAMP(3);
ALTER TABLE "TriageModelVersion" ADD COLUMN "trainingTo" TIMESTAMP(3);
ALTER TABLE "TriageModelVersion" ADD COLUMN "halfLifeDays" DOUBLE PRECISION;
ALTER TABLE "TriageModelVersion" ADD COLUMN "changePointAt" TIMESTAMP(3);
ALTER TABLE "TriageModelVersion" ADD COLUMN "changedAttributes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "TriageModelVersion" ADD COLUMN "effectiveOutcomes" DOUBLE PRECISION;
ALTER TABLE "TriageModelVersion" ADD COLUMN "promoted" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "TriageModelVersion" ADD COLUMN "promotion" JSONB;
ALTER TABLE "TriageModelVersion" ADD COLUMN "drift" JSONB;
CREATE INDEX "TriageModelVersion_promoted_sequence_idx" ON "TriageModelVersion"("promoted", "sequence" DESC);

CREATE TABLE "TriageDriftEpisode" (
    "id" UUID NOT NULL,
    "detectedAt" TIMESTAMP(3) NOT NULL,
    "detectedByVersion" TEXT NOT NULL,
    "changePointAt" TIMESTAMP(3) NOT NULL,
    "statistic" DOUBLE PRECISION NOT NULL,
    "degreesOfFreedom" INTEGER NOT NULL,
    "pValue" DOUBLE PRECISION NOT NULL,
    "attribute" TEXT,
    "changedAttributes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "windowOutcomes" INTEGER NOT NULL,
    "referenceOutcomes" INTEGER NOT NULL,
    "outcomesSinceChange" INTEGER NOT NULL,
    "recoveredAt" TIMESTAMP(3),
    "recoveredByVersion" TEXT,
    "outcomesToRecover" INTEGER,
    CONSTRAINT "TriageDriftEpisode_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "TriageDriftEpisode_detectedAt_idx" ON "TriageDriftEpisode"("detectedAt" DESC);
