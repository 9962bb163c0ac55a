// Fuzz: the adapters' doors, with inputs derived from each operation's zod schema
// (z.toJSONSchema, then ./support/json-schema-arbitrary.ts): every REST route
// (path segments, body or query parameters, Idempotency-Key, Prefer), every
// JSON-RPC method over HTTP and over WebSocket, inside envelopes that are
// themselves sometimes broken (ids, versions, batches, notifications).
// Invariants: no 5xx, no -32603, an answer within the deadline, no lead stored
// from a rejected request.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AnyAdapterOperation } from '../../src/adapter/adapter-operation.js';
import { JSON_RPC_METHODS } from '../../src/jsonrpc/methods.js';
import { REST_ROUTES } from '../../src/rest/routes.js';
import { assertNoJsonRpcInternalError, assertNot5xx, bodyOf, fetchWithin, type FuzzBaton, startFuzzBaton } from './support/fuzz-baton.js';
import { describeFailures, FuzzDoor, truncate } from './support/fuzz-runner.js';
import { POISON_STRINGS, hostileString, rarely, tokenKind, validString } from './support/hostile-values.js';
import { type JsonSchema, jsonSchemaArbitrary } from './support/json-schema-arbitrary.js';
import { MessageSocket } from './support/message-socket.js';

let baton: FuzzBaton;
const doors = { rest: new FuzzDoor('REST'), rpc: new FuzzDoor('JSON-RPC HTTP'), rpcWs: new FuzzDoor('JSON-RPC WebSocket') };

beforeAll(async () => {
  baton = await startFuzzBaton();
});
afterAll(async () => {
  await Promise.all(Object.values(doors).map((door) => door.save()));
  await baton?.stop();
});

function expectNoFailures(door: FuzzDoor): void {
  expect(door.report.failures, describeFailures(door.report.failures)).toEqual([]);
}

const schemaOf = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** Percent-encodes every byte of the string's UTF-8 but unreserved ones (a lone surrogate becomes U+FFFD, as a client's encoder would make it). */
const percentEncoded = (text: string): string =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

/** A path segment: a hostile string percent-encoded (as a client would), or bytes no client should send. */
const pathSegment = fc.oneof(
  { arbitrary: hostileString().map(percentEncoded), weight: 8 },
  { arbitrary: fc.constantFrom('%ZZ', '%', '%00', '%C0%AF', '%ED%A0%80', '..', '%2F', '%252F', 'a%2Fb', ';', '~'), weight: 2 },
);

/** Header values fetch can send (no CR, LF or NUL). */
const headerValue = fc.oneof(fc.stringMatching(/^[ -~]{0,80}$/), fc.constantFrom('', 'x'.repeat(300), 'key-1'));

/** Every string in what was sent: a lead these name may exist legitimately. */
const leadIdIn = (input: unknown): unknown => (input as { lead_data?: { lead_id?: unknown } } | null | undefined)?.lead_data?.lead_id;

describe('fuzz: REST', () => {
  it('every route: path segments, bodies and query parameters from its zod schema', async () => {
    for (const route of REST_ROUTES) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      const input = jsonSchemaArbitrary(schemaOf(route.method === 'POST' ? (route.body ?? route.operation.input) : route.operation.input));
      const arbitrary = fc.record({
        segments: fc.tuple(
          ...names.map((name) => fc.oneof({ arbitrary: pathSegment, weight: 2 }, { arbitrary: validString(name).map(percentEncoded), weight: 1 })),
        ),
        input,
        rawBody: rarely(fc.constantFrom('{', '', 'null', '[]', '"x"', '{"lead_data": {"lead_id": "x"', '\u0000', '{"a":1e999}'), 10),
        idempotencyKey: rarely(headerValue, 4),
        respondAsync: fc.boolean(),
        contentType: fc.oneof(
          { arbitrary: fc.constant('application/json'), weight: 12 },
          { arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'), weight: 1 },
        ),
        token: tokenKind(),
      });
      await doors.rest.property(`${route.method} ${route.path}`, arbitrary, route.method === 'POST' ? 40 : 20, async (request) => {
        let path = route.path;
        names.forEach((name, index) => {
          path = path.replace(`{${name}}`, request.segments[index]!);
        });
        const headers: Record<string, string> = { ...baton.auth(request.token) };
        if (request.idempotencyKey !== null) headers['idempotency-key'] = request.idempotencyKey;
        // Flows answer at once instead of holding each fuzzed lead for seconds.
        if (request.respondAsync) headers.prefer = 'respond-async';
        let url = `${baton.url}${path}`;
        let init: RequestInit = { method: route.method, headers };
        if (route.method === 'POST') {
          headers['content-type'] = request.contentType;
          init = { ...init, body: request.rawBody ?? JSON.stringify(request.input) };
        } else if (request.input && typeof request.input === 'object' && !Array.isArray(request.input)) {
          const query = new URLSearchParams();
          for (const [key, value] of Object.entries(request.input)) {
            for (const item of Array.isArray(value) ? value : [value]) query.append(key, typeof item === 'string' ? item : JSON.stringify(item));
          }
          url += `?${query}`;
        }
        const response = await fetchWithin(url, init);
        const body = await bodyOf(response);
        const what = `${route.method} ${truncate(path, 200)}`;
        assertNot5xx(response.status, what, body);
        if (route.path !== '/api/v1/leads' || route.method !== 'POST') return;
        if (response.status >= 400) await baton.leads.assertNotStored(leadIdIn(request.input), what);
        else baton.leads.accepted(request.input);
      });
    }
    expectNoFailures(doors.rest);
  });
});

