// JSON-RPC 2.0 on POST /mcp: agent/engagement/execute, agent/optimization/analyze
// and campaign/get/metrics end to end, and LeadData's optional campaign_id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimizationResponseSchema as optimizationResponseShape } from '../../../src/adapter/shapes/optimization-response.js';
import type { JsonRpcMethod, JsonRpcResults, RpcResponse } from '../../support/jsonrpc-results.js';
import { publishedSchema } from '../../support/published-schema.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import { createCampaign, losingWeeks } from '../../support/campaign-fixtures.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

const optimizationResponseSchema = publishedSchema(optimizationResponseShape);
const LOAD_TEST_METRICS = { roas: 2.1, ctr: 0.03, cpl_usd: 45 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One call: its response, asserted to be a 200 JSON-RPC response with that id. */
async function call(method: string, params: unknown, token?: string | null): Promise<RpcResponse> {
  const response = await baton.post('/mcp', { jsonrpc: '2.0', method, params, id: 'x' }, { token });
  expect(response.status).toBe(200);
  const body = (await response.json()) as RpcResponse;
  expect(body).toMatchObject({ jsonrpc: '2.0', id: 'x' });
  return body;
}

async function result<Method extends JsonRpcMethod>(method: Method, params: unknown, token?: string | null): Promise<JsonRpcResults[Method]> {
  const response = await call(method, params, token);
  expect(response.error).toBeUndefined();
  return response.result as JsonRpcResults[Method];
}

async function failure(method: string, params: unknown, code: number, token?: string | null) {
  const response = await call(method, params, token);
  expect(response.result).toBeUndefined();
  expect(response.error?.code).toBe(code);
  return response.error!;
}

const leadData = (extra: Record<string, unknown> = {}) => ({
  lead_id: uniqueLeadId(),
  industry: 'Technology',
  company_size: 'Enterprise',
  source: 'organic',
  email: 'jane.doe@acme.com',
  ...extra,
});

describe('agent/optimization/analyze', () => {
  it('analyzes the stored metrics into the OptimizationResponse, escalating a significant breach', async () => {
    const campaignId = await createCampaign(baton, losingWeeks());
    const response = await result('agent/optimization/analyze', { campaign_id: campaignId });
    expect(optimizationResponseSchema.safeParse(response).error).toBeUndefined();
    expect(response).toMatchObject({
      campaign_id: campaignId,
      data_sufficient: true,
      reported: null,
      escalated: true,
      escalation_id: expect.stringMatching(UUID),
      optimization_run_id: expect.stringMatching(UUID),
    });
    expect(response.breaches[0]).toMatchObject({ kpi: 'roas', threshold: 1 });
    expect(response.thresholds).toMatchObject({ roas_floor: 1, cpl_ceiling_usd: null });
  });

  it("judges the load test's KPI report, and stores snapshots given as an array", async () => {
    const reported = await result('agent/optimization/analyze', { campaign_id: `camp-${uniqueLeadId()}`, metrics: LOAD_TEST_METRICS });
    expect(optimizationResponseSchema.safeParse(reported).error).toBeUndefined();
    expect(reported).toMatchObject({ data_sufficient: false, escalated: false, reported: { metrics: LOAD_TEST_METRICS, has_counts: false } });

    const campaignId = await createCampaign(baton);
    const stored = await result('agent/optimization/analyze', {
      campaign_id: campaignId,
      metrics: [
        {
          period_start: '2026-10-05T00:00:00Z',
          period_end: '2026-10-12T00:00:00Z',
          impressions: 1000,
          clicks: 100,
          conversions: 10,
          spend_usd: 500,
          revenue_usd: 2000,
        },
      ],
    });
    expect(optimizationResponseSchema.safeParse(stored).error).toBeUndefined();
    expect(stored.kpis.by_channel).toEqual([expect.objectContaining({ channel: 'all', clicks: 100, roas: 4 })]);
    expect(stored.kpis.by_variant).toEqual([expect.objectContaining({ variant: 'default' })]);
  });

  it.each([
    ['no campaign_id', { metrics: LOAD_TEST_METRICS }, 'campaign_id', 'is required'],
    ['an invalid campaign_id', { campaign_id: 'has spaces', metrics: LOAD_TEST_METRICS }, 'campaign_id', 'must be 1-128 characters'],
    ['a negative ROAS', { campaign_id: 'camp-1', metrics: { roas: -1 } }, 'metrics.roas', ''],
    [
      'a snapshot without clicks',
      {
        campaign_id: 'camp-1',
        metrics: [{ period_start: '2026-10-05T00:00:00Z', period_end: '2026-10-12T00:00:00Z', impressions: 1, conversions: 0, spend_usd: 0, revenue_usd: 0 }],
      },
      'metrics.0.clicks',
      '',
    ],
    ['an unknown param', { campaign_id: 'camp-1', metric: LOAD_TEST_METRICS }, 'metric', 'is not a known field'],
  ])('answers -32602 naming the field for %s', async (_case, params, path, message) => {
    const error = await failure('agent/optimization/analyze', params, -32602);
    expect(error.message).toContain(path);
    expect(error.data?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]));
  });

  it('answers -32004 for an unknown campaign without metrics, -32001 without a token, -32003 for a viewer', async () => {
    const unknown = await failure('agent/optimization/analyze', { campaign_id: `camp-${uniqueLeadId()}` }, -32004);
    expect(unknown.message).toMatch(/^Campaign camp-/);
    const response = await baton.post(
      '/mcp',
      { jsonrpc: '2.0', method: 'agent/optimization/analyze', params: { campaign_id: 'camp-1' }, id: 1 },
      { token: null },
    );
    expect(response.status).toBe(401);
    await failure('agent/optimization/analyze', { campaign_id: 'camp-1', metrics: LOAD_TEST_METRICS }, -32003, await baton.token('viewer'));
  });
});

