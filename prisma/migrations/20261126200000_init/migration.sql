-- CreateEnum
CREATE TYPE "Industry" AS ENUM ('TECHNOLOGY', 'HEALTHCARE', 'FINANCE', 'MANUFACTURING');

-- CreateEnum
CREATE TYPE "CompanySize" AS ENUM ('STARTUP', 'SMB', 'MID_MARKET', 'ENTERPRISE');

-- CreateEnum
CREATE TYPE "Persona" AS ENUM ('DECISION_MAKER', 'INFLUENCER', 'END_USER');

-- CreateEnum
CREATE TYPE "TriageCategory" AS ENUM ('CAMPAIGN_QUALIFIED', 'COLD_LEAD', 'GENERAL_INQUIRY');

-- CreateEnum
CREATE TYPE "LeadOutcome" AS ENUM ('CONVERTED', 'LOST');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('EMAIL', 'SMS', 'LINKEDIN', 'CALL');

-- CreateEnum
CREATE TYPE "InteractionType" AS ENUM ('TOUCHPOINT_SENT', 'EMAIL_OPEN', 'CLICK', 'REPLY', 'MEETING_BOOKED', 'CONVERTED', 'LOST', 'UNSUBSCRIBED');

-- CreateEnum
CREATE TYPE "HandoffType" AS ENUM ('TRIAGE_TO_ENGAGEMENT', 'ENGAGEMENT_TO_OPTIMIZATION', 'MANAGER_ESCALATION');

-- CreateEnum
CREATE TYPE "HandoffTrigger" AS ENUM ('TASK_COMPLETION', 'ESCALATION_REQUIRED', 'PERFORMANCE_THRESHOLD', 'SPECIALIZATION_NEEDED');

-- CreateEnum
CREATE TYPE "HandoffStatus" AS ENUM ('REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ENRICHED', 'ACCEPTED', 'COMPLETED', 'FAILED', 'ESCALATED');

-- CreateEnum
CREATE TYPE "EpisodeOutcome" AS ENUM ('CONVERTED', 'REPLIED', 'IGNORED', 'LOST');

