// The triage model's calibration monitor, as a marketer and an operator read it: every
// version with its training window, held-out quality and calibration curve, promotion
// and drift check; the drift state now and its episodes (also on systemStatus); a
// subscription that hears each fit; and /metrics gauges any replica reads from the
// database, a restarted one included. Versions beyond the first fit are written as
// rows, the way the learning stores them, so every field has a value to read back.
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import {
  ConsolidateMemoryDocument,
  ProcessLeadForTestDocument,
  RecordOutcomeDocument,
  TriageModelFittedDocument,
  type TriageModelFittedSubscription,
  TriageModelMonitorDocument,
} from '../../__generated__/graphql.js';
import { untilActiveSubscriptions, untilSubscribed } from '../../support/live-subscriptions.js';
import { seriesValue } from '../../support/metrics.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
let client: Client;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  client = createClient({
    url: `${baton.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${await baton.token('viewer')}` },
  });
});
afterAll(async () => {
  await client?.dispose();
  await baton?.stop();
});

async function monitor() {
  const { body } = await baton.graphql(TriageModelMonitorDocument, { first: 5 });
  expect(body.errors).toBeUndefined();
  return body.data!;
}

async function scrape(app: TestApp = baton): Promise<string> {
  return (await fetch(`${app.url}/metrics`)).text();
}

/** The gauges are read at most once a second per process: wait for a scrape that shows `expected`. */
async function untilGauges(app: TestApp, expected: Record<string, number>): Promise<void> {
  await vi.waitFor(
    async () => {
      const text = await scrape(app);
      for (const [name, value] of Object.entries(expected)) expect(seriesValue(text, name), name).toBeCloseTo(value, 6);
    },
    { timeout: 5_000, interval: 200 },
  );
}

async function recordOutcomeOfNewLead(input: Record<string, unknown>, outcome: 'CONVERTED' | 'LOST') {
  const leadId = uniqueLeadId('monitor');
  const processed = await baton.graphql(ProcessLeadForTestDocument, { input: { leadId, ...input } as never });
  expect(processed.body.errors).toBeUndefined();
  const recorded = await baton.graphql(RecordOutcomeDocument, { leadId, outcome });
  expect(recorded.body.data?.recordOutcome.__typename).toBe('Lead');
}

const DAY = 86_400_000;
const NOW = Date.now();
const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY);

/** A drift check as the learning stores it (JSON: dates as ISO strings). */
function driftCheck(state: 'STABLE' | 'DRIFTING', checkedAt: Date, changePointAt: Date | null) {
  return {
    state,
    checkedAt: checkedAt.toISOString(),
    test: state === 'DRIFTING' ? { statistic: 31.5, degreesOfFreedom: 8, pValue: 0.0001 } : { statistic: 6.2, degreesOfFreedom: 8, pValue: 0.62 },
    windowOutcomes: 200,
    referenceOutcomes: 600,
    windowFrom: at(10).toISOString(),
    recentBrier: state === 'DRIFTING' ? 0.26 : 0.18,
    previousBrier: 0.18,
    recentLogLoss: state === 'DRIFTING' ? 0.74 : 0.53,
    previousLogLoss: 0.52,
    calibration: [
      { predicted: 0.2, observed: state === 'DRIFTING' ? 0.5 : 0.22, outcomes: 120 },
      { predicted: 0.7, observed: state === 'DRIFTING' ? 0.4 : 0.68, outcomes: 80 },
    ],
    inputStability: 0.31,
    detected: state === 'DRIFTING',
    recovered: false,
    changePointAt: changePointAt?.toISOString() ?? null,
  };
}

