// A short, realistic session that calls each of the JSON-RPC methods at
// least once, over whatever transport `call` speaks (HTTP or WebSocket). Every
// call must succeed; `call` may check each result further.
import { losingWeeksSnapshots } from './campaign-fixtures.js';
import { uniqueLeadId } from './test-app.js';

export type MethodCall = (method: string, params: Record<string, unknown>) => Promise<unknown>;

export async function callEveryMethod(call: MethodCall): Promise<Map<string, unknown>> {
  const results = new Map<string, unknown>();
  const record = async (method: string, params: Record<string, unknown>) => {
    const result = await call(method, params);
    results.set(method, result);
    return result;
  };
  const leadId = uniqueLeadId('rpc');
  const campaignId = `campaign-${leadId}`;
  const conversationId = `conv-${leadId}`;
  const leadData = {
    lead_id: leadId,
    industry: 'Technology',
    company_size: 'Enterprise',
    persona: 'Decision Maker',
    source: 'webinar',
    email: `${leadId}@example.com`,
  };
  await record('agent/triage/lead', { lead_data: leadData });
  await record('agent/engagement/execute', { lead_data: leadData });
  await record('memory/store/short-term', {
    conversation_id: conversationId,
    memory_data: { lead_id: leadId, extracted_slots: { budget: 'Q3' } },
    ttl_seconds: 600,
  });
  await record('memory/retrieve/short-term', { conversation_id: conversationId });
  await call('memory/retrieve/short-term', { conversation_id: `${conversationId}-never-written` });
  await record('memory/store/long-term', { lead_id: leadId, profile: { attributes: { plan: 'enterprise' }, consent: true } });
  await record('memory/retrieve/long-term', { lead_id: leadId });
  await record('interaction/log', { lead_id: leadId, interaction_type: 'email_open', channel: 'email', metadata: { campaign: 'q3' } });
  const week = { period_start: '2026-10-05T00:00:00Z', period_end: '2026-10-12T00:00:00Z' };
  await record('agent/optimization/analyze', {
    campaign_id: campaignId,
    metrics: [{ variant: 'a', channel: 'search', ...week, impressions: 10_000, clicks: 400, conversions: 20, spend_usd: 1_000, revenue_usd: 3_000 }],
  });
  await call('agent/optimization/analyze', { campaign_id: campaignId, metrics: { roas: 2.5 } });
  await record('campaign/get/metrics', { campaign_id: campaignId });
  // A losing campaign escalates to a manager, who decides it.
  const losing = (await call('agent/optimization/analyze', { campaign_id: `${campaignId}-losing`, metrics: losingWeeksSnapshots() })) as {
    escalation_id: string;
  };
  await record('escalation/resolve', { escalation_id: losing.escalation_id, decision: 'reject', note: 'Reviewed by hand' });
  // A lead with only the required fields waits at the quality gate for context; an operator's email resumes it.
  const bare = { lead_id: `${leadId}-bare`, industry: 'Technology', company_size: 'Enterprise', source: 'organic' };
  const waiting = (await call('agent/engagement/execute', { lead_data: bare })) as { handoff: { handoff_id: string } };
  await record('handoff/context/provide', { handoff_id: waiting.handoff.handoff_id, context: { email: `${leadId}-bare@example.com` } });
  // A person asks to be forgotten (an admin erases them): a lead of its own, triaged only, so no flow is still running.
  const forgotten = { ...leadData, lead_id: `${leadId}-forgotten`, email: `${leadId}-forgotten@example.com` };
  await call('agent/triage/lead', { lead_data: forgotten });
  await record('lead/erase', { lead_id: forgotten.lead_id });
  return results;
}
