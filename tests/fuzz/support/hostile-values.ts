// The values every door is fuzzed with: plausible ones (so requests get past
// validation and reach the resolvers and the database) mixed with what an
// attacker or a broken client sends: NUL, lone surrogates, empty and huge
// strings, LIKE metacharacters, numbers at and past PostgreSQL's ranges, dates
// in year 0000 and 10000, and values of the wrong JSON type.
import fc from 'fast-check';

/** What PostgreSQL cannot store in text: NUL, and UTF-16 halves without their other half. */
export const POISON_STRINGS = ['\u0000', 'lead-\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uDC00y', 'a\uD83D'];

/** Strings that broke, or could break, a boundary somewhere. */
export const EDGE_STRINGS = [
  ' ',
  '%',
  '%%',
  '_',
  '\\',
  '\\\\',
  "'",
  '"',
  "x'; DROP TABLE leads; --",
  '%ZZ',
  '../../etc/passwd',
  'baton://leads/x',
  '\u202Eevil',
  '\uFEFF',
  '𝕏𝔹👩‍👩‍👧',
  '\r\n',
  'null',
  '0',
  '-1',
  '{}',
  '<script>alert(1)</script>',
  '\u0001\u001f\u007f',
  '\u2028\u2029',
];

/** Ordinary values, so that a request with one hostile field still has plausible others. */
const ORDINARY_STRINGS = ['', 'organic', 'Technology', 'lead-001', 'a@example.com', '+1 415 555 0100', 'webinar'];

/** Long enough to cross every length limit, short enough to stay under the 1 MB body limit. */
const HUGE_STRINGS = ['a'.repeat(5_000), 'ü'.repeat(70_000)];

/** An id a client would plausibly use: gets past the id rules, so the request goes deeper. */
export const plausibleId = () => fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);

export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...POISON_STRINGS), weight: 4 },
    { arbitrary: fc.constantFrom(...EDGE_STRINGS), weight: 4 },
    { arbitrary: fc.constantFrom(...ORDINARY_STRINGS), weight: 2 },
    { arbitrary: plausibleId(), weight: 6 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 24 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }), weight: 2 },
    { arbitrary: fc.constantFrom(...HUGE_STRINGS), weight: 1 },
  );

/** Integers at the edges of GraphQL's Int, PostgreSQL's integer and bigint, JavaScript's safe range. */
const EDGE_INTEGERS = [0, 1, -1, 100, 101, -2147483648, 2147483647, 2147483648, -2147483649, 2 ** 53, -(2 ** 53), 2 ** 63, 1e308, -1e308];
const EDGE_FLOATS = [0.5, -0.0, 5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 1e-308, 3.25, 99.999];

export const hostileInt = (): fc.Arbitrary<number> =>
  fc.oneof(
    { arbitrary: fc.integer({ min: -5, max: 120 }), weight: 4 },
    { arbitrary: fc.constantFrom(...EDGE_INTEGERS), weight: 3 },
    { arbitrary: fc.integer(), weight: 1 },
    { arbitrary: fc.constantFrom(...EDGE_FLOATS), weight: 1 },
  );

export const hostileNumber = (): fc.Arbitrary<number> =>
  fc.oneof(
    { arbitrary: fc.double({ min: 0, max: 100_000, noNaN: true }), weight: 3 },
    { arbitrary: fc.constantFrom(...EDGE_INTEGERS, ...EDGE_FLOATS), weight: 3 },
    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
  );

const EDGE_DATES = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-12-06T20:00:00+14:00',
  '2026-12-06T20:00:00.123456789Z',
  '2026-12-06',
  '2026-12-06T20:00:00',
  'not a date',
];

export const hostileDate = (): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), weight: 3 },
    { arbitrary: fc.constantFrom(...EDGE_DATES), weight: 3 },
    { arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), weight: 1 },
  );

/** Any JSON value, small: what a wrong-typed field is replaced with. */
export const anyJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(fc.constantFrom(null, true, false, 0, -1, 1e308, '', '\u0000', [], {}, [null], { '': null }), fc.jsonValue({ maxDepth: 2 }), hostileString());

