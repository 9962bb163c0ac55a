// The triage model's quality and drift as /metrics, for dashboards and the alerts
// BatonTriageModelDrifting and BatonTriageCalibrationDegraded (deploy/monitoring).
//
// The gauges describe the model scoring leads now, which lives in the shared
// database, so each scrape reads it there (two indexed rows, one read per scrape
// for all gauges), like the queue gauges: every replica reports the same value,
// from its first scrape after a restart and right after a fit on any other
// replica. A value set in process only by the replica that ran the consolidation
// would leave the others reporting a stale model (and alerting on it). Queries
// take the max over pods. Unmeasured figures (the cold-start model, too few
// held-out outcomes, no drift test yet) are NaN, which no alert threshold matches.
//
// The counters count what this process's consolidations did (onReport): sum them
// over pods.
import { Counter, Gauge } from 'prom-client';
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { Metrics } from '../http/metrics.js';
import type { ConsolidationReport } from '../memory/consolidation/consolidation.js';
import { currentTriageModel, latestDriftCheck } from '../memory/triage-model/triage-model-versions.js';
import { calibrationError } from '../statistics/classification-metrics.js';

interface Reading {
  auc: number;
  brier: number;
  logLoss: number;
  calibrationError: number;
  drifting: number;
  pValue: number;
}

/** Registers the triage model's gauges and counters; returns the consolidation report observer that counts fits and drift episodes. */
export function triageModelMetrics({ registry }: Metrics, prisma: PrismaClient): (report: ConsolidationReport) => void {
  let last: { at: number; reading: Promise<Reading | null> } | undefined;
  const current = () => {
    if (!last || performance.now() - last.at > 1_000) last = { at: performance.now(), reading: read(prisma).catch(() => null) };
    return last.reading;
  };
  const gauge = (name: string, help: string, of: (reading: Reading) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const reading = await current();
        // The database did not answer: keep the last value rather than report a change that did not happen.
        if (reading) this.set(of(reading));
      },
    });
  gauge(
    'baton_triage_model_heldout_auc',
    'Held-out AUC of the triage model scoring leads now, on recent outcomes it did not train on (0.5 is chance, 1 perfect; NaN when not measured)',
    (r) => r.auc,
  );
  gauge(
    'baton_triage_model_heldout_brier',
    'Held-out Brier score of the triage model scoring leads now (mean squared error of the conversion probability: lower is better, 0.25 is a coin; NaN when not measured)',
    (r) => r.brier,
  );
  gauge(
    'baton_triage_model_heldout_log_loss',
    'Held-out mean log-loss in nats of the triage model scoring leads now (lower is better, 0.693 is a coin; NaN when not measured)',
    (r) => r.logLoss,
  );
  gauge(
    'baton_triage_model_calibration_error',
    'Expected calibration error of the triage model scoring leads now: outcome-weighted mean |predicted - observed| over its held-out calibration deciles (0 is perfect; NaN when not measured)',
    (r) => r.calibrationError,
  );
  gauge(
    'baton_triage_model_drift',
    "1 while the triage model's last drift check says DRIFTING (the market changed and the model is relearning it with a shortened memory), 0 otherwise",
    (r) => r.drifting,
  );
  gauge(
    'baton_triage_model_drift_p_value',
    "p-value of the last drift check's test that recent outcomes follow the model fitted before them (small: drift; NaN while warming up)",
    (r) => r.pValue,
  );
  const episodes = new Counter({
    name: 'baton_triage_model_drift_episodes_total',
    help: "Drift episodes this process's consolidations opened (a drift check detected that the market changed)",
    registers: [registry],
  });
  const fits = new Counter({
    name: 'baton_triage_model_fits_total',
    help: "Triage model versions this process's consolidations fitted, by whether they were promoted (promoted=false: worse than the current version on recent held-out outcomes, kept for audit only)",
    labelNames: ['promoted'] as const,
    registers: [registry],
  });
  for (const promoted of ['true', 'false']) fits.inc({ promoted }, 0);

  return ({ triageModel }) => {
    if (triageModel.fitted) fits.inc({ promoted: String(triageModel.fitted.promoted) });
    if (triageModel.drift?.detected) episodes.inc();
  };
}

async function read(prisma: PrismaClient): Promise<Reading> {
  const [model, drift] = await Promise.all([currentTriageModel(prisma), latestDriftCheck(prisma)]);
  const heldOut = model.heldOut;
  return {
    auc: heldOut?.auc ?? Number.NaN,
    brier: heldOut?.brier ?? Number.NaN,
    logLoss: heldOut?.logLoss ?? Number.NaN,
    calibrationError: (heldOut && calibrationError(heldOut.calibration)) ?? Number.NaN,
    drifting: drift?.state === 'DRIFTING' ? 1 : 0,
    pValue: drift?.test?.pValue ?? Number.NaN,
  };
}
