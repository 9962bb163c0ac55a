// The one set of rules for what enters Baton (strings, amounts, dates), whatever
// the door (GraphQL arguments and the JSON inside them, REST bodies, paths, queries and headers,
// JSON-RPC params, MCP tool arguments, resource URIs and prompt arguments,
// delivery events). PostgreSQL refuses NUL in text and jsonb, and UTF-16 with an
// unpaired surrogate is no Unicode at all (it cannot be encoded as UTF-8): such a
// value is the caller's mistake, refused as bad input naming the field, never
// left to fail in the database. Lengths are bounded so one field cannot cost
// more than any honest caller needs; dates and amounts stay within what
// PostgreSQL's columns hold. README "Input rules" documents the same.
import { z } from 'zod';
import type { InputIssue } from '../errors.js';

export const TEXT_LIMITS = {
  /** Ids (leads, campaigns, conversations, handoffs, knowledge nodes): 1 to 128 characters of ID_ALPHABET. */
  id: 128,
  /** Every other string argument: names, labels, channels, notes, email addresses. */
  shortText: 1000,
  /** Free text (an inbound email handed to an MCP prompt). */
  longText: 100_000,
  /** A string inside a JSON value (slots, attributes, metadata): no bound of its own, each JSON field has a byte bound (16 KiB, 8 KiB). */
  jsonString: Number.POSITIVE_INFINITY,
  /** Nesting of a JSON value: arrays and objects within each other. */
  jsonDepth: 32,
} as const;

/**
 * Ids travel in URLs, logs and Redis keys: printable ASCII, starting with a
 * letter or digit. `/` is for knowledge node ids (`segment:technology/decision-maker`);
 * lead and campaign ids are narrower still (src/domain/lead.ts: no `/`).
 */
export const ID_ALPHABET = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;
export const ID_RULE = `must be 1-${TEXT_LIMITS.id} characters: letters, digits and . _ : @ / -, starting with a letter or digit`;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a value cannot be stored, as a bounded label (metrics, logs). */
export type UnstorableReason = 'nul' | 'unpaired_surrogate' | 'too_deep' | 'unreadable';
export const UNSTORABLE_REASONS: readonly UnstorableReason[] = ['nul', 'unpaired_surrogate', 'too_deep', 'unreadable'];

const ENCODING_MESSAGES = {
  nul: 'must not contain NUL (U+0000)',
  unpaired_surrogate: 'must be valid Unicode (no unpaired UTF-16 surrogate)',
} as const;

/** Why `value` cannot be stored as text, as a label, or undefined. */
export function encodingReason(value: string): 'nul' | 'unpaired_surrogate' | undefined {
  if (value.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(value)) return 'unpaired_surrogate';
  return undefined;
}

/** Why `value` cannot be stored as text (NUL, an unpaired surrogate), or undefined. */
export function encodingProblem(value: string): string | undefined {
  const reason = encodingReason(value);
  return reason ? ENCODING_MESSAGES[reason] : undefined;
}

/** Why `value` is not acceptable text of at most `max` characters, or undefined. */
export function textProblem(value: string, max: number = TEXT_LIMITS.shortText): string | undefined {
  return encodingProblem(value) ?? (value.length > max ? `must be at most ${max} characters` : undefined);
}

/** Why `value` is not an id, or undefined. */
export function idProblem(value: string): string | undefined {
  const encoding = encodingProblem(value);
  if (encoding) return encoding;
  return value.length >= 1 && value.length <= TEXT_LIMITS.id && ID_ALPHABET.test(value) ? undefined : ID_RULE;
}

