// The documented OptimizationRequest / OptimizationResponse: the response an analysis
// should come out as validates against the response's published JSON Schema (OpenAPI
// 3.0, checked with zod 4's z.fromJSONSchema), and the specification's load-test body is
// a valid OptimizationRequest. (The adapter's own mapping, from GraphQL, is compared with the
// same expectation in tests/integration/adapter/rest-agents.test.ts; the rules across a
// request's fields are GraphQL's, tested in tests/integration/adapter/optimization-request-rules.test.ts.)
import { describe, expect, it } from 'vitest';
import { parseInput } from '../../src/adapter/adapter-operation.js';
import { optimizeCampaign } from '../../src/adapter/operations/optimize-campaign.js';
import { optimizationRequestSchema } from '../../src/adapter/shapes/optimization-request.js';
import { optimizationResponseSchema } from '../../src/adapter/shapes/optimization-response.js';
import { analyzeCampaign } from '../../src/agents/optimization/analysis.js';
import type { MetricsSnapshot } from '../../src/agents/optimization/kpis.js';
import { resolveThresholds } from '../../src/agents/optimization/thresholds.js';
import { InputError } from '../../src/errors.js';
import { toOptimizationResponse } from '../support/optimization-response-oracle.js';
import { publishedSchema } from '../support/published-schema.js';
import { WAITING } from '../../src/adapter/door-bindings.js';

const responseSchema = publishedSchema(optimizationResponseSchema);
const requestSchema = publishedSchema(optimizationRequestSchema, 'input');

/** An OptimizationRequest body as POST /api/v1/campaigns/c/optimize reads it: optimizeCampaign's variables, or its issues. */
function parseOptimizationRequest(body: unknown) {
  const parsed = parseInput(optimizeCampaign.input, { ...(body as object | undefined), campaign_id: 'c' });
  if (!parsed.ok) throw new InputError(parsed.failure.issues);
  return optimizeCampaign.toVariables(parsed.value, WAITING);
}
const LOAD_TEST_BODY = { metrics: { roas: 2.1, ctr: 0.03, cpl_usd: 45 } };

const DAY = 86_400_000;
function snapshot(period: number, channel: string, variant: string, counts: Partial<MetricsSnapshot>): MetricsSnapshot {
  return {
    variant,
    channel,
    periodStart: new Date(Date.UTC(2025, 5, 2) + period * 7 * DAY),
    periodEnd: new Date(Date.UTC(2025, 5, 2) + (period + 1) * 7 * DAY),
    impressions: 40_000,
    clicks: 1000,
    conversions: 50,
    spendUsd: 1000,
    revenueUsd: 3000,
    ...counts,
  };
}

/** Two channels × two variants over seven weeks, the last with a CPL spike on social; plus an idle channel. */
function richCampaign(): MetricsSnapshot[] {
  const rows: MetricsSnapshot[] = [];
  for (let p = 0; p < 7; p++) {
    const last = p === 6;
    rows.push(snapshot(p, 'search', 'A', { conversions: 50 + (p % 3), revenueUsd: (50 + (p % 3)) * 80 }));
    rows.push(snapshot(p, 'search', 'B', { conversions: 80 + (p % 2), revenueUsd: (80 + (p % 2)) * 80 }));
    rows.push(snapshot(p, 'social', 'A', { conversions: last ? 10 : 30 + (p % 2), revenueUsd: (last ? 10 : 30) * 25 }));
    rows.push(snapshot(p, 'social', 'B', { conversions: last ? 12 : 40 + (p % 3), revenueUsd: (last ? 12 : 40) * 25 }));
    rows.push(snapshot(p, 'display', 'A', { impressions: 0, clicks: 0, conversions: 0, spendUsd: 0, revenueUsd: 0 }));
  }
  return rows;
}

