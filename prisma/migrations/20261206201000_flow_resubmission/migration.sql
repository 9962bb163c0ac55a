-- A lead submitted again with the same data within RESUBMISSION_WINDOW_SECONDS is
-- the same flow (src/agents/flows/lead-intake.ts): each flow keeps a digest of the
-- lead's data as it was submitted, to tell a re-submission from changed data.
-- Flows from before this migration have none, so a lead sent again starts a new one.
ALTER TABLE "LeadFlow" ADD COLUMN "inputDigest" TEXT;
