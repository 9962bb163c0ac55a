// The OpenAPI document the REST adapter serves: it describes every REST route
// Baton mounts, and the responses those routes give validate against it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { REST_ROUTES } from '../../../src/rest/routes.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
let document: { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  const response = await fetch(`${baton.url}/api/v1/openapi.json`);
  expect(response.status).toBe(200);
  document = await response.json();
});
afterAll(() => baton?.stop());

/** A component schema as a zod validator, its $refs resolved against the document. */
function validator(name: string) {
  const resolve = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(resolve);
    if (schema && typeof schema === 'object') {
      const ref = (schema as { $ref?: string }).$ref;
      if (ref) return resolve(document.components.schemas[ref.split('/').at(-1)!]);
      return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolve(value)]));
    }
    return schema;
  };
  return z.fromJSONSchema(resolve(document.components.schemas[name]) as never, { defaultTarget: 'openapi-3.0' });
}

describe('GET /api/v1/openapi.json', () => {
  it('is OpenAPI 3 and describes every mounted REST route', () => {
    expect(document.openapi).toMatch(/^3\./);
    for (const route of REST_ROUTES) expect(document.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['OptimizationRequest', 'OptimizationResponse', 'HandoffAnalytics', 'LeadProcessingResponse']),
    );
  });

  it("validates the routes' real responses", async () => {
    const lead = await baton.post('/api/v1/leads', { lead_data: { lead_id: uniqueLeadId(), industry: 'Finance', company_size: 'SMB' } });
    expect(validator('LeadProcessingResponse').safeParse(await lead.json()).success).toBe(true);

    const optimized = await baton.post(`/api/v1/campaigns/camp-${uniqueLeadId()}/optimize`, { metrics: { roas: 2.1, ctr: 0.03, cpl_usd: 45 } });
    expect(optimized.status).toBe(200);
    const body = await optimized.json();
    expect(validator('OptimizationResponse').safeParse(body).error?.issues ?? []).toEqual([]);
    expect(validator('OptimizationRequest').safeParse({ metrics: { roas: 2.1, ctr: 0.03, cpl_usd: 45 } }).success).toBe(true);

    const token = await baton.token('viewer');
    const analytics = await fetch(`${baton.url}/api/v1/agents/handoffs/analytics`, { headers: { authorization: `Bearer ${token}` } });
    expect(validator('HandoffAnalytics').safeParse(await analytics.json()).error?.issues ?? []).toEqual([]);

    const status = await fetch(`${baton.url}/api/v1/system/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(status.status).toBe(200);
    const body2 = await status.json();
    expect(validator('SystemStatus').safeParse(body2).error?.issues ?? []).toEqual([]);
    expect(body2).toMatchObject({ system_running: true, agent_status: { 'triage-001': { role: 'triage', handoffs_last_24h: expect.any(Number) } } });
    expect(body2.handoff_analytics.total_handoffs).toBeGreaterThan(0);
  });
});
