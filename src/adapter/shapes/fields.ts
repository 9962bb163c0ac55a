// Field types the adapter's results (and some requests) share, as zod schemas:
// the validators, the TypeScript types (z.infer) and the published JSON Schemas
// (OpenAPI 3.0, and draft-07 for OpenRPC and MCP) all come from them.
import { z } from 'zod';
import { refineJson } from '../../domain/input-rules.js';
import { expected } from './params.js';

/** A whole number, 0 or more. */
export const count = () => z.int().nonnegative();

/** An ISO 8601 date-time, as GraphQL's DateTime gives it. */
export const dateTime = () => z.iso.datetime({ offset: true });

/** One of a table's labels (`{ EMAIL: 'email' }` → "email"). */
export const oneOfLabels = (labels: Record<string, string>) => z.enum(Object.values(labels));

/**
 * `schema`, or null; `description` says what null means. It is written on
 * `schema`, not on the union, on purpose: zod publishes a union of a bare type and
 * null as a type array (`"type": ["string", "null"]`), which clients that map
 * tool schemas onto a one-type dialect (Gemini's OpenAPI subset) reject and MCP
 * Inspector's --strict flags; a described branch stays `anyOf`. OpenAPI 3.0 gets
 * `nullable: true` either way.
 */
export const orNull = <T extends z.ZodType>(schema: T, description: string) => schema.describe(description).nullable();

/**
 * Any JSON object; its keys are the caller's own and pass through as they are.
 * Published as `{ "type": "object", "additionalProperties": true }`: "any JSON
 * value" said outright, where zod would write the empty schema `{}`.
 */
export const jsonObject = () => z.record(z.string(), z.unknown(), expected('a JSON object')).meta({ additionalProperties: true });

/** A JSON object a caller sends: its keys and strings pass Baton's input rules (src/domain/input-rules.ts). */
export const jsonObjectInput = () => refineJson(jsonObject());