/** A JSON object of slots: hostile keys and values, some nesting. */
export const hostileJsonObject = (): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(
    hostileString().filter((key) => key.length < 100),
    fc.oneof(hostileString(), hostileNumber(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 })),
    {
      maxKeys: 4,
    },
  );

/** Request headers' bearer tokens: mostly an admin, sometimes less or nothing. */
export type TokenKind = 'admin' | 'viewer' | 'none' | 'garbage';
export const tokenKind = (): fc.Arbitrary<TokenKind> =>
  fc.oneof({ arbitrary: fc.constant<TokenKind>('admin'), weight: 14 }, { arbitrary: fc.constantFrom<TokenKind>('viewer', 'none', 'garbage'), weight: 3 });

/** `arbitrary` once in `oneIn` values, null otherwise. */
export const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: oneIn - 1 }, { arbitrary, weight: 1 });

/** Ids of what the fuzz Baton's seed leads made (fuzz-baton.ts), so a valid handoff or escalation id names one that exists. */
export const KNOWN_IDS: { handoff: string[]; escalation: string[] } = { handoff: [], escalation: [] };

/** The campaign every fuzz Baton has (fuzz-baton.ts creates it), so a valid campaign id can name one. */
export const FUZZ_CAMPAIGN_ID = 'fuzz-campaign';

/**
 * A string that passes validation, for the valid skeletons `oneLeafPoisoned` starts
 * from; the field's name says what kind (a phone, an email, a campaign that exists).
 */
export const validString = (name = ''): fc.Arbitrary<string> => {
  const known = /escalation/i.test(name) ? KNOWN_IDS.escalation : /handoff/i.test(name) ? KNOWN_IDS.handoff : [];
  if (known.length > 0) return fc.constantFrom(...known);
  if (/phone/i.test(name)) return fc.constantFrom('+1 415 555 0100', '+44 20 7946 0958');
  if (/email/i.test(name)) return fc.constantFrom('a@example.com', 'lead.one@example.org');
  if (/campaign/i.test(name)) return fc.constant(FUZZ_CAMPAIGN_ID);
  if (/(_at|At|since|until|period_?(start|end)|after|before)$/i.test(name)) {
    return fc.date({ min: new Date('2025-01-01'), max: new Date('2026-12-01'), noInvalidDate: true }).map((date) => date.toISOString());
  }
  return fc.oneof(plausibleId(), fc.constantFrom('organic', 'webinar'));
};

/**
 * A valid value with exactly one leaf (a string, number, boolean or null anywhere
 * inside it) replaced by a hostile one, or its key removed: the input that gets
 * past every other check and puts one bad value in front of the deepest code.
 */
export function oneLeafPoisoned(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const replacement = fc.record({
    string: fc.oneof({ arbitrary: fc.constantFrom(...POISON_STRINGS), weight: 3 }, { arbitrary: hostileString(), weight: 2 }),
    number: hostileNumber(),
    any: anyJson(),
    how: fc.nat(9),
  });
  return fc.tuple(valid, fc.nat(), replacement).map(([value, pick, bad]) => {
    const leaves: { parent: Record<string, unknown> | unknown[]; key: string | number; leaf: unknown }[] = [];
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, child] of Object.entries(node)) {
        const at = Array.isArray(node) ? Number(key) : key;
        if (child !== null && typeof child === 'object') walk(child);
        else leaves.push({ parent: node as Record<string, unknown>, key: at, leaf: child });
      }
    };
    const copy = structuredClone(value);
    walk(copy);
    if (leaves.length === 0) return copy;
    const { parent, key, leaf } = leaves[pick % leaves.length]!;
    const target = parent as Record<string | number, unknown>;
    if (bad.how === 0 && !Array.isArray(parent)) delete target[key];
    else if (bad.how === 1) target[key] = bad.any;
    else target[key] = typeof leaf === 'number' ? bad.number : bad.string;
    return copy;
  });
}

/** The mix every generated input comes from: one bad leaf in a valid input, anything goes, or valid. */
export const poisonedOrWild = (valid: fc.Arbitrary<unknown>, wild: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: oneLeafPoisoned(valid), weight: 5 }, { arbitrary: wild, weight: 4 }, { arbitrary: valid, weight: 1 });
