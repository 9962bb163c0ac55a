// What the dashboard's handoff and memory pages read that older queries did not
// answer: latency percentiles beyond p95, the list of live short-term
// conversations (masked for viewers), and the consolidation runs, newest first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConsolidateMemoryDocument,
  ConsolidationRunsDocument,
  HandoffPercentilesDocument,
  ProcessLeadForTestDocument,
  ShortTermConversationsDocument,
  StoreShortTermMemoryDocument,
} from '../../__generated__/graphql.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

describe('handoffAnalytics percentiles', () => {
  it('answers the median, p95 and p99 in order, overall, per agent and for acceptance', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    for (const industry of ['TECHNOLOGY', 'HEALTHCARE', 'FINANCE'] as const) {
      const { body } = await baton.graphql(ProcessLeadForTestDocument, {
        input: { leadId: uniqueLeadId(), industry, companySize: 'ENTERPRISE', source: 'organic', email: 'jane.doe@acme.com', persona: 'DECISION_MAKER' },
      });
      expect(body.errors).toBeUndefined();
      expect(body.data!.processLead.handoff?.status).toBe('COMPLETED');
    }
    const { body } = await baton.graphql(HandoffPercentilesDocument, { since });
    expect(body.errors).toBeUndefined();
    const analytics = body.data!.handoffAnalytics;
    expect(analytics.totalHandoffs).toBeGreaterThanOrEqual(3);
    const ordered = (t: { p50Ms?: number | null; p95Ms?: number | null; p99Ms?: number | null }) => {
      expect(t.p50Ms).not.toBeNull();
      expect(t.p50Ms!).toBeLessThanOrEqual(t.p95Ms!);
      expect(t.p95Ms!).toBeLessThanOrEqual(t.p99Ms!);
    };
    ordered({ p50Ms: analytics.p50ProcessingTimeMs, p95Ms: analytics.p95ProcessingTimeMs, p99Ms: analytics.p99ProcessingTimeMs });
    ordered(analytics.acceptanceLatency);
    const triage = analytics.agents.find((agent) => agent.agent === 'triage')!;
    expect(triage.count).toBeGreaterThanOrEqual(3);
    ordered(triage.processing);
  });

  it('answers null percentiles for a window without handoffs', async () => {
    const { body } = await baton.graphql(HandoffPercentilesDocument, { since: '2001-01-01T00:00:00Z', until: '2001-01-02T00:00:00Z' });
    expect(body.data!.handoffAnalytics).toMatchObject({ totalHandoffs: 0, p50ProcessingTimeMs: null, p99ProcessingTimeMs: null });
    expect(body.data!.handoffAnalytics.acceptanceLatency).toEqual({ averageMs: null, p50Ms: null, p95Ms: null, p99Ms: null });
  });
});

describe('shortTermConversations', () => {
  const older = `conv-${uniqueLeadId()}`;
  const newer = `conv-${uniqueLeadId()}`;

  beforeAll(async () => {
    for (const [conversationId, intent] of [
      [older, 'pricing'],
      [newer, 'demo_request'],
    ] as const) {
      const { body } = await baton.graphql(StoreShortTermMemoryDocument, {
        conversationId,
        input: { activeIntent: intent, extractedSlots: { email: 'jane.doe@acme.com', interest: 'analytics' }, pendingActions: ['follow_up'] },
        ttlSeconds: 600,
      });
      expect(body.errors).toBeUndefined();
    }
  });

  it('lists live conversations, most recently written first, with their TTL and slots', async () => {
    const { body } = await baton.graphql(ShortTermConversationsDocument, { first: 100 });
    expect(body.errors).toBeUndefined();
    const listed = body.data!.shortTermConversations;
    const ids = listed.map((conversation) => conversation.conversationId);
    expect(ids.indexOf(newer)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    const conversation = listed.find((candidate) => candidate.conversationId === newer)!;
    expect(conversation).toMatchObject({ activeIntent: 'demo_request', pendingActions: ['follow_up'] });
    expect(conversation.extractedSlots).toEqual({ email: 'jane.doe@acme.com', interest: 'analytics' });
    expect(Date.parse(conversation.expiresAt) - Date.parse(conversation.updatedAt)).toBe(600_000);

    const one = await baton.graphql(ShortTermConversationsDocument, { first: 1 });
    expect(one.body.data!.shortTermConversations).toHaveLength(1);
  });

  it("masks a viewer's view of personal slots", async () => {
    const viewer = await baton.token('viewer');
    const { body } = await baton.graphql(ShortTermConversationsDocument, { first: 100 }, { token: viewer });
    expect(body.errors).toBeUndefined();
    const conversation = body.data!.shortTermConversations.find((candidate) => candidate.conversationId === newer)!;
    const slots = conversation.extractedSlots as Record<string, unknown>;
    expect(slots.email).not.toBe('jane.doe@acme.com');
    expect(JSON.stringify(slots)).not.toContain('jane.doe');
  });

  it('refuses a page size out of range with BAD_USER_INPUT naming first', async () => {
    for (const first of [0, 101]) {
      const { body } = await baton.graphql(ShortTermConversationsDocument, { first });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(body.errors?.[0]?.extensions)).toContain('first');
    }
  });
});

describe('consolidationRuns', () => {
  it('lists nothing before a run, then the runs newest first', async () => {
    const before = await baton.graphql(ConsolidationRunsDocument, {});
    expect(before.body.errors).toBeUndefined();
    const known = before.body.data!.consolidationRuns.length;

    const first = await baton.graphql(ConsolidateMemoryDocument, {});
    const second = await baton.graphql(ConsolidateMemoryDocument, {});
    expect(second.body.errors).toBeUndefined();

    const viewer = await baton.token('viewer');
    const { body } = await baton.graphql(ConsolidationRunsDocument, { first: 100 }, { token: viewer });
    expect(body.errors).toBeUndefined();
    const runs = body.data!.consolidationRuns;
    expect(runs).toHaveLength(known + 2);
    expect(runs.slice(0, 2).map((run) => run.runId)).toEqual([second.body.data!.consolidateMemory.runId, first.body.data!.consolidateMemory.runId]);
    expect(runs[0]).toMatchObject({ skipped: false });
    expect(runs[0]!.triageModelVersion).not.toBe('');

    const limited = await baton.graphql(ConsolidationRunsDocument, { first: 1 });
    expect(limited.body.data!.consolidationRuns.map((run) => run.runId)).toEqual([second.body.data!.consolidateMemory.runId]);
  });

  it('refuses a page size out of range with BAD_USER_INPUT naming first', async () => {
    const { body } = await baton.graphql(ConsolidationRunsDocument, { first: 0 });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(body.errors?.[0]?.extensions)).toContain('first');
  });
});