describe('toOptimizationResponse', () => {
  it("validates against the OptimizationResponse's published JSON Schema, with every kind of content", () => {
    const analysis = analyzeCampaign({ id: 'camp-1', budgetUsd: 1_000_000 }, richCampaign(), {
      thresholds: resolveThresholds(),
      analyzedAt: new Date('2025-07-21T09:00:00Z'),
      reported: { roas: 0.8, ctr: 0.03, cplUsd: 45 },
    });
    const types = new Set(analysis.recommendations.map((r) => r.type));
    for (const type of ['variant_winner', 'anomaly', 'budget_reallocation', 'insufficient_data'] as const) expect(types).toContain(type);
    expect(analysis.breaches.length).toBeGreaterThan(0);

    const escalationId = '3f1c8a52-6f57-4c2e-9d0b-6d3e4f1a2b3c';
    const response = toOptimizationResponse(analysis, { escalationId });
    expect(responseSchema.safeParse(response).error).toBeUndefined();
    // And through JSON, as a client receives it.
    expect(responseSchema.safeParse(JSON.parse(JSON.stringify(response))).success).toBe(true);
    expect(response).toMatchObject({
      campaign_id: 'camp-1',
      analyzed_at: '2025-07-21T09:00:00.000Z',
      escalated: true,
      escalation_id: escalationId,
      optimization_run_id: null,
    });
    expect(response.kpis.by_channel.find((c) => c.channel === 'display')).toMatchObject({ ctr: null, cvr: null, cpl_usd: null, roas: null });
    expect(response.reported?.has_counts).toBe(false);
    expect(response.insufficient_data).toEqual(analysis.insufficient);
    for (const recommendation of response.recommendations) {
      expect(recommendation.confidence).toBeGreaterThanOrEqual(0);
      expect(recommendation.confidence).toBeLessThanOrEqual(1);
      expect(Object.keys(recommendation.evidence).length).toBeGreaterThan(0);
    }
  });

  it('validates for an empty campaign: no data, no claims, not escalated', () => {
    const analysis = analyzeCampaign({ id: 'camp-2', budgetUsd: null }, [], { thresholds: resolveThresholds(), analyzedAt: new Date() });
    const response = toOptimizationResponse(analysis, { escalationId: null });
    expect(responseSchema.safeParse(response).success).toBe(true);
    expect(response).toMatchObject({ data_sufficient: false, escalated: false, escalation_id: null, breaches: [], reported: null });
    expect(response.recommendations.map((r) => r.type)).toEqual(['insufficient_data']);
  });

  it('the schema is a real check: wrong types, missing and unknown fields fail', () => {
    const response = toOptimizationResponse(
      analyzeCampaign({ id: 'c', budgetUsd: null }, richCampaign(), { thresholds: resolveThresholds(), analyzedAt: new Date() }),
      {
        escalationId: null,
      },
    );
    const broken = (mutate: (r: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(response)) as Record<string, unknown>;
      mutate(copy);
      return responseSchema.safeParse(copy).success;
    };
    expect(broken(() => {})).toBe(true);
    expect(broken((r) => ((r.recommendations as Record<string, unknown>[])[0]!.confidence = 'high'))).toBe(false);
    expect(broken((r) => ((r.recommendations as Record<string, unknown>[])[0]!.confidence = 1.5))).toBe(false);
    expect(broken((r) => ((r.recommendations as Record<string, unknown>[])[0]!.type = 'guess'))).toBe(false);
    expect(broken((r) => ((r.recommendations as Record<string, unknown>[])[0]!.evidence = { z: true }))).toBe(false);
    expect(broken((r) => delete r.escalated)).toBe(false);
    expect(broken((r) => (r.extra = 1))).toBe(false);
    expect(broken((r) => ((r.kpis as { overall: Record<string, unknown> }).overall.roas = null))).toBe(true);
    expect(broken((r) => ((r.kpis as { overall: Record<string, unknown> }).overall.clicks = null))).toBe(false);
    expect(broken((r) => (r.analyzed_at = 'yesterday'))).toBe(false);
  });
});

