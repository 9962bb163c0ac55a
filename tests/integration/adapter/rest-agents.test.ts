// REST: the specification's POST /api/v1/campaigns/{campaign_id}/optimize and
// GET /api/v1/agents/handoffs/analytics, and LeadData's optional campaign_id,
// through the adapter. Every 200 body is checked against its JSON Schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { optimizationResponseSchema as optimizationResponseShape } from '../../../src/adapter/shapes/optimization-response.js';
import { toOptimizationResponse } from '../../support/optimization-response-oracle.js';
import { handoffAnalyticsSchema as handoffAnalyticsShape } from '../../../src/adapter/shapes/handoff-analytics.js';
import { publishedSchema } from '../../support/published-schema.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import { createCampaign, losingWeeks } from '../../support/campaign-fixtures.js';

let baton: TestApp;
let adminToken = '';
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  adminToken = await baton.token('admin');
});
afterAll(() => baton?.stop());

const optimizationResponseSchema = publishedSchema(optimizationResponseShape);
const handoffAnalyticsSchema = publishedSchema(handoffAnalyticsShape);
const LOAD_TEST_BODY = { metrics: { roas: 2.1, ctr: 0.03, cpl_usd: 45 } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function get(path: string, { token }: { token?: string | null } = {}): Promise<Response> {
  return fetch(`${baton.url}${path}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token ?? adminToken}` },
  });
}

const optimizePath = (campaignId: string) => `/api/v1/campaigns/${encodeURIComponent(campaignId)}/optimize`;

/** A 200 OptimizationResponse, validated against its JSON Schema. */
async function optimize(campaignId: string, body: unknown, token?: string): Promise<z.output<typeof optimizationResponseShape>> {
  const response = await baton.post(optimizePath(campaignId), body, { token });
  const json = await response.json();
  expect(json.error).toBeUndefined();
  expect(response.status).toBe(200);
  expect(optimizationResponseSchema.safeParse(json).error).toBeUndefined();
  return json;
}

async function badRequest(response: Response): Promise<{ path: string; message: string }[]> {
  expect(response.status).toBe(400);
  const { error } = await response.json();
  expect(error.code).toBe('BAD_USER_INPUT');
  return error.issues;
}

