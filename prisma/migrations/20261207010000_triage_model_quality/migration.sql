-- A triage model version's held-out quality, measured when it is fitted
-- (src/memory/triage-model/triage-model-quality.ts): cross-validated over the
-- outcomes it learned from, each outcome scored by a fit that did not see it.
-- Nullable: versions fitted before this were never measured; AUC and Brier stay
-- null when there were too few held-out outcomes (or only one kind) to say.

ALTER TABLE "TriageModelVersion" ADD COLUMN "heldOutOutcomes" INTEGER;
ALTER TABLE "TriageModelVersion" ADD COLUMN "heldOutAuc" DOUBLE PRECISION;
ALTER TABLE "TriageModelVersion" ADD COLUMN "heldOutBrier" DOUBLE PRECISION;
