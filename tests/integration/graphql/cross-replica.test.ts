// Two Baton servers sharing PostgreSQL and Redis, as two replicas behind a load
// balancer: a graphql-ws subscriber connected to one sees the handoffs of a lead
// processed on the other.
import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { untilSubscribed } from '../../support/live-subscriptions.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

describe.runIf(process.env.REDIS_URL && process.env.DATABASE_URL)('handoffProgress across replicas', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const shared = { CONSOLIDATION_INTERVAL_S: '0', REDIS_KEY_PREFIX: `baton-replicas-${randomBytes(4).toString('hex')}:` };
    first = await startTestApp({ env: shared });
    second = await startTestApp({ env: shared, database: first.database });
  });
  afterAll(async () => {
    await second?.stop({ keepDatabase: true });
    await first?.stop();
  });

  it('streams to a subscriber on one replica the events of a lead processed on the other', async () => {
    const client = createClient({
      url: `${first.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${await first.token('viewer')}` },
    });
    const leadId = uniqueLeadId();
    const statuses: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const unsubscribe = client.subscribe<{ handoffProgress: { status: string } }>(
        { query: 'subscription ($leadId: ID) { handoffProgress(leadId: $leadId) { status } }', variables: { leadId } },
        {
          next: ({ data }) => {
            statuses.push(data!.handoffProgress.status);
            if (statuses.at(-1) === 'COMPLETED') {
              unsubscribe();
              resolve();
            }
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    // `first` streams it and its Redis subscriber listens on the shared channel.
    await untilSubscribed(first, { transport: 'graphql_ws', event: 'handoff:progress' });
    // Both replicas sign tokens with the same secret, so either accepts the other's.
    const response = await second.post('/api/v1/leads', { lead_data: { lead_id: leadId, industry: 'Finance', company_size: 'SMB', email: 'a@b.co' } });
    expect(response.status).toBe(200);
    await done;
    await client.dispose();
    expect(statuses).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED']);

    // The handoff counts once, on the replica whose worker wrote it (either may take the job), not also on the
    // one that relayed its events.
    const completed = async (replica: TestApp) => {
      const text = await (await fetch(`${replica.url}/metrics`)).text();
      return Number(/^baton_handoffs_total\{type="triage_to_engagement",status="completed"[^}]*\} (\S+)$/m.exec(text)?.[1] ?? 0);
    };
    expect((await completed(first)) + (await completed(second))).toBe(1);
  });
});
