// A market that changes under triage: how fast the model in use follows it, what
// it costs on a market that does not change, how soon the drift is detected and how
// often a stable market raises a false alarm. Part of `npm run bench:triage`.
//
// Per seed, a market is drawn at random (tests/support/synthetic-population.ts,
// `randomGroundTruth`): `pre` outcomes from it, then `post` outcomes either from the
// same market (stable) or from the market with its industry and persona effects
// reversed (change), arriving at RATE_PER_DAY, consolidated every STEP outcomes. At
// each consolidation the learner refits exactly as Baton does: `refitTriageModel`
// (src/memory/triage-model/triage-refit.ts) with the drift episode and the model in
// use carried from fit to fit as the store carries them; the baseline ("today's"
// learner, before recency) fits every outcome with the same weight and never
// checks for drift. Held-out AUC is that of the model in use, scored as triage
// scores (σ of the mean log-odds), on fresh leads of the market of the moment,
// next to the ground truth's own AUC on the same leads.
import { conversionProbability, featureKeys, type TriageModel } from '../src/domain/triage-model.js';
import { refitTriageModel } from '../src/memory/triage-model/triage-refit.js';
import { type ChangePoint, DAY_MS, fitTriageModel, type OutcomeCell, trainingDataOf } from '../src/memory/triage-model/triage-training.js';
import { auc } from '../src/statistics/classification-metrics.js';
import { type GroundTruthModel, generatePopulation, randomGroundTruth, reversedMarket, type SyntheticLead } from '../tests/support/synthetic-population.js';

export const RATE_PER_DAY = 20;
export const STEP = 50;
const HELD_OUT = 2_000;
const START_DAY = 20_000;

export interface Learner {
  name: string;
  /** Null: every outcome weighs the same. */
  halfLifeDays: number | null;
  /** False: today's learner before recency (no drift check, every fit promoted). */
  adaptive: boolean;
}

/** Stable: one market throughout; abrupt: reversed at the change point; gradual: sliding from one to the reversed one over the `post` outcomes. */
export type MarketShift = 'stable' | 'abrupt' | 'gradual';

export interface MarketRun {
  seed: number;
  shift: MarketShift;
  /** Held-out AUC of the model in use, by outcomes after the (possible) change point: 0, 100, … post... */
  auc: Record<number, number>;
  /** ...and the ground truth's own on the same held-out leads (of the market of that moment). */
  truth: Record<number, number>;
  /** The ground truth's AUC on the same held-out leads, before and after the change point. */
  truthBefore: number;
  truthAfter: number;
  /** Outcomes recorded (in all) at each consolidation that detected a drift, and at each that recorded a recovery. */
  detections: number[];
  recoveries: number[];
  /** Consolidations whose drift check ran a test. */
  tests: number;
  /** Fits not promoted. */
  unpromoted: number;
}

interface Outcome {
  keys: string[];
  converted: boolean;
  day: number;
  at: number;
}

