// Idempotency records in this process's heap: for a single process and for
// tests. Bounded (the oldest written record goes first) and expiring (a record
// past its time is dropped when next touched). A Map keeps insertion order, and
// every write re-inserts, so its first key is the oldest written one.
import { randomUUID } from 'node:crypto';
import {
  leadIdOf,
  type IdempotencyClaim,
  type IdempotencyStore,
  type ResolvedIdempotencyStoreOptions,
  type ScopedKey,
  type StoredResponse,
} from './idempotency-store.js';

type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string; lease: string; expiresAt: number }
  | { state: 'completed'; fingerprint: string; response: StoredResponse; expiresAt: number; leadId: string | undefined };

export class InProcessIdempotencyStore implements IdempotencyStore {
  readonly backend = 'in-process';
  readonly #records = new Map<string, IdempotencyRecord>();
  readonly #options: ResolvedIdempotencyStoreOptions;
  #closed = false;

  constructor(options: ResolvedIdempotencyStoreOptions) {
    this.#options = options;
  }

  async claim(key: ScopedKey, fingerprint: string): Promise<IdempotencyClaim> {
    const id = this.#id(key);
    const record = this.#live(id);
    if (!record) {
      const lease = randomUUID();
      this.#write(id, { state: 'pending', fingerprint, lease, expiresAt: this.#options.now() + this.#options.lockTtlMs });
      return { outcome: 'acquired', lease };
    }
    if (record.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (record.state === 'pending') return { outcome: 'in-flight' };
    return { outcome: 'replay', response: structuredClone(record.response) };
  }

  async complete(key: ScopedKey, lease: string, response: StoredResponse): Promise<boolean> {
    const id = this.#id(key);
    const record = this.#live(id);
    if (record?.state !== 'pending' || record.lease !== lease) return false;
    // Copied in, so a caller mutating its response object later cannot reach the stored one.
    const stored = structuredClone(response);
    this.#write(id, {
      state: 'completed',
      fingerprint: record.fingerprint,
      response: stored,
      expiresAt: this.#options.now() + this.#options.ttlMs,
      leadId: leadIdOf(response),
    });
    return true;
  }

  async release(key: ScopedKey, lease: string): Promise<boolean> {
    const id = this.#id(key);
    const record = this.#live(id);
    if (record?.state !== 'pending' || record.lease !== lease) return false;
    this.#records.delete(id);
    return true;
  }

  async forgetLead(leadId: string): Promise<number> {
    let dropped = 0;
    for (const [id, record] of this.#records) {
      if (record.state === 'completed' && record.leadId === leadId) {
        this.#records.delete(id);
        dropped += 1;
      }
    }
    return dropped;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#records.clear();
  }

  #id({ scope, key }: ScopedKey): string {
    // Same as a closed Redis client: use after close() is a wiring bug, better loud.
    if (this.#closed) throw new Error('Idempotency store is closed');
    return JSON.stringify([scope, key]);
  }

  #live(id: string): IdempotencyRecord | undefined {
    const record = this.#records.get(id);
    if (record && record.expiresAt <= this.#options.now()) {
      this.#records.delete(id);
      return undefined;
    }
    return record;
  }

  #write(id: string, record: IdempotencyRecord): void {
    this.#records.delete(id);
    this.#records.set(id, record);
    for (const oldest of this.#records.keys()) {
      if (this.#records.size <= this.#options.maxEntries) break;
      this.#records.delete(oldest);
    }
  }
}
