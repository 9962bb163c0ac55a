// GET /health and GET /metrics: open to monitoring, no token needed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { SERVER_ID: 'baton-test-1' } });
});
afterAll(() => baton?.stop());

describe('GET /health', () => {
  it("answers the specification's shape", async () => {
    const response = await fetch(`${baton.url}/health`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      status: 'healthy',
      timestamp: expect.any(String),
      server_id: 'baton-test-1',
      // Redis only when REDIS_URL is set.
      dependencies: process.env.REDIS_URL ? { database: 'up', redis: 'up' } : { database: 'up' },
    });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
  });
});

describe('GET /metrics', () => {
  it('exposes GraphQL operation counts and durations and HTTP request durations', async () => {
    await baton.graphql('query ReadOne { lead(id: "none") { id } }');
    await baton.post('/api/v1/leads', { lead_data: { lead_id: uniqueLeadId(), industry: 'Finance', company_size: 'SMB' } });

    const response = await fetch(`${baton.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    // A test's own operation is none Baton knows: its name is no label (tests/integration/leaks/metric-labels.test.ts).
    expect(text).toMatch(/graphql_envelop_request_duration_bucket\{[^}]*operationName="unknown"[^}]*operationType="query"/);
    expect(text).toMatch(/graphql_envelop_request\{[^}]*operationName="unknown"[^}]*\} 1/);
    // The REST adapter's operation is a named GraphQL operation too.
    expect(text).toMatch(/graphql_envelop_request_duration_count\{[^}]*operationName="ProcessLead"/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*method="POST",route="\/api\/v1\/leads",status_code="200"[^}]*\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/graphql"/);
    expect(text).toContain('process_cpu_user_seconds_total');
    // Processing a lead reads episodes, appends to the profile and leaves a short-term context.
    expect(text).toMatch(/baton_memory_operation_duration_seconds_count\{[^}]*tier="episodic",operation="conversionEvidence",outcome="ok"[^}]*\} 1/);
    expect(text).toMatch(/baton_memory_operation_duration_seconds_count\{[^}]*tier="short_term",operation="store",outcome="ok"/);
  });
});
