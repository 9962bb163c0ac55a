// What one GraphQL operation did with people's data, gathered while it runs and
// written as one entry per action when it ends (per event for a subscription):
// one insert per request, never one per field.
import type { Principal } from '../auth/roles.js';
import type { AuditAction, AuditLog, AuditRecord } from './audit-log.js';
import type { RequestOrigin } from './doors.js';

type Noted = { leadIds: Set<string>; fields: Set<string> };

export interface AccessCollector {
  /** A field of `type` resolved in clear for the caller; `leadId` when the value belongs to a known lead. */
  readClear(leadId: string | null, field: string): void;
  /** The caller stored, changed (WRITE) or erased (ERASE) a person's data: the lead (when known) and the input fields it gave. */
  wrote(action: 'WRITE' | 'ERASE', leadId: string | null, fields: readonly string[]): void;
  /** Writes what was noted since the last flush (nothing when nothing was), then starts afresh. */
  flush(operation: string | null): Promise<void>;
}

export function createAccessCollector(log: AuditLog, principal: Principal, origin: RequestOrigin): AccessCollector {
  let noted = new Map<AuditAction, Noted>();
  const note = (action: AuditAction): Noted => {
    const known = noted.get(action);
    if (known) return known;
    const entry: Noted = { leadIds: new Set(), fields: new Set() };
    noted.set(action, entry);
    return entry;
  };
  return {
    readClear(leadId, field) {
      const entry = note('READ_CLEAR');
      if (leadId) entry.leadIds.add(leadId);
      entry.fields.add(field);
    },
    wrote(action, leadId, fields) {
      const entry = note(action);
      if (leadId) entry.leadIds.add(leadId);
      for (const field of fields) entry.fields.add(field);
    },
    async flush(operation) {
      if (noted.size === 0) return;
      const taken = noted;
      noted = new Map();
      const entries: AuditRecord[] = [...taken].map(([action, { leadIds, fields }]) => ({
        subject: principal.subject,
        roles: principal.roles,
        action,
        leadIds: [...leadIds],
        fields: [...fields],
        door: origin.door,
        operation,
        requestId: origin.requestId,
      }));
      await log.recordAll(entries);
    },
  };
}
