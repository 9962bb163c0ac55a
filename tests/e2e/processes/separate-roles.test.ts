// The API and the agents as separate processes, as deploy/ runs them: one
// `node dist/main.js` with BATON_ROLES=api, one with triage, one with
// engagement,optimization, on one PostgreSQL database, and their events on one
// Redis, or, without Redis, on PostgreSQL's LISTEN/NOTIFY alone. A campaign's
// lead goes in through the API's REST and GraphQL doors; the API waits for the
// workers to settle its flow, a graphql-ws subscriber of the API sees every
// handoff state the workers publish, and each process's /metrics shows it did
// only the work of its roles.
//
// Needs PostgreSQL (several processes on one embedded database cannot be): it
// runs in CI's PostgreSQL pass, with DATABASE_URL (and REDIS_URL) set, and is
// skipped otherwise.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { openGraphQLSocket, type GraphQLSocket } from '../../support/graphql-socket.js';
import { untilRedisSubscribers } from '../../support/live-subscriptions.js';
import { metric } from '../../support/metrics.js';
import { uniqueLeadId } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { ingestProfitableWeek } from '../support/campaign-week.js';
import { apiClient, type ApiClient } from '../support/api-client.js';
import { batonFleet, type BatonFleet, type BatonProcess } from '../support/baton-process.js';
import { postgresProbe, type PostgresProbe } from '../support/postgres-probe.js';
import { deleteRedisKeys } from '../support/redis-keys.js';

const POSTGRES = process.env.DATABASE_URL;
const REDIS = process.env.REDIS_URL;
/** Long enough for a loaded CI machine; a flow that settles answers well before it. */
const PROCESS_WAIT_MS = 20_000;
const AGENTS = ['triage', 'engagement', 'optimization'] as const;

interface StoredHandoff {
  id: string;
  type: string;
  status: string;
  events: { sequence: number; status: string }[];
}

interface ProgressEvent {
  handoffId: string;
  handoffType: string;
  sequence: number;
  status: string;
}

if (!POSTGRES) console.warn("tests/e2e/processes/separate-roles.test.ts: skipped, it needs DATABASE_URL (it runs in CI's PostgreSQL pass)");
else if (!REDIS) console.warn('tests/e2e/processes/separate-roles.test.ts: events over Redis skipped, REDIS_URL is not set');