/** A JSON-RPC request of `method`: mostly well-formed, sometimes with a broken envelope. */
function rpcRequest(method: string, operation: AnyAdapterOperation): fc.Arbitrary<unknown> {
  const params = jsonSchemaArbitrary(schemaOf(operation.input));
  const id = fc.oneof(
    { arbitrary: fc.integer(), weight: 8 },
    { arbitrary: fc.constantFrom<unknown>('id-1', null, 1.5, 1e308, {}, [], true, '\u0000'), weight: 2 },
  );
  return fc
    .record({ id, params, shape: fc.nat(19), methodName: fc.oneof({ arbitrary: fc.constant(method), weight: 9 }, { arbitrary: hostileString(), weight: 1 }) })
    .map(({ id, params, shape, methodName }) => {
      if (shape === 0) return { jsonrpc: '1.0', method: methodName, params, id };
      if (shape === 1) return { jsonrpc: '2.0', method: methodName, params: [params], id };
      if (shape === 2) return { jsonrpc: '2.0', method: methodName, params: typeof params === 'string' ? params : 'x', id };
      if (shape === 3) return { jsonrpc: '2.0', method: methodName, params }; // a notification: no answer owed
      if (shape === 4) return [{ jsonrpc: '2.0', method: methodName, params, id }, { jsonrpc: '2.0', method: 'nope', id: 2 }, 5];
      return { jsonrpc: '2.0', method: methodName, params, id };
    });
}

/** The lead id a triage request would store, when the request is one. */
function rpcLeadId(request: unknown): unknown {
  if (Array.isArray(request) || typeof request !== 'object' || request === null) return undefined;
  const { method, params } = request as { method?: unknown; params?: unknown };
  return method === 'agent/triage/lead' ? leadIdIn(params) : undefined;
}

const rawRpcBodies = fc.constantFrom(
  '{',
  '',
  '[]',
  'null',
  '[1,2,3]',
  '{"jsonrpc":"2.0","method":"agent/triage/lead","params":{"lead_data":',
  '\u0000',
  '{"jsonrpc":"2.0","id":1e999,"method":"x"}',
  ...POISON_STRINGS,
);

describe('fuzz: JSON-RPC', () => {
  const methods = Object.entries(JSON_RPC_METHODS);

  it('over HTTP: every method, params from its zod schema', async () => {
    for (const [method, operation] of methods) {
      const arbitrary = fc.record({ request: rpcRequest(method, operation), token: tokenKind(), raw: rarely(rawRpcBodies, 12) });
      await doors.rpc.property(method, arbitrary, 30, async ({ request, token, raw }) => {
        const response = await fetchWithin(`${baton.url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...baton.auth(token) },
          body: raw ?? JSON.stringify(request),
        });
        const body = await bodyOf(response);
        assertNot5xx(response.status, `POST /mcp ${method}`, body);
        assertNoJsonRpcInternalError(body, method);
        const leadId = raw === null ? rpcLeadId(request) : undefined;
        if (leadId === undefined) return;
        if ((body as { error?: unknown } | null)?.error || response.status >= 400) await baton.leads.assertNotStored(leadId, method);
        else baton.leads.accepted(request);
      });
    }
    expectNoFailures(doors.rpc);
  });

  it('over WebSocket: every method on one socket, which must answer each request and stay open', async () => {
    let socket: MessageSocket | undefined;
    let counter = 0;
    for (const [method, operation] of methods) {
      const arbitrary = fc.record({ request: rpcRequest(method, operation), raw: rarely(rawRpcBodies, 12) });
      await doors.rpcWs.property(method, arbitrary, 20, async ({ request, raw }) => {
        if (!socket?.open) socket = await MessageSocket.open(`${baton.url.replace(/^http/, 'ws')}/mcp`, { headers: baton.auth('admin') });
        const from = socket.received.length;
        // A numeric id becomes one of ours, so its answer is told apart from late answers to earlier requests.
        const own = `request-${++counter}`;
        const sent =
          raw === null && !Array.isArray(request) && typeof (request as { id?: unknown }).id === 'number'
            ? { ...(request as object), id: own }
            : (raw ?? request);
        socket.send(sent);
        // Then a request of our own: its answer proves the socket still serves.
        const marker = `marker-${counter}`;
        socket.send({ jsonrpc: '2.0', method: 'nope', id: marker });
        const answered = await socket.next((message) => (message as { id?: unknown } | null)?.id === marker, from);
        if (answered === undefined) throw new Error(`the JSON-RPC WebSocket closed (${socket.closeCode}) after ${truncate(JSON.stringify(sent), 300)}`);
        if (typeof sent === 'object' && sent !== null && (sent as { id?: unknown }).id === own) {
          const answer = await socket.next((message) => (message as { id?: unknown } | null)?.id === own, from);
          assertNoJsonRpcInternalError(answer, method);
        }
      });
    }
    socket?.close();
    expectNoFailures(doors.rpcWs);
  });
});
