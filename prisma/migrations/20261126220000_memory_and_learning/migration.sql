-- Memory tiers and triage learning.

-- Episodes: one per conversation that reached an outcome (keyed by lead), so a
-- consolidation run can upsert it idempotently. A lead that reached an outcome
-- without any touchpoint still teaches triage, so channel and template may be null.
ALTER TABLE "Episode" ALTER COLUMN "channel" DROP NOT NULL;
ALTER TABLE "Episode" ALTER COLUMN "template" DROP NOT NULL;
ALTER TABLE "Episode" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE UNIQUE INDEX "Episode_leadId_key" ON "Episode"("leadId");

-- Similar-episode retrieval walks the similarity tiers most-specific first;
-- each tier is an equality prefix of this index (see src/memory/episodic/).
DROP INDEX "Episode_industry_companySize_persona_idx";
CREATE INDEX "Episode_industry_companySize_persona_source_occurredAt_idx" ON "Episode"("industry", "companySize", "persona", "source", "occurredAt" DESC);

-- Consolidation finds touchpoints whose reply window has just closed (IGNORED episodes).
CREATE INDEX "Interaction_type_occurredAt_idx" ON "Interaction"("type", "occurredAt");

-- CreateTable
CREATE TABLE "TriageModelVersion" (
    "version" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "model" JSONB NOT NULL,
    "outcomes" INTEGER NOT NULL,
    "conversions" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TriageModelVersion_pkey" PRIMARY KEY ("version")
);

-- CreateIndex
CREATE UNIQUE INDEX "TriageModelVersion_sequence_key" ON "TriageModelVersion"("sequence");

-- CreateTable
CREATE TABLE "ConsolidationRun" (
    "id" UUID NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL,
    "watermark" TIMESTAMP(3) NOT NULL,
    "report" JSONB NOT NULL,
    "serverId" TEXT NOT NULL,

    CONSTRAINT "ConsolidationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConsolidationRun_finishedAt_idx" ON "ConsolidationRun"("finishedAt" DESC);
