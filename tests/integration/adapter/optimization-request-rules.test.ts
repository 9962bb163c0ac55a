// The rules across an OptimizationRequest's fields (clicks ≤ impressions, a period that
// ends after it starts, one snapshot per variant/channel/period, a KPI that agrees with
// its counts, at least one KPI) are the optimization agent's, applied behind GraphQL: a
// REST or JSON-RPC caller gets them as 400 / -32602 naming its own fields, and nothing
// is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

const week = (start: string, end: string) => ({
  period_start: start,
  period_end: end,
  impressions: 100,
  clicks: 50,
  conversions: 5,
  spend_usd: 1,
  revenue_usd: 1,
});

async function issuePaths(campaignId: string, body: unknown): Promise<string[]> {
  const response = await baton.post(`/api/v1/campaigns/${campaignId}/optimize`, body);
  const { error } = await response.json();
  expect(response.status).toBe(400);
  expect(error.code).toBe('BAD_USER_INPUT');
  return error.issues.map((issue: { path: string }) => issue.path);
}

describe('an OptimizationRequest whose fields disagree', () => {
  it.each([
    ['a report without any KPI or count', { metrics: {} }, ['metrics']],
    ['a ROAS its counts contradict', { metrics: { roas: 3, spend_usd: 100, revenue_usd: 100 } }, ['metrics.roas']],
    ['more conversions than clicks', { metrics: { clicks: 10, conversions: 11 } }, ['metrics.conversions']],
    [
      'snapshots with more clicks than impressions, and a period ending before it starts',
      { metrics: [{ ...week('2025-06-02T00:00:00Z', '2025-06-09T00:00:00Z'), impressions: 10 }, week('2025-06-09T00:00:00Z', '2025-06-02T00:00:00Z')] },
      ['metrics.0.clicks', 'metrics.1.period_end'],
    ],
    [
      'the same variant, channel and period twice',
      { metrics: [week('2025-06-02T00:00:00Z', '2025-06-09T00:00:00Z'), week('2025-06-02T00:00:00Z', '2025-06-09T00:00:00Z')] },
      ['metrics.1'],
    ],
  ])('answers 400 naming the fields for %s, storing nothing', async (_case, body, paths) => {
    const campaignId = `camp-${uniqueLeadId()}`;
    expect(await issuePaths(campaignId, body)).toEqual(paths);
    expect(await baton.app.services.prisma.campaign.findUnique({ where: { id: campaignId } })).toBeNull();
  });

  it('answers -32602 over JSON-RPC with the same paths', async () => {
    const response = await baton.post('/mcp', {
      jsonrpc: '2.0',
      id: 1,
      method: 'agent/optimization/analyze',
      params: { campaign_id: `camp-${uniqueLeadId()}`, metrics: { clicks: 10, conversions: 11 } },
    });
    const { error } = await response.json();
    expect(error).toMatchObject({ code: -32602, data: { issues: [{ path: 'metrics.conversions', message: 'must not exceed clicks (10)' }] } });
  });
});
