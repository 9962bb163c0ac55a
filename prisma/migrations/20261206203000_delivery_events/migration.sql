-- Delivery events: the receipts and replies providers post to
-- /api/v1/events/deliveries, kept by the provider's event id so a replayed
-- event is recognised and changes nothing.

CREATE TABLE "DeliveryEvent" (
    "id" TEXT NOT NULL,
    "messageId" UUID NOT NULL,
    "type" "InteractionType" NOT NULL,
    "interactionId" UUID,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryEvent_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "DeliveryEvent_messageId_idx" ON "DeliveryEvent"("messageId");

ALTER TABLE "DeliveryEvent" ADD CONSTRAINT "DeliveryEvent_messageId_fkey"
    FOREIGN KEY ("messageId") REFERENCES "OutboundMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
