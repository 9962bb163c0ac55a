// A lead sent again, through every door that starts a flow (REST POST /api/v1/leads,
// GraphQL processLead, JSON-RPC agent/engagement/execute): within the window with
// the same data it is the same flow, nothing runs twice and no loop is declared;
// after the window or with changed data it is a re-engagement, a new flow. And
// handoff_quality is null while nothing was scored.
import { untilDelivered } from '../../support/delivery.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNCE_LIMIT } from '../../../src/agents/handoff/handoff-orchestrator.js';
import { LeadFlowQualityDocument, ProcessLeadAgainDocument } from '../../__generated__/graphql.js';
import type { JsonRpcResults, RpcResponse } from '../../support/jsonrpc-results.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const leadData = (leadId: string, extra: Record<string, unknown> = {}) => ({
  lead_id: leadId,
  industry: 'Technology',
  company_size: 'Enterprise',
  persona: 'Decision Maker',
  email: 'jane.doe@acme.com',
  ...extra,
});

const graphqlLead = (leadId: string) =>
  ({ leadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', email: 'jane.doe@acme.com' }) as const;

async function rest(baton: TestApp, data: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await baton.post('/api/v1/leads', { lead_data: data }, { headers });
  return { status: response.status, body: await response.json() };
}

async function execute(baton: TestApp, data: Record<string, unknown>): Promise<JsonRpcResults['agent/engagement/execute']> {
  const response = await baton.post('/mcp', { jsonrpc: '2.0', method: 'agent/engagement/execute', params: { lead_data: data }, id: 1 });
  const body = (await response.json()) as RpcResponse<JsonRpcResults['agent/engagement/execute']>;
  expect(body.error).toBeUndefined();
  return body.result!;
}

async function processLead(baton: TestApp, leadId: string, wait = true) {
  const { body } = await baton.graphql(ProcessLeadAgainDocument, { input: graphqlLead(leadId), wait });
  expect(body.errors).toBeUndefined();
  return body.data!.processLead;
}

/** What the lead's submissions left: flows, handoffs by type, touchpoints. */
async function leftBehind(baton: TestApp, leadId: string) {
  const prisma = baton.app.services.prisma;
  const [flows, handoffs, touchpoints] = await Promise.all([
    prisma.leadFlow.count({ where: { leadId } }),
    prisma.handoff.findMany({ where: { leadId }, select: { type: true } }),
    // First touchpoints planned (step 1 of each plan): sent, or scheduled later by the frequency cap.
    prisma.outboundMessage.count({ where: { leadId, purpose: 'TOUCHPOINT', metadata: { path: ['step'], equals: 1 } } }),
  ]);
  const escalations = handoffs.filter(({ type }) => type === 'MANAGER_ESCALATION').length;
  return { flows, handoffs: handoffs.length - escalations, escalations, touchpoints };
}

describe('within the window', () => {
  let baton: TestApp;
  beforeAll(async () => {
    baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  });
  afterAll(() => baton?.stop());

  it(`REST: the same lead posted ${BOUNCE_LIMIT + 2} times is one flow, one touchpoint, no loop and no escalation`, async () => {
    const leadId = uniqueLeadId('again');
    const first = await rest(baton, leadData(leadId));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ success: true, handoff_quality: expect.any(Number) });
    expect(first.body).not.toHaveProperty('resubmitted');
    // The touchpoint's delivery goes on after the first answer: repeats answer the flow as it stands then.
    await untilDelivered(baton.app.services.prisma, leadId);
    const { engagement_result: _delivery, ...decided } = first.body;
    for (let round = 0; round <= BOUNCE_LIMIT; round++) {
      const again = await rest(baton, leadData(leadId));
      expect(again.status).toBe(200);
      // The earlier flow's answer, said to be one.
      expect(again.body).toEqual({
        ...decided,
        engagement_result: { ...first.body.engagement_result, delivery_status: 'sent', transport: 'mailbox', sent_at: expect.any(String) },
        processing_time_ms: again.body.processing_time_ms,
        resubmitted: true,
      });
    }
    expect(await leftBehind(baton, leadId)).toEqual({ flows: 1, handoffs: 1, escalations: 0, touchpoints: 1 });
    // Reading the flow back is no re-submission.
    const read = await fetch(`${baton.url}/api/v1/leads/${leadId}`, { headers: { authorization: `Bearer ${await baton.token('admin')}` } });
    expect(await read.json()).not.toHaveProperty('resubmitted');
  });

  it('REST: leaving out a field sent before is still the same lead; changing one is a new flow', async () => {
    const leadId = uniqueLeadId('same');
    await rest(baton, leadData(leadId));
    const { email: _left, ...withoutEmail } = leadData(leadId);
    expect((await rest(baton, withoutEmail)).body.resubmitted).toBe(true);
    const changed = await rest(baton, leadData(leadId, { email: 'jane@new-employer.example' }));
    expect(changed.status).toBe(200);
    expect(changed.body).not.toHaveProperty('resubmitted');
    expect(await leftBehind(baton, leadId)).toEqual({ flows: 2, handoffs: 2, escalations: 0, touchpoints: 2 });
  });

  it('GraphQL: processLead again answers the same flow with resubmitted: true', async () => {
    const leadId = uniqueLeadId('gql');
    const first = await processLead(baton, leadId);
    expect(first).toMatchObject({ status: 'COMPLETED', resubmitted: false, handoffQuality: expect.any(Number), escalations: [] });
    for (let round = 0; round <= BOUNCE_LIMIT; round++) {
      const again = await processLead(baton, leadId);
      expect(again).toEqual({ ...first, resubmitted: true });
    }
    expect(await leftBehind(baton, leadId)).toEqual({ flows: 1, handoffs: 1, escalations: 0, touchpoints: 1 });
  });

  it('GraphQL: submissions of one lead at once are one flow', async () => {
    const leadId = uniqueLeadId('burst');
    const answers = await Promise.all(Array.from({ length: 5 }, () => processLead(baton, leadId)));
    expect(new Set(answers.map(({ flowId }) => flowId)).size).toBe(1);
    expect(answers.filter(({ resubmitted }) => !resubmitted)).toHaveLength(1);
    expect(answers.every(({ status }) => status === 'COMPLETED')).toBe(true);
    expect(await leftBehind(baton, leadId)).toEqual({ flows: 1, handoffs: 1, escalations: 0, touchpoints: 1 });
  });

  it('JSON-RPC: agent/engagement/execute again answers the same flow and touchpoint, resubmitted', async () => {
    const leadId = uniqueLeadId('rpc');
    const answered = await execute(baton, leadData(leadId));
    expect(answered).not.toHaveProperty('resubmitted');
    // The touchpoint's delivery goes on after the first answer: repeats answer it as it stands then.
    await untilDelivered(baton.app.services.prisma, leadId);
    const first = await execute(baton, leadData(leadId));
    expect(first).toMatchObject({ flow_id: (answered as { flow_id: string }).flow_id, resubmitted: true });
    for (let round = 0; round < BOUNCE_LIMIT; round++) {
      const again = await execute(baton, leadData(leadId));
      expect(again).toEqual(first);
    }
    expect(await leftBehind(baton, leadId)).toEqual({ flows: 1, handoffs: 1, escalations: 0, touchpoints: 1 });
  });
});

