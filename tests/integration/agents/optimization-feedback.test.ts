// Optimization → engagement, through every door: a campaign review escalates and
// the managers are emailed; a manager (not an operator) approves over REST; the
// approval travels to engagement as an OPTIMIZATION_TO_ENGAGEMENT handoff that the
// engagement worker completes; from then on the campaign's leads never get the
// paused variant or channel, and their sequences follow the approved channel split.
// Escalations are also decided over JSON-RPC and MCP, and seen in analytics.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
const MANAGERS = ['ops@example.com', 'sales.lead@example.com'];
const since = new Date(Date.now() - 1000).toISOString();

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', MANAGER_EMAILS: MANAGERS.join(', ') } });
});
afterAll(() => baton?.stop());

const WEEK_MS = 7 * 86_400_000;

/**
 * Eight weeks on email, call and sms with copy variants A and B: sms and variant B lose money
 * (pause both, and A beats B), email and call earn it, and the budget moves toward them; the
 * campaign's ROAS as a whole is significantly below 1, so the review escalates.
 */
function mixedWeeks() {
  const cells = [
    ['A', 'email', 2000, 100, 500, 1750],
    ['B', 'email', 2000, 80, 500, 1400],
    ['A', 'call', 1200, 60, 300, 540],
    ['B', 'call', 1200, 48, 300, 432],
    ['A', 'sms', 500, 10, 500, 150],
    ['B', 'sms', 10000, 150, 10000, 2500],
  ] as const;
  const start = Date.parse('2026-09-07T00:00:00Z');
  return Array.from({ length: 8 }, (_, week) =>
    cells.map(([variant, channel, clicks, conversions, spend, revenue]) => ({
      variant,
      channel,
      periodStart: new Date(start + week * WEEK_MS).toISOString(),
      periodEnd: new Date(start + (week + 1) * WEEK_MS).toISOString(),
      impressions: clicks * 20,
      clicks,
      conversions,
      spendUsd: Math.round(spend * (1 + 0.05 * Math.sin(week + clicks))),
      revenueUsd: Math.round(revenue * (1 + 0.05 * Math.cos(week * 3 + clicks))),
    })),
  ).flat();
}

async function gql<T>(query: string, variables: object, token?: string): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  return (await baton.graphql<T, object>(query, variables, { token })).body as never;
}

async function rpc(method: string, params: object, token: string): Promise<{ result?: Record<string, unknown>; error?: { code: number; message: string } }> {
  const response = await baton.post('/mcp', { jsonrpc: '2.0', method, params, id: 1 }, { token });
  return (await response.json()) as never;
}

async function reviewEscalation(campaignId: string): Promise<string> {
  const reviewed = await gql<{ optimizeCampaign: { escalation: { id: string } | null } }>(
    'mutation ($campaignId: ID!) { optimizeCampaign(campaignId: $campaignId) { ... on OptimizationResult { escalation { id } } } }',
    { campaignId },
  );
  expect(reviewed.errors).toBeUndefined();
  return reviewed.data!.optimizeCampaign.escalation!.id;
}

async function handoffStatus(
  id: string,
): Promise<{ status: string; type: string; fromAgent: string; campaignId: string | null; context: { optimization?: unknown } }> {
  const { data } = await gql<{ handoff: never }>('query ($id: ID!) { handoff(id: $id) { status type fromAgent campaignId context } }', { id });
  return data!.handoff;
}

