// Reads a JSON request body with a size limit. Parse failures are reported, not
// thrown, because each protocol answers them its own way (HTTP 400, JSON-RPC -32700).
import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export type JsonBody = { ok: true; value: unknown } | { ok: false; reason: 'too_large' | 'invalid_json'; message: string };

export type RawBody = { ok: true; bytes: Buffer } | { ok: false; reason: 'too_large'; message: string };

/** The body's exact bytes (what a signature is computed over), up to `limit`. */
export async function readRawBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<RawBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      return { ok: false, reason: 'too_large', message: `Request body exceeds ${limit} bytes` };
    }
    chunks.push(chunk as Buffer);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

export async function readJsonBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<JsonBody> {
  const raw = await readRawBody(request, limit);
  if (!raw.ok) return raw;
  return parseJson(raw.bytes.toString('utf8'));
}

/** JSON text as a JsonBody: the value, or why it is not JSON. */
export function parseJson(text: string): JsonBody {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: 'invalid_json', message: `Request body is not valid JSON: ${(error as Error).message}` };
  }
}
