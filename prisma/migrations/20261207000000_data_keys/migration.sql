-- Data keys for encryption at rest (src/privacy/data-keys.ts): each wrapped by a
-- key-encryption key of DATA_ENCRYPTION_KEY, named by `wrappedBy`; the keys
-- themselves never leave the process in clear.

CREATE TABLE "DataKey" (
    "purpose" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "wrappedBy" TEXT NOT NULL,
    "wrapped" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rewrappedAt" TIMESTAMP(3),

    CONSTRAINT "DataKey_pkey" PRIMARY KEY ("purpose", "id")
);