describe('campaign/get/metrics', () => {
  it("returns the campaign's snapshots and its latest review", async () => {
    const campaignId = await createCampaign(baton, losingWeeks().slice(0, 4));
    const before = await result('campaign/get/metrics', { campaign_id: campaignId }, await baton.token('viewer'));
    expect(before).toMatchObject({ campaign_id: campaignId, name: 'Autumn push', budget_usd: 200_000, latest_optimization: null });
    expect(before.metrics).toHaveLength(4);
    expect(before.metrics[0]).toEqual({
      variant: 'default',
      channel: 'search',
      period_start: '2026-09-07T00:00:00.000Z',
      period_end: '2026-09-14T00:00:00.000Z',
      impressions: 200_000,
      clicks: 5_000,
      conversions: 250,
      spend_usd: 10_000,
      revenue_usd: 5_000,
    });

    const review = await result('agent/optimization/analyze', { campaign_id: campaignId });
    const after = await result('campaign/get/metrics', { campaign_id: campaignId });
    expect(after.latest_optimization).toEqual({ id: review.optimization_run_id, created_at: review.analyzed_at, data_sufficient: review.data_sufficient });
  });

  it('gives a null budget when none is stated', async () => {
    const campaignId = await createCampaign(baton, [], null);
    expect(await result('campaign/get/metrics', { campaign_id: campaignId })).toEqual({
      campaign_id: campaignId,
      name: 'Autumn push',
      budget_usd: null,
      metrics: [],
      latest_optimization: null,
    });
  });

  it('answers -32004 for an unknown campaign and -32602 without campaign_id', async () => {
    const unknown = await failure('campaign/get/metrics', { campaign_id: 'no-such-campaign' }, -32004);
    expect(unknown.message).toBe('Campaign no-such-campaign does not exist');
    const invalid = await failure('campaign/get/metrics', { id: 'camp-1' }, -32602);
    expect(invalid.data?.issues).toEqual(
      expect.arrayContaining([
        { path: 'campaign_id', message: 'is required' },
        { path: 'id', message: 'is not a known field' },
      ]),
    );
  });
});

