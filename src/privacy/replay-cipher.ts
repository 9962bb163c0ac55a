// Seals Idempotency-Key replays, in the API and in the standalone adapter sidecar
// alike. The sidecar has no database, so no data keys (./data-keys.ts): replay keys
// are derived (HKDF-SHA256) from the key-encryption keys of DATA_ENCRYPTION_KEY
// instead, one per ring key, so both processes open what either kept in a shared
// Redis. Replays live a day; a ring key left in DATA_ENCRYPTION_KEY for a day after
// a rotation keeps every one readable.
import { hkdfSync } from 'node:crypto';
import type { KeyEncryptionKey, KeyRing } from './key-ring.js';
import { personalDataCipher, type PersonalDataCipher } from './personal-data-cipher.js';

/** Names the derived keys in sealed values (`enc:v1:replay.<ring key id>:…`), apart from the database's data keys. */
const ID_PREFIX = 'replay.';

export function replayCipher(ring: KeyRing): PersonalDataCipher {
  const data = new Map(ring.keys.map((kek) => [`${ID_PREFIX}${kek.id}`, derive(kek, 'baton:idempotency-replays')]));
  const currentId = `${ID_PREFIX}${ring.newest.id}`;
  return personalDataCipher({ current: { id: currentId, key: data.get(currentId)! }, data, blindIndex: derive(ring.newest, 'baton:replay-blind-index') });
}

function derive(kek: KeyEncryptionKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', kek.key, Buffer.alloc(0), purpose, 32));
}
