// A subscription over Server-Sent Events lives no longer than the token that
// opened it: at its `exp` the last event is an UNAUTHENTICATED error and the
// stream ends; the client subscribes again with a fresh token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilActiveSubscriptions } from '../../support/live-subscriptions.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

describe('Server-Sent Events', () => {
  it('ends a subscription when its token expires, with an UNAUTHENTICATED error last', async () => {
    const shortLived = await baton.app.tokens.sign({ subject: 'short-lived', roles: ['viewer'] }, 2);
    const response = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${shortLived}` },
      body: JSON.stringify({ query: 'subscription { leadProcessed { leadId } }' }),
    });
    expect(response.status).toBe(200);
    await untilActiveSubscriptions(baton, 'sse', 1);

    // The whole stream: it ends by itself.
    const text = await response.text();
    const payloads = [...text.matchAll(/^data: (.+)$/gm)].map((match) => JSON.parse(match[1]!) as { errors?: { extensions?: { code?: string } }[] });
    expect(payloads.at(-1)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    await untilActiveSubscriptions(baton, 'sse', 0);
  }, 20_000);
});