describe('optimization feeds engagement', () => {
  const campaignId = `camp-${uniqueLeadId()}`;
  let escalationId = '';
  let planHandoffId = '';

  it('a campaign review that escalates emails every manager, in its transaction', async () => {
    const created = await gql('mutation ($input: CampaignInput!) { createCampaign(input: $input) { id } }', {
      input: { id: campaignId, name: 'Mixed channels', budgetUsd: null },
    });
    expect(created.errors).toBeUndefined();
    const ingested = await gql('mutation ($id: ID!, $m: [CampaignMetricsInput!]!) { ingestCampaignMetrics(campaignId: $id, metrics: $m) { __typename } }', {
      id: campaignId,
      m: mixedWeeks(),
    });
    expect(ingested.errors).toBeUndefined();
    escalationId = await reviewEscalation(campaignId);

    // Stored sealed (a manager's address is a person's too): opened as the delivery worker opens them.
    const notices = (
      await baton.app.services.prisma.outboundMessage.findMany({
        where: { purpose: 'MANAGER_NOTICE', metadata: { path: ['escalationId'], equals: escalationId } },
      })
    ).map((notice) => ({ ...notice, subject: baton.app.cipher.openOptional(notice.subject), body: baton.app.cipher.open(notice.body) }));
    expect(notices.map((notice) => baton.app.cipher.open(notice.recipient)).sort()).toEqual([...MANAGERS].sort());
    for (const notice of notices) {
      expect(notice).toMatchObject({ channel: 'EMAIL', leadId: null, template: 'manager-escalation-notice' });
      expect(['SCHEDULED', 'SENDING', 'SENT']).toContain(notice.status);
      expect(notice.subject).toContain(escalationId);
      expect(notice.body).toContain(`Escalation id: ${escalationId}`);
      expect(notice.body).toMatch(/below the floor/);
      expect(notice.body).toContain(`POST /api/v1/escalations/${escalationId}/resolve`);
    }
  });

  it('an operator may not resolve it, on any door; the refusal names the roles that may', async () => {
    const operator = await baton.token('operator');
    const graphql = await gql('mutation ($id: ID!) { resolveEscalation(id: $id, decision: APPROVE) { __typename } }', { id: escalationId }, operator);
    expect(graphql.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(graphql.errors?.[0]?.message).toMatch(/needs role manager or admin$/);
    const rest = await baton.post(`/api/v1/escalations/${escalationId}/resolve`, { decision: 'approve' }, { token: operator });
    expect(rest.status).toBe(403);
    expect((await rpc('escalation/resolve', { escalation_id: escalationId, decision: 'approve' }, operator)).error?.code).toBe(-32003);
  });

  it('a manager approves over REST: the recommendations go to engagement as a handoff it completes', async () => {
    const manager = await baton.token('manager');
    const response = await baton.post(`/api/v1/escalations/${escalationId}/resolve`, { decision: 'approve', note: 'Cut sms and B' }, { token: manager });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      escalation_id: escalationId,
      status: 'completed',
      resolution: 'approved',
      resolved_by: 'test-manager',
      note: 'Cut sms and B',
      campaign_id: campaignId,
      handoffs: [{ handoff_type: 'optimization_to_engagement', to_agent: 'engagement-premium-001' }],
    });
    expect(body.outcome).toMatch(/^Recommendations approved: .*handed to engagement .*pause channel:sms; pause variant:b; channel split [^;]*$/);
    planHandoffId = (body.handoffs as { handoff_id: string }[])[0]!.handoff_id;

    await expect.poll(async () => (await handoffStatus(planHandoffId)).status, { timeout: 15_000 }).toBe('COMPLETED');
    const plan = await handoffStatus(planHandoffId);
    expect(plan).toMatchObject({ type: 'OPTIMIZATION_TO_ENGAGEMENT', fromAgent: 'optimization-001', campaignId });
    expect(plan.context.optimization).toMatchObject({ escalationId, campaignId });
    const stored = await baton.app.services.prisma.campaignEngagementPlan.findUniqueOrThrow({ where: { campaignId } });
    expect(stored).toMatchObject({ paused: ['channel:sms', 'variant:b'], handoffId: planHandoffId });
    expect(Object.keys(stored.channelShares as object).sort()).toEqual(['CALL', 'EMAIL', 'SMS']);
  });

  it("the campaign's next leads never get the paused arms, and their sequences follow the split", async () => {
    const channels: string[] = [];
    for (let k = 0; k < 5; k++) {
      const { data, errors } = await gql<{ processLead: { engagement: { channel: string; template: string } | null; nextActions: { channel: string }[] } }>(
        'mutation ($input: LeadInput!) { processLead(input: $input) { engagement { channel template } nextActions { channel } } }',
        {
          input: {
            leadId: uniqueLeadId(),
            industry: 'TECHNOLOGY',
            companySize: 'ENTERPRISE',
            source: 'organic',
            email: `buyer${k}@acme.com`,
            phone: '+15550100',
            campaignId,
          },
        },
      );
      expect(errors).toBeUndefined();
      const engagement = data!.processLead.engagement!;
      expect(engagement.template).toMatch(/-a$/);
      expect(['EMAIL', 'CALL']).toContain(engagement.channel);
      // The whole sequence stays on the channel the split picked.
      for (const action of data!.processLead.nextActions) expect(action.channel).toBe(engagement.channel);
      channels.push(engagement.channel);
    }
    // Shares among the open channels: email ≈ 62 %, call ≈ 38 % → largest deficit: E, C, E, C, E.
    expect(channels).toEqual(['EMAIL', 'CALL', 'EMAIL', 'CALL', 'EMAIL']);
    const stored = await baton.app.services.prisma.campaignEngagementPlan.findUniqueOrThrow({ where: { campaignId } });
    expect(stored.channelStarts).toEqual({ EMAIL: 3, CALL: 2 });
    const outbox = await baton.app.services.prisma.outboundMessage.findMany({
      where: { lead: { campaignId }, purpose: 'TOUCHPOINT', createdAt: { gt: new Date(Date.now() - 60_000) } },
    });
    expect(outbox.length).toBeGreaterThan(0);
    expect(outbox.filter((message) => message.channel === 'SMS' || /-b(-followup-\d+)?$/.test(message.template))).toEqual([]);
  });

  it('escalations are decided over JSON-RPC and MCP too, and an admin still may', async () => {
    const manager = await baton.token('manager');
    const viaRpc = await rpc('escalation/resolve', { escalation_id: await reviewEscalation(campaignId), decision: 'reject', note: 'Seen' }, manager);
    expect(viaRpc.result).toMatchObject({ status: 'failed', resolution: 'rejected', resolved_by: 'test-manager', handoffs: [] });

    const mcp = new Client({ name: 'baton-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${manager}` } } }));
    try {
      const tool = (await mcp.listTools()).tools.find((t) => t.name === 'resolve_escalation');
      expect(tool?.description).toMatch(/roles manager and admin only.*never chooses them again.*share of the campaign's new sequences/);
      const viaMcp = await mcp.callTool({
        name: 'resolve_escalation',
        arguments: { escalation_id: await reviewEscalation(campaignId), decision: 'reassign', reassign_to: 'cmo' },
      });
      expect(viaMcp.isError).toBeFalsy();
      expect(viaMcp.structuredContent).toMatchObject({ status: 'escalated', resolution: 'reassigned', assigned_to: 'cmo' });
    } finally {
      await mcp.close();
    }

    const admin = await gql<{ resolveEscalation: { status: string; children: { type: string }[] } }>(
      'mutation ($id: ID!) { resolveEscalation(id: $id, decision: APPROVE) { ... on Handoff { status children { type } } } }',
      { id: await reviewEscalation(campaignId) },
    );
    expect(admin.errors).toBeUndefined();
    expect(admin.data!.resolveEscalation).toMatchObject({ status: 'COMPLETED', children: [{ type: 'OPTIMIZATION_TO_ENGAGEMENT' }] });

    const bad = await rpc('escalation/resolve', { escalation_id: 'nope', decision: 'approve' }, manager);
    expect(bad.error).toMatchObject({ code: -32602 });
    expect(bad.error!.message).toMatch(/escalation_id/);
  });

  it('analytics count the optimization → engagement handoffs', async () => {
    const { data } = await gql<{ handoffAnalytics: { byType: { key: string; count: number }[] } }>(
      'query ($since: DateTime) { handoffAnalytics(since: $since) { byType { key count } } }',
      { since },
    );
    expect(data!.handoffAnalytics.byType.find((entry) => entry.key === 'OPTIMIZATION_TO_ENGAGEMENT')?.count).toBeGreaterThanOrEqual(2);
  });
});
