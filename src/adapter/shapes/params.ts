// Building blocks for the specification's request shapes (JSON-RPC params, REST
// bodies). They check vocabulary only: field names, JSON types and enum labels,
// with messages a caller can act on. Domain rules (formats, ranges, sizes) are
// GraphQL's, reported back under the caller's field names (`issue-paths.ts`).
import { z } from 'zod';
import { dateProblem, safeText } from '../../domain/input-rules.js';

/** `is required` when absent, `must be …` otherwise. */
export function expected(what: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) };
}

/**
 * An object that refuses unknown keys: a misspelt optional field would otherwise
 * be dropped without a word (runAdapterOperation names each unknown key).
 */
export function strictParams<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'invalid_type' ? (issue.input === undefined ? 'is required' : 'must be an object') : undefined),
  });
}

/** A string under Baton's input rules (src/domain/input-rules.ts): no NUL, no unpaired surrogate, at most 1000 characters. */
export const text = () => safeText(undefined, z.string(expected('a string')));

/** An RFC 3339 date-time with a time zone, as GraphQL's DateTime accepts it. */
export const isoDateTime = () =>
  z.iso
    .datetime({
      offset: true,
      ...expected('an ISO 8601 date-time with a time zone, such as 2026-11-27T09:30:00Z'),
    })
    .superRefine((value, context) => {
      const date = new Date(value);
      // Not a date-time at all: the format check above says so already.
      const problem = Number.isNaN(date.getTime()) ? undefined : dateProblem(date);
      if (problem) context.addIssue({ code: 'custom', message: problem, input: value });
    });

/**
 * Accepts the specification's label of a GraphQL enum value (`labels[value]`) and
 * yields the value; results map back through the same table. An enum of the
 * labels, so JSON Schemas generated from it (MCP tools, OpenRPC) list them.
 */
export function labelled<Value extends string>(labels: Record<Value, string>) {
  const valueByLabel = new Map(Object.entries<string>(labels).map(([value, label]) => [label, value as Value]));
  const allowed = Object.values<string>(labels);
  const message = `must be one of ${allowed.map((label) => `"${label}"`).join(', ')}`;
  return z
    .enum(allowed as [string, ...string[]], { error: (issue) => (issue.input === undefined ? 'is required' : message) })
    .transform((label) => valueByLabel.get(label)!);
}
