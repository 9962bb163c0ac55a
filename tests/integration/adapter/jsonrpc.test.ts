// JSON-RPC 2.0 on POST /mcp: the specification's triage example and the error codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp();
});
afterAll(() => baton?.stop());

async function rpc(body: unknown, token?: string | null) {
  const response = await baton.post('/mcp', body, { token });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const triageCall = (leadData: Record<string, unknown>, id: number | string = 1) => ({
  jsonrpc: '2.0',
  method: 'agent/triage/lead',
  params: { lead_data: leadData },
  id,
});

describe('agent/triage/lead', () => {
  it("answers the specification's example with a TriageResult", async () => {
    const leadId = uniqueLeadId();
    const { status, body } = await rpc(triageCall({ lead_id: leadId, industry: 'Technology', company_size: 'Enterprise', source: 'organic' }));
    expect(status).toBe(200);
    expect(body).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: {
        lead_id: leadId,
        triage_category: 'Campaign Qualified',
        lead_score: 73,
        assigned_agent: 'engagement-premium-001',
        confidence: 0.55,
        reasoning: expect.stringContaining('Top factors: company size Enterprise (+1.00)'),
      },
    });
    // Triage remembers the lead, without starting outreach.
    const stored = await baton.app.services.prisma.lead.findUniqueOrThrow({ where: { id: leadId }, include: { handoffs: true } });
    expect(stored).toMatchObject({ score: 73, category: 'CAMPAIGN_QUALIFIED' });
    expect(stored.handoffs).toEqual([]);
  });

  it('answers -32602 with the invalid fields named in data', async () => {
    const { body } = await rpc(triageCall({ lead_id: 'x', industry: 'Tech', company_size: 'Enterprise', email: 'nope' }, 'a'));
    expect(body.id).toBe('a');
    expect(body.error.code).toBe(-32602);
    expect(body.error.data.issues).toEqual([expect.objectContaining({ path: 'lead_data.industry' })]);

    const domain = await rpc(triageCall({ lead_id: 'x', industry: 'Technology', company_size: 'Enterprise', email: 'nope' }, 'b'));
    expect(domain.body.error).toMatchObject({ code: -32602, data: { issues: [{ path: 'lead_data.email', message: 'must be a valid email address' }] } });

    const missing = await rpc({ jsonrpc: '2.0', method: 'agent/triage/lead', id: 'c' });
    expect(missing.body.error).toMatchObject({ code: -32602, data: { issues: [{ path: 'lead_data', message: 'is required' }] } });
  });

  it('answers -32003 to a viewer', async () => {
    const { status, body } = await rpc(triageCall({ lead_id: uniqueLeadId(), industry: 'Finance', company_size: 'SMB' }), await baton.token('viewer'));
    expect(status).toBe(200);
    expect(body.error.code).toBe(-32003);
  });
});

describe('JSON-RPC framing', () => {
  it('answers -32601 to an unknown method', async () => {
    const { body } = await rpc({ jsonrpc: '2.0', method: 'agent/unknown', id: 7 });
    expect(body).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32601, message: 'Method not found', data: { method: 'agent/unknown' } } });
  });

  it('answers -32700 with id null to an unparsable body', async () => {
    const { status, body } = await rpc('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]');
    expect(status).toBe(200);
    expect(body).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error', data: { reason: expect.any(String) } }, id: null });
  });

  it('answers -32600 to an invalid request', async () => {
    const { body } = await rpc({ jsonrpc: '2.0', method: 1, params: 'bar' });
    expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
  });

  it('answers a batch with an array, and owes nothing to notifications', async () => {
    const leadId = uniqueLeadId();
    const { body } = await rpc([
      triageCall({ lead_id: leadId, industry: 'Healthcare', company_size: 'SMB' }, 1),
      { jsonrpc: '2.0', method: 'agent/unknown', id: 2 },
      { jsonrpc: '2.0', method: 'agent/triage/lead', params: { lead_data: { lead_id: uniqueLeadId(), industry: 'Finance', company_size: 'SMB' } } },
    ]);
    expect(body).toHaveLength(2);
    const byId = Object.fromEntries(body.map((response: { id: number }) => [response.id, response]));
    expect(byId[1].result.lead_id).toBe(leadId);
    expect(byId[2].error.code).toBe(-32601);

    const onlyNotifications = await rpc([{ jsonrpc: '2.0', method: 'agent/unknown' }]);
    expect(onlyNotifications.status).toBe(202);
    expect(onlyNotifications.body).toBeUndefined();
  });

  // The specification's section 7 examples that the lines above leave out, with Baton's real methods
  // (tests/unit/jsonrpc-spec-examples.test.ts has every example against the protocol layer).
  const invalidRequest = { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request', data: { reason: expect.any(String) } }, id: null };

  it('answers an empty batch with one Invalid Request, not an array', async () => {
    const { status, body } = await rpc([]);
    expect(status).toBe(200);
    expect(body).toEqual(invalidRequest);
  });

  it('answers [1,2,3] with one Invalid Request per entry', async () => {
    const { status, body } = await rpc([1, 2, 3]);
    expect(status).toBe(200);
    expect(body).toEqual([invalidRequest, invalidRequest, invalidRequest]);
  });

  it('answers a mixed batch in request order: a call, a notification, an invalid request and an unknown method', async () => {
    const called = uniqueLeadId();
    const notified = uniqueLeadId();
    const { status, body } = await rpc([
      triageCall({ lead_id: called, industry: 'Technology', company_size: 'Enterprise', source: 'organic' }, '1'),
      { jsonrpc: '2.0', method: 'agent/triage/lead', params: { lead_data: { lead_id: notified, industry: 'Finance', company_size: 'SMB' } } },
      { foo: 'boo' },
      { jsonrpc: '2.0', method: 'foo.get', params: { name: 'myself' }, id: '5' },
    ]);
    expect(status).toBe(200);
    expect(body).toEqual([
      { jsonrpc: '2.0', result: expect.objectContaining({ lead_id: called, triage_category: 'Campaign Qualified', lead_score: 73 }), id: '1' },
      invalidRequest,
      { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found', data: { method: 'foo.get' } }, id: '5' },
    ]);
    // The notification got no response, yet it ran.
    expect(await baton.app.services.prisma.lead.findUnique({ where: { id: notified } })).toMatchObject({ id: notified, industry: 'FINANCE' });
  });

  it('answers a batch of notifications of real methods with 202 and an empty body, and runs them', async () => {
    const leadIds = [uniqueLeadId(), uniqueLeadId()];
    const response = await baton.post(
      '/mcp',
      leadIds.map((leadId) => ({
        jsonrpc: '2.0',
        method: 'agent/triage/lead',
        params: { lead_data: { lead_id: leadId, industry: 'Healthcare', company_size: 'SMB' } },
      })),
    );
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(await baton.app.services.prisma.lead.count({ where: { id: { in: leadIds } } })).toBe(2);
  });

  it('answers 401 without a token', async () => {
    const { status, body } = await rpc(triageCall({ lead_id: 'x', industry: 'Finance', company_size: 'SMB' }), null);
    expect(status).toBe(401);
    expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32001 } });
  });
});
