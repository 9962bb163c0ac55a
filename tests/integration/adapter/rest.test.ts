// REST: the specification's POST /api/v1/leads, through the adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp();
});
afterAll(() => baton?.stop());

const leadData = (leadId: string, extra: Record<string, unknown> = {}) => ({
  lead_id: leadId,
  industry: 'Technology',
  company_size: 'Enterprise',
  source: 'organic',
  ...extra,
});

describe('POST /api/v1/leads', () => {
  it('processes a LeadProcessingRequest into a LeadProcessingResponse', async () => {
    const leadId = uniqueLeadId();
    const response = await baton.post('/api/v1/leads', {
      lead_data: leadData(leadId, { persona: 'Decision Maker', email: 'jane.doe@acme.com' }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(
      ['conversation_id', 'engagement_result', 'handoff_quality', 'lead_id', 'next_actions', 'processing_time_ms', 'success', 'triage_result'].sort(),
    );
    expect(body).toMatchObject({
      lead_id: leadId,
      success: true,
      handoff_quality: 1,
      triage_result: {
        lead_id: leadId,
        triage_category: 'Campaign Qualified',
        lead_score: 90,
        assigned_agent: 'engagement-premium-001',
        confidence: 0.87,
      },
      engagement_result: {
        agent: 'engagement-premium-001',
        channel: expect.stringMatching(/^(email|linkedin)$/),
        template: expect.stringMatching(/^premium-/),
      },
    });
    expect(body.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isInteger(body.processing_time_ms)).toBe(true);
    expect(body.triage_result.reasoning).toContain('persona Decision Maker');
    expect(body.next_actions[0]).toEqual(expect.objectContaining({ action: 'follow_up', due_at: expect.any(String) }));

    const stored = await baton.app.services.prisma.lead.findUniqueOrThrow({ where: { id: leadId }, include: { conversation: true } });
    expect(stored.conversation!.id).toBe(body.conversation_id);
  });

  it('accepts every label of the specification', async () => {
    for (const [industry, company_size, persona] of [
      ['Healthcare', 'Startup', 'End User'],
      ['Finance', 'SMB', 'Influencer'],
      ['Manufacturing', 'Mid-Market', 'Decision Maker'],
    ]) {
      const response = await baton.post('/api/v1/leads', { lead_data: leadData(uniqueLeadId(), { industry, company_size, persona }) });
      expect(response.status).toBe(200);
    }
  });

  it.each([
    ['a body without lead_data', {}, 'lead_data', 'is required'],
    ['a missing lead_id', { lead_data: { industry: 'Technology', company_size: 'SMB' } }, 'lead_data.lead_id', 'is required'],
    ['an unknown industry', { lead_data: leadData('x-1', { industry: 'Tech' }) }, 'lead_data.industry', 'must be one of "Technology"'],
    ['an unknown company size', { lead_data: leadData('x-2', { company_size: 'Huge' }) }, 'lead_data.company_size', 'must be one of'],
    ['an invalid email', { lead_data: leadData('x-3', { email: 'jane' }) }, 'lead_data.email', 'must be a valid email address'],
    ['an invalid lead id', { lead_data: leadData('has spaces') }, 'lead_data.lead_id', 'must be 1-128 characters'],
  ])('answers 400 naming the field for %s', async (_case, body, path, message) => {
    const response = await baton.post('/api/v1/leads', body);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(path);
    expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]));
  });

  it('answers 400 for a body that is not JSON, and stores nothing', async () => {
    const before = await baton.app.services.prisma.lead.count();
    const response = await baton.post('/api/v1/leads', '{"lead_data": ');
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain('not valid JSON');
    expect(await baton.app.services.prisma.lead.count()).toBe(before);
  });

  it('answers 401 without a token and 403 for a viewer', async () => {
    const body = { lead_data: leadData(uniqueLeadId()) };
    const anonymous = await baton.post('/api/v1/leads', body, { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${baton.url}/.well-known/oauth-protected-resource"`);
    expect((await anonymous.json()).error.code).toBe('UNAUTHENTICATED');

    const viewer = await baton.post('/api/v1/leads', body, { token: await baton.token('viewer') });
    expect(viewer.status).toBe(403);
    expect((await viewer.json()).error.code).toBe('FORBIDDEN');
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    expect((await baton.post('/api/v1/nothing', {})).status).toBe(404);
    const wrongMethod = await fetch(`${baton.url}/api/v1/leads`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});
