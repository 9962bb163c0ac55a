// Fuzz: raw HTTP/1.1 on a TCP socket, below what any client library would send:
// any method, known and unknown paths with broken percent-encoding and query
// strings, odd headers and content types, malformed, deeply nested, binary and
// oversized bodies, and a second request pipelined on the same connection.
// Invariants: no 5xx, and every request answered within the deadline (the
// pipelined one too: the connection must not be left hanging).
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FuzzBaton, startFuzzBaton } from './support/fuzz-baton.js';
import { describeFailures, FuzzDoor, REQUEST_TIMEOUT_MS, truncate } from './support/fuzz-runner.js';
import { type TokenKind, tokenKind } from './support/hostile-values.js';

let baton: FuzzBaton;
const door = new FuzzDoor('raw HTTP');

beforeAll(async () => {
  baton = await startFuzzBaton();
});
afterAll(async () => {
  await door.save();
  await baton?.stop();
});

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH', 'QUERY', 'get'];
const PATHS = [
  '/graphql',
  '/mcp',
  '/api/v1/leads',
  '/api/v1/leads/lead-1',
  '/api/v1/leads/%ZZ',
  '/api/v1/leads/%00',
  '/api/v1/leads/%ED%A0%80',
  '/api/v1/leads/a%2Fb',
  '/api/v1/campaigns/fuzz-campaign/optimize',
  '/api/v1/campaigns/%/optimize',
  '/api/v1/escalations/x/resolve',
  '/api/v1/handoffs/x/context',
  '/api/v1/agents/handoffs/analytics',
  '/api/v1/system/status',
  '/api/v1/events/deliveries',
  '/api/v1/openapi.json',
  '/mcp/openrpc.json',
  '/health',
  '/metrics',
  '/',
  '*',
  '//graphql',
  '/graphql/',
  '/graphql/../mcp',
  '/nope',
  `/${'a'.repeat(4000)}`,
];
const QUERIES = [
  '',
  '?',
  '?query=%7B__typename%7D',
  '?query=%ZZ',
  '?query={__typename}&variables=%7B',
  '?query={__typename}&extensions=x',
  '?a=1&a=2',
  '?lead_id=%00',
  '?since=10000-01-01T00:00:00Z',
  '?operationName=%00',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/graphql',
  'application/graphql+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  '',
  'x/y',
];
const BODIES = [
  '',
  '{"query":"{ __typename }"}',
  '{"jsonrpc":"2.0","method":"agent/triage/lead","id":1,"params":{"lead_data":{"lead_id":"raw-1","industry":"Technology","company_size":"SMB"}}}',
  '{"lead_data":{"lead_id":"raw-2","industry":"Technology","company_size":"SMB"}}',
  '{',
  '{"query": "{ __typename }", "variables": "x"}',
  '{"query": 1}',
  '[]',
  'null',
  '{"a":1e999}',
  '\u0000\u0001\u0002',
  `{"query":"{ __typename }","variables":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`,
  `${'['.repeat(50_000)}`,
  '{"query":"{ __typename }"}garbage',
  'query=%7B__typename%7D',
];
/** Over the 1 MB body limit. */
const OVERSIZED = `{"query":"{ __typename }","pad":"${'x'.repeat(1_100_000)}"}`;

const requestTo = (path: string) =>
  fc.record({
    method: fc.constantFrom(...METHODS),
    path: fc.constant(path),
    query: fc.constantFrom(...QUERIES),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    body: fc.oneof(
      { arbitrary: fc.constantFrom(...BODIES), weight: 20 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 4 },
      { arbitrary: fc.constant(OVERSIZED), weight: 1 },
    ),
    chunked: fc.boolean(),
    token: tokenKind(),
    extraHeaders: fc.array(
      fc.tuple(
        fc.constantFrom('accept', 'x-request-id', 'idempotency-key', 'prefer', 'origin', 'x-forwarded-proto', 'cookie', 'x-custom'),
        fc.stringMatching(/^[ -~]{0,60}$/),
      ),
      {
        maxLength: 3,
      },
    ),
    pipelined: fc.boolean(),
  });

type RawRequest = ReturnType<typeof requestTo> extends fc.Arbitrary<infer T> ? T : never;

function encode(raw: RawRequest, token: string | null, close: boolean): Buffer {
  const body = Buffer.from(raw.body, 'utf8');
  const headers = [`Host: 127.0.0.1`, `Connection: ${close ? 'close' : 'keep-alive'}`];
  if (raw.contentType) headers.push(`Content-Type: ${raw.contentType}`);
  if (token !== null) headers.push(`Authorization: Bearer ${token}`);
  for (const [name, value] of raw.extraHeaders) headers.push(`${name}: ${value}`);
  const framed = raw.chunked ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : body;
  headers.push(raw.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${raw.method} ${raw.path}${raw.query} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`), framed]);
}

/** Sends the bytes; resolves with the status codes of the responses once `expected` came, or the server closed. */
function exchange(bytes: Buffer, expected: number, what: string): Promise<number[]> {
  const { port } = new URL(baton.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    const statuses = () => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${statuses().length} of ${expected} answers within ${REQUEST_TIMEOUT_MS} ms (got ${statuses().join(', ') || 'none'}): ${what}`));
    }, REQUEST_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(statuses());
    };
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', () => done());
    socket.write(bytes);
  });
}

describe('fuzz: raw HTTP', () => {
  it('any method, path, headers and body, sometimes with a request pipelined behind', async () => {
    // One property per path, so that one path's failure does not stop the others'.
    for (const path of PATHS)
      await door.property(`requests to ${truncate(path, 40)}`, requestTo(path), 20, async (raw) => {
        const token = baton.token(raw.token as TokenKind);
        const first = encode(raw, token, !raw.pipelined);
        const bytes = raw.pipelined ? Buffer.concat([first, Buffer.from('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')]) : first;
        const what = `${raw.method} ${truncate(raw.path + raw.query, 120)} (${raw.contentType || 'no content type'}, ${raw.chunked ? 'chunked' : 'sized'}${raw.pipelined ? ', then GET /health' : ''}): ${truncate(JSON.stringify(raw.body), 120)}`;
        const statuses = await exchange(bytes, raw.pipelined ? 2 : 1, what);
        if (statuses.length === 0) throw new Error(`no answer, the connection closed: ${what}`);
        const failed = statuses.find((status) => status >= 500);
        if (failed) throw new Error(`HTTP ${failed}: ${what}`);
        // A pipelined request is answered too, unless the first answer closed the connection (400 for a malformed request, 413).
        if (raw.pipelined && statuses.length < 2 && statuses[0]! < 400)
          throw new Error(`the pipelined request was never answered (got ${statuses.join(', ')}): ${what}`);
      });
    expect(door.report.failures, describeFailures(door.report.failures)).toEqual([]);
  });
});
