-- The audit log (src/audit/): who read a person's data in clear, or wrote or
-- erased it, through which door and operation. It names people only by lead id
-- and fields by name: it holds no personal value itself.
--
-- Append-only in the database, not only in the code: a trigger refuses UPDATE,
-- DELETE and TRUNCATE, whoever connects, so no API, job or console can rewrite
-- what was recorded.

CREATE TYPE "AuditAction" AS ENUM ('READ_CLEAR', 'WRITE', 'ERASE');

CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "subject" TEXT NOT NULL,
    "roles" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "action" "AuditAction" NOT NULL,
    "leadIds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "fields" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "door" TEXT NOT NULL,
    "operation" TEXT,
    "requestId" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "AuditEntry_at_id_idx" ON "AuditEntry"("at", "id");
CREATE INDEX "AuditEntry_subject_at_idx" ON "AuditEntry"("subject", "at");
CREATE INDEX "AuditEntry_leadIds_idx" ON "AuditEntry" USING GIN ("leadIds");

CREATE FUNCTION "AuditEntry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'AuditEntry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER "AuditEntry_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON "AuditEntry"
    FOR EACH ROW EXECUTE FUNCTION "AuditEntry_append_only"();

CREATE TRIGGER "AuditEntry_no_truncate"
    BEFORE TRUNCATE ON "AuditEntry"
    FOR EACH STATEMENT EXECUTE FUNCTION "AuditEntry_append_only"();
