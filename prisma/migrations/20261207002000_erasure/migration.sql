-- Erasure (src/privacy/erasure/): a tombstone per erased person, keyed by the
-- keyed blind index of their email (HMAC, src/privacy/personal-data-cipher.ts),
-- never the email itself, so the lead intake can refuse to ingest them again
-- without new consent. Nothing else of the person is kept.

CREATE TABLE "ErasedPerson" (
    "emailIndex" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ErasedPerson_pkey" PRIMARY KEY ("emailIndex")
);
