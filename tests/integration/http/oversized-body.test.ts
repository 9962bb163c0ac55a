// A body over the limit (1 MiB) is answered 413 on every door that reads one,
// and the keep-alive connection it came on never hangs: the next request on it
// gets its answer, or the connection is closed cleanly (`Connection: close`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawConnection, responseStatuses } from '../../support/raw-http.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
let token: string;
beforeAll(async () => {
  // WEBHOOK_SECRET: the delivery-events door reads its body only when it can check a signature.
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', WEBHOOK_SECRET: 'a-webhook-secret-for-the-test' } });
  token = await baton.token('admin');
});
afterAll(() => baton?.stop());

const DOORS = ['/graphql', '/api/v1/leads', '/mcp', '/api/v1/events/deliveries'];
const OVERSIZED = 2 * 1024 * 1024 + 17;

function request(path: string, body: Buffer, framing: 'length' | 'chunked'): Buffer {
  const head = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Authorization: Bearer ${token}`,
    'Content-Type: application/json',
    'Accept: application/json',
    framing === 'length' ? `Content-Length: ${body.length}` : 'Transfer-Encoding: chunked',
    '',
    '',
  ].join('\r\n');
  if (framing === 'length') return Buffer.concat([Buffer.from(head), body]);
  const chunks: Buffer[] = [Buffer.from(head)];
  for (let offset = 0; offset < body.length; offset += 64 * 1024) {
    const chunk = body.subarray(offset, offset + 64 * 1024);
    chunks.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(chunks);
}

const HEALTH = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

describe('an oversized body', () => {
  for (const path of DOORS) {
    for (const framing of ['length', 'chunked'] as const) {
      it(`on ${path} (${framing}): 413, then the next request is answered or the connection closed`, async () => {
        const connection = await openRawConnection(baton.url);
        const body = Buffer.from(`{"query":"${'a'.repeat(OVERSIZED)}"}`);
        connection.write(request(path, body, framing));
        connection.write(HEALTH);
        // Either the health check's answer comes, or the server closes the connection: never neither.
        await Promise.race([connection.until((received) => responseStatuses(received).length >= 2), connection.closed]);
        const statuses = responseStatuses(connection.received);
        expect(statuses[0], connection.received.slice(0, 400)).toBe(413);
        // Each door says so in its own words: PAYLOAD_TOO_LARGE (GraphQL, REST), Invalid Request (JSON-RPC).
        expect(connection.received).toMatch(path === '/mcp' ? /"code":-32600/ : /"code":"PAYLOAD_TOO_LARGE"/);
        if (statuses.length >= 2) expect(statuses[1]).toBe(200);
        else expect(connection.received).toMatch(/\r\nconnection: close\r\n/i);
        connection.socket.destroy();
      });
    }
  }
});