describe('OptimizationRequest', () => {
  it("the specification's load-test body is valid, by the JSON Schema and by the parser", () => {
    expect(requestSchema.safeParse(LOAD_TEST_BODY).success).toBe(true);
    expect(parseOptimizationRequest(LOAD_TEST_BODY)).toEqual({ campaignId: 'c', reported: { roas: 2.1, ctr: 0.03, cplUsd: 45 } });
  });

  it('an empty body or {} analyzes the stored data', () => {
    expect(requestSchema.safeParse({}).success).toBe(true);
    expect(parseOptimizationRequest({})).toEqual({ campaignId: 'c' });
    expect(parseOptimizationRequest(undefined)).toEqual({ campaignId: 'c' });
  });

  it('an array of full snapshots is ingested', () => {
    const body = {
      metrics: [
        {
          channel: 'search',
          variant: 'A',
          period_start: '2025-06-02T00:00:00Z',
          period_end: '2025-06-09T00:00:00Z',
          impressions: 1000,
          clicks: 50,
          conversions: 5,
          spend_usd: 100,
          revenue_usd: 300,
        },
      ],
    };
    expect(requestSchema.safeParse(body).success).toBe(true);
    expect(parseOptimizationRequest(body).metrics).toEqual([
      {
        channel: 'search',
        variant: 'A',
        periodStart: '2025-06-02T00:00:00Z',
        periodEnd: '2025-06-09T00:00:00Z',
        impressions: 1000,
        clicks: 50,
        conversions: 5,
        spendUsd: 100,
        revenueUsd: 300,
      },
    ]);
  });

  it('rejects fields that are invalid on their own, with snake_case issue paths', () => {
    const issues = (body: unknown) => {
      try {
        parseOptimizationRequest(body);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).issues.map((issue) => issue.path);
      }
      throw new Error('expected an InputError');
    };
    expect(issues({ metrics: { roas: -1 } })).toEqual(['metrics.roas']);
    expect(issues({ metrics: { ctr: 3 } })).toEqual(['metrics.ctr']);
    expect(issues({ metrics: { roas: 2, bogus: 1 } })).toEqual(['metrics']);
    expect(issues({ metrics: 'fast' })).toEqual(['metrics']);
    expect(issues({ campaign: 'x' })).toEqual(['campaign']);
    expect(issues({ metrics: [{ period_start: '2025-06-02', impressions: 1.5 }] })).toEqual(
      expect.arrayContaining(['metrics.0.period_end', 'metrics.0.impressions', 'metrics.0.clicks']),
    );
    // The JSON Schema agrees on what it can express.
    expect(requestSchema.safeParse({ metrics: { roas: -1 } }).success).toBe(false);
    expect(requestSchema.safeParse({ metrics: { roas: 2, bogus: 1 } }).success).toBe(false);
    expect(requestSchema.safeParse({ metrics: [] }).success).toBe(false);
  });
});

describe('resolveThresholds', () => {
  it('defaults, overrides, and InputError on a bad value', () => {
    expect(resolveThresholds()).toMatchObject({ roasFloor: 1, cplSpikeZ: 3.5, minHistoryPeriods: 5, minClicksPerVariant: 100, cplCeilingUsd: null });
    expect(resolveThresholds({ roasFloor: 1.2, cplCeilingUsd: 80 })).toMatchObject({ roasFloor: 1.2, cplCeilingUsd: 80 });
    expect(() => resolveThresholds({ significanceLevel: 1.5, minHistoryPeriods: 2.5 })).toThrow(InputError);
    try {
      resolveThresholds({ significanceLevel: 1.5, roasScaleTarget: 0.5 });
    } catch (error) {
      expect((error as InputError).issues.map((i) => i.path)).toEqual(['thresholds.significanceLevel', 'thresholds.roasScaleTarget']);
    }
  });
});