export function runMarket(options: { seed: number; shift: MarketShift; pre: number; post: number; learner: Learner }): MarketRun {
  const { seed, shift, pre, post, learner } = options;
  const before = randomGroundTruth(seed * 1_000 + 1);
  const reversed = reversedMarket(before);
  /** The market after `k` of the post outcomes. */
  const marketAt = (k: number) => (shift === 'stable' ? before : shift === 'abrupt' ? reversed : blend(before, reversed, Math.min(1, k / post)));
  const postLeads: SyntheticLead[] = [];
  for (let k = 0; k < post; k += STEP) {
    postLeads.push(...generatePopulation({ size: Math.min(STEP, post - k), seed: seed * 1_000 + 3 + k, idPrefix: `post${k}`, truth: marketAt(k + STEP / 2) }));
  }
  const stream = [...generatePopulation({ size: pre, seed: seed * 1_000 + 2, idPrefix: 'pre', truth: before }), ...postLeads].map(
    ({ lead, converted }, i): Outcome => {
      const at = START_DAY * DAY_MS + (i * DAY_MS) / RATE_PER_DAY;
      return { keys: featureKeys(lead), converted, day: Math.floor(at / DAY_MS), at };
    },
  );
  const heldOutBefore = generatePopulation({ size: HELD_OUT, seed: seed * 1_000 + 4, idPrefix: 'held', truth: before });
  const heldOutAt = (k: number) => generatePopulation({ size: HELD_OUT, seed: seed * 1_000 + 5, idPrefix: 'held', truth: marketAt(k) });
  const heldOutAfter = heldOutAt(post);

  let inUse: TriageModel | null = null;
  let inUseTrainedTo = Number.NEGATIVE_INFINITY;
  let episode: { changePoint: ChangePoint; recovered: boolean } | null = null;
  const run: MarketRun = {
    seed,
    shift,
    auc: {},
    truth: {},
    truthBefore: truthAuc(heldOutBefore),
    truthAfter: truthAuc(heldOutAfter),
    detections: [],
    recoveries: [],
    tests: 0,
    unpromoted: 0,
  };
  for (let n = STEP; n <= stream.length; n += STEP) {
    const cells = cellsOf(stream.slice(0, n), inUseTrainedTo);
    const newestAt = stream[n - 1]!.at;
    if (!learner.adaptive) {
      inUse = fitTriageModel(cells, { halfLifeDays: learner.halfLifeDays, changePoint: null }, `baseline-${n}`);
    } else {
      const refit = refitTriageModel({
        data: trainingDataOf(cells),
        version: `learned-${n}`,
        current: inUse,
        drift: episode,
        halfLifeDays: learner.halfLifeDays,
        now: new Date(newestAt),
      });
      const { check, changePoint } = refit.drift;
      if (check.test) run.tests++;
      if (check.detected && changePoint) {
        episode = { changePoint, recovered: false };
        run.detections.push(n);
      }
      if (check.recovered && episode) {
        episode = { ...episode, recovered: true };
        run.recoveries.push(n);
      }
      if (refit.promotion.promoted) {
        inUse = refit.model;
        inUseTrainedTo = newestAt;
      } else run.unpromoted++;
    }
    const sinceChange = n - pre;
    if (sinceChange >= 0 && sinceChange % 100 === 0 && inUse) {
      const heldOut = sinceChange === 0 ? heldOutBefore : shift === 'gradual' ? heldOutAt(sinceChange) : heldOutAfter;
      run.auc[sinceChange] = modelAuc(inUse, heldOut);
      run.truth[sinceChange] = truthAuc(heldOut);
    }
  }
  return run;
}

/** Outcomes as the store reads them: counts per (feature set, day, fresh). */
function cellsOf(outcomes: readonly Outcome[], freshAfter: number): OutcomeCell[] {
  const cells = new Map<string, OutcomeCell>();
  for (const outcome of outcomes) {
    const fresh = outcome.at > freshAfter;
    const key = `${outcome.day}|${fresh}|${outcome.keys.join('|')}`;
    const cell = cells.get(key) ?? { features: outcome.keys, day: outcome.day, fresh, trials: 0, successes: 0 };
    cell.trials++;
    if (outcome.converted) cell.successes++;
    cells.set(key, cell);
  }
  return [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, cell]) => cell);
}

function modelAuc(model: TriageModel, heldOut: readonly SyntheticLead[]): number {
  return auc(
    heldOut.map(({ lead }) => conversionProbability(model, featureKeys(lead))),
    heldOut.map((s) => s.converted),
  );
}

/** The market a fraction `f` of the way from `a` to `b`: every effect interpolated. */
function blend(a: GroundTruthModel, b: GroundTruthModel, f: number): GroundTruthModel {
  const mix = <K extends string>(x: Record<K, number>, y: Record<K, number>) =>
    Object.fromEntries(Object.keys(x).map((key) => [key, (1 - f) * x[key as K] + f * y[key as K]])) as Record<K, number>;
  return {
    intercept: (1 - f) * a.intercept + f * b.intercept,
    industry: mix(a.industry, b.industry),
    companySize: mix(a.companySize, b.companySize),
    persona: mix(a.persona, b.persona),
    source: mix(a.source, b.source),
    email: (1 - f) * a.email + f * b.email,
    phone: (1 - f) * a.phone + f * b.phone,
  };
}

function truthAuc(heldOut: readonly SyntheticLead[]): number {
  return auc(
    heldOut.map((s) => s.trueProbability),
    heldOut.map((s) => s.converted),
  );
}
