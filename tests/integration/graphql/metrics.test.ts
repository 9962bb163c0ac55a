// Baton's own metrics on /metrics: handoffs and escalations, live subscriptions
// and WebSocket connections, the database pool. Deploy manifests, alerts and
// dashboards use these names and labels.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { BOUNCE_LIMIT } from '../../../src/agents/handoff/handoff-orchestrator.js';
import { HandoffProgressDocument, ProcessCampaignLeadDocument, ResolveEscalationDocument } from '../../__generated__/graphql.js';
import { losingWeeksSnapshots } from '../../support/campaign-fixtures.js';
import { metric as metricOf, seriesValue, type Labels } from '../../support/metrics.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

const metric = (name: string, labels: Labels = {}) => metricOf(baton.url, name, labels);

/** Reads several series at once; `delta` reads them again and subtracts. */
async function snapshot(series: Record<string, [string, Labels]>) {
  const read = async () =>
    Object.fromEntries(await Promise.all(Object.entries(series).map(async ([key, [name, labels]]) => [key, await metric(name, labels)] as const)));
  const before = await read();
  return {
    async delta(): Promise<Record<string, number>> {
      const after = await read();
      return Object.fromEntries(Object.keys(series).map((key) => [key, after[key]! - before[key]!]));
    },
  };
}

/** Polls `check` until it passes: a gauge follows a socket's or stream's end as soon as the server sees it. */
function eventually(check: () => Promise<void>) {
  return vi.waitFor(check, { timeout: 5_000, interval: 10 });
}

const handoffs = (type: string, status: string): [string, Labels] => ['baton_handoffs_total', { type, status }];
const qualityCount = (type: string): [string, Labels] => ['baton_handoff_quality_score_count', { type }];
const escalations = (trigger: string): [string, Labels] => ['baton_escalations_total', { trigger }];

function processLead(leadId: string) {
  return baton.post('/api/v1/leads', { lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'SMB', email: 'a.b@corp.example' } });
}

describe('handoff metrics', () => {
  it('counts a completed handoff once, and observes its quality score', async () => {
    const counts = await snapshot({
      completed: handoffs('triage_to_engagement', 'completed'),
      failed: handoffs('triage_to_engagement', 'failed'),
      escalated: handoffs('triage_to_engagement', 'escalated'),
      scored: qualityCount('triage_to_engagement'),
      below08: ['baton_handoff_quality_score_bucket', { type: 'triage_to_engagement', le: '0.8' }],
      below09: ['baton_handoff_quality_score_bucket', { type: 'triage_to_engagement', le: '0.9' }],
    });
    expect((await processLead(uniqueLeadId())).status).toBe(200);
    // The packet scores 0.85 (see tests/http/subscriptions.test.ts).
    expect(await counts.delta()).toEqual({ completed: 1, failed: 0, escalated: 0, scored: 1, below08: 0, below09: 1 });
  });

  it('a lead sent again and again is no loop: one flow, its handoff scored once, nothing escalated', async () => {
    const counts = await snapshot({
      completed: handoffs('triage_to_engagement', 'completed'),
      escalated: handoffs('triage_to_engagement', 'escalated'),
      scored: qualityCount('triage_to_engagement'),
      raised: escalations('escalation_required'),
    });
    const leadId = uniqueLeadId();
    for (let round = 0; round <= BOUNCE_LIMIT; round++) expect((await processLead(leadId)).status).toBe(200);
    // The repeats are re-submissions of the first flow (src/agents/flows/resubmission.ts); loop protection counts
    // bounces between agents within one flow (tests/integration/agents/handoff-orchestrator.test.ts).
    expect(await counts.delta()).toEqual({ completed: 1, escalated: 0, scored: 1, raised: 0 });
  });

  it("a campaign's KPI breach escalates; the manager's approval ends the escalation", async () => {
    const campaignId = `camp-${uniqueLeadId()}`;
    const counts = await snapshot({
      triage: handoffs('triage_to_engagement', 'completed'),
      optimization: handoffs('engagement_to_optimization', 'completed'),
      optimizationScored: qualityCount('engagement_to_optimization'),
      raised: escalations('performance_threshold'),
      managerCompleted: handoffs('manager_escalation', 'completed'),
    });
    // Reporting a losing campaign registers it, stores its weeks and escalates once (optimizeCampaign).
    const losing = losingWeeksSnapshots();
    expect((await baton.post(`/api/v1/campaigns/${campaignId}/optimize`, { metrics: losing })).status).toBe(200);
    expect(await counts.delta()).toMatchObject({ raised: 1, optimization: 0 });

    // A lead of that campaign: triage → engagement → optimization, which escalates again.
    const { body } = await baton.graphql(ProcessCampaignLeadDocument, {
      input: { leadId: uniqueLeadId(), industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'organic', email: 'jane.doe@acme.com', campaignId },
    });
    expect(body.errors).toBeUndefined();
    const escalation = body.data!.processLead.escalations[0]!;
    expect(escalation).toMatchObject({ trigger: 'PERFORMANCE_THRESHOLD', status: 'ESCALATED' });
    expect(await counts.delta()).toEqual({ triage: 1, optimization: 1, optimizationScored: 1, raised: 2, managerCompleted: 0 });

    const approved = await baton.graphql(ResolveEscalationDocument, { id: escalation.id, decision: 'APPROVE' });
    expect(approved.body.errors).toBeUndefined();
    expect(await counts.delta()).toEqual({ triage: 1, optimization: 1, optimizationScored: 1, raised: 2, managerCompleted: 1 });
  });
});

