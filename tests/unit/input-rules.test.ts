// The input rules every door shares (src/domain/input-rules.ts), and the
// document nesting guard (src/graphql/query-limits.ts), on their own.
import { describe, expect, it } from 'vitest';
import { amountProblem, dateProblem, encodingReason, idProblem, jsonProblemsAt, safeId, safeText, textProblem } from '../../src/domain/input-rules.js';
import { nestingDepth } from '../../src/graphql/query-limits.js';

describe('strings', () => {
  it.each([
    ['plain', undefined],
    ['emoji 👋 (a surrogate pair)', undefined],
    ['a\u0000b', 'nul'],
    ['\uD800', 'unpaired_surrogate'],
    ['x\uDFFFy', 'unpaired_surrogate'],
    ['\uDC00\uD800', 'unpaired_surrogate'],
  ])('%j: %s', (value, reason) => {
    expect(encodingReason(value)).toBe(reason);
  });

  it('bounds text, 1000 characters by default', () => {
    expect(textProblem('x'.repeat(1000))).toBeUndefined();
    expect(textProblem('x'.repeat(1001))).toMatch(/at most 1000/);
    expect(textProblem('x'.repeat(20), 10)).toMatch(/at most 10/);
  });

  it.each(['lead-001', 'email:jane@acme.com', 'segment:technology/decision-maker', 'a', 'x'.repeat(128)])('accepts the id %s', (id) => {
    expect(idProblem(id)).toBeUndefined();
  });

  it.each(['', 'x'.repeat(129), ' lead', '-lead', 'le ad', 'lead;drop', 'lëad', 'lead\n'])('refuses the id %j', (id) => {
    expect(idProblem(id)).toMatch(/letters, digits/);
  });

  it('the zod forms give the same messages', () => {
    expect(safeText().safeParse('a\u0000').error?.issues[0]?.message).toMatch(/NUL/);
    expect(safeId().safeParse('no spaces').error?.issues[0]?.message).toMatch(/letters, digits/);
    expect(safeId().safeParse('lead-1').success).toBe(true);
  });
});

describe('JSON values', () => {
  it('names each bad key and string at its path, keys escaped', () => {
    const problems = jsonProblemsAt({ ok: 'fine', list: ['x', 'a\u0000'], nested: { '\uD800': 1 } });
    expect(problems.map(({ path, reason }) => ({ path, reason }))).toEqual(
      expect.arrayContaining([
        { path: ['list', 1], reason: 'nul' },
        { path: ['nested', '\\ud800'], reason: 'unpaired_surrogate' },
      ]),
    );
    expect(problems).toHaveLength(2);
  });

  it('bounds nesting at 32 without recursing (100,000 levels)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const [problem] = jsonProblemsAt(deep);
    expect(problem).toMatchObject({ reason: 'too_deep' });
    expect(problem!.path).toHaveLength(32);
  });
});

describe('numbers and dates', () => {
  it('keeps amounts finite and within 1e15', () => {
    expect(amountProblem(1e15)).toBeUndefined();
    expect(amountProblem(-1e15)).toBeUndefined();
    for (const value of [1.79e308, -1e16, Number.POSITIVE_INFINITY, Number.NaN]) expect(amountProblem(value)).toMatch(/1e15/);
  });

  it('keeps dates between 1900 and 9999', () => {
    expect(dateProblem(new Date('1900-01-01T00:00:00Z'))).toBeUndefined();
    expect(dateProblem(new Date('9999-12-31T23:59:59.999Z'))).toBeUndefined();
    expect(dateProblem(new Date('0000-01-01T00:00:00Z'))).toMatch(/1900/);
    expect(dateProblem(new Date('+010000-01-01T00:00:00Z'))).toMatch(/9999/);
  });
});

describe('document nesting', () => {
  it('counts brackets of every kind, outside strings, block strings and comments', () => {
    expect(nestingDepth('{ a { b(x: [[1]]) } }', 100)).toBe(5);
    expect(nestingDepth('{ a(s: "[[[[[", t: """ {{{{ \\""" [[[ """) }', 100)).toBe(2);
    expect(nestingDepth('# [[[[[[\n{ a }', 100)).toBe(1);
    expect(nestingDepth(`{ a(x: ${'['.repeat(10_000)}) }`, 64)).toBe(65);
  });
});
