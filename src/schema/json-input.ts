// JSON arguments arrive as anything the JSON scalar parses; the ones Baton
// stores must be objects of bounded size.
import { z } from 'zod';
import type { JsonValue } from '../memory/json.js';

export function jsonObject(maxBytes: number) {
  return z
    .record(z.string(), z.json())
    .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= maxBytes, `must be at most ${maxBytes} bytes of JSON`)
    .transform((value) => value as Record<string, JsonValue>);
}
