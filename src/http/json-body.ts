// Reads a JSON request body with a size limit. Parse failures are reported, not
// thrown, because each protocol answers them its own way (HTTP 400, JSON-RPC -32700).
//
// A body over the limit is never buffered. Its rest is read and discarded (up to
// DISCARD_LIMIT_BYTES more, and DISCARD_WAIT_MS) before the caller answers 413, so
// the client, still sending, sees the answer rather than a reset; the answer
// carries `Connection: close` (OVERSIZED_BODY_HEADERS), because a body only partly
// read leaves the keep-alive connection mid-request: never left hanging.
import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Headers of the 413 answer: the connection closes after it. */
export const OVERSIZED_BODY_HEADERS: Readonly<Record<string, string>> = { connection: 'close' };

/** How much of an oversized body's rest is read (and discarded) before the answer, at most. */
const DISCARD_LIMIT_BYTES = 8 * MAX_BODY_BYTES;
const DISCARD_WAIT_MS = 2_000;

export type JsonBody = { ok: true; value: unknown } | { ok: false; reason: 'too_large' | 'invalid_json'; message: string };

export type RawBody = { ok: true; bytes: Buffer } | { ok: false; reason: 'too_large'; message: string };

/** The body's exact bytes (what a signature is computed over), up to `limit`. */
export async function readRawBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<RawBody> {
  const tooLarge = { ok: false, reason: 'too_large', message: `Request body exceeds ${limit} bytes` } as const;
  // A declared length over the limit is refused before a byte is buffered.
  if (Number(request.headers['content-length']) > limit) {
    await discardRest(request);
    return tooLarge;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (request.readableEnded) return { ok: true, bytes: Buffer.alloc(0) }; // already read: nothing left
  if (request.destroyed) throw clientGone();
  const within = await new Promise<boolean>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      stop();
      resolve(false);
    };
    const onEnd = () => {
      stop();
      resolve(true);
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => onError(clientGone());
    const stop = () => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    request.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
  if (within) return { ok: true, bytes: Buffer.concat(chunks) };
  await discardRest(request);
  return tooLarge;
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

/** The router answers nothing to a client that went away (ECONNRESET), and logs it as such rather than as a failure. */
function clientGone(): Error {
  return Object.assign(new Error('the client closed the connection mid-body'), { code: 'ECONNRESET' });
}

/** Reads and drops the rest of a body, until it ends, DISCARD_LIMIT_BYTES or DISCARD_WAIT_MS, whichever is first. */
async function discardRest(request: IncomingMessage): Promise<void> {
  if (request.readableEnded || request.destroyed) return;
  await new Promise<void>((resolve) => {
    let discarded = 0;
    const done = () => {
      clearTimeout(timer);
      request.off('data', onData).off('end', done).off('close', done).off('error', done);
      request.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_LIMIT_BYTES) done();
    };
    const timer = setTimeout(done, DISCARD_WAIT_MS);
    request.on('data', onData).once('end', done).once('close', done).once('error', done);
    request.resume();
  });
}