describe('POST /api/v1/campaigns/{campaign_id}/optimize', () => {
  it('analyzes the stored metrics: the same OptimizationResponse the optimization agent gives, escalated', async () => {
    const campaignId = await createCampaign(baton, losingWeeks());
    const body = await optimize(campaignId, {});
    expect(body).toMatchObject({
      campaign_id: campaignId,
      data_sufficient: true,
      reported: null,
      escalated: true,
      escalation_id: expect.stringMatching(UUID),
      optimization_run_id: expect.stringMatching(UUID),
    });
    expect(body.kpis.overall).toMatchObject({ impressions: 3_200_000, clicks: 80_000, conversions: 4_000, spend_usd: 160_000, revenue_usd: 80_000, roas: 0.5 });
    expect(body.kpis.by_channel.map((k: { channel: string }) => k.channel)).toEqual(['search', 'social']);
    expect(body.kpis.by_period).toHaveLength(8);
    expect(body.kpis.by_period[0]).toMatchObject({ period_start: '2026-09-07T00:00:00.000Z', period_end: '2026-09-14T00:00:00.000Z' });
    expect(body.breaches[0]).toMatchObject({ kpi: 'roas', scope: 'latest_period', threshold: 1 });
    expect(body.recommendations.map((r: { type: string }) => r.type)).toContain('pause');

    // Exactly what the agent's own mapper makes of the same analysis.
    const { prisma, optimization } = baton.app.services;
    const analysis = await optimization.analyze(prisma, campaignId);
    const expected = toOptimizationResponse(analysis, { escalationId: body.escalation_id, runId: body.optimization_run_id });
    expect({ ...body, analyzed_at: 'x' }).toEqual({ ...expected, analyzed_at: 'x' });

    // The run and the escalation are stored, linked.
    const run = await prisma.optimizationRun.findUniqueOrThrow({ where: { id: body.optimization_run_id! } });
    expect(run).toMatchObject({ campaignId, escalationId: body.escalation_id });
    const escalation = await prisma.handoff.findUniqueOrThrow({ where: { id: body.escalation_id! } });
    expect(escalation).toMatchObject({ type: 'MANAGER_ESCALATION', trigger: 'PERFORMANCE_THRESHOLD', status: 'ESCALATED' });
  });

  it('treats a request without a body as {}', async () => {
    const campaignId = await createCampaign(baton, losingWeeks().slice(0, 4));
    const response = await fetch(`${baton.url}${optimizePath(campaignId)}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(optimizationResponseSchema.safeParse(body).error).toBeUndefined();
    expect(body.kpis.overall.conversions).toBe(1_000);
  });

  it("judges the specification's load-test body for a campaign Baton has never seen, registering it", async () => {
    const campaignId = `camp-${uniqueLeadId()}`;
    const body = await optimize(campaignId, LOAD_TEST_BODY);
    expect(body).toMatchObject({ campaign_id: campaignId, data_sufficient: false, breaches: [], escalated: false, escalation_id: null });
    expect(body.reported).toMatchObject({ metrics: { roas: 2.1, ctr: 0.03, cpl_usd: 45 }, has_counts: false, history_scope: 'campaign' });
    expect(body.reported?.comparisons.map((c: { kpi: string }) => c.kpi).sort()).toEqual(['cpl_usd', 'ctr', 'roas']);
    expect(body.insufficient_data.length).toBeGreaterThan(0);
    expect(await baton.app.services.prisma.campaign.findUnique({ where: { id: campaignId } })).toMatchObject({ id: campaignId });
  });

  it('judges a reported snapshot against the stored history', async () => {
    const campaignId = await createCampaign(baton, losingWeeks());
    const body = await optimize(campaignId, { metrics: { roas: 0.48, cpl_usd: 41, channel: 'search' } });
    expect(body.reported).toMatchObject({ metrics: { roas: 0.48, cpl_usd: 41, channel: 'search' }, history_scope: 'channel:search' });
    const roas = body.reported?.comparisons.find((c: { kpi: string }) => c.kpi === 'roas');
    expect(roas).toMatchObject({ value: 0.48, source: 'reported', threshold: 1, crosses_threshold: true, history_periods: 8, history_median: 0.5 });
  });

  it('stores full snapshots, then analyzes them', async () => {
    const campaignId = await createCampaign(baton);
    const body = await optimize(campaignId, {
      metrics: [
        {
          variant: 'A',
          channel: 'email',
          period_start: '2026-10-05T00:00:00Z',
          period_end: '2026-10-12T00:00:00Z',
          impressions: 1000,
          clicks: 100,
          conversions: 10,
          spend_usd: 500,
          revenue_usd: 2000,
        },
        {
          variant: 'B',
          channel: 'email',
          period_start: '2026-10-05T00:00:00Z',
          period_end: '2026-10-12T00:00:00Z',
          impressions: 1000,
          clicks: 120,
          conversions: 15,
          spend_usd: 500,
          revenue_usd: 2600,
        },
      ],
    });
    expect(body.kpis.overall).toMatchObject({ impressions: 2000, clicks: 220, conversions: 25, spend_usd: 1000, revenue_usd: 4600, roas: 4.6 });
    expect(body.kpis.by_variant.map((k: { variant: string }) => k.variant)).toEqual(['A', 'B']);
    expect(await baton.app.services.prisma.campaignMetrics.count({ where: { campaignId } })).toBe(2);
  });

  const snapshot = {
    period_start: '2026-10-05T00:00:00Z',
    period_end: '2026-10-12T00:00:00Z',
    impressions: 10,
    clicks: 5,
    conversions: 1,
    spend_usd: 1,
    revenue_usd: 1,
  };
  it.each([
    ['a negative ROAS', { metrics: { roas: -1 } }, 'metrics.roas'],
    ['a CTR above 1', { metrics: { ctr: 2 } }, 'metrics.ctr'],
    ['an empty report', { metrics: {} }, 'metrics'],
    ['a misspelt KPI', { metrics: { cpl: 45 } }, 'metrics'],
    ['metrics of the wrong type', { metrics: 'high' }, 'metrics'],
    ['an unknown field', { metric: LOAD_TEST_BODY.metrics }, 'metric'],
    ['a body that is not an object', [LOAD_TEST_BODY], 'body'],
    ['a snapshot without clicks', { metrics: [{ ...snapshot, clicks: undefined }] }, 'metrics.0.clicks'],
    ['more clicks than impressions', { metrics: [{ ...snapshot, clicks: 50 }] }, 'metrics.0.clicks'],
    ['a period ending before it starts', { metrics: [{ ...snapshot, period_end: '2026-10-01T00:00:00Z' }] }, 'metrics.0.period_end'],
    ['a count GraphQL cannot carry', { metrics: [{ ...snapshot, impressions: 3_000_000_000 }] }, 'metrics.0.impressions'],
    ['a reported count GraphQL cannot carry', { metrics: { impressions: 3_000_000_000, clicks: 10 } }, 'metrics.impressions'],
    [
      'a reported period ending before it starts',
      { metrics: { roas: 2, period_start: '2026-10-12T00:00:00Z', period_end: '2026-10-05T00:00:00Z' } },
      'metrics.period_end',
    ],
  ])('answers 400 naming the field for %s, storing nothing', async (_case, body, path) => {
    const campaignId = `camp-${uniqueLeadId()}`;
    const issues = await badRequest(await baton.post(optimizePath(campaignId), body));
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(await baton.app.services.prisma.campaign.findUnique({ where: { id: campaignId } })).toBeNull();
  });

  it('judges a KPI report for a stated period', async () => {
    const response = await baton.post(optimizePath(`camp-${uniqueLeadId()}`), {
      metrics: { roas: 2, period_start: '2026-10-05T00:00:00Z', period_end: '2026-10-12T00:00:00Z' },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).reported).not.toBeNull();
  });

  it('answers 400 for an invalid campaign id and for a body that is not JSON', async () => {
    const issues = await badRequest(await baton.post(optimizePath('has spaces'), LOAD_TEST_BODY));
    expect(issues).toEqual([expect.objectContaining({ path: 'campaign_id', message: expect.stringContaining('must be 1-128 characters') })]);
    const notJson = await baton.post(optimizePath('camp-1'), '{"metrics": ');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toContain('not valid JSON');
  });

  it('answers 404 for an unknown campaign without metrics', async () => {
    const campaignId = `camp-${uniqueLeadId()}`;
    for (const body of [{}, undefined]) {
      const response = body
        ? await baton.post(optimizePath(campaignId), body)
        : await fetch(`${baton.url}${optimizePath(campaignId)}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
      expect(response.status).toBe(404);
      expect((await response.json()).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(campaignId) });
    }
  });

  it('answers 401 without a token and 403 for a viewer', async () => {
    const anonymous = await baton.post(optimizePath('camp-1'), LOAD_TEST_BODY, { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${baton.url}/.well-known/oauth-protected-resource"`);
    expect((await anonymous.json()).error.code).toBe('UNAUTHENTICATED');

    const viewer = await baton.post(optimizePath('camp-1'), LOAD_TEST_BODY, { token: await baton.token('viewer') });
    expect(viewer.status).toBe(403);
    expect((await viewer.json()).error.code).toBe('FORBIDDEN');

    await optimize(`camp-${uniqueLeadId()}`, LOAD_TEST_BODY, await baton.token('operator'));
  });

  it('routes by template: 405 for a wrong method, 404 for near misses, metrics labelled by template', async () => {
    const wrongMethod = await get(optimizePath('camp-1'));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    for (const path of ['/api/v1/campaigns//optimize', '/api/v1/campaigns/camp-1/optimise', '/api/v1/campaigns/camp-1/optimize/now']) {
      expect((await baton.post(path, {})).status).toBe(404);
    }
    // Malformed percent-encoding is not a near miss: the id is refused by name.
    const malformed = await baton.post('/api/v1/campaigns/%E0%A4%A/optimize', {});
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(await malformed.json())).toContain('campaign_id');
    // A percent-encoded id is decoded before it reaches GraphQL.
    const encoded = await optimize('camp:1@x', LOAD_TEST_BODY);
    expect(encoded.campaign_id).toBe('camp:1@x');

    const metrics = await (await fetch(`${baton.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*method="POST",route="\/api\/v1\/campaigns\/\{campaign_id\}\/optimize",status_code="200"/,
    );
    expect(metrics).toMatch(/graphql_envelop_request_duration_count\{[^}]*operationName="OptimizeCampaign"/);
    expect(metrics).not.toContain('route="/api/v1/campaigns/camp');
  });
});

describe('POST /api/v1/leads with lead_data.campaign_id', () => {
  it("hands the campaign's lead on to optimization", async () => {
    const campaignId = await createCampaign(baton, losingWeeks());
    const leadId = uniqueLeadId();
    const response = await baton.post('/api/v1/leads', {
      lead_data: {
        lead_id: leadId,
        industry: 'Technology',
        company_size: 'Enterprise',
        source: 'organic',
        email: 'jane.doe@acme.com',
        campaign_id: campaignId,
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ lead_id: leadId, success: true });
    const { prisma } = baton.app.services;
    expect(await prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({ campaignId });
    const types = (await prisma.handoff.findMany({ where: { leadId } })).map((handoff) => handoff.type).sort();
    expect(types).toEqual(['ENGAGEMENT_TO_OPTIMIZATION', 'MANAGER_ESCALATION', 'TRIAGE_TO_ENGAGEMENT']);
  });

  it('answers 400 naming lead_data.campaign_id for an unknown campaign, storing nothing', async () => {
    const leadId = uniqueLeadId();
    const issues = await badRequest(
      await baton.post('/api/v1/leads', { lead_data: { lead_id: leadId, industry: 'Finance', company_size: 'SMB', campaign_id: 'no-such-campaign' } }),
    );
    expect(issues).toEqual([{ path: 'lead_data.campaign_id', message: 'no campaign no-such-campaign: create it first' }]);
    expect(await baton.app.services.prisma.lead.findUnique({ where: { id: leadId } })).toBeNull();

    const wrongType = await badRequest(
      await baton.post('/api/v1/leads', { lead_data: { lead_id: leadId, industry: 'Finance', company_size: 'SMB', campaign_id: 7 } }),
    );
    expect(wrongType).toEqual([{ path: 'lead_data.campaign_id', message: 'must be a string' }]);
  });
});

describe('GET /api/v1/agents/handoffs/analytics', () => {
  const analyticsPath = '/api/v1/agents/handoffs/analytics';

  /** A 200 HandoffAnalytics, validated against its JSON Schema. */
  async function analytics(query = '', token?: string): Promise<z.output<typeof handoffAnalyticsShape>> {
    const response = await get(`${analyticsPath}${query}`, { token });
    const body = await response.json();
    expect(body.error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(handoffAnalyticsSchema.safeParse(body).error).toBeUndefined();
    return body;
  }

  it('counts the handoffs of a few leads by type and trigger', async () => {
    const timed = { average_ms: expect.any(Number), p95_ms: expect.any(Number) };
    const campaignId = await createCampaign(baton, losingWeeks());
    const since = new Date().toISOString();
    for (const extra of [{}, { persona: 'Decision Maker' }, { campaign_id: campaignId }]) {
      const response = await baton.post('/api/v1/leads', {
        // A phone to reach them on: without one, the quality gate would hold the lead for an operator's context.
        lead_data: { lead_id: uniqueLeadId(), industry: 'Healthcare', company_size: 'Mid-Market', source: 'webinar', phone: '+1 415 555 0100', ...extra },
      });
      expect(response.status).toBe(200);
    }
    const until = new Date(Date.now() + 1000).toISOString();

    const body = await analytics(`?since=${since}&until=${until}`);
    expect(body).toEqual({
      active_handoffs: 1,
      total_handoffs: 5,
      success_rate: 1,
      average_quality: expect.any(Number),
      context_preservation_accuracy: expect.any(Number),
      context_requests: 0,
      average_processing_time: expect.any(Number),
      handoff_types: { triage_to_engagement: 3, engagement_to_optimization: 1, optimization_to_engagement: 0, manager_escalation: 1 },
      common_triggers: { task_completion: 4, performance_threshold: 1, escalation_required: 0, specialization_needed: 0 },
      p95_processing_time: expect.any(Number),
      escalations: 1,
      open_escalations: 1,
      bounce_backs: 0,
      acceptance_latency: { average_ms: expect.any(Number), p95_ms: expect.any(Number) },
      agent_processing_times: {
        // Three leads triaged and engaged, one campaign reviewed, none retried.
        triage: { count: 3, processing: timed, queue_wait: timed },
        engagement: { count: 3, processing: timed, queue_wait: timed },
        optimization: { count: 1, processing: timed, queue_wait: timed },
      },
      retried_handoffs: 0,
      retries: 0,
      since,
      until,
    });
    expect(Object.keys(body.handoff_types)).toEqual(['triage_to_engagement', 'engagement_to_optimization', 'manager_escalation', 'optimization_to_engagement']);

    // Without a window: the last 24 hours.
    const recent = await analytics();
    expect(recent.total_handoffs).toBeGreaterThanOrEqual(5);
    expect(Date.parse(recent.until) - Date.parse(recent.since)).toBe(86_400_000);
  });

  it('accepts plain dates, and is open to viewers', async () => {
    const body = await analytics('?since=2020-01-01&until=2020-01-02', await baton.token('viewer'));
    expect(body).toMatchObject({
      since: '2020-01-01T00:00:00.000Z',
      until: '2020-01-02T00:00:00.000Z',
      total_handoffs: 0,
      success_rate: null,
      average_quality: null,
      average_processing_time: null,
      p95_processing_time: null,
    });
  });

  it.each([
    ['a malformed date', '?since=yesterday', 'since', 'must be an ISO 8601 date'],
    ['a date that does not exist', '?until=2026-02-30', 'until', 'must be an ISO 8601 date'],
    ['a window ending before it starts', '?since=2026-01-02&until=2026-01-01', 'since', 'must be before until'],
    ['a window of more than 366 days', '?since=2024-01-01&until=2026-01-01', 'since', 'at most 366 days'],
    ['a repeated parameter', '?since=2026-01-01&since=2026-01-02', 'since', 'must be given once'],
    ['an unknown parameter', '?from=2026-01-01', 'from', 'is not a known field'],
  ])('answers 400 naming the parameter for %s', async (_case, query, path, message) => {
    const issues = await badRequest(await get(`${analyticsPath}${query}`));
    expect(issues).toEqual([expect.objectContaining({ path, message: expect.stringContaining(message) })]);
  });

  it('answers 401 without a token and 405 for POST', async () => {
    const anonymous = await get(analyticsPath, { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${baton.url}/.well-known/oauth-protected-resource"`);
    const post = await baton.post(analyticsPath, {});
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});