describe('agent/engagement/execute', () => {
  it("runs the lead through triage and engagement, with the handoff's history", async () => {
    const data = leadData({ persona: 'Decision Maker' });
    const response = await result('agent/engagement/execute', { lead_data: data });
    expect(Object.keys(response).sort()).toEqual([
      'conversation_id',
      'engagement_result',
      'escalations',
      'flow_id',
      'handoff',
      'lead_id',
      'next_actions',
      'status',
      'success',
    ]);
    expect(response).toMatchObject({
      lead_id: data.lead_id,
      flow_id: expect.stringMatching(UUID),
      status: 'completed',
      conversation_id: expect.stringMatching(UUID),
      success: true,
      engagement_result: {
        agent: 'engagement-premium-001',
        touchpoint_id: expect.any(String),
        channel: expect.stringMatching(/^(email|linkedin)$/),
        template: expect.stringMatching(/^premium-/),
        body: expect.any(String),
        scheduled_for: expect.any(String),
      },
      handoff: { handoff_id: expect.stringMatching(UUID), status: 'completed', quality_score: 1, failure_reason: null },
      escalations: [],
    });
    // Issue 14: the answer says how far delivery got when it was given. With no transport configured the
    // delivery worker only stores the message in the local mailbox; sent_at is set only once it is SENT.
    const delivery = response.engagement_result!;
    expect(['scheduled', 'sending', 'sent']).toContain(delivery.delivery_status);
    if (delivery.delivery_status === 'sent') expect(delivery).toMatchObject({ transport: 'mailbox', sent_at: expect.any(String) });
    else expect(delivery.sent_at).toBeNull();
    expect(response.next_actions[0]).toEqual(expect.objectContaining({ action: 'follow_up', channel: expect.any(String), due_at: expect.any(String) }));
    const statuses = response.handoff!.events.map((event) => event.status);
    expect(statuses[0]).toBe('requested');
    expect(statuses.at(-1)).toBe('completed');
    expect(response.handoff!.events[0]!.detail).toMatch(/→/);

    const stored = await baton.app.services.prisma.handoff.findUniqueOrThrow({ where: { id: response.handoff!.handoff_id } });
    expect(stored).toMatchObject({ leadId: data.lead_id, type: 'TRIAGE_TO_ENGAGEMENT', status: 'COMPLETED' });
  });

  it("reports the escalation a campaign's breach raises, with its reason", async () => {
    const campaignId = await createCampaign(baton, losingWeeks());
    const response = await result('agent/engagement/execute', { lead_data: leadData({ campaign_id: campaignId }) });
    expect(response.success).toBe(true);
    expect(response.escalations).toEqual([
      { handoff_id: expect.stringMatching(UUID), trigger: 'performance_threshold', reason: expect.stringMatching(/ROAS/) },
    ]);
    const escalation = await baton.app.services.prisma.handoff.findUniqueOrThrow({ where: { id: response.escalations[0]!.handoff_id } });
    expect(escalation).toMatchObject({ type: 'MANAGER_ESCALATION', campaignId, status: 'ESCALATED' });
  });

  it.each([
    ['no lead_data', {}, 'lead_data', 'is required'],
    ['an unknown industry', { lead_data: leadData({ industry: 'Tech' }) }, 'lead_data.industry', 'must be one of'],
    ['an invalid email', { lead_data: leadData({ email: 'jane' }) }, 'lead_data.email', 'must be a valid email address'],
    ['an unknown campaign', { lead_data: leadData({ campaign_id: 'no-such-campaign' }) }, 'lead_data.campaign_id', 'no campaign no-such-campaign'],
  ])('answers -32602 naming the field for %s', async (_case, params, path, message) => {
    const error = await failure('agent/engagement/execute', params, -32602);
    expect(error.data?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]));
  });

  it('answers -32003 for a viewer', async () => {
    await failure('agent/engagement/execute', { lead_data: leadData() }, -32003, await baton.token('viewer'));
  });
});

describe('agent/triage/lead with lead_data.campaign_id', () => {
  it("stores the lead's campaign without starting outreach", async () => {
    const campaignId = await createCampaign(baton);
    const data = leadData({ campaign_id: campaignId });
    const triage = await result('agent/triage/lead', { lead_data: data });
    expect(triage).toMatchObject({ lead_id: data.lead_id, triage_category: 'Campaign Qualified' });
    const stored = await baton.app.services.prisma.lead.findUniqueOrThrow({ where: { id: data.lead_id }, include: { handoffs: true } });
    expect(stored).toMatchObject({ campaignId });
    expect(stored.handoffs).toEqual([]);
  });

  it('answers -32602 naming lead_data.campaign_id for an unknown campaign', async () => {
    const error = await failure('agent/triage/lead', { lead_data: leadData({ campaign_id: 'no-such-campaign' }) }, -32602);
    expect(error.data?.issues).toEqual([{ path: 'lead_data.campaign_id', message: 'no campaign no-such-campaign: create it first' }]);
  });
});
