// Fuzz: GraphQL over HTTP (POST and GET), over SSE and over graphql-ws, with
// requests derived from the published schema: every root field that takes
// arguments, called with values generated from the arguments' input types.
// Invariants: no 5xx, no INTERNAL_SERVER_ERROR, an answer within the deadline,
// no lead stored from a rejected processLead/triageLead.
import fc from 'fast-check';
import { getOperationAST, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoGraphQLInternalError, assertNot5xx, bodyOf, fetchWithin, type FuzzBaton, startFuzzBaton } from './support/fuzz-baton.js';
import { describeFailures, FuzzDoor, REQUEST_TIMEOUT_MS, truncate } from './support/fuzz-runner.js';
import {
  type FieldCall,
  fieldCallArbitrary,
  fieldsWithArguments,
  type GraphQLRequest,
  PUBLISHED_SCHEMA,
  strangeDocument,
} from './support/graphql-arbitrary.js';
import { anyJson, hostileString, type TokenKind, tokenKind } from './support/hostile-values.js';
import { MessageSocket } from './support/message-socket.js';

let baton: FuzzBaton;
const doors = {
  post: new FuzzDoor('graphql POST'),
  get: new FuzzDoor('graphql GET'),
  sse: new FuzzDoor('graphql SSE'),
  ws: new FuzzDoor('graphql-ws'),
};

beforeAll(async () => {
  baton = await startFuzzBaton();
});
afterAll(async () => {
  await Promise.all(Object.values(doors).map((door) => door.save()));
  await baton?.stop();
});

/** Mutations that store a lead under `input.leadId`. */
const LEAD_WRITES = new Set(['processLead', 'triageLead']);

function leadIdOf(call: FieldCall): unknown {
  return (call.args.input as { leadId?: unknown } | null | undefined)?.leadId;
}

function expectNoFailures(door: FuzzDoor): void {
  expect(door.report.failures, describeFailures(door.report.failures)).toEqual([]);
}

async function postGraphQL(request: GraphQLRequest, token: TokenKind) {
  const response = await fetchWithin(`${baton.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...baton.auth(token) },
    body: JSON.stringify(request),
  });
  return { status: response.status, body: await bodyOf(response) };
}

function rejected(status: number, body: unknown): boolean {
  const result = body as { data?: Record<string, unknown> | null; errors?: unknown[] } | null;
  return status !== 200 || (result?.errors?.length ?? 0) > 0 || !result?.data;
}

describe('fuzz: GraphQL over HTTP', () => {
  it('POST: every query and mutation field with arguments, and documents no schema describes', async () => {
    for (const kind of ['query', 'mutation'] as const) {
      for (const field of fieldsWithArguments(kind)) {
        await doors.post.property(
          `${kind} ${field.name}`,
          fc.record({ call: fieldCallArbitrary(kind, field), token: tokenKind() }),
          30,
          async ({ call, token }) => {
            const { status, body } = await postGraphQL(call.request, token);
            const what = `${kind} ${field.name}`;
            assertNot5xx(status, what, body);
            assertNoGraphQLInternalError(body, what);
            if (!LEAD_WRITES.has(field.name)) return;
            if (rejected(status, body)) await baton.leads.assertNotStored(leadIdOf(call), what);
            else baton.leads.accepted(call.args);
          },
        );
      }
    }
    await doors.post.property('strange documents', fc.record({ request: strangeDocument(), token: tokenKind() }), 80, async ({ request, token }) => {
      const { status, body } = await postGraphQL(request, token);
      assertNot5xx(status, 'a strange document', body);
      assertNoGraphQLInternalError(body, 'a strange document');
    });
    // The request's envelope itself: every GraphQL-over-HTTP parameter of any JSON type, persisted document ids, batches.
    const envelope = fc.oneof(
      fc.record(
        {
          query: fc.oneof(fc.constant('{ __typename }'), anyJson()),
          variables: anyJson(),
          operationName: anyJson(),
          extensions: fc.oneof(anyJson(), fc.record({ persistedQuery: fc.record({ version: anyJson(), sha256Hash: hostileString() }) })),
          documentId: fc.oneof(hostileString(), anyJson()),
        },
        { requiredKeys: [] },
      ),
      fc.array(fc.record({ query: fc.constant('{ __typename }') }), { maxLength: 3 }),
      anyJson(),
    );
    await doors.post.property('request envelopes', fc.record({ body: envelope, token: tokenKind() }), 60, async ({ body: sent, token }) => {
      const response = await fetchWithin(`${baton.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...baton.auth(token) },
        body: JSON.stringify(sent),
      });
      const body = await bodyOf(response);
      assertNot5xx(response.status, 'a request envelope', body);
      assertNoGraphQLInternalError(body, 'a request envelope');
    });
    expectNoFailures(doors.post);
  });

  it('GET: every query field with arguments, variables in the query string (sometimes not JSON)', async () => {
    for (const field of fieldsWithArguments('query')) {
      const arbitrary = fc.record({ call: fieldCallArbitrary('query', field), token: tokenKind(), broken: fc.nat(9) });
      await doors.get.property(`query ${field.name}`, arbitrary, 10, async ({ call, token, broken }) => {
        const params = new URLSearchParams({ query: call.request.query });
        if (call.request.variables) params.set('variables', broken === 0 ? '{"input": ' : JSON.stringify(call.request.variables));
        const response = await fetchWithin(`${baton.url}/graphql?${params}`, {
          headers: { accept: 'application/graphql-response+json', ...baton.auth(token) },
        });
        const body = await bodyOf(response);
        assertNot5xx(response.status, `GET ${field.name}`, body);
        assertNoGraphQLInternalError(body, `GET ${field.name}`);
      });
    }
    expectNoFailures(doors.get);
  });
});

