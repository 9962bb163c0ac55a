// One graphql-ws socket carries many operations. One that cannot start (a
// syntax error, a validation error, a query limit, variables that do not fit) is answered on its own with
// an `error` message carrying a code and none of Yoga's HTTP extensions; the
// socket, and the subscriptions already running on it, stay open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGraphQLSocket, type ServerMessage } from '../../support/graphql-socket.js';
import { activeSubscriptions, untilSubscribed } from '../../support/live-subscriptions.js';
import { TOO_COSTLY, TOO_DEEP } from '../../support/over-limit-documents.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

type ErrorPayload = { message: string; extensions?: Record<string, unknown> }[];

const processLead = (leadId: string) =>
  baton.post('/api/v1/leads', { lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'SMB', email: 'a.b@corp.example' } });

const processedLead = (id: string, leadId: string) => (message: ServerMessage) =>
  message.id === id && message.type === 'next' && (message.payload as { data?: { leadProcessed?: { leadId: string } } }).data?.leadProcessed?.leadId === leadId;

// Subscription fields are flat, so the documents over the depth and cost limits are
// queries: graphql-ws starts every operation with a `subscribe` message alike.
const REFUSED = [
  { id: 'syntax', query: 'subscription { leadProcessed { leadId }', code: 'GRAPHQL_PARSE_FAILED', message: /^Syntax Error: Expected Name, found <EOF>/ },
  { id: 'unknown-field', query: 'subscription { leadProcessed { nope } }', code: 'GRAPHQL_VALIDATION_FAILED', message: /Cannot query field "nope"/ },
  { id: 'too-deep', query: TOO_DEEP, code: 'BAD_USER_INPUT', message: /depth limit of 12 exceeded/i },
  { id: 'too-costly', query: TOO_COSTLY, code: 'BAD_USER_INPUT', message: /cost limit of 10000 exceeded/i },
  {
    id: 'bad-variable',
    query: 'subscription ($category: TriageCategory) { leadProcessed(category: $category) { leadId } }',
    variables: { category: 'NOT_A_CATEGORY' },
    code: 'BAD_USER_INPUT',
    message: /^Variable "\$category" got invalid value "NOT_A_CATEGORY"/,
  },
  {
    id: 'missing-variable',
    query: 'subscription ($leadId: ID!) { handoffProgress(leadId: $leadId) { status } }',
    code: 'BAD_USER_INPUT',
    message: /^Variable "\$leadId" of required type "ID!" was not provided/,
  },
];

describe('graphql-ws: an operation that cannot start', () => {
  it('gets its own error message; the socket and its running subscription stay open', async () => {
    const socket = await openGraphQLSocket(baton.url, await baton.token('viewer'));
    try {
      socket.subscribe('live', { query: 'subscription { leadProcessed { leadId } }' });
      await untilSubscribed(baton, { transport: 'graphql_ws', event: 'lead:processed' });
      const before = uniqueLeadId();
      await processLead(before);
      await socket.message(processedLead('live', before));

      for (const { id, query, variables } of REFUSED) socket.subscribe(id, { query, variables });
      for (const { id, code, message } of REFUSED) {
        const answer = await socket.message((m) => m.id === id);
        expect(answer, id).toMatchObject({ type: 'error', payload: [{ message: expect.stringMatching(message), extensions: { code } }] });
        expect((answer.payload as ErrorPayload)[0]!.extensions, id).not.toHaveProperty('http');
        expect(
          socket.received.filter((m) => m.id === id),
          `${id}: one answer, nothing after it`,
        ).toHaveLength(1);
      }

      const after = uniqueLeadId();
      await processLead(after);
      await socket.message(processedLead('live', after));
      expect(await activeSubscriptions(baton, 'graphql_ws')).toBe(1); // the refused ones never started
      expect(socket.closeCode).toBeUndefined();
    } finally {
      await socket.close();
    }
  });
});