describe('the triage model monitor', () => {
  it('starts warming up with the cold-start model, and its gauges unmeasured', async () => {
    const data = await monitor();
    expect(data.triageModel).toMatchObject({ version: 'cold-start-v1', promoted: true, heldOut: null, training: null, promotion: null, drift: null });
    expect(data.triageDrift).toEqual({ state: 'WARMING_UP', check: null, episodes: [] });
    expect(data.systemStatus.triageDrift.state).toBe('WARMING_UP');
    const text = await scrape();
    expect(seriesValue(text, 'baton_triage_model_drift')).toBe(0);
    expect(seriesValue(text, 'baton_triage_model_heldout_auc')).toBeNaN();
    expect(seriesValue(text, 'baton_triage_model_calibration_error')).toBeNaN();
    expect(seriesValue(text, 'baton_triage_model_drift_p_value')).toBeNaN();
    expect(seriesValue(text, 'baton_triage_model_fits_total', { promoted: 'true' })).toBe(0);
    expect(seriesValue(text, 'baton_triage_model_fits_total', { promoted: 'false' })).toBe(0);
    expect(seriesValue(text, 'baton_triage_model_drift_episodes_total')).toBe(0);
  });

  it('streams a FITTED event when a consolidation fits a version, and counts the fit', async () => {
    await recordOutcomeOfNewLead({ industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', persona: 'DECISION_MAKER' }, 'CONVERTED');
    await recordOutcomeOfNewLead({ industry: 'MANUFACTURING', companySize: 'STARTUP', persona: 'END_USER' }, 'LOST');
    const received = new Promise<TriageModelFittedSubscription>((resolve, reject) => {
      const unsubscribe = client.subscribe<TriageModelFittedSubscription>(
        { query: String(TriageModelFittedDocument), variables: {} },
        {
          next: ({ data, errors }) => {
            if (errors) return reject(new Error(JSON.stringify(errors)));
            unsubscribe();
            resolve(data!);
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    await untilSubscribed(baton, { transport: 'graphql_ws', event: 'triage-model:fitted' });
    const before = Date.now();
    const { body } = await baton.graphql(ConsolidateMemoryDocument, {});
    expect(body.data?.consolidateMemory).toMatchObject({ triageModelVersion: 'learned-v1', triageModelRetrained: true });
    const { triageModelFitted: event } = await received;
    await untilActiveSubscriptions(baton, 'graphql_ws', 0);
    // Before the learning checks drift, a fit carries no drift state.
    expect(event).toMatchObject({ kind: 'FITTED', version: 'learned-v1', promoted: true, currentVersion: 'learned-v1', driftState: null, pValue: null });
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(seriesValue(await scrape(), 'baton_triage_model_fits_total', { promoted: 'true' })).toBe(1);
  });

  it('reads back every version, the newest promoted one as current, the drift state and its episodes', async () => {
    const prisma = baton.app.services.prisma;
    const first = await prisma.triageModelVersion.findUniqueOrThrow({ where: { version: 'learned-v1' } });
    const calibration = [
      { predicted: 0.1, observed: 0.12, outcomes: 100 },
      { predicted: 0.5, observed: 0.4, outcomes: 100 },
      { predicted: 0.8, observed: 0.85, outcomes: 200 },
    ];
    const trainingFrom = at(200);
    const trainingTo = at(1);
    const changePointAt = at(12);
    await prisma.triageModelVersion.create({
      data: {
        version: 'learned-v2',
        sequence: 2,
        model: first.model as object,
        outcomes: 800,
        conversions: 260,
        heldOutOutcomes: 400,
        heldOutAuc: 0.81,
        heldOutBrier: 0.18,
        heldOutLogLoss: 0.52,
        calibration,
        trainingFrom,
        trainingTo,
        halfLifeDays: 90,
        effectiveOutcomes: 612.5,
        promoted: true,
        promotion: {
          promoted: true,
          reason: 'lower log-loss on recent outcomes',
          comparedOutcomes: 798,
          candidateLogLoss: 0.52,
          currentLogLoss: 0.6,
          comparedWith: 'learned-v1',
        },
        drift: driftCheck('STABLE', at(2), null),
        createdAt: at(2),
      },
    });
    // Newer, but worse on recent outcomes: kept for audit, never scoring leads. Its drift check found the change.
    await prisma.triageModelVersion.create({
      data: {
        version: 'learned-v3',
        sequence: 3,
        model: first.model as object,
        outcomes: 900,
        conversions: 300,
        heldOutOutcomes: 450,
        heldOutAuc: 0.7,
        heldOutBrier: 0.22,
        heldOutLogLoss: 0.63,
        calibration: [],
        trainingFrom,
        trainingTo: at(0.5),
        halfLifeDays: 90,
        changePointAt,
        changePointDiscount: 0.25,
        effectiveOutcomes: 301.25,
        promoted: false,
        promotion: {
          promoted: false,
          reason: 'higher log-loss on recent outcomes',
          comparedOutcomes: 100,
          candidateLogLoss: 0.63,
          currentLogLoss: 0.6,
          comparedWith: 'learned-v2',
        },
        drift: driftCheck('DRIFTING', at(0.5), changePointAt),
        createdAt: at(0.5),
      },
    });
    const recovered = await prisma.triageDriftEpisode.create({
      data: {
        detectedAt: at(60),
        detectedByVersion: 'learned-v1',
        changePointAt: at(70),
        statistic: 40,
        degreesOfFreedom: 8,
        pValue: 0.00001,
        windowOutcomes: 200,
        referenceOutcomes: 300,
        outcomesSinceChange: 150,
        recoveredAt: at(40),
        recoveredByVersion: 'learned-v2',
        outcomesToRecover: 420,
      },
    });
    const open = await prisma.triageDriftEpisode.create({
      data: {
        detectedAt: at(0.5),
        detectedByVersion: 'learned-v3',
        changePointAt,
        statistic: 31.5,
        degreesOfFreedom: 8,
        pValue: 0.0001,
        windowOutcomes: 200,
        referenceOutcomes: 600,
        outcomesSinceChange: 120,
      },
    });

    const data = await monitor();
    const v2 = {
      version: 'learned-v2',
      fittedAt: at(2).toISOString(),
      outcomes: 800,
      conversions: 260,
      promoted: true,
      heldOut: { outcomes: 400, enough: true, auc: 0.81, brier: 0.18, logLoss: 0.52, calibrationError: 0.055, calibration },
      training: {
        from: trainingFrom.toISOString(),
        to: trainingTo.toISOString(),
        halfLifeDays: 90,
        changePointAt: null,
        changePointDiscount: null,
        effectiveOutcomes: 612.5,
      },
      promotion: {
        promoted: true,
        reason: 'lower log-loss on recent outcomes',
        comparedOutcomes: 798,
        candidateLogLoss: 0.52,
        currentLogLoss: 0.6,
        comparedWith: 'learned-v1',
      },
    };
    expect(data.triageModel).toMatchObject({
      ...v2,
      heldOut: { ...v2.heldOut, calibrationError: expect.closeTo(0.055, 9) },
    });
    expect(data.triageModel.drift).toMatchObject({ state: 'STABLE', detected: false, test: { pValue: 0.62 }, changePointAt: null });
    expect(data.triageModelVersions.map((v) => [v.version, v.promoted])).toEqual([
      ['learned-v3', false],
      ['learned-v2', true],
      ['learned-v1', true],
      ['cold-start-v1', true],
    ]);
    const [v3, , v1] = data.triageModelVersions;
    expect(v3!.training).toMatchObject({ changePointAt: changePointAt.toISOString(), changePointDiscount: 0.25, effectiveOutcomes: 301.25 });
    expect(v3!.heldOut).toMatchObject({ calibration: [], calibrationError: null });
    expect(v3!.promotion).toMatchObject({ promoted: false, comparedWith: 'learned-v2' });
    // The fit of the real consolidation above wrote only what the learning wrote before drift checks.
    expect(v1).toMatchObject({ training: null, promotion: null, drift: null, promoted: true });

    const check = driftCheck('DRIFTING', at(0.5), changePointAt);
    expect(data.triageDrift.state).toBe('DRIFTING');
    expect(data.triageDrift.check).toEqual(check);
    expect(v3!.drift).toEqual(check);
    expect(data.triageDrift.episodes.map((episode) => episode.id)).toEqual([open.id, recovered.id]);
    expect(data.triageDrift.episodes[0]).toMatchObject({
      detectedByVersion: 'learned-v3',
      recoveredAt: null,
      recoveredByVersion: null,
      outcomesToRecover: null,
    });
    expect(data.triageDrift.episodes[1]).toMatchObject({ recoveredByVersion: 'learned-v2', outcomesToRecover: 420, outcomesSinceChange: 150 });
    expect(data.systemStatus).toEqual({ triageModel: { version: 'learned-v2', heldOut: { auc: 0.81, brier: 0.18 } }, triageDrift: { state: 'DRIFTING' } });

    // The gauges: the promoted version's quality, the newest check's drift.
    const gauges = {
      baton_triage_model_heldout_auc: 0.81,
      baton_triage_model_heldout_brier: 0.18,
      baton_triage_model_heldout_log_loss: 0.52,
      baton_triage_model_calibration_error: 0.055,
      baton_triage_model_drift: 1,
      baton_triage_model_drift_p_value: 0.0001,
    };
    await untilGauges(baton, gauges);

    // A replica started afterwards (here: this one, restarted) reports the same from its first scrape.
    await client.dispose();
    await baton.stop({ keepDatabase: true });
    baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' }, database: baton.database });
    const text = await scrape();
    for (const [name, value] of Object.entries(gauges)) expect(seriesValue(text, name), name).toBeCloseTo(value, 9);
    // The counters count this process's fits: none since the restart.
    expect(seriesValue(text, 'baton_triage_model_fits_total', { promoted: 'true' })).toBe(0);
  });
});
