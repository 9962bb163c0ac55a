// The whole flow through GraphQL: a campaign's lead goes triage → engagement →
// optimization; the campaign's ROAS is significantly below 1, so optimization
// escalates to a manager; the manager approves; analytics reflect every step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateCampaignDocument,
  EscalationsDocument,
  HandoffAnalyticsDocument,
  IngestCampaignMetricsDocument,
  OptimizeCampaignDocument,
  ProcessCampaignLeadDocument,
  ResolveEscalationDocument,
  SystemStatusDocument,
} from '../../__generated__/graphql.js';
import { payload } from '../../../src/adapter/operation-payload.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import { losingWeeks } from '../../support/campaign-fixtures.js';

let baton: TestApp;
const since = new Date(Date.now() - 1000).toISOString();

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

describe('a campaign lead, end to end', () => {
  const campaignId = `camp-${uniqueLeadId()}`;
  let escalationId = '';

  it('triage → engagement → optimization → escalation', async () => {
    const created = await baton.graphql(CreateCampaignDocument, { input: { id: campaignId, name: 'Autumn push', budgetUsd: 200_000 } });
    expect(created.body.errors).toBeUndefined();
    const ingested = await baton.graphql(IngestCampaignMetricsDocument, { campaignId, metrics: losingWeeks() });
    expect(ingested.body.errors).toBeUndefined();
    expect(payload(ingested.body.data!.ingestCampaignMetrics, 'Campaign').metrics).toHaveLength(16);

    const leadId = uniqueLeadId();
    const { body } = await baton.graphql(ProcessCampaignLeadDocument, {
      input: { leadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'organic', email: 'jane.doe@acme.com', campaignId },
    });
    expect(body.errors).toBeUndefined();
    const flow = body.data!.processLead;
    expect(flow.success).toBe(true);
    expect(flow.handoff).toMatchObject({ type: 'TRIAGE_TO_ENGAGEMENT', status: 'COMPLETED' });
    expect(flow.engagement).not.toBeNull();
    expect(flow.optimizationHandoff).toMatchObject({
      type: 'ENGAGEMENT_TO_OPTIMIZATION',
      trigger: 'TASK_COMPLETION',
      status: 'COMPLETED',
      fromAgent: 'engagement-premium-001',
      toAgent: 'optimization-001',
      parent: { id: flow.handoff!.id },
    });
    expect(flow.optimizationHandoff!.events.at(-1)!.detail).toMatch(/escalated to a manager/);
    expect(flow.escalations).toEqual([
      expect.objectContaining({
        type: 'MANAGER_ESCALATION',
        trigger: 'PERFORMANCE_THRESHOLD',
        status: 'ESCALATED',
        toAgent: 'manager',
        parent: { id: flow.optimizationHandoff!.id },
        failureReason: null,
      }),
    ]);
    escalationId = flow.escalations[0]!.id;

    const queue = await baton.graphql(EscalationsDocument, {});
    expect(queue.body.data!.escalations.edges.map((edge) => edge.node)).toContainEqual({
      id: escalationId,
      trigger: 'PERFORMANCE_THRESHOLD',
      status: 'ESCALATED',
      lead: { id: leadId },
    });
  });

  it('the manager approves: the escalation completes and leaves the queue', async () => {
    const viewer = await baton.token('operator');
    const refused = await baton.graphql(ResolveEscalationDocument, { id: escalationId, decision: 'APPROVE' }, { token: viewer });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const { body } = await baton.graphql(ResolveEscalationDocument, { id: escalationId, decision: 'APPROVE', note: 'Cut social, keep search' });
    expect(body.errors).toBeUndefined();
    const resolved = payload(body.data!.resolveEscalation, 'Handoff');
    expect(resolved).toMatchObject({ status: 'COMPLETED', resolution: 'APPROVED', resolvedBy: 'test-admin', resolutionNote: 'Cut social, keep search' });
    expect(resolved.events.map((event) => event.status)).toEqual(['REQUESTED', 'CONTEXT_BUILT', 'ESCALATED', 'ACCEPTED', 'COMPLETED']);
    expect(resolved.events.at(-1)!.detail).toMatch(/^Recommendations approved/);

    const again = await baton.graphql(ResolveEscalationDocument, { id: escalationId, decision: 'REJECT' });
    // Deciding twice is a conflict with the stored decision, not a malformed request: a typed error.
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.resolveEscalation).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', kind: 'ESCALATION', id: escalationId });
    const queue = await baton.graphql(EscalationsDocument, {});
    expect(queue.body.data!.escalations.edges.map((edge) => edge.node.id)).not.toContain(escalationId);
  });

  it('analytics reflect the flow', async () => {
    const { body } = await baton.graphql(HandoffAnalyticsDocument, { since });
    expect(body.errors).toBeUndefined();
    const analytics = body.data!.handoffAnalytics;
    const count = (list: { key: string; count: number }[], key: string) => list.find((entry) => entry.key === key)?.count;
    expect(count(analytics.byType, 'TRIAGE_TO_ENGAGEMENT')).toBe(1);
    expect(count(analytics.byType, 'ENGAGEMENT_TO_OPTIMIZATION')).toBe(1);
    expect(count(analytics.byType, 'MANAGER_ESCALATION')).toBe(1);
    expect(count(analytics.byTrigger, 'PERFORMANCE_THRESHOLD')).toBe(1);
    expect(analytics).toMatchObject({ totalHandoffs: 3, activeHandoffs: 0, successRate: 1, escalations: 1, openEscalations: 0, bounceBacks: 0 });
    expect(analytics.p95ProcessingTimeMs).toBeGreaterThanOrEqual(0);

    // The handoffs themselves, filtered as a dashboard would.
    const handoffs = await baton.graphql<{ handoffs: { edges: { node: { type: string; status: string } }[] } }, object>(
      'query ($filter: HandoffFilter) { handoffs(first: 10, filter: $filter) { edges { node { type status } } } }',
      { filter: { campaignId, type: 'MANAGER_ESCALATION' } },
    );
    expect(handoffs.body.data!.handoffs.edges.map((edge) => edge.node)).toEqual([{ type: 'MANAGER_ESCALATION', status: 'COMPLETED' }]);
    const byStatus = await baton.graphql<{ handoffs: { edges: unknown[] } }, object>(
      'query ($filter: HandoffFilter) { handoffs(filter: $filter) { edges { node { id } } } }',
      { filter: { campaignId, status: 'COMPLETED', trigger: 'TASK_COMPLETION' } },
    );
    expect(byStatus.body.data!.handoffs.edges).toHaveLength(2);

    // The dashboard's front page sees each agent's part in it.
    const status = (await baton.graphql(SystemStatusDocument, {})).body.data!.systemStatus;
    const agent = (id: string) => status.agentStatus.find((entry) => entry.agent === id)!;
    expect(status.systemRunning).toBe(true);
    expect(agent('triage-001').handoffsLast24h).toBe(1);
    expect(agent('optimization-001')).toMatchObject({ role: 'optimization', handoffsLast24h: 2 });
    expect(agent('manager').handoffsLast24h).toBe(1);
    expect(status.activeConversations).toBeGreaterThan(0);
  });

  it('reviews a campaign on demand with evidence, and says so when data is thin', async () => {
    const review = await baton.graphql(OptimizeCampaignDocument, { campaignId });
    expect(review.body.errors).toBeUndefined();
    const result = payload(review.body.data!.optimizeCampaign, 'OptimizationResult');
    expect(result.breaches[0]).toMatchObject({ kpi: 'ROAS' });
    expect(result.escalation).toMatchObject({ trigger: 'PERFORMANCE_THRESHOLD', status: 'ESCALATED' });

    // A KPI report alone, for a campaign Baton has never seen: judged, but no significance claimed.
    const fresh = await baton.graphql(OptimizeCampaignDocument, { campaignId: `camp-${uniqueLeadId()}`, reported: { roas: 0.8, ctr: 0.02, cplUsd: 45 } });
    expect(fresh.body.errors).toBeUndefined();
    expect(fresh.body.data!.optimizeCampaign).toMatchObject({ dataSufficient: false, breaches: [], escalation: null });
    expect(payload(fresh.body.data!.optimizeCampaign, 'OptimizationResult').insufficientData.length).toBeGreaterThan(0);
  });

  it('refuses a lead naming a campaign that does not exist, storing nothing', async () => {
    const leadId = uniqueLeadId();
    const { body } = await baton.graphql(ProcessCampaignLeadDocument, {
      input: { leadId, industry: 'FINANCE', companySize: 'SMB', campaignId: 'no-such-campaign' },
    });
    expect(body.errors?.[0]?.extensions?.issues).toEqual([{ path: 'input.campaignId', message: 'no campaign no-such-campaign: create it first' }]);
    expect(await baton.app.services.prisma.lead.findUnique({ where: { id: leadId } })).toBeNull();
  });
});
