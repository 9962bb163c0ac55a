-- The quality gate can hold a handoff for an operator: below 0.7 after enrichment
-- from memory, it waits in CONTEXT_REQUESTED (and so does its flow) until the
-- missing context is supplied. Each handoff keeps its context preservation
-- accuracy: the share of its packet's fields the receiver used or verified.
ALTER TYPE "HandoffStatus" ADD VALUE 'CONTEXT_REQUESTED' AFTER 'ENRICHED';
ALTER TYPE "FlowStatus" ADD VALUE 'CONTEXT_REQUESTED' AFTER 'IN_PROGRESS';
ALTER TABLE "Handoff" ADD COLUMN "contextPreservation" DOUBLE PRECISION;