/** Reads an event stream until it completes, or goes quiet for `quietMs` after its last event; returns the data lines. */
async function readEvents(response: Response, quietMs: number): Promise<string[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + REQUEST_TIMEOUT_MS;
  try {
    while (!/event: complete/.test(text) && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<'quiet'>((resolve) => setTimeout(() => resolve('quiet'), quietMs))]);
      if (chunk === 'quiet' || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim());
}

/** False for a valid subscription (it answers only when an event comes); true for anything the server answers at once. */
function answersAtOnce(request: GraphQLRequest): boolean {
  try {
    const document = parse(request.query);
    if (validate(PUBLISHED_SCHEMA, document).length > 0) return true;
    return getOperationAST(document)?.operation !== 'subscription';
  } catch {
    return true;
  }
}

describe('fuzz: GraphQL subscriptions', () => {
  const subscriptionCalls = fc.oneof(
    ...fieldsWithArguments('subscription').map((field) => fieldCallArbitrary('subscription', field).map((call) => call.request)),
    strangeDocument(),
  );

  it('SSE: subscriptions with generated arguments, and strange documents', async () => {
    await doors.sse.property('subscriptions', fc.record({ request: subscriptionCalls, token: tokenKind() }), 60, async ({ request, token }) => {
      const response = await fetchWithin(`${baton.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...baton.auth(token) },
        body: JSON.stringify(request),
      });
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        const body = await bodyOf(response);
        assertNot5xx(response.status, 'an SSE subscription', body);
        assertNoGraphQLInternalError(body, 'an SSE subscription');
        return;
      }
      assertNot5xx(response.status, 'an SSE subscription', '(event stream)');
      for (const data of await readEvents(response, 150)) {
        if (data) assertNoGraphQLInternalError(JSON.parse(data), 'an SSE subscription');
      }
    });
    expectNoFailures(doors.sse);
  });

  it('graphql-ws: subscriptions with generated arguments on one socket, which must stay open', async () => {
    let socket: MessageSocket | undefined;
    const connect = async () => {
      const opened = await MessageSocket.open(`${baton.url.replace(/^http/, 'ws')}/graphql`, { protocol: 'graphql-transport-ws' });
      opened.send({ type: 'connection_init', payload: { authorization: `Bearer ${baton.token('admin')}` } });
      if (!(await opened.next((message) => (message as { type?: string }).type === 'connection_ack')))
        throw new Error(`connection_init refused (${opened.closeCode})`);
      return opened;
    };
    let counter = 0;
    await doors.ws.property('subscriptions', fc.record({ request: subscriptionCalls, payloadShape: fc.nat(19) }), 100, async ({ request, payloadShape }) => {
      if (!socket?.open) socket = await connect();
      const id = `s${++counter}`;
      const from = socket.received.length;
      // Now and then a payload of the wrong shape: the protocol says 4400, never 4500.
      socket.send({ id, type: 'subscribe', payload: payloadShape === 0 ? request.query : request });
      if (answersAtOnce(request)) {
        // A query, a mutation or an invalid document: its answer ends with `complete` or `error`.
        await socket.next((message) => (message as { id?: string }).id === id && /^(complete|error)$/.test((message as { type?: string }).type ?? ''), from);
      } else {
        // A live subscription answers nothing until an event; pings answer in order, so two round trips give
        // the server time to refuse it first.
        for (let i = 0; i < 2; i++) {
          socket.send({ type: 'ping' });
          await socket.next((message) => (message as { type?: string }).type === 'pong', socket.received.length);
        }
      }
      const answers = socket.received.slice(from) as { id?: string; type?: string; payload?: unknown }[];
      for (const answer of answers.filter((message) => message.id === id)) {
        if (answer.type === 'error') assertNoGraphQLInternalError({ errors: answer.payload }, `subscription ${truncate(request.query, 120)}`);
        if (answer.type === 'next') assertNoGraphQLInternalError(answer.payload, `subscription ${truncate(request.query, 120)}`);
      }
      if (socket.closeCode !== undefined && socket.closeCode !== 4400) {
        throw new Error(`graphql-ws closed the socket with ${socket.closeCode} for subscription ${truncate(request.query, 200)}`);
      }
      if (socket.open) socket.send({ id, type: 'complete' });
    });
    socket?.close();
    expectNoFailures(doors.ws);
  });
});
