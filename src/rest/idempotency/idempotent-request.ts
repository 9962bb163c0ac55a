// The Idempotency-Key header of a REST route that opts in (RestRoute.idempotent),
// after the IETF draft "The Idempotency-Key HTTP Header Field" and Stripe:
//
// - no header: the request runs as usual;
// - an empty key, one over 255 characters or one with bytes outside printable ASCII: 400;
// - the first request with a key runs; its response (status and JSON body) is
//   kept for 24 hours unless it is a 5xx or a 429, which free the key for a retry;
// - a repeat of the same request (same fingerprint) gets that status and body
//   again, marked `idempotent-replayed: true`, without running;
// - the same key with another request: 422 IDEMPOTENCY_KEY_REUSED;
// - a repeat while the first is still running: 409 IDEMPOTENCY_KEY_IN_USE.
//
// Keys belong to the caller (the token's subject), so two callers never meet.
// The fingerprint is the sha256 of the canonical JSON (keys sorted) of the
// method, the path and the parsed body: key order makes no difference, and a
// key used on another route counts as reused.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../../auth/roles.js';
import type { Logger } from '../../logger.js';
import { canonicalJson } from '../../memory/json.js';
import type { IdempotencyStore, ScopedKey, StoredResponse } from './idempotency-store.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const REPLAYED_HEADER = 'idempotent-replayed';

export type IdempotencyKeyHeader = { key: string } | { invalid: StoredResponse };

/** What a key may hold: printable ASCII, as an sf-string does (a header may also carry obs-text bytes, which no key needs). */
const VISIBLE_ASCII = /^[\x20-\x7e]*$/;

/** A Structured Field sf-string (RFC 8941 §3.3.3), the draft's syntax: `"8e03978e-…"`. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

/**
 * The request's Idempotency-Key, or undefined when it sends none. The draft's
 * quoted sf-string and Stripe's bare token both work and name the same key.
 */
export function readIdempotencyKey(request: IncomingMessage): IdempotencyKeyHeader | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const raw = Array.isArray(header) ? header.join(', ') : header;
  const quoted = SF_STRING.exec(raw);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : raw;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !VISIBLE_ASCII.test(key)) {
    const message = VISIBLE_ASCII.test(key)
      ? `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters, got ${key.length}`
      : `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters of printable ASCII (space to ~)`;
    return {
      invalid: {
        status: 400,
        body: { error: { code: 'BAD_USER_INPUT', message: `Idempotency-Key: ${message}`, issues: [{ path: 'Idempotency-Key', message }] } },
      },
    };
  }
  return { key };
}

/** Whose key it is: the caller's subject, so equal keys of two callers are two keys. */
export function scopedKey(principal: Principal, key: string): ScopedKey {
  return { scope: principal.subject, key };
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ method, path, body: body ?? null }))
    .digest('hex');
}

export interface IdempotentRun {
  store: IdempotencyStore;
  key: ScopedKey;
  fingerprint: string;
  /** Runs the request; it is called at most once, and only when the key was free. */
  run(): Promise<StoredResponse>;
  logger?: Pick<Logger, 'error' | 'warn'> | undefined;
}

/** The response to send, with the headers it needs beyond the status's own. */
export async function runIdempotently({
  store,
  key,
  fingerprint,
  run,
  logger,
}: IdempotentRun): Promise<{ response: StoredResponse; headers: Record<string, string> }> {
  const claim = await store.claim(key, fingerprint);
  switch (claim.outcome) {
    case 'replay':
      return { response: claim.response, headers: { [REPLAYED_HEADER]: 'true' } };
    case 'mismatch':
      return {
        response: {
          status: 422,
          body: { error: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'This Idempotency-Key was already used with a different request' } },
        },
        headers: {},
      };
    case 'in-flight':
      return {
        response: {
          status: 409,
          body: { error: { code: 'IDEMPOTENCY_KEY_IN_USE', message: 'A request with this Idempotency-Key is still being processed; retry later' } },
        },
        headers: { 'retry-after': '1' },
      };
    case 'acquired':
      break;
  }
  let response: StoredResponse;
  try {
    response = await run();
  } catch (error) {
    await store.release(key, claim.lease).catch((releaseError: unknown) => logger?.error({ err: releaseError }, 'could not release an idempotency key'));
    throw error;
  }
  // The request has run: its response goes out even when it cannot be kept. The
  // claim then lapses with its lock, and a retry after that runs again.
  try {
    const kept = isFinal(response) ? await store.complete(key, claim.lease, response) : await store.release(key, claim.lease);
    if (!kept) logger?.warn({ status: response.status }, 'an idempotency key expired while its request ran');
  } catch (error) {
    logger?.error({ err: error }, 'could not record an idempotency key');
  }
  return { response, headers: {} };
}

/** A 5xx or a 429 (rate limited) says nothing about the request itself: the key is freed so a retry runs. */
function isFinal({ status }: StoredResponse): boolean {
  return status < 500 && status !== 429;
}
