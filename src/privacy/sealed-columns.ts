// Every place in PostgreSQL where Baton stores people's data sealed
// (src/privacy/personal-data-cipher.ts), declared once: the re-encryption job walks
// it to move values to the newest data key, erasure and the plaintext scan test
// read it to know where a person can be. A new PII column is added here, or the
// tests that scan the database for plaintext fail.

export interface SealedColumn {
  /** The Prisma model's table. */
  table: string;
  /** Its primary-key column(s), to update one row at a time. */
  key: readonly string[];
  column: string;
  /** `text`: the whole value is sealed. `json`: values under personal keys, and strings quoting an address or number (sealJson). */
  shape: 'text' | 'json';
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'Lead', key: ['id'], column: 'email', shape: 'text' },
  { table: 'Lead', key: ['id'], column: 'phone', shape: 'text' },
  { table: 'OutboundMessage', key: ['id'], column: 'recipient', shape: 'text' },
  { table: 'OutboundMessage', key: ['id'], column: 'subject', shape: 'text' },
  { table: 'OutboundMessage', key: ['id'], column: 'body', shape: 'text' },
  { table: 'OutboundMessage', key: ['id'], column: 'lastError', shape: 'text' },
  { table: 'OutboundMessage', key: ['id'], column: 'metadata', shape: 'json' },
  { table: 'Interaction', key: ['id'], column: 'subject', shape: 'text' },
  { table: 'Interaction', key: ['id'], column: 'body', shape: 'text' },
  { table: 'Interaction', key: ['id'], column: 'metadata', shape: 'json' },
  { table: 'Handoff', key: ['id'], column: 'context', shape: 'json' },
  { table: 'Handoff', key: ['id'], column: 'result', shape: 'json' },
  { table: 'Handoff', key: ['id'], column: 'failureReason', shape: 'text' },
  { table: 'Handoff', key: ['id'], column: 'resolutionNote', shape: 'text' },
  { table: 'HandoffEvent', key: ['id'], column: 'detail', shape: 'text' },
  { table: 'LeadProfile', key: ['leadId'], column: 'attributes', shape: 'json' },
];
