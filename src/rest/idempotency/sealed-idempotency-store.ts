// Idempotency replays with people's data sealed: the response a repeat of
// POST /api/v1/leads gets back quotes the lead (its first touchpoint greets the
// person by name), and it waits a day in Redis or the heap. A replay is opaque
// until it is replayed, so its body is sealed whole; only its `lead_id` stays
// readable beside it, for the store's index that erasure reads (leadIdOf). The
// fingerprint is a digest and the key the caller's own, so neither is sealed.
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import { leadIdOf, type IdempotencyStore, type StoredResponse } from './idempotency-store.js';

interface SealedBody {
  lead_id?: string;
  sealed: string;
}

export function sealedIdempotencyStore(store: IdempotencyStore, cipher: Pick<PersonalDataCipher, 'seal' | 'open'>): IdempotencyStore {
  const seal = (response: StoredResponse): StoredResponse => {
    const body: SealedBody = { lead_id: leadIdOf(response), sealed: cipher.seal(JSON.stringify(response.body ?? null)) };
    return { ...response, body };
  };
  const open = (response: StoredResponse): StoredResponse => {
    const body = response.body as SealedBody | null;
    return { ...response, body: JSON.parse(cipher.open(body?.sealed ?? 'null')) };
  };
  return {
    backend: store.backend,
    async claim(key, fingerprint) {
      const claim = await store.claim(key, fingerprint);
      return claim.outcome === 'replay' ? { ...claim, response: open(claim.response) } : claim;
    },
    complete: (key, lease, response) => store.complete(key, lease, seal(response)),
    release: (key, lease) => store.release(key, lease),
    forgetLead: (leadId) => store.forgetLead(leadId),
    close: () => store.close(),
  };
}