describe('after the window', () => {
  let baton: TestApp;
  beforeAll(async () => {
    baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', RESUBMISSION_WINDOW_SECONDS: '1' } });
  });
  afterAll(() => baton?.stop());

  const windowPasses = () => new Promise((resolve) => setTimeout(resolve, 1_100));

  it('the same lead is re-engaged: a new flow through every door, and still no loop or escalation', async () => {
    const leadId = uniqueLeadId('reengage');
    const flowIds = new Set<string>();
    for (let round = 0; round <= BOUNCE_LIMIT; round++) {
      const answer = await processLead(baton, leadId);
      expect(answer).toMatchObject({ status: 'COMPLETED', resubmitted: false, escalations: [] });
      flowIds.add(answer.flowId);
      await windowPasses();
    }
    const viaRest = await rest(baton, leadData(leadId));
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).not.toHaveProperty('resubmitted');
    await windowPasses();
    const viaRpc = await execute(baton, leadData(leadId));
    expect(viaRpc).not.toHaveProperty('resubmitted');
    flowIds.add(viaRpc.flow_id);
    const rounds = BOUNCE_LIMIT + 3;
    expect(flowIds.size).toBe(rounds - 1);
    expect(await leftBehind(baton, leadId)).toEqual({ flows: rounds, handoffs: rounds, escalations: 0, touchpoints: rounds });
  });
});

describe('a flow nothing has scored yet (no triage worker runs here)', () => {
  let baton: TestApp;
  beforeAll(async () => {
    baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', BATON_ROLES: 'api', PROCESS_WAIT_MS: '200' } });
  });
  afterAll(() => baton?.stop());

  it('reports handoff_quality / handoffQuality null, not 0, at every door', async () => {
    const leadId = uniqueLeadId('unscored');
    const accepted = await rest(baton, leadData(leadId), { prefer: 'respond-async' });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'in_progress', handoff_quality: null });

    const { body } = await baton.graphql(LeadFlowQualityDocument, { id: accepted.body.flow_id });
    expect(body.data!.leadFlow).toEqual({ flowId: accepted.body.flow_id, status: 'IN_PROGRESS', resubmitted: false, handoffQuality: null });

    const viaRpc = await execute(baton, leadData(leadId));
    expect(viaRpc).toMatchObject({ flow_id: accepted.body.flow_id, status: 'in_progress', handoff: null, resubmitted: true });
  });

  it('a re-submission of a flow still under way waits for it and answers it, queueing nothing', async () => {
    const leadId = uniqueLeadId('pending');
    const first = await processLead(baton, leadId, false);
    expect(first).toMatchObject({ status: 'IN_PROGRESS', resubmitted: false, handoffQuality: null, handoff: null });
    const again = await rest(baton, leadData(leadId));
    // PROCESS_WAIT_MS passed with the flow still under way: 202, that same flow.
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ flow_id: first.flowId, status: 'in_progress', resubmitted: true });
    expect(await leftBehind(baton, leadId)).toEqual({ flows: 1, handoffs: 0, escalations: 0, touchpoints: 0 });
  });
});