describe('subscriptions and WebSocket connections', () => {
  const subscriptions = (transport: string) => metric('baton_graphql_subscriptions_active', { transport });
  const sockets = () => metric('baton_websocket_connections_active', { endpoint: '/graphql' });
  const subscribe = { query: String(HandoffProgressDocument), variables: { leadId: 'nobody' } };

  it('exports every series from the start', async () => {
    const text = await (await fetch(`${baton.url}/metrics`)).text();
    for (const [name, labels] of [
      ['baton_graphql_subscriptions_active', { transport: 'graphql_ws' }],
      ['baton_graphql_subscriptions_active', { transport: 'sse' }],
      ['baton_websocket_connections_active', { endpoint: '/graphql' }],
      ['baton_websocket_connections_active', { endpoint: '/mcp' }],
      ['baton_handoffs_total', { type: 'manager_escalation', status: 'failed' }],
      ['baton_escalations_total', { trigger: 'specialization_needed' }],
      ['baton_handoff_quality_score_bucket', { type: 'manager_escalation', le: '+Inf' }],
    ] as const) {
      expect(seriesValue(text, name, labels), `${name} ${JSON.stringify(labels)}`).toBeGreaterThanOrEqual(0);
    }
  });

  it('graphql-ws: a subscription counts while open; the socket counts until it closes', async () => {
    const client = createClient({
      url: `${baton.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${await baton.token('viewer')}` },
    });
    try {
      await eventually(async () => expect(await sockets()).toBe(1));
      const unsubscribe = client.subscribe(subscribe, { next: () => {}, error: () => {}, complete: () => {} });
      await eventually(async () => expect(await subscriptions('graphql_ws')).toBe(1));
      expect(await subscriptions('sse')).toBe(0);
      unsubscribe(); // the client completes it
      await eventually(async () => expect(await subscriptions('graphql_ws')).toBe(0));
      expect(await sockets()).toBe(1);
    } finally {
      await client.dispose();
    }
    await eventually(async () => expect(await sockets()).toBe(0));
  });

  it('graphql-ws: a client that drops its socket takes its subscriptions with it', async () => {
    const socket = new WebSocket(`${baton.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: { type: string }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${await baton.token('viewer')}` } }));
    await eventually(async () => expect(messages.map((message) => message.type)).toContain('connection_ack'));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: subscribe }));
    socket.send(JSON.stringify({ id: '2', type: 'subscribe', payload: subscribe }));
    await eventually(async () => expect(await subscriptions('graphql_ws')).toBe(2));
    expect(await sockets()).toBe(1);

    socket.terminate(); // no complete, no close frame: the TCP connection just ends
    await eventually(async () => expect(await subscriptions('graphql_ws')).toBe(0));
    await eventually(async () => expect(await sockets()).toBe(0));
  });

  it('SSE: a subscription counts until the client goes away', async () => {
    const controller = new AbortController();
    const response = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await baton.token('viewer')}` },
      body: JSON.stringify(subscribe),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    await eventually(async () => expect(await subscriptions('sse')).toBe(1));
    expect(await subscriptions('graphql_ws')).toBe(0);
    expect(await sockets()).toBe(0);

    controller.abort();
    await eventually(async () => expect(await subscriptions('sse')).toBe(0));
  });

  it('a refused subscription never counts', async () => {
    const unauthenticated = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer not-a-token' },
      body: JSON.stringify(subscribe),
    });
    expect(unauthenticated.status).toBe(401);
    // Yoga subscribes, then finds the client accepts no streaming format: 406, the stream never read.
    const notStreaming = await fetch(`${baton.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${await baton.token('viewer')}` },
      body: JSON.stringify(subscribe),
    });
    expect(notStreaming.status).toBe(406);
    await notStreaming.text(); // the response is over: Yoga is done with the request and its stream
    expect(await subscriptions('sse')).toBe(0);
  });
});

describe('database pool', () => {
  it('reports its connections', async () => {
    const total = await metric('baton_db_pool_connections', { state: 'total' });
    const text = await (await fetch(`${baton.url}/metrics`)).text();
    if (baton.database.kind === 'pglite') {
      // One embedded connection; idle and waiting are not observable.
      expect(total).toBe(1);
      expect(seriesValue(text, 'baton_db_pool_connections', { state: 'idle' })).toBeUndefined();
    } else {
      expect(total).toBeGreaterThanOrEqual(1);
      expect(seriesValue(text, 'baton_db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(0);
      expect(seriesValue(text, 'baton_db_pool_connections', { state: 'waiting' })).toBe(0);
    }
  });
});
