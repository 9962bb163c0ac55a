// Structured logs: one JSON line per event, pino's defaults (level, time, msg).
// Credentials never reach a log line: fields named like a credential are
// censored wherever they sit (up to a request's headers), and a logged URL keeps
// its path and query but not the values of credential parameters.
import { pino, type DestinationStream, type Logger } from 'pino';

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
  if (path.at(-1) === 'url') return typeof value === 'string' ? redactUrl(value) : value;
  return '[REDACTED]';
}

/** `destination`: where lines go (stdout by default); tests pass a stream they read. */
export function createLogger(level: string, serverId: string, destination?: DestinationStream): Logger {
  const options = { level, base: { server_id: serverId, pid: process.pid }, redact: { paths: REDACTED_PATHS, censor } };
  return destination ? pino(options, destination) : pino(options);
}