/** What PostgreSQL's timestamp holds and any honest date needs: years 1900 to 9999 (UTC). */
export const DATE_RANGE = { min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z') } as const;
export const DATE_RULE = 'must be a date between 1900-01-01 and 9999-12-31 (UTC)';

/** Amounts, rates and budgets: finite, at most 10^15 either way (double precision holds them; sums of them stay finite). */
export const MAX_AMOUNT = 1e15;
export const AMOUNT_RULE = 'must be a finite number between -1e15 and 1e15';

export function dateProblem(value: Date): string | undefined {
  return value >= DATE_RANGE.min && value <= DATE_RANGE.max ? undefined : DATE_RULE;
}

export function amountProblem(value: number): string | undefined {
  return Number.isFinite(value) && Math.abs(value) <= MAX_AMOUNT ? undefined : AMOUNT_RULE;
}

/** One problem inside a JSON value, at the keys and indexes leading to it. */
export interface JsonProblem {
  path: (string | number)[];
  message: string;
  reason: UnstorableReason | 'too_long';
}

/** `jsonProblemsAt` with dotted paths below `path` (`input.extractedSlots.budget`), as InputIssues. */
export function jsonProblems(value: unknown, path: string, maxString: number = TEXT_LIMITS.jsonString): InputIssue[] {
  return jsonProblemsAt(value, maxString).map((problem) => ({ path: [path, ...problem.path].filter((s) => s !== '').join('.'), message: problem.message }));
}

/**
 * Every string of a JSON value (object keys included) checked as text, and its
 * nesting bounded; a problem per bad string (at most 20). Walks iteratively: a
 * hostile depth cannot overflow the stack.
 */
export function jsonProblemsAt(value: unknown, maxString: number = TEXT_LIMITS.jsonString): JsonProblem[] {
  const issues: JsonProblem[] = [];
  const pending: { value: unknown; path: (string | number)[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  while (pending.length > 0 && issues.length < 20) {
    const next = pending.pop()!;
    if (typeof next.value === 'string') {
      const reason = encodingReason(next.value) ?? (next.value.length > maxString ? 'too_long' : undefined);
      if (reason) issues.push({ path: next.path, message: textProblem(next.value, maxString)!, reason });
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= TEXT_LIMITS.jsonDepth) {
      issues.push({ path: next.path, message: `must not nest arrays and objects more than ${TEXT_LIMITS.jsonDepth} deep`, reason: 'too_deep' });
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(next.value) ? next.value.map((item, index) => [index, item]) : Object.entries(next.value);
    for (const [key, item] of entries) {
      const keyReason = typeof key === 'string' ? encodingReason(key) : undefined;
      if (keyReason) issues.push({ path: [...next.path, printable(String(key))], message: `key ${ENCODING_MESSAGES[keyReason]}`, reason: keyReason });
      else pending.push({ value: item, path: [...next.path, key], depth: next.depth + 1 });
    }
  }
  return issues;
}

/** A key that is itself the problem is named with its bad characters escaped (paths end up in logs and JSON). */
function printable(key: string): string {
  // JSON.stringify writes NUL and unpaired surrogates as escapes (\u0000, \ud800).
  return JSON.stringify(key).slice(1, -1);
}

// zod forms of the rule, for the adapters' request shapes and MCP prompt arguments.

/** A string that is acceptable text of at most `max` characters. */
export function safeText(max: number = TEXT_LIMITS.shortText, schema: z.ZodString = z.string()) {
  return schema.superRefine((value, context) => {
    const problem = textProblem(value, max);
    if (problem) context.addIssue({ code: 'custom', message: problem, input: value });
  });
}

/** An id: ID_ALPHABET, 1 to 128 characters. */
export function safeId(schema: z.ZodString = z.string()) {
  return schema.superRefine((value, context) => {
    const problem = idProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem, input: value });
  });
}

/** Any JSON value whose strings and nesting pass `jsonProblemsAt`; issues at their own paths. */
export function refineJson<T extends z.ZodType>(schema: T, maxString: number = TEXT_LIMITS.jsonString) {
  return schema.superRefine((value, context) => {
    for (const problem of jsonProblemsAt(value, maxString)) context.addIssue({ code: 'custom', message: problem.message, path: problem.path, input: value });
  });
}
