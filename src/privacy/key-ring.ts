// The key-encryption keys (KEKs) of DATA_ENCRYPTION_KEY: `id:key,id:key`, the first
// the newest. Each key is 32 random bytes in base64 or base64url (`openssl rand
// -base64 32`). KEKs never encrypt people's data themselves: they wrap the data
// keys stored in the database (src/privacy/data-keys.ts), so rotating a KEK only
// rewraps a few rows, and an old KEK can leave the ring as soon as Baton has
// started once with the new one first.
import { createHash } from 'node:crypto';

export interface KeyEncryptionKey {
  /** Names the key in the database (which KEK wrapped a data key); 1-32 of [A-Za-z0-9_-]. */
  readonly id: string;
  readonly key: Buffer;
}

export interface KeyRing {
  /** Wraps new and rewrapped data keys. */
  readonly newest: KeyEncryptionKey;
  readonly keys: readonly KeyEncryptionKey[];
  byId(id: string): KeyEncryptionKey | undefined;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;

/** Throws a message naming DATA_ENCRYPTION_KEY and what is wrong; never echoes key material. */
export function parseKeyRing(value: string): KeyRing {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('DATA_ENCRYPTION_KEY is empty: give `id:key` with a 32-byte base64 key (openssl rand -base64 32)');
  const keys = entries.map((entry, index) => parseEntry(entry, index));
  const ids = new Set<string>();
  for (const { id } of keys) {
    if (ids.has(id)) throw new Error(`DATA_ENCRYPTION_KEY names key ${id} twice`);
    ids.add(id);
  }
  return keyRing(keys);
}

export function keyRing(keys: readonly KeyEncryptionKey[]): KeyRing {
  const [newest] = keys;
  if (!newest) throw new Error('a key ring needs at least one key');
  const byId = new Map(keys.map((key) => [key.id, key]));
  return { newest, keys, byId: (id) => byId.get(id) };
}

function parseEntry(entry: string, index: number): KeyEncryptionKey {
  const colon = entry.indexOf(':');
  const material = colon < 0 ? entry : entry.slice(colon + 1);
  const key = Buffer.from(material.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(material)) {
    throw new Error(`DATA_ENCRYPTION_KEY entry ${index + 1} is not a 32-byte base64 key (openssl rand -base64 32)`);
  }
  // A bare key is named by its fingerprint, so the same key always gets the same id.
  const id = colon < 0 ? `k${createHash('sha256').update(key).digest('hex').slice(0, 8)}` : entry.slice(0, colon);
  if (!KEY_ID.test(id)) throw new Error(`DATA_ENCRYPTION_KEY entry ${index + 1}: key id must be 1-32 of A-Z a-z 0-9 _ -`);
  return { id, key };
}
