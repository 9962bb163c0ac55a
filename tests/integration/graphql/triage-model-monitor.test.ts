// The triage model's calibration monitor, as a marketer and an operator read it: every
// version with its training window, held-out quality and calibration curve, promotion
// and drift check; the drift state now and its episodes (also on systemStatus); a
// subscription that hears each fit; and /metrics gauges any replica reads from the
// database, a restarted one included. Versions beyond the first fit are written as
// rows, the way the learning stores them (support/triage-model-history.ts), so every
// field has a value to read back.
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
import { storedDriftCheck, V2_CALIBRATION, writeDriftingHistory } from '../../support/triage-model-history.js';

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
    // Two outcomes are too few to test for drift: the check says it is warming up.
    expect(event).toMatchObject({
      kind: 'FITTED',
      version: 'learned-v1',
      promoted: true,
      currentVersion: 'learned-v1',
      driftState: 'WARMING_UP',
      pValue: null,
    });
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(seriesValue(await scrape(), 'baton_triage_model_fits_total', { promoted: 'true' })).toBe(1);
  });

  it('reads back every version, the newest promoted one as current, the drift state and its episodes', async () => {
    const { instants, episodes } = await writeDriftingHistory(baton.app.services.prisma);
    const { trainingFrom, trainingTo, changePointAt } = instants;
    const calibration = V2_CALIBRATION;

    const data = await monitor();
    const v2 = {
      version: 'learned-v2',
      fittedAt: instants.v2FittedAt.toISOString(),
      outcomes: 800,
      conversions: 260,
      promoted: true,
      heldOut: { outcomes: 400, enough: true, auc: 0.81, brier: 0.18, logLoss: 0.52, calibrationError: 0.055, calibration },
      training: {
        from: trainingFrom.toISOString(),
        to: trainingTo.toISOString(),
        halfLifeDays: 90,
        changePointAt: null,
        changedAttributes: [],
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
    expect(v3!.training).toMatchObject({ changePointAt: changePointAt.toISOString(), changedAttributes: ['industry'], effectiveOutcomes: 301.25 });
    expect(v3!.heldOut).toMatchObject({ calibration: [], calibrationError: null });
    expect(v3!.promotion).toMatchObject({ promoted: false, comparedWith: 'learned-v2' });
    // The real fit above recorded its own audit trail: its window, its memory, the first promotion, a check still warming up.
    expect(v1).toMatchObject({
      promoted: true,
      training: { halfLifeDays: 365, changePointAt: null, changedAttributes: [], effectiveOutcomes: 2 },
      promotion: { promoted: true, reason: 'The first fit: it replaces the cold-start model.', comparedWith: null },
      drift: { state: 'WARMING_UP', test: null, detected: false },
    });

    const check = storedDriftCheck('DRIFTING', instants.v3FittedAt, changePointAt, instants.windowFrom);
    expect(data.triageDrift.state).toBe('DRIFTING');
    expect(data.triageDrift.check).toEqual(check);
    expect(v3!.drift).toEqual(check);
    expect(data.triageDrift.episodes.map((episode) => episode.id)).toEqual([episodes.open.id, episodes.recovered.id]);
    expect(data.triageDrift.episodes[0]).toMatchObject({
      detectedByVersion: 'learned-v3',
      attribute: 'industry',
      changedAttributes: ['industry'],
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
