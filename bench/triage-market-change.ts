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
import { driftAfter, type RefitInput, refitTriageModel } from '../src/memory/triage-model/triage-refit.js';
import { fitTriageModel, trainingDataOf } from '../src/memory/triage-model/triage-training.js';
import { cellsOf, outcomeStream } from '../tests/support/outcome-cells.js';
import { auc } from '../src/statistics/classification-metrics.js';
import { markdownTable } from './latency.js';
import {
  type GroundTruthModel,
  generatePopulation,
  isReversedAttribute,
  REVERSED_ATTRIBUTES,
  randomGroundTruth,
  reversedMarket,
  type SyntheticLead,
} from '../tests/support/synthetic-population.js';

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
  /** The attributes the latest drift episode relearns at the end of the run (empty: none detected). */
  changedAttributes: string[];
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
  const stream = outcomeStream([...generatePopulation({ size: pre, seed: seed * 1_000 + 2, idPrefix: 'pre', truth: before }), ...postLeads], {
    startDay: START_DAY,
    perDay: RATE_PER_DAY,
  });
  const heldOutBefore = generatePopulation({ size: HELD_OUT, seed: seed * 1_000 + 4, idPrefix: 'held', truth: before });
  const heldOutAt = (k: number) => generatePopulation({ size: HELD_OUT, seed: seed * 1_000 + 5, idPrefix: 'held', truth: marketAt(k) });
  const heldOutAfter = heldOutAt(post);

  let inUse: TriageModel | null = null;
  let inUseTrainedTo = Number.NEGATIVE_INFINITY;
  let episode: RefitInput['drift'] = null;
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
    changedAttributes: [],
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
      const { check } = refit.drift;
      episode = driftAfter(refit);
      if (check.test) run.tests++;
      if (check.detected) run.detections.push(n);
      if (check.recovered) run.recoveries.push(n);
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
  run.changedAttributes = episode?.changePoint.attributes ?? [];
  return run;
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

// ── Many seeds: the figures `npm run bench:triage` reports ──────────────────

/** Outcomes from the first market before the change point (the issue's: 500, then 500 more from the changed one). */
export const PRE = 500;
export const POST = 1_000;
/** The learner Baton runs: TRIAGE_HALF_LIFE_DAYS' default and the drift checks. */
export const BATON: Learner = { name: 'Baton (half-life 365 d + drift checks)', halfLifeDays: 365, adaptive: true };
/** Triage before it followed markets: every outcome weighs the same, no drift check. */
export const REMEMBER_EVERYTHING: Learner = { name: 'before (every outcome alike)', halfLifeDays: null, adaptive: false };
/** The recency alternatives measured to choose the default half-life. */
export const HALF_LIFE_ALTERNATIVES: readonly Learner[] = [
  { name: 'drift checks, no half-life', halfLifeDays: null, adaptive: true },
  { name: 'drift checks, half-life 180 d', halfLifeDays: 180, adaptive: true },
  { name: 'drift checks, half-life 90 d', halfLifeDays: 90, adaptive: true },
  { name: 'drift checks, half-life 30 d', halfLifeDays: 30, adaptive: true },
  { name: 'half-life 30 d alone (no drift checks)', halfLifeDays: 30, adaptive: false },
];

export interface MarketBench {
  seeds: number;
  halfLifeSeeds: number;
  /** Per shift and learner, every seed's run. */
  runs: Record<MarketShift, Record<string, MarketRun[]>>;
}

