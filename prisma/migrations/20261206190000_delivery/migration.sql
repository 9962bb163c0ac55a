-- Delivery: the outbox is sent by the delivery worker through a real transport
-- (SMTP, a signed webhook) or kept in the local mailbox, with explicit statuses,
-- attempts, the provider's id and a dedup key the provider sees.

ALTER TYPE "OutboundStatus" RENAME VALUE 'PENDING' TO 'SCHEDULED';
ALTER TYPE "OutboundStatus" ADD VALUE 'SENDING' AFTER 'SCHEDULED';
ALTER TYPE "OutboundStatus" ADD VALUE 'BOUNCED' AFTER 'FAILED';
ALTER TYPE "OutboundStatus" ADD VALUE 'SUPPRESSED' AFTER 'BOUNCED';

CREATE TYPE "DeliveryTransport" AS ENUM ('SMTP', 'WEBHOOK', 'MAILBOX');
CREATE TYPE "OutboundPurpose" AS ENUM ('TOUCHPOINT', 'MANAGER_NOTICE');

ALTER TYPE "InteractionType" ADD VALUE 'DELIVERED' AFTER 'TOUCHPOINT_SENT';
ALTER TYPE "InteractionType" ADD VALUE 'BOUNCED' AFTER 'DELIVERED';
ALTER TYPE "InteractionType" ADD VALUE 'COMPLAINED' AFTER 'BOUNCED';

ALTER TYPE "HandoffType" ADD VALUE 'OPTIMIZATION_TO_ENGAGEMENT' AFTER 'ENGAGEMENT_TO_OPTIMIZATION';

ALTER TABLE "OutboundMessage" ALTER COLUMN "leadId" DROP NOT NULL;
ALTER TABLE "OutboundMessage"
    ADD COLUMN "purpose" "OutboundPurpose" NOT NULL DEFAULT 'TOUCHPOINT',
    ADD COLUMN "conversationId" UUID,
    ADD COLUMN "agent" TEXT,
    ADD COLUMN "metadata" JSONB,
    ADD COLUMN "lastAttemptAt" TIMESTAMP(3),
    ADD COLUMN "transport" "DeliveryTransport",
    ADD COLUMN "providerMessageId" TEXT,
    ADD COLUMN "dedupKey" TEXT;
-- Messages written before delivery existed: their id is their dedup key.
UPDATE "OutboundMessage" SET "dedupKey" = 'baton-' || "id"::text WHERE "dedupKey" IS NULL;
ALTER TABLE "OutboundMessage" ALTER COLUMN "dedupKey" SET NOT NULL;
CREATE UNIQUE INDEX "OutboundMessage_dedupKey_key" ON "OutboundMessage"("dedupKey");
CREATE INDEX "OutboundMessage_providerMessageId_idx" ON "OutboundMessage"("providerMessageId");
