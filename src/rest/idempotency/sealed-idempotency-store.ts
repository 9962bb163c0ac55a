// Idempotency replays with people's data sealed: the response a repeat of
// POST /api/v1/leads gets back quotes the lead's email and phone, and it waits a
// day in Redis or the heap. Sealed before it is kept (cipher.sealJson: values under
// personal keys, strings quoting an address or a number), opened when replayed.
// The fingerprint is a digest and the key the caller's own, so neither is sealed.
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import type { IdempotencyStore } from './idempotency-store.js';

export function sealedIdempotencyStore(store: IdempotencyStore, cipher: PersonalDataCipher): IdempotencyStore {
  return {
    backend: store.backend,
    async claim(key, fingerprint) {
      const claim = await store.claim(key, fingerprint);
      return claim.outcome === 'replay' ? { ...claim, response: { ...claim.response, body: cipher.openJson(claim.response.body) } } : claim;
    },
    complete: (key, lease, response) => store.complete(key, lease, { ...response, body: cipher.sealJson(response.body) }),
    release: (key, lease) => store.release(key, lease),
    // The lead id a replay is indexed by is not personal, so it stays readable under the seal (leadIdOf).
    forgetLead: (leadId) => store.forgetLead(leadId),
    close: () => store.close(),
  };
}
