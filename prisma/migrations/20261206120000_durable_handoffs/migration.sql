-- Handoffs as durable work: each lead submission is a flow, each handoff a job
-- taken by the receiving agent's worker, every state change committed as it happens.

-- The receiving agent took the work (IN_PROGRESS), or a passing failure put it
-- back in the queue to be tried again (RETRYING).
ALTER TYPE "HandoffStatus" ADD VALUE 'IN_PROGRESS' AFTER 'ACCEPTED';
ALTER TYPE "HandoffStatus" ADD VALUE 'RETRYING' AFTER 'IN_PROGRESS';

CREATE TYPE "FlowStatus" AS ENUM ('IN_PROGRESS', 'COMPLETED', 'FAILED', 'ESCALATED');

-- One submission of a lead and the work it set going.
CREATE TABLE "LeadFlow" (
    "id" UUID NOT NULL,
    "leadId" TEXT NOT NULL,
    "status" "FlowStatus" NOT NULL DEFAULT 'IN_PROGRESS',
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "triagedAt" TIMESTAMP(3),
    "triageMs" INTEGER,
    "triageWaitMs" INTEGER,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "LeadFlow_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "LeadFlow_leadId_submittedAt_idx" ON "LeadFlow"("leadId", "submittedAt" DESC);
CREATE INDEX "LeadFlow_status_idx" ON "LeadFlow"("status");
ALTER TABLE "LeadFlow" ADD CONSTRAINT "LeadFlow_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A handoff belongs to the flow it serves; it keeps what the receiver's work came
-- to, how long it waited in the queue, when it was accepted and how often tried.
ALTER TABLE "Handoff" ADD COLUMN "flowId" UUID;
ALTER TABLE "Handoff" ADD COLUMN "result" JSONB;
ALTER TABLE "Handoff" ADD COLUMN "queueWaitMs" INTEGER;
ALTER TABLE "Handoff" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Handoff" ADD COLUMN "acceptedAt" TIMESTAMP(3);
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "LeadFlow"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "Handoff_flowId_idx" ON "Handoff"("flowId");

-- The embedded database's job queue (the in-process executor; PostgreSQL uses graphile-worker's).
-- Its times are compared with now() in SQL, so they carry their time zone.
CREATE TABLE "QueuedJob" (
    "id" BIGSERIAL NOT NULL,
    "queue" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "key" TEXT,
    "runAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 10,
    "lastError" TEXT,
    "lockedAt" TIMESTAMPTZ(3),
    "failedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QueuedJob_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "QueuedJob_key_key" ON "QueuedJob"("key");
CREATE INDEX "QueuedJob_queue_runAt_idx" ON "QueuedJob"("queue", "runAt");

-- Worker processes on PostgreSQL say they are alive; the jobs of one that stopped
-- saying so are handed back to the queue (graphile_worker.force_unlock_workers).
CREATE TABLE "WorkerHeartbeat" (
    "lockerId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "beatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("lockerId")
);