export function runMarketBench(options: { seeds: number; halfLifeSeeds: number; progress: (message: string) => void }): MarketBench {
  const { seeds, halfLifeSeeds, progress } = options;
  const shifts: MarketShift[] = ['abrupt', 'stable', 'gradual'];
  const runs = Object.fromEntries(shifts.map((shift) => [shift, {} as Record<string, MarketRun[]>])) as MarketBench['runs'];
  for (const shift of shifts) {
    for (const learner of [REMEMBER_EVERYTHING, BATON, ...HALF_LIFE_ALTERNATIVES]) {
      const count = learner === BATON || learner === REMEMBER_EVERYTHING ? seeds : halfLifeSeeds;
      const started = performance.now();
      runs[shift][learner.name] = Array.from({ length: count }, (_, i) => runMarket({ seed: i + 1, shift, pre: PRE, post: POST, learner }));
      progress(`  ${shift} market, ${learner.name}: ${count} seeds in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  return { seeds, halfLifeSeeds, runs };
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
};
const f3 = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '—');
const share = (part: number, whole: number) => `${part}/${whole} (${Math.round((100 * part) / Math.max(1, whole))} %)`;

/** The figures per learner after the change point, as the closing note and the README quote them. */
export interface MarketSummary {
  /** Mean held-out AUC by outcomes after the change point, and the truth's. */
  auc: Record<number, number>;
  truth: Record<number, number>;
  /** Seeds whose AUC 500 outcomes after the change is within 0.03 of the truth's. */
  within003At500: number;
  /** The first detection after the change point, in outcomes after it, per seed that had one by the end. */
  detectionDelays: number[];
  /** Seeds with a detection before the change point (stable: at all). */
  falseAlarmSeeds: number;
  falseAlarms: number;
  tests: number;
  recoveryDelays: number[];
  unpromoted: number;
  seeds: number;
  /** Of the seeds detected after the change point: episodes that end naming an attribute that did not change, and naming every one that did. */
  namingUnchanged: number;
  namingAllChanged: number;
}

export function summarizeRuns(runs: readonly MarketRun[], shift: MarketShift): MarketSummary {
  const offsets = Object.keys(runs[0]?.auc ?? {}).map(Number);
  const detectionDelays: number[] = [];
  const recoveryDelays: number[] = [];
  let falseAlarmSeeds = 0;
  let falseAlarms = 0;
  let namingUnchanged = 0;
  let namingAllChanged = 0;
  for (const run of runs) {
    const early = shift === 'stable' ? run.detections : run.detections.filter((n) => n <= PRE);
    falseAlarms += early.length;
    if (early.length > 0) falseAlarmSeeds++;
    const detected = shift === 'stable' ? undefined : run.detections.find((n) => n > PRE);
    if (detected !== undefined) {
      detectionDelays.push(detected - PRE);
      if (!run.changedAttributes.every(isReversedAttribute)) namingUnchanged++;
      if (REVERSED_ATTRIBUTES.every((attribute) => run.changedAttributes.includes(attribute))) namingAllChanged++;
      const recovered = run.recoveries.find((n) => n > detected);
      if (recovered !== undefined) recoveryDelays.push(recovered - PRE);
    }
  }
  return {
    auc: Object.fromEntries(offsets.map((k) => [k, mean(runs.map((run) => run.auc[k]!))])),
    truth: Object.fromEntries(offsets.map((k) => [k, mean(runs.map((run) => run.truth[k]!))])),
    within003At500: runs.filter((run) => run.truth[500]! - run.auc[500]! <= 0.03).length,
    detectionDelays,
    falseAlarmSeeds,
    falseAlarms,
    tests: runs.reduce((sum, run) => sum + run.tests, 0),
    recoveryDelays,
    unpromoted: runs.reduce((sum, run) => sum + run.unpromoted, 0),
    seeds: runs.length,
    namingUnchanged,
    namingAllChanged,
  };
}

export function formatMarketBench(bench: MarketBench): string {
  const out: string[] = [];
  const summary = (shift: MarketShift, learner: Learner) => summarizeRuns(bench.runs[shift][learner.name]!, shift);
  const offsets = [0, 100, 200, 300, 500, 700, 1000];

  out.push(
    `\n## A changing market: ${bench.seeds} random markets (seeds 1–${bench.seeds}), ${PRE} outcomes, then ${POST} more at ${RATE_PER_DAY} a day, consolidated every ${STEP}\n`,
  );
  for (const shift of ['abrupt', 'gradual', 'stable'] as const) {
    const title = {
      abrupt: 'Abrupt change: the industry and persona effects reverse after 500 outcomes',
      gradual: 'Gradual change: the effects slide to the reversed market over the 1,000 outcomes after 500',
      stable: 'Stable market: no change',
    }[shift];
    out.push(`\n### ${title}: mean held-out AUC of the model in use by outcomes after outcome 500\n`);
    const rows = [REMEMBER_EVERYTHING, BATON].map((learner) => {
      const s = summary(shift, learner);
      return [learner.name, ...offsets.map((k) => f3(s.auc[k]!)), share(s.within003At500, s.seeds)];
    });
    const truth = summary(shift, BATON).truth;
    rows.push(['ground truth', ...offsets.map((k) => f3(truth[k]!)), '—']);
    out.push(
      markdownTable(['Learner', ...offsets.map((k) => `+${k}`), 'Within 0.03 of truth at +500'], rows, [
        'left',
        ...offsets.map(() => 'right' as const),
        'right',
      ]),
    );
  }

  const abrupt = summary('abrupt', BATON);
  const gradual = summary('gradual', BATON);
  const stable = summary('stable', BATON);
  const before = summary('stable', REMEMBER_EVERYTHING);
  const abruptBefore = summary('abrupt', REMEMBER_EVERYTHING);
  out.push('\n### Drift detection (Baton)\n');
  out.push(
    markdownTable(
      [
        'Market',
        'Detected after the change',
        'Outcomes to detect: median / p90 / max',
        'Recovered (outcomes after the change): median',
        'False alarms: seeds / alarms / tests',
        'Fits not promoted',
        'Episodes naming an unchanged attribute / both changed',
      ],
      [
        [
          'abrupt',
          share(abrupt.detectionDelays.length, abrupt.seeds),
          delays(abrupt.detectionDelays),
          f0(quantile(abrupt.recoveryDelays, 0.5)),
          falseAlarms(abrupt),
          String(abrupt.unpromoted),
          attributesNamed(abrupt),
        ],
        [
          'gradual',
          share(gradual.detectionDelays.length, gradual.seeds),
          delays(gradual.detectionDelays),
          f0(quantile(gradual.recoveryDelays, 0.5)),
          falseAlarms(gradual),
          String(gradual.unpromoted),
          attributesNamed(gradual),
        ],
        ['stable', '—', '—', '—', falseAlarms(stable), String(stable.unpromoted), '—'],
      ],
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  out.push(
    '\nFalse alarms: on the abrupt and gradual markets, detections before the change point; on the stable market, any. ' +
      'Tests: drift checks that ran a test (every consolidation once a window and a reference are full). ' +
      'Episodes naming: what the episode relearns at the end of the run, of the markets detected after the change (industry and persona changed).\n',
  );

  // Learning a fresh market from 500 outcomes: the stable market's +0 (cold start, 500 outcomes).
  out.push('\n### Against what learning can do\n');
  out.push(
    markdownTable(
      ['Figure', 'Mean AUC', 'Truth', 'Gap'],
      [
        ['a fresh market learned from 500 outcomes (stable market at +0)', f3(before.auc[0]!), f3(before.truth[0]!), f3(before.truth[0]! - before.auc[0]!)],
        [
          '500 outcomes after an abrupt change, before (every outcome alike)',
          f3(abruptBefore.auc[500]!),
          f3(abruptBefore.truth[500]!),
          f3(abruptBefore.truth[500]! - abruptBefore.auc[500]!),
        ],
        ['500 outcomes after an abrupt change, Baton', f3(abrupt.auc[500]!), f3(abrupt.truth[500]!), f3(abrupt.truth[500]! - abrupt.auc[500]!)],
        [
          'stable market +500, before / Baton',
          `${f3(before.auc[500]!)} / ${f3(stable.auc[500]!)}`,
          f3(stable.truth[500]!),
          `Δ ${f3(stable.auc[500]! - before.auc[500]!)}`,
        ],
        [
          'stable market +1000, before / Baton',
          `${f3(before.auc[1000]!)} / ${f3(stable.auc[1000]!)}`,
          f3(stable.truth[1000]!),
          `Δ ${f3(stable.auc[1000]! - before.auc[1000]!)}`,
        ],
      ],
      ['left', 'right', 'right', 'right'],
    ),
  );

  out.push(`\n### Choosing the half-life (${bench.halfLifeSeeds} seeds each): mean gap to the truth's AUC (lower is better)\n`);
  const learners = [REMEMBER_EVERYTHING, BATON, ...HALF_LIFE_ALTERNATIVES];
  out.push(
    markdownTable(
      ['Learner', 'Abrupt +500', 'Gradual +500', 'Gradual +1000', 'Stable +500', 'Stable +1000', 'False-alarm seeds (stable)'],
      learners.map((learner) => {
        const firstSeeds = (shift: MarketShift) => summarizeRuns(bench.runs[shift][learner.name]!.slice(0, bench.halfLifeSeeds), shift);
        const [a, g, s] = [firstSeeds('abrupt'), firstSeeds('gradual'), firstSeeds('stable')];
        return [
          learner.name,
          f3(a.truth[500]! - a.auc[500]!),
          f3(g.truth[500]! - g.auc[500]!),
          f3(g.truth[1000]! - g.auc[1000]!),
          f3(s.truth[500]! - s.auc[500]!),
          f3(s.truth[1000]! - s.auc[1000]!),
          learner.adaptive ? share(s.falseAlarmSeeds, s.seeds) : '—',
        ];
      }),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  return out.join('\n');
}

function delays(values: readonly number[]): string {
  return values.length ? `${f0(quantile(values, 0.5))} / ${f0(quantile(values, 0.9))} / ${f0(Math.max(...values))}` : '—';
}

function falseAlarms(s: MarketSummary): string {
  return `${share(s.falseAlarmSeeds, s.seeds)} / ${s.falseAlarms} / ${s.tests}`;
}

function attributesNamed(s: MarketSummary): string {
  const detected = s.detectionDelays.length;
  return `${share(s.namingUnchanged, detected)} / ${share(s.namingAllChanged, detected)}`;
}

function f0(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value)) : '—';
}
