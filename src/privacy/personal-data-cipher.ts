// Seals people's data before it is stored anywhere (PostgreSQL columns and JSON,
// Redis, the graph) and opens it when Baton needs it: AES-256-GCM under the
// current data key (src/privacy/data-keys.ts). A sealed value is a string
//   enc:v1:<data key id>:<base64url of nonce ‖ ciphertext ‖ tag>
// so it fits the column or JSON value it replaces and says which key opens it.
// Values stored before encryption existed are plain and pass through `open`
// unchanged until the re-encryption job seals them.
import { createHmac } from 'node:crypto';
import type { PrismaClient } from '../db/generated/prisma/client.js';
import { isPiiKey, quotesPersonalData } from '../domain/pii.js';
import { decrypt, encrypt } from './aes-gcm.js';
import { loadDataKeys, type DataKeys } from './data-keys.js';
import type { KeyRing } from './key-ring.js';

const PREFIX = 'enc:v1:';
const LABEL = 'baton:personal-data';
/** The first byte of a sealed plaintext: what `open` gives back. */
const STRING = 's';
const JSON_VALUE = 'j';

export interface PersonalDataCipher {
  /** The data key new writes use. */
  readonly keyId: string;
  seal(value: string): string;
  /** null and undefined stay as they are (an absent email is not personal data). */
  sealOptional<T extends string | null | undefined>(value: T): T extends string ? string : T;
  /** A sealed value opened; any other string (stored before encryption) as it is. */
  open(value: string): string;
  openOptional<T extends string | null | undefined>(value: T): T;
  /**
   * A JSON value with every value under a personal key (src/domain/pii.ts isPiiKey)
   * sealed whole, at any depth, and every other string that quotes an address or a
   * number sealed too; the rest stays queryable.
   */
  sealJson<T>(value: T): T;
  /** Every sealed value inside a JSON value opened. */
  openJson<T>(value: T): T;
  isSealed(value: unknown): value is string;
  /** The data key id a sealed value names, or undefined for a plain value. */
  keyIdOf(value: string): string | undefined;
  /** The keyed blind index of an email: equal for equal addresses (case and spaces aside), useless without the key. */
  blindIndex(email: string): string;
}

export async function openPersonalDataCipher(prisma: PrismaClient, ring: KeyRing): Promise<PersonalDataCipher> {
  return personalDataCipher(await loadDataKeys(prisma, ring));
}

export function personalDataCipher(keys: DataKeys): PersonalDataCipher {
  const sealTyped = (type: string, text: string) =>
    `${PREFIX}${keys.current.id}:${encrypt(keys.current.key, Buffer.from(type + text), LABEL).toString('base64url')}`;

  const openTyped = (value: string): { type: string; text: string } => {
    const separator = value.indexOf(':', PREFIX.length);
    const id = value.slice(PREFIX.length, separator);
    const key = keys.data.get(id);
    if (separator < 0 || !key) throw new Error(`no data key ${id} to open a sealed value (was it deleted before the re-encryption job finished?)`);
    const plain = decrypt(key, Buffer.from(value.slice(separator + 1), 'base64url'), LABEL).toString();
    return { type: plain.slice(0, 1), text: plain.slice(1) };
  };

  const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

  const open = (value: string): string => {
    if (!isSealed(value)) return value;
    const { type, text } = openTyped(value);
    if (type !== STRING) throw new Error('a sealed JSON value was read as a string');
    return text;
  };

  const sealJsonValue = (value: unknown): unknown => {
    if (typeof value === 'string') return isSealed(value) || !quotesPersonalData(value) ? value : sealTyped(STRING, value);
    if (Array.isArray(value)) return value.map(sealJsonValue);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, isPiiKey(key) && item !== null ? sealWhole(item) : sealJsonValue(item)]));
    }
    return value;
  };
  const sealWhole = (value: unknown): string =>
    typeof value === 'string' ? (isSealed(value) ? value : sealTyped(STRING, value)) : sealTyped(JSON_VALUE, JSON.stringify(value));

  const openJsonValue = (value: unknown): unknown => {
    if (isSealed(value)) {
      const { type, text } = openTyped(value);
      return type === JSON_VALUE ? JSON.parse(text) : text;
    }
    if (Array.isArray(value)) return value.map(openJsonValue);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, openJsonValue(item)]));
    return value;
  };

  return {
    keyId: keys.current.id,
    seal: (value) => (isSealed(value) ? value : sealTyped(STRING, value)),
    sealOptional: ((value: string | null | undefined) => (typeof value === 'string' ? sealWhole(value) : value)) as PersonalDataCipher['sealOptional'],
    open,
    openOptional: ((value: string | null | undefined) => (typeof value === 'string' ? open(value) : value)) as PersonalDataCipher['openOptional'],
    sealJson: <T>(value: T) => sealJsonValue(value) as T,
    openJson: <T>(value: T) => openJsonValue(value) as T,
    isSealed,
    keyIdOf: (value) => (isSealed(value) ? value.slice(PREFIX.length, value.indexOf(':', PREFIX.length)) : undefined),
    blindIndex: (email) => createHmac('sha256', keys.blindIndex).update(email.trim().toLowerCase()).digest('base64url'),
  };
}
