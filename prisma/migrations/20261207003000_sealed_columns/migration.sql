-- People's data in relational columns is stored sealed (src/privacy/personal-data-cipher.ts):
-- Lead.email/phone, the outbox's recipient/subject/body, interactions' subject/body/metadata.
-- The columns keep their types (a sealed value is a string); rows written before this
-- stay plain until the re-encryption job (src/privacy/re-encryption.ts) seals them.
-- Lookups by email go through a keyed blind index instead of the plaintext.

ALTER TABLE "Lead" ADD COLUMN "emailIndex" TEXT;

CREATE INDEX "Lead_emailIndex_idx" ON "Lead"("emailIndex");
