// leadProcessed and campaignAlerts, live over graphql-ws on a real WebSocket.
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BatonEvents } from '../../../src/events/event-bus.js';
import { losingWeeksSnapshots } from '../../support/campaign-fixtures.js';
import { untilActiveSubscriptions, untilSubscribed } from '../../support/live-subscriptions.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
let client: Client;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  client = createClient({
    url: `${baton.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${await baton.token('viewer')}` },
  });
});
afterAll(async () => {
  await client?.dispose();
  await baton?.stop();
});

/** Subscribes, waits until the server listens for `event`, runs `act`, and resolves with the first event once the subscription is closed again. */
async function firstEvent<T>(event: keyof BatonEvents, query: string, variables: Record<string, unknown>, act: () => Promise<unknown>): Promise<T> {
  const received = new Promise<T>((resolve, reject) => {
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: ({ data, errors }) => {
          if (errors) return reject(new Error(JSON.stringify(errors)));
          unsubscribe();
          resolve(data as T);
        },
        error: reject,
        complete: () => {},
      },
    );
  });
  await untilSubscribed(baton, { transport: 'graphql_ws', event });
  await act();
  const data = await received;
  await untilActiveSubscriptions(baton, 'graphql_ws', 0);
  return data;
}

describe('leadProcessed', () => {
  it('streams each processed lead of the asked category', async () => {
    const leadId = uniqueLeadId();
    const data = await firstEvent<{ leadProcessed: { leadId: string; category: string; score: number } }>(
      'lead:processed',
      'subscription ($category: TriageCategory) { leadProcessed(category: $category) { leadId category score } }',
      { category: 'CAMPAIGN_QUALIFIED' },
      () => baton.post('/api/v1/leads', { lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'Enterprise', persona: 'Decision Maker' } }),
    );
    expect(data.leadProcessed).toMatchObject({ leadId, category: 'CAMPAIGN_QUALIFIED' });
  });
});

describe('campaignAlerts', () => {
  it("streams a campaign's significant KPI breach with the escalation it raised", async () => {
    const campaignId = `camp-${uniqueLeadId()}`;
    const losing = losingWeeksSnapshots();
    const data = await firstEvent<{ campaignAlerts: { campaignId: string; kpi: string; escalationId: string | null } }>(
      'campaign:alert',
      'subscription ($campaignId: ID) { campaignAlerts(campaignId: $campaignId) { campaignId kpi severity escalationId } }',
      { campaignId },
      () => baton.post(`/api/v1/campaigns/${campaignId}/optimize`, { metrics: losing }),
    );
    expect(data.campaignAlerts).toMatchObject({ campaignId, kpi: 'ROAS' });
    expect(data.campaignAlerts.escalationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