-- CreateTable
CREATE TABLE "Lead" (
    "id" TEXT NOT NULL,
    "industry" "Industry" NOT NULL,
    "companySize" "CompanySize" NOT NULL,
    "source" TEXT,
    "persona" "Persona",
    "email" TEXT,
    "phone" TEXT,
    "campaignId" TEXT,
    "score" INTEGER,
    "category" "TriageCategory",
    "confidence" DOUBLE PRECISION,
    "reasoning" TEXT,
    "factors" JSONB,
    "assignedAgent" TEXT,
    "modelVersion" TEXT,
    "triagedAt" TIMESTAMP(3),
    "outcome" "LeadOutcome",
    "outcomeAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" UUID NOT NULL,
    "leadId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" UUID NOT NULL,
    "leadId" TEXT NOT NULL,
    "conversationId" UUID,
    "type" "InteractionType" NOT NULL,
    "channel" "Channel",
    "agent" TEXT,
    "template" TEXT,
    "subject" TEXT,
    "body" TEXT,
    "metadata" JSONB,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Handoff" (
    "id" UUID NOT NULL,
    "leadId" TEXT NOT NULL,
    "conversationId" UUID,
    "type" "HandoffType" NOT NULL,
    "trigger" "HandoffTrigger" NOT NULL,
    "fromAgent" TEXT NOT NULL,
    "toAgent" TEXT NOT NULL,
    "status" "HandoffStatus" NOT NULL,
    "qualityScore" DOUBLE PRECISION,
    "context" JSONB NOT NULL,
    "failureReason" TEXT,
    "processingTimeMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Handoff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HandoffEvent" (
    "id" UUID NOT NULL,
    "handoffId" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "status" "HandoffStatus" NOT NULL,
    "qualityScore" DOUBLE PRECISION,
    "detail" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HandoffEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignMetrics" (
    "id" UUID NOT NULL,
    "campaignId" TEXT NOT NULL,
    "variant" TEXT NOT NULL DEFAULT 'default',
    "channel" TEXT NOT NULL DEFAULT 'all',
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "impressions" INTEGER NOT NULL DEFAULT 0,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "conversions" INTEGER NOT NULL DEFAULT 0,
    "spendUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "revenueUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignMetrics_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LeadProfile" (
    "leadId" TEXT NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "touches" INTEGER NOT NULL DEFAULT 0,
    "opens" INTEGER NOT NULL DEFAULT 0,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "replies" INTEGER NOT NULL DEFAULT 0,
    "lastActivityAt" TIMESTAMP(3),
    "preferredChannel" "Channel",
    "preferredHour" INTEGER,
    "scoreHistory" JSONB NOT NULL DEFAULT '[]',
    "consent" BOOLEAN NOT NULL DEFAULT true,
    "doNotContact" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LeadProfile_pkey" PRIMARY KEY ("leadId")
);

-- CreateTable
CREATE TABLE "Episode" (
    "id" UUID NOT NULL,
    "leadId" TEXT,
    "industry" "Industry" NOT NULL,
    "companySize" "CompanySize" NOT NULL,
    "persona" "Persona",
    "source" TEXT,
    "channel" "Channel" NOT NULL,
    "template" TEXT NOT NULL,
    "sentHour" INTEGER,
    "action" TEXT NOT NULL,
    "outcome" "EpisodeOutcome" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Episode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SemanticNode" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SemanticNode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SemanticEdge" (
    "id" UUID NOT NULL,
    "subjectId" TEXT NOT NULL,
    "predicate" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "evidenceCount" INTEGER NOT NULL DEFAULT 0,
    "provenance" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SemanticEdge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Lead_createdAt_id_idx" ON "Lead"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Lead_score_id_idx" ON "Lead"("score" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Lead_category_idx" ON "Lead"("category");

-- CreateIndex
CREATE INDEX "Lead_industry_idx" ON "Lead"("industry");

-- CreateIndex
CREATE INDEX "Lead_campaignId_idx" ON "Lead"("campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_leadId_key" ON "Conversation"("leadId");

-- CreateIndex
CREATE INDEX "Interaction_leadId_occurredAt_idx" ON "Interaction"("leadId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "Interaction_conversationId_idx" ON "Interaction"("conversationId");

-- CreateIndex
CREATE INDEX "Interaction_createdAt_idx" ON "Interaction"("createdAt");

-- CreateIndex
CREATE INDEX "Handoff_leadId_createdAt_idx" ON "Handoff"("leadId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Handoff_status_idx" ON "Handoff"("status");

-- CreateIndex
CREATE INDEX "Handoff_createdAt_idx" ON "Handoff"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "HandoffEvent_handoffId_sequence_key" ON "HandoffEvent"("handoffId", "sequence");

-- CreateIndex
CREATE INDEX "CampaignMetrics_campaignId_periodStart_idx" ON "CampaignMetrics"("campaignId", "periodStart");

-- CreateIndex
CREATE INDEX "Episode_industry_companySize_persona_idx" ON "Episode"("industry", "companySize", "persona");

-- CreateIndex
CREATE INDEX "Episode_channel_template_idx" ON "Episode"("channel", "template");

-- CreateIndex
CREATE INDEX "Episode_occurredAt_idx" ON "Episode"("occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "SemanticNode_kind_name_key" ON "SemanticNode"("kind", "name");

-- CreateIndex
CREATE INDEX "SemanticEdge_predicate_idx" ON "SemanticEdge"("predicate");

-- CreateIndex
CREATE INDEX "SemanticEdge_objectId_idx" ON "SemanticEdge"("objectId");

-- CreateIndex
CREATE UNIQUE INDEX "SemanticEdge_subjectId_predicate_objectId_key" ON "SemanticEdge"("subjectId", "predicate", "objectId");

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandoffEvent" ADD CONSTRAINT "HandoffEvent_handoffId_fkey" FOREIGN KEY ("handoffId") REFERENCES "Handoff"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignMetrics" ADD CONSTRAINT "CampaignMetrics_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadProfile" ADD CONSTRAINT "LeadProfile_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Episode" ADD CONSTRAINT "Episode_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SemanticEdge" ADD CONSTRAINT "SemanticEdge_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "SemanticNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SemanticEdge" ADD CONSTRAINT "SemanticEdge_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "SemanticNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;