for (const events of ['redis', 'postgres'] as const) {
  const enabled = Boolean(POSTGRES && (events === 'postgres' || REDIS));
  describe.runIf(enabled)(
    `API, triage and engagement,optimization as separate processes, events over ${events === 'redis' ? 'Redis' : 'LISTEN/NOTIFY'}`,
    () => {
      const prefix = `baton-roles-${randomBytes(4).toString('hex')}:`;
      let database: TestDatabase;
      let dataDir: string;
      let fleet: BatonFleet;
      let probe: PostgresProbe;
      let api: BatonProcess;
      let triage: BatonProcess;
      let workers: BatonProcess;
      let client: ApiClient;
      let campaignId: string;

      beforeAll(async () => {
        database = await createTestDatabase();
        dataDir = await mkdtemp(join(tmpdir(), 'baton-roles-'));
        fleet = batonFleet({
          ...database.env,
          ...(events === 'redis' ? { REDIS_URL: REDIS! } : {}),
          REDIS_KEY_PREFIX: prefix,
          DATA_DIR: dataDir,
          PROCESS_WAIT_MS: String(PROCESS_WAIT_MS),
        });
        // The API first: it migrates the fresh database (the others would wait on its lock).
        api = await fleet.start('api', { BATON_ROLES: 'api' });
        [triage, workers] = await Promise.all([
          fleet.start('triage', { BATON_ROLES: 'triage' }),
          fleet.start('engagement,optimization', { BATON_ROLES: 'engagement,optimization' }),
        ]);
        probe = await postgresProbe(database.env.DATABASE_URL!);
        client = await apiClient(api.url);
        campaignId = `camp-${uniqueLeadId()}`;
        await client.graphql('mutation ($input: CampaignInput!) { createCampaign(input: $input) { id } }', {
          input: { id: campaignId, name: 'Separate processes', budgetUsd: 50_000 },
        });
        // Metrics to review: the optimization agent's gate holds a campaign without them for context.
        await ingestProfitableWeek(client, campaignId);
      }, 60_000);

      afterAll(async () => {
        await fleet?.killAll();
        await probe?.close();
        await database?.drop();
        if (dataDir) await rm(dataDir, { recursive: true, force: true });
        if (events === 'redis') await deleteRedisKeys(REDIS!, prefix);
      });

      const showLogsOnFailure = () => onTestFailed(() => console.error(fleet.logs()));

      it('each process says which events it shares', () => {
        for (const baton of [api, triage, workers]) expect(baton.output()).toContain(`"events":"${events}"`);
      });

      it('takes a lead over REST, waits for the workers to settle its flow, and streams every handoff state they publish', async () => {
        showLogsOnFailure();
        const leadId = uniqueLeadId('roles');
        const socket = await openGraphQLSocket(api.url, client.token);
        try {
          socket.subscribe('progress', {
            query: 'subscription ($leadId: ID) { handoffProgress(leadId: $leadId) { handoffId handoffType sequence status } }',
            variables: { leadId },
          });
          // Live: the API streams the subscription, and its process listens on the shared channel.
          await untilEquals(() => metric(api.url, 'baton_graphql_subscriptions_active', { transport: 'graphql_ws' }), 1);
          if (events === 'redis') await untilRedisSubscribers(REDIS!, `${prefix}handoff:progress`);
          else await probe.untilListening(`${prefix}handoff:progress`);

          const startedAt = performance.now();
          const response = await client.rest('POST', '/api/v1/leads', {
            lead_data: {
              lead_id: leadId,
              industry: 'Technology',
              company_size: 'Enterprise',
              persona: 'Decision Maker',
              source: 'webinar',
              email: 'cto@example.com',
              campaign_id: campaignId,
            },
          });
          const elapsedMs = performance.now() - startedAt;
          // 200: the API heard the flow settle from the workers (past PROCESS_WAIT_MS it would answer 202).
          expect(response.status).toBe(200);
          expect(elapsedMs).toBeLessThan(PROCESS_WAIT_MS);
          const body = (await response.json()) as { lead_id: string; success: boolean; engagement_result: unknown; triage_result: { triage_category: string } };
          expect(body).toMatchObject({ lead_id: leadId, success: true, triage_result: { triage_category: 'Campaign Qualified' } });
          expect(body.engagement_result).not.toBeNull();

          const stored = 'query ($id: ID!) { lead(id: $id) { handoffs { id type status events { sequence status } } } }';
          const { lead } = await client.graphql<{ lead: { handoffs: StoredHandoff[] } }>(stored, { id: leadId });
          expect(lead.handoffs.map(({ type, status }) => [type, status]).sort()).toEqual([
            ['ENGAGEMENT_TO_OPTIMIZATION', 'COMPLETED'],
            ['TRIAGE_TO_ENGAGEMENT', 'COMPLETED'],
          ]);
          // The subscriber hears every state of every handoff, each handoff's in order: the triage
          // process's REQUESTED and CONTEXT_BUILT, the engagement and optimization workers' the rest.
          const expected = lead.handoffs.flatMap(({ id, type, events }) =>
            events.map(({ sequence, status }) => ({ handoffId: id, handoffType: type, sequence, status })),
          );
          const heard = await progressUntil(socket, expected.length);
          expect(heard).toHaveLength(expected.length);
          expect(new Set(heard.map(key))).toEqual(new Set(expected.map(key)));
          for (const { id } of lead.handoffs) {
            const sequences = heard.filter((event) => event.handoffId === id).map((event) => event.sequence);
            expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
          }
          const engagement = lead.handoffs.find((handoff) => handoff.type === 'TRIAGE_TO_ENGAGEMENT')!;
          expect(engagement.events.map((event) => event.status)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'VALIDATED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED']);
        } finally {
          await socket.close();
        }
      });

      it('takes a lead over GraphQL: processLead waits for the workers, and leadFlow reads the settled flow', async () => {
        showLogsOnFailure();
        const leadId = uniqueLeadId('roles');
        const FLOW = 'flowId status success engagement { touchpointId } optimizationHandoff { status }';
        const { processLead } = await client.graphql<{ processLead: { flowId: string; status: string } }>(
          `mutation ($input: LeadInput!) { processLead(input: $input) { ${FLOW} } }`,
          { input: { leadId, industry: 'FINANCE', companySize: 'MID_MARKET', persona: 'DECISION_MAKER', email: 'cfo@example.com', campaignId } },
        );
        expect(processLead).toMatchObject({
          status: 'COMPLETED',
          success: true,
          engagement: { touchpointId: expect.any(String) },
          optimizationHandoff: { status: 'COMPLETED' },
        });
        const { leadFlow } = await client.graphql<{ leadFlow: unknown }>(`query ($id: ID!) { leadFlow(id: $id) { ${FLOW} } }`, { id: processLead.flowId });
        expect(leadFlow).toEqual(processLead);
      });

      it("did each agent's work in the process of its role, and none in the API", async () => {
        const processed = async (baton: BatonProcess) =>
          Object.fromEntries(
            await Promise.all(AGENTS.map(async (agent) => [agent, await metric(baton.url, 'baton_agent_processing_seconds_count', { agent })])),
          );
        // Two leads, each triaged, engaged and its campaign reviewed once.
        expect(await processed(api)).toEqual({ triage: 0, engagement: 0, optimization: 0 });
        expect(await processed(triage)).toEqual({ triage: 2, engagement: 0, optimization: 0 });
        expect(await processed(workers)).toEqual({ triage: 0, engagement: 2, optimization: 2 });
        // A handoff counts where it was worked, not where its events were relayed.
        const completed = { type: 'triage_to_engagement', status: 'completed' };
        expect(await metric(api.url, 'baton_handoffs_total', completed)).toBe(0);
        expect(await metric(workers.url, 'baton_handoffs_total', completed)).toBe(2);
      });

      it('stops every process cleanly on SIGTERM', async () => {
        for (const baton of [triage, workers, api]) expect(await baton.stop()).toEqual({ code: 0, signal: null });
      });
    },
  );
}

const key = ({ handoffId, sequence, status }: ProgressEvent) => `${handoffId}#${sequence}:${status}`;

/** The subscription's events, once `count` of them arrived. */
async function progressUntil(socket: GraphQLSocket, count: number): Promise<ProgressEvent[]> {
  const events = () =>
    socket.received.flatMap((message) =>
      message.type === 'next' ? [(message.payload as { data: { handoffProgress: ProgressEvent } }).data.handoffProgress] : [],
    );
  await socket.message(() => events().length >= count);
  return events();
}

async function untilEquals(read: () => Promise<number>, expected: number): Promise<void> {
  await vi.waitFor(async () => expect(await read()).toBe(expected), { timeout: 10_000, interval: 20 });
}
