// handoffProgress, live: over graphql-ws on a real WebSocket and over SSE.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HandoffProgressDocument, type HandoffProgressSubscription } from '../../__generated__/graphql.js';
import { untilSubscribed } from '../../support/live-subscriptions.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp();
});
afterAll(() => baton?.stop());

const STATUSES = ['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED'];
type Event = HandoffProgressSubscription['handoffProgress'];

function processLead(leadId: string) {
  return baton.post('/api/v1/leads', { lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'SMB', email: 'a.b@corp.example' } });
}

describe('graphql-ws', () => {
  it("streams one lead's handoff events in order", async () => {
    const client = createClient({
      url: `${baton.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${await baton.token('viewer')}` },
    });
    const leadId = uniqueLeadId();
    const events: Event[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const unsubscribe = client.subscribe<HandoffProgressSubscription>(
        { query: String(HandoffProgressDocument), variables: { leadId } },
        {
          next: ({ data, errors }) => {
            if (errors) reject(new Error(JSON.stringify(errors)));
            events.push(data!.handoffProgress);
            if (events.length === STATUSES.length) {
              unsubscribe();
              resolve();
            }
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    // Events published before the server listens are not replayed; an unrelated lead must not show up.
    await untilSubscribed(baton, { transport: 'graphql_ws', event: 'handoff:progress' });
    await processLead(uniqueLeadId('other'));
    await processLead(leadId);
    await done;
    await client.dispose();

    expect(events.map((event) => event.status)).toEqual(STATUSES);
    expect(events.every((event) => event.leadId === leadId && event.handoffType === 'TRIAGE_TO_ENGAGEMENT')).toBe(true);
    expect(events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[2]!.qualityScore).toBe(0.85);
  });

  it('refuses a connection without a valid token (4403)', async () => {
    const client = createClient({
      url: `${baton.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: 'Bearer not-a-token' },
    });
    const closeCode = await new Promise<number>((resolve) => {
      client.on('closed', (event) => resolve((event as { code: number }).code));
      client.subscribe({ query: String(HandoffProgressDocument) }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    await client.dispose();
    expect(closeCode).toBe(4403);
  });
});

describe('Server-Sent Events', () => {
  it('streams handoff events to an authenticated EventSource-style request', async () => {
    const leadId = uniqueLeadId();
    const controller = new AbortController();
    const response = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${await baton.token('viewer')}`,
      },
      body: JSON.stringify({ query: String(HandoffProgressDocument), variables: { leadId } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');

    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await untilSubscribed(baton, { transport: 'sse', event: 'handoff:progress' });
    await processLead(leadId);
    const statuses: string[] = [];
    let buffer = '';
    while (statuses.length < STATUSES.length) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (const match of buffer.matchAll(/^data: (.+)$/gm)) {
        const payload = JSON.parse(match[1]!) as { data?: HandoffProgressSubscription };
        if (payload.data) statuses.push(payload.data.handoffProgress.status);
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    }
    controller.abort();
    expect(statuses).toEqual(STATUSES);
  });
});
