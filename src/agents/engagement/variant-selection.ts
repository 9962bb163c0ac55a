// Which arm the next lead of a segment gets: Thompson sampling over each arm's
// Beta posterior (its cold-start prior plus recorded successes and failures).
// Better arms win more traffic as evidence accumulates, and every arm keeps a
// chance in proportion to the probability that it is the best, so a prior that
// was wrong gets corrected. The choice comes with its evidence: each arm's
// counts, posterior mean and P(best), estimated from joint posterior draws.
//
// P(best) depends on the arms' counts alone, and a segment's counts change only
// as response windows close: its estimate is drawn from a stream seeded by the
// counts and remembered, rather than drawn anew for every lead (500 draws per
// arm were a fifth of a lead's CPU under load).
import { createHash } from 'node:crypto';
import type { Channel } from '../../db/generated/prisma/enums.js';
import { seededRandom, type Random } from '../../statistics/random.js';
import { thompsonChoose, winProbabilities, type ArmStats } from '../../statistics/thompson-sampling.js';

/** Joint posterior draws behind P(best): a standard error of at most √(0.25/500) ≈ 2.2 points. */
export const PROBABILITY_DRAWS = 500;

export interface SelectableArm {
  id: string;
  channel: Channel;
  template: string;
  successes: number;
  failures: number;
  prior: { alpha: number; beta: number };
}

export interface ArmSummary {
  arm: string;
  channel: Channel;
  template: string;
  successes: number;
  failures: number;
  /** (α + successes) / (α + β + successes + failures). */
  posteriorMean: number;
  /** P(this arm has the highest rate) under the posteriors. */
  probabilityBest: number;
}

export interface VariantChoice<A extends SelectableArm = SelectableArm> {
  chosen: A;
  /** In the arms' order. */
  arms: ArmSummary[];
}

export interface ChooseOptions {
  /** Draws for P(best); 0 skips the estimate (each arm's probabilityBest is then NaN). */
  draws?: number;
}

/** One Thompson step from `random` (a posterior draw per arm, the largest wins), with the arms' P(best) (see the file's comment). */
export function chooseVariant<A extends SelectableArm>(arms: readonly A[], random: Random, options: ChooseOptions = {}): VariantChoice<A> {
  const stats: ArmStats[] = arms.map((arm) => ({
    id: arm.id,
    successes: arm.successes,
    failures: arm.failures,
    priorAlpha: arm.prior.alpha,
    priorBeta: arm.prior.beta,
  }));
  const { chosen } = thompsonChoose(stats, random);
  const draws = options.draws ?? PROBABILITY_DRAWS;
  const probabilities = draws > 0 ? probabilitiesBest(stats, draws) : {};
  return {
    chosen: arms.find((arm) => arm.id === chosen) as A,
    arms: arms.map((arm) => ({
      arm: arm.id,
      channel: arm.channel,
      template: arm.template,
      successes: arm.successes,
      failures: arm.failures,
      posteriorMean: (arm.prior.alpha + arm.successes) / (arm.prior.alpha + arm.prior.beta + arm.successes + arm.failures),
      probabilityBest: probabilities[arm.id] ?? Number.NaN,
    })),
  };
}

/** Estimates remembered, by counts; a few hundred segments' worth before starting afresh. */
const estimates = new Map<string, Record<string, number>>();
const MAX_ESTIMATES = 1000;

/** P(best) for arms with these counts: the same counts always give the same estimate. */
function probabilitiesBest(stats: readonly ArmStats[], draws: number): Record<string, number> {
  const key = JSON.stringify([draws, stats]);
  const known = estimates.get(key);
  if (known) return known;
  const seed = createHash('sha256').update(key).digest().readUInt32LE(0);
  const estimate = winProbabilities(stats, seededRandom(seed), draws);
  if (estimates.size >= MAX_ESTIMATES) estimates.clear();
  estimates.set(key, estimate);
  return estimate;
}

/**
 * The runner-up on another channel, for the sequence's last step: the arm most
 * likely to be best (then highest posterior mean, then first) among those whose
 * channel differs from the chosen arm's; null when every arm shares its channel.
 */
export function alternateArm<A extends SelectableArm>(arms: readonly A[], choice: VariantChoice<A>): A | null {
  const ranked = choice.arms
    .map((summary, index) => ({ summary, index }))
    .filter(({ summary }) => summary.channel !== choice.chosen.channel)
    .sort(
      (x, y) => (y.summary.probabilityBest || 0) - (x.summary.probabilityBest || 0) || y.summary.posteriorMean - x.summary.posteriorMean || x.index - y.index,
    );
  const best = ranked[0];
  return best ? (arms.find((arm) => arm.id === best.summary.arm) ?? null) : null;
}

/**
 * A Random for one decision: a fresh mulberry32 stream seeded from Math.random,
 * with its seed, so the decision can be replayed (seededRandom(seed) gives the
 * same draws).
 */
export function decisionRandom(): { seed: number; random: Random } {
  const seed = Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
  return { seed, random: seededRandom(seed) };
}
