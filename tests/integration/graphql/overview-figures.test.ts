// The figures a dashboard's front page shows, each one grouped statement: the lead
// funnel by category and outcome, leads per hour, the outbox by delivery status, and
// the triage model's version with its held-out quality (measured when it is fitted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConsolidateMemoryDocument,
  OutboxStatusesDocument,
  OverviewFiguresDocument,
  type OverviewFiguresQueryVariables,
  ProcessLeadForTestDocument,
  RecordOutcomeDocument,
  TriageModelQualityDocument,
} from '../../__generated__/graphql.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

async function figures(variables: OverviewFiguresQueryVariables = {}) {
  const { body } = await baton.graphql(OverviewFiguresDocument, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

async function processLead(input: Record<string, unknown>): Promise<string> {
  const leadId = uniqueLeadId('overview');
  const { body } = await baton.graphql(ProcessLeadForTestDocument, { input: { leadId, ...input } as never });
  expect(body.errors).toBeUndefined();
  return leadId;
}

async function recordOutcome(leadId: string, outcome: 'CONVERTED' | 'LOST') {
  const { body } = await baton.graphql(RecordOutcomeDocument, { leadId, outcome });
  expect(body.data?.recordOutcome.__typename).toBe('Lead');
}

async function consolidate() {
  const { body } = await baton.graphql(ConsolidateMemoryDocument, {});
  expect(body.errors).toBeUndefined();
  return body.data!.consolidateMemory;
}

async function triageModel() {
  const { body } = await baton.graphql(TriageModelQualityDocument, {});
  expect(body.errors).toBeUndefined();
  return body.data!;
}

describe('overview figures', () => {
  it('are zeros and the cold-start model on a fresh Baton', async () => {
    const data = await figures();
    expect(data.leadFunnel).toEqual({
      leads: 0,
      triaged: 0,
      converted: 0,
      lost: 0,
      byCategory: ['CAMPAIGN_QUALIFIED', 'COLD_LEAD', 'GENERAL_INQUIRY'].map((category) => ({ category, leads: 0, converted: 0, lost: 0, open: 0 })),
    });
    // The last 24 hours by the hour: the hours the window touches, zeros included.
    expect(data.leadActivity.bucket).toBe('HOUR');
    expect(data.leadActivity.points.length).toBeGreaterThanOrEqual(24);
    expect(data.leadActivity.points.length).toBeLessThanOrEqual(25);
    expect(data.leadActivity.points.every((point) => point.leads === 0)).toBe(true);
    expect(data.outboxCounts.map((c) => c.status)).toEqual(['SCHEDULED', 'SENDING', 'SENT', 'FAILED', 'BOUNCED', 'SUPPRESSED', 'CANCELLED']);
    expect(data.outboxCounts.every((c) => c.count === 0)).toBe(true);
    const model = await triageModel();
    const coldStart = { version: 'cold-start-v1', fittedAt: null, outcomes: 0, conversions: 0, heldOut: null };
    expect(model.triageModel).toEqual(coldStart);
    expect(model.triageModelVersions).toEqual([coldStart]);
  });

  it('count leads per category and outcome, per hour, and messages per status', async () => {
    const hot = await processLead({ industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', email: 'a@acme.com' });
    await processLead({ industry: 'TECHNOLOGY', companySize: 'ENTERPRISE' });
    const cold = await processLead({ industry: 'MANUFACTURING', companySize: 'STARTUP', persona: 'END_USER' });
    await recordOutcome(hot, 'CONVERTED');
    await recordOutcome(cold, 'LOST');

    const data = await figures();
    expect(data.leadFunnel).toEqual({
      leads: 3,
      triaged: 3,
      converted: 1,
      lost: 1,
      byCategory: [
        { category: 'CAMPAIGN_QUALIFIED', leads: 1, converted: 1, lost: 0, open: 0 },
        { category: 'COLD_LEAD', leads: 1, converted: 0, lost: 1, open: 0 },
        { category: 'GENERAL_INQUIRY', leads: 1, converted: 0, lost: 0, open: 1 },
      ],
    });
    expect(data.leadActivity.points.reduce((sum, point) => sum + point.leads, 0)).toBe(3);
    expect(data.leadActivity.points.at(-1)!.leads).toBe(3);

    // The same statuses the outbox lists, counted.
    const { body } = await baton.graphql(OutboxStatusesDocument, {});
    const listed = new Map<string, number>();
    for (const { node } of body.data!.outboundMessages.edges) listed.set(node.status, (listed.get(node.status) ?? 0) + 1);
    expect(listed.size).toBeGreaterThan(0);
    expect(Object.fromEntries(data.outboxCounts.filter((c) => c.count > 0).map((c) => [c.status, c.count]))).toEqual(Object.fromEntries(listed));
  });

  it('buckets by the day and answers a window before any lead with zeros', async () => {
    const until = new Date();
    const byDay = await figures({ since: new Date(until.getTime() - 3 * 86_400_000).toISOString(), until: until.toISOString(), bucket: 'DAY' });
    expect(byDay.leadActivity.bucket).toBe('DAY');
    expect(byDay.leadActivity.points.length).toBeGreaterThanOrEqual(3);
    expect(byDay.leadActivity.points.map((p) => new Date(p.start as string).getUTCHours())).toEqual(byDay.leadActivity.points.map(() => 0));
    expect(byDay.leadActivity.points.at(-1)!.leads).toBe(3);
    const before = await figures({ since: '2020-01-01T00:00:00Z', until: '2020-01-01T05:00:00Z' });
    expect(before.leadActivity.points).toEqual([0, 1, 2, 3, 4].map((hour) => ({ start: `2020-01-01T0${hour}:00:00.000Z`, leads: 0 })));
  });

  it('refuses a backwards window or too many buckets, naming the argument', async () => {
    for (const variables of [
      { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' },
      { since: '2020-01-01T00:00:00Z', until: '2026-01-01T00:00:00Z' },
    ]) {
      const { status, body } = await baton.graphql(OverviewFiguresDocument, variables);
      expect(status).toBe(200);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(body.errors)).toContain('since');
    }
  });

  it('says when too few outcomes were held out to measure the model', async () => {
    expect(await consolidate()).toMatchObject({ triageModelVersion: 'learned-v1', triageModelRetrained: true, outcomesLearned: 2 });
    const { triageModel: current } = await triageModel();
    expect(current).toMatchObject({ version: 'learned-v1', outcomes: 2, conversions: 1 });
    expect(current.fittedAt).not.toBeNull();
    expect(current.heldOut).toEqual({ outcomes: 2, folds: 5, minimumOutcomes: 20, enough: false, auc: null, brier: null });
  });

  it('measures AUC and Brier on held-out outcomes once there are enough', async () => {
    // Technology decision makers convert, manufacturing end users do not: a model that
    // learned it ranks held-out leads well.
    for (let i = 0; i < 12; i++) {
      await recordOutcome(await processLead({ industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER', source: 'referral' }), 'CONVERTED');
      await recordOutcome(await processLead({ industry: 'MANUFACTURING', companySize: 'STARTUP', persona: 'END_USER', source: 'cold_outreach' }), 'LOST');
    }
    expect(await consolidate()).toMatchObject({ triageModelVersion: 'learned-v2', outcomesLearned: 26 });
    const { triageModel: current, triageModelVersions } = await triageModel();
    expect(current).toMatchObject({ version: 'learned-v2', outcomes: 26, conversions: 13 });
    expect(current.heldOut).toMatchObject({ outcomes: 26, enough: true });
    expect(current.heldOut!.auc).toBeGreaterThan(0.8);
    expect(current.heldOut!.auc).toBeLessThanOrEqual(1);
    expect(current.heldOut!.brier).toBeGreaterThanOrEqual(0);
    expect(current.heldOut!.brier).toBeLessThan(0.2);
    expect(triageModelVersions.map((v) => v.version)).toEqual(['learned-v2', 'learned-v1', 'cold-start-v1']);
  }, 120_000);
});
