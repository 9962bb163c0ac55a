// Structured logs: one JSON line per event, pino's defaults (level, time, msg).
// Credentials never reach a log line: fields named like a credential are
// censored wherever they sit (up to a request's headers), and a logged URL keeps
// its path and query but not the values of credential parameters.
// People's data never reaches one either (issue 16): every string a line carries
// (its fields, an error's message and stack, the URL once decoded) has the
// addresses and numbers it quotes masked, as a viewer would read them.
import { pino, type DestinationStream, type Logger } from 'pino';
import { maskText } from './domain/pii.js';

export type { Logger };

/** Query parameters that carry credentials by convention (OAuth's access_token, and the like). */
export const CREDENTIAL_PARAMS = ['access_token', 'token', 'authorization'] as const;

const REDACTED = '[REDACTED]';

export function isCredentialParam(name: string): boolean {
  return (CREDENTIAL_PARAMS as readonly string[]).includes(name.toLowerCase());
}

function queryOf(url: string): string | undefined {
  const at = url.indexOf('?');
  return at < 0 ? undefined : url.slice(at + 1);
}

/** `url` with the value of each credential parameter replaced, for logs; the rest as sent. */
export function redactUrl(url: string): string {
  const query = queryOf(url);
  if (query === undefined) return url;
  const redacted = query
    .split('&')
    .map((pair) => {
      const separator = pair.indexOf('=');
      const rawName = separator < 0 ? pair : pair.slice(0, separator);
      let name: string;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        name = rawName;
      }
      return isCredentialParam(name) ? `${rawName}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, url.indexOf('?'))}?${redacted}`;
}

const CREDENTIAL_FIELDS = ['authorization', 'Authorization', 'token', 'access_token', 'accessToken', 'cookie', 'password', 'jwtSecret'];

/** pino `redact` paths (fast-redact syntax): the fields at the top, one level down, and in headers or connection params. */
export const REDACTED_PATHS = [
  ...CREDENTIAL_FIELDS,
  ...CREDENTIAL_FIELDS.map((field) => `*.${field}`),
  ...CREDENTIAL_FIELDS.map((field) => `*.headers.${field}`),
  ...CREDENTIAL_FIELDS.map((field) => `*.*.headers.${field}`),
  ...CREDENTIAL_FIELDS.map((field) => `*.connectionParams.${field}`),
  'url',
  '*.url',
];

function censor(value: unknown, path: string[]): unknown {
  if (path.at(-1) === 'url') return typeof value === 'string' ? withoutPersonalData(redactUrl(value)) : value;
  return '[REDACTED]';
}

/** A URL with the addresses and numbers it quotes (percent-encoded or not: /leads/jane%40acme.com) masked; untouched when it quotes none. */
export function withoutPersonalData(url: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    decoded = url;
  }
  const masked = maskText(decoded);
  return masked === decoded ? url : masked;
}

/** Every string under a log line's fields with quoted addresses and numbers masked; an error keeps its class, its message and stack masked. */
function maskPersonalData(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, depth + 1));
  if (value instanceof Error) {
    // A copy of the same class, so pino's error serializer still names its type.
    const fields = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskPersonalData(item, depth + 1)]));
    return Object.assign(Object.create(Object.getPrototypeOf(value) as object) as Error, fields, {
      message: maskText(value.message),
      stack: value.stack && maskText(value.stack),
      ...(value.cause === undefined ? {} : { cause: maskPersonalData(value.cause, depth + 1) }),
    });
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskPersonalData(item, depth + 1)]));
}

/** `destination`: where lines go (stdout by default); tests pass a stream they read. */
export function createLogger(level: string, serverId: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { server_id: serverId, pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor },
    formatters: { log: (fields: Record<string, unknown>) => maskPersonalData(fields) as Record<string, unknown> },
    hooks: {
      // The message itself (`logger.warn(obj, msg)`), which formatters.log does not see.
      logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? maskText(arg) : arg)),
        );
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
