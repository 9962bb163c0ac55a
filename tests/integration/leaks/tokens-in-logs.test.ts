// A token never reaches the log: one sent in a URL is refused (400, naming the
// parameter) on every door, HTTP and WebSocket, and the request's log line shows
// the URL with the value redacted; tokens sent the right way (the Authorization
// header, graphql-ws's connection_init) are not logged either. Baton logs at
// trace level into a stream the test reads.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../../src/logger.js';
import { openGraphQLSocket } from '../../support/graphql-socket.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
let token: string;
const lines: string[] = [];
const logText = () => lines.join('');

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  baton = await startTestApp({ logger: createLogger('trace', 'tokens-in-logs', destination) });
  token = await baton.token('admin');
});
afterAll(() => baton?.stop());

/** The HTTP status of a WebSocket upgrade to `url`, and the body of a refusal. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.once('open', () => {
      socket.close();
      resolve({ status: 101, body: '' });
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.once('error', reject);
  });
}

describe('tokens in URLs', () => {
  it.each([
    ['GET', '/graphql?query=%7B__typename%7D&access_token=', 'access_token'],
    ['POST', '/graphql?token=', 'token'],
    ['POST', '/api/v1/leads?token=', 'token'],
    ['GET', '/api/v1/system/status?Access_Token=', 'Access_Token'],
    ['POST', '/mcp?access_token=', 'access_token'],
    ['GET', '/health?authorization=Bearer%20', 'authorization'],
    ['GET', '/no/such/route?token=', 'token'],
  ])('%s %s… is refused with 400 naming the parameter, and logged redacted', async (method, path, param) => {
    const response = await fetch(`${baton.url}${path}${token}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: JSON.stringify({ query: '{ __typename }', lead_data: { lead_id: uniqueLeadId() } }) } : {}),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('BAD_USER_INPUT');
    expect(body.error.message).toContain(`"${param}"`);
    expect(body.error.message).toContain('Authorization header');
    expect(body.error.issues).toEqual([{ path: param, message: expect.any(String) }]);
    await expect.poll(() => logText()).toContain(`${path.split('?')[0]}?`);
    expect(logText()).not.toContain(token);
    expect(logText()).toContain('[REDACTED]');
  });

  it('WebSocket upgrades with a token in the URL are refused with 400, on /graphql and /mcp', async () => {
    const ws = baton.url.replace(/^http/, 'ws');
    for (const url of [`${ws}/graphql?token=${token}`, `${ws}/mcp?access_token=${token}`]) {
      const refused = await upgradeStatus(url);
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).error.message).toContain('Authorization header');
    }
    // The doors themselves still open, with the token where it belongs.
    expect((await upgradeStatus(`${ws}/mcp`, { authorization: `Bearer ${token}` })).status).toBe(101);
    expect(logText()).not.toContain(token);
  });

  it('tokens sent the right way are used, and never logged', async () => {
    expect((await baton.graphql('{ __typename }', undefined, { token })).status).toBe(200);
    expect((await baton.post('/api/v1/leads', { lead_data: { lead_id: uniqueLeadId(), industry: 'Finance', company_size: 'SMB' } }, { token })).status).toBe(
      200,
    );
    const socket = await openGraphQLSocket(baton.url, token);
    socket.subscribe('1', { query: '{ __typename }' });
    await socket.message((message) => message.type === 'complete');
    await socket.close();
    expect((await baton.graphql('{ __typename }', undefined, { token: `${token}x` })).status).toBe(401);
    expect(lines.length).toBeGreaterThan(0);
    expect(logText()).not.toContain(token);
  });

  it('credential fields are censored wherever a log line holds them', () => {
    const before = lines.length;
    const logger = createLogger('info', 'direct', { write: (line: string) => void lines.push(line) });
    logger.info({ headers: { authorization: `Bearer ${token}` }, url: `/x?a=1&token=${token}` }, 'a');
    logger.info({ request: { headers: { Authorization: `Bearer ${token}` } }, connectionParams: { authorization: token } }, 'b');
    logger.info({ access_token: token, nested: { token } }, 'c');
    const written = lines.slice(before).join('');
    expect(written).not.toContain(token);
    expect(written).toContain('/x?a=1&token=[REDACTED]');
  });
});
