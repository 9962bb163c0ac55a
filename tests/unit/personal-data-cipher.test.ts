// Sealing values and JSON without a database: what is sealed, what stays readable,
// and that nothing opens under the wrong key.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyRing } from '../../src/privacy/key-ring.js';
import { personalDataCipher } from '../../src/privacy/personal-data-cipher.js';

const key = () => randomBytes(32);
const cipher = personalDataCipher({ current: { id: 'k1', key: key() }, data: new Map(), blindIndex: key() });
const keys = { current: { id: 'k1', key: key() }, data: new Map<string, Buffer>(), blindIndex: key() };
keys.data.set('k1', keys.current.key);
const sealer = personalDataCipher(keys);

describe('personal-data cipher', () => {
  it('seals a string so that only its key opens it, and passes plain values through open', () => {
    const sealed = sealer.seal('+1 415 555 0112');
    expect(sealed).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]+$/);
    expect(sealer.seal('+1 415 555 0112')).not.toBe(sealed); // a fresh nonce each time
    expect(sealer.open(sealed)).toBe('+1 415 555 0112');
    expect(sealer.seal(sealed)).toBe(sealed); // never sealed twice
    expect(sealer.open('plain, stored before encryption')).toBe('plain, stored before encryption');
    expect(() => cipher.open(sealed)).toThrow(/no data key k1/);
    expect(sealer.sealOptional(null)).toBeNull();
    expect(sealer.keyIdOf(sealed)).toBe('k1');
  });

  it('seals JSON values under personal keys whole and strings quoting an address, at any depth', () => {
    const context = {
      lead: { id: 'lead-1', email: 'jane@acme.com', phone: '+1 415 555 0112', industry: 'TECHNOLOGY', contact: { first_name: 'Jane', age: 41 } },
      notes: ['asked to be called on +1 415 555 0112', 'prefers mornings'],
      score: 82,
      email: null,
    };
    const sealed = sealer.sealJson(context);
    const text = JSON.stringify(sealed);
    expect(text).not.toMatch(/jane|Jane|555/);
    expect(sealed.lead.industry).toBe('TECHNOLOGY');
    expect(sealed.lead.id).toBe('lead-1');
    expect(sealed.notes[1]).toBe('prefers mornings');
    expect(sealed.score).toBe(82);
    expect(sealer.openJson(sealed)).toEqual(context);
  });

  it('parses DATA_ENCRYPTION_KEY rings, newest first, and names what is wrong without echoing keys', () => {
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64url');
    const ring = parseKeyRing(`k2:${a}, k1:${b}`);
    expect(ring.newest.id).toBe('k2');
    expect(ring.byId('k1')?.key).toEqual(Buffer.from(b, 'base64url'));
    expect(parseKeyRing(a).newest.id).toMatch(/^k[0-9a-f]{8}$/);
    expect(() => parseKeyRing('k1:short')).toThrow(/entry 1 is not a 32-byte base64 key/);
    expect(() => parseKeyRing(`k1:${a},k1:${b}`)).toThrow(/names key k1 twice/);
    expect(() => parseKeyRing(`bad id:${a}`)).toThrow(/key id must be/);
  });
});
