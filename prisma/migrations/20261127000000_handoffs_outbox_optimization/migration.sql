-- Handoff orchestration, the engagement outbox and campaign optimization.

-- A manager resolves an escalation: approve (continue), reject (end) or reassign.
CREATE TYPE "EscalationResolution" AS ENUM ('APPROVED', 'REJECTED', 'REASSIGNED');

-- A handoff is about a lead, a campaign, or both (a campaign's performance
-- escalation concerns no single lead); parentId links a handoff to the one that
-- led to it, so a flow can be followed and a bounce detected.
ALTER TABLE "Handoff" ALTER COLUMN "leadId" DROP NOT NULL;
ALTER TABLE "Handoff" ADD COLUMN "campaignId" TEXT;
ALTER TABLE "Handoff" ADD COLUMN "parentId" UUID;
ALTER TABLE "Handoff" ADD COLUMN "resolution" "EscalationResolution";
ALTER TABLE "Handoff" ADD COLUMN "resolvedBy" TEXT;
ALTER TABLE "Handoff" ADD COLUMN "resolvedAt" TIMESTAMP(3);
ALTER TABLE "Handoff" ADD COLUMN "resolutionNote" TEXT;
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- Checked at commit: an agent's work may raise a child handoff (an escalation)
-- before the orchestrator writes the parent it belongs to, in the same transaction.
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Handoff"("id") ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "Handoff_type_status_idx" ON "Handoff"("type", "status");
CREATE INDEX "Handoff_campaignId_idx" ON "Handoff"("campaignId");
CREATE INDEX "Handoff_parentId_idx" ON "Handoff"("parentId");

-- A campaign may state its budget, which optimization reallocates across channels.
ALTER TABLE "Campaign" ADD COLUMN "budgetUsd" DOUBLE PRECISION;

-- One snapshot per campaign, variant, channel and period: a repeated period
-- replaces the stored one, and concurrent ingests cannot both insert it.
CREATE UNIQUE INDEX "CampaignMetrics_campaignId_variant_channel_periodStart_periodEnd_key" ON "CampaignMetrics"("campaignId", "variant", "channel", "periodStart", "periodEnd");

-- CreateEnum
CREATE TYPE "OutboundStatus" AS ENUM ('PENDING', 'SENT', 'CANCELLED', 'FAILED');

-- The outbox: messages the engagement agent decided to send, for a sender to
-- deliver. The first touchpoint is recorded as an interaction when planned.
CREATE TABLE "OutboundMessage" (
    "id" UUID NOT NULL,
    "leadId" TEXT NOT NULL,
    "interactionId" UUID,
    "channel" "Channel" NOT NULL,
    "template" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "scheduledFor" TIMESTAMP(3) NOT NULL,
    "status" "OutboundStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboundMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OutboundMessage_interactionId_key" ON "OutboundMessage"("interactionId");
CREATE INDEX "OutboundMessage_status_scheduledFor_idx" ON "OutboundMessage"("status", "scheduledFor");
CREATE INDEX "OutboundMessage_leadId_scheduledFor_idx" ON "OutboundMessage"("leadId", "scheduledFor");

-- AddForeignKey
ALTER TABLE "OutboundMessage" ADD CONSTRAINT "OutboundMessage_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OutboundMessage" ADD CONSTRAINT "OutboundMessage_interactionId_fkey" FOREIGN KEY ("interactionId") REFERENCES "Interaction"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "OptimizationRun" (
    "id" UUID NOT NULL,
    "campaignId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kpis" JSONB NOT NULL,
    "recommendations" JSONB NOT NULL,
    "dataSufficient" BOOLEAN NOT NULL,
    "escalationId" UUID,

    CONSTRAINT "OptimizationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OptimizationRun_campaignId_createdAt_idx" ON "OptimizationRun"("campaignId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "OptimizationRun" ADD CONSTRAINT "OptimizationRun_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OptimizationRun" ADD CONSTRAINT "OptimizationRun_escalationId_fkey" FOREIGN KEY ("escalationId") REFERENCES "Handoff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
