// The audit log: who read a person's data in clear, or wrote or erased it, when,
// through which door and operation, under which request id. Append-only: this
// module only ever inserts (and the database refuses UPDATE, DELETE and TRUNCATE
// on the table, see prisma/migrations/20261207001000_audit_log). An entry names
// people by lead id and fields by name, never by a value.
import { randomUUID } from 'node:crypto';
import { microBatch } from '../db/micro-batch.js';
import type { AuditAction, AuditEntry, Prisma, PrismaClient } from '../db/generated/prisma/client.js';
import type { Principal } from '../auth/roles.js';
import type { Door } from './doors.js';

export type { AuditAction, AuditEntry };

/** What happened, by whom; `at` and `id` are the log's. */
export interface AuditRecord {
  subject: string;
  roles: readonly string[];
  action: AuditAction;
  leadIds: readonly string[];
  fields: readonly string[];
  /** A door, or `internal` for work no caller asked for (a job, the retention sweep). */
  door: Door | 'internal';
  operation?: string | null;
  requestId?: string | null;
}

export interface AuditFilter {
  leadId?: string | null;
  subject?: string | null;
  action?: AuditAction | null;
  door?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface AuditLog {
  /** Appends one entry (erasure: `record({ action: 'ERASE', ... })`). */
  record(entry: AuditRecord): Promise<void>;
  /** Appends several in one statement: a request's reads and writes. */
  recordAll(entries: readonly AuditRecord[]): Promise<void>;
}

export function createAuditLog(prisma: PrismaClient): AuditLog {
  // Group commit (src/db/micro-batch.ts): every request that touched a person appends its entries,
  // and concurrent requests share one multi-row INSERT and one durable commit instead of paying a
  // commit each (the entries of requests that end in the same turn of the event loop go together).
  const append = microBatch(
    async (requests: readonly (readonly AuditRecord[])[]) => {
      await prisma.auditEntry.createMany({ data: requests.flat().map(toRow) });
      return requests.map(() => undefined);
    },
    { maxSize: AUDIT_BATCH },
  );
  const recordAll = async (entries: readonly AuditRecord[]): Promise<void> => {
    if (entries.length > 0) await append(entries);
  };
  return { record: (entry) => recordAll([entry]), recordAll };
}

/** Requests whose entries one INSERT takes at most. */
const AUDIT_BATCH = 200;

/** The entry for an erasure of `leadIds` by `principal` (the erasure helper's eraseLead records it). */
export function erasureRecord(
  principal: Principal,
  leadIds: readonly string[],
  origin: { door: Door | 'internal'; operation?: string | null; requestId?: string | null },
): AuditRecord {
  return { subject: principal.subject, roles: principal.roles, action: 'ERASE', leadIds, fields: [], ...origin };
}

/** The Prisma `where` of a filter: entries concerning the lead, by the subject, of the action and door, in [from, to). */
export function auditWhere(filter: AuditFilter): Prisma.AuditEntryWhereInput {
  return {
    ...(filter.leadId ? { leadIds: { has: filter.leadId } } : {}),
    ...(filter.subject ? { subject: filter.subject } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.door ? { door: filter.door } : {}),
    ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
}

/** Newest first; the id breaks ties within one millisecond. */
export const AUDIT_ORDER: Prisma.AuditEntryOrderByWithRelationInput[] = [{ at: 'desc' }, { id: 'desc' }];

function toRow(entry: AuditRecord): Prisma.AuditEntryCreateManyInput {
  return {
    id: randomUUID(),
    subject: entry.subject,
    roles: [...entry.roles],
    action: entry.action,
    leadIds: [...new Set(entry.leadIds)],
    fields: [...new Set(entry.fields)],
    door: entry.door,
    operation: entry.operation ?? null,
    requestId: entry.requestId ?? null,
  };
}
