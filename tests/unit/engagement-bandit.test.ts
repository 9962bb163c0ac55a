// Thompson sampling converges on a simulated campaign, through the Engagement
// agent's own choice (chooseVariant) and cold-start priors (coldStartPrior).
//
// One segment, three arms with true response rates 0.03 (email), 0.06 (LinkedIn)
// and 0.04 (call). The knowledge base is deliberately wrong: it expects calls to
// do best (0.06) and LinkedIn worst (0.04), so a policy that trusts the prior
// alone never finds the best arm. Each round the agent chooses with the
// accumulated successes and failures, a seeded Bernoulli draw decides the
// response, the counts are updated. Expected (pseudo-)regret: Σ (0.06 − p_chosen).
//   uniform split, in expectation: 5,000 × (0.06 − 0.13/3) = 83.3
//   prior only (always the call): 5,000 × (0.06 − 0.04)   = 100
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/db/generated/prisma/enums.js';
import { coldStartPrior } from '../../src/agents/engagement/variant-evidence.js';
import { chooseVariant, type SelectableArm } from '../../src/agents/engagement/variant-selection.js';
import { seededRandom } from '../../src/statistics/random.js';

const ROUNDS = 5_000;
const TAIL = 1_000;
const ARMS: { id: string; channel: Channel; rate: number }[] = [
  { id: 'premium-business-case-email-a', channel: 'EMAIL', rate: 0.03 },
  { id: 'premium-business-case-linkedin-a', channel: 'LINKEDIN', rate: 0.06 },
  { id: 'premium-business-case-call-a', channel: 'CALL', rate: 0.04 },
];
const BEST_RATE = Math.max(...ARMS.map((arm) => arm.rate));
const BEST = ARMS.find((arm) => arm.rate === BEST_RATE)!.id;
const UNIFORM_EXPECTED_REGRET = ROUNDS * (BEST_RATE - ARMS.reduce((sum, arm) => sum + arm.rate, 0) / ARMS.length);
const rateOf = new Map(ARMS.map((arm) => [arm.id, arm.rate]));

const MISLEADING = {
  channelRates: { EMAIL: { weight: 0.05, source: 'segment' }, LINKEDIN: { weight: 0.04, source: 'segment' }, CALL: { weight: 0.06, source: 'segment' } },
} as const;
const HELPFUL = {
  channelRates: { EMAIL: { weight: 0.03, source: 'segment' }, LINKEDIN: { weight: 0.06, source: 'segment' }, CALL: { weight: 0.04, source: 'segment' } },
} as const;

function freshArms(knowledge: typeof MISLEADING | typeof HELPFUL): SelectableArm[] {
  return ARMS.map(({ id, channel }) => ({ id, channel, template: id, successes: 0, failures: 0, prior: coldStartPrior(channel, knowledge) }));
}

interface Run {
  regret: number;
  tailShare: number;
  arms: SelectableArm[];
}

/** Separate seeded streams for the policy and the rewards, so the rewards do not shift with the policy's draws. */
function campaign(seed: number, knowledge: typeof MISLEADING | typeof HELPFUL, policy: 'thompson' | 'uniform'): Run {
  const arms = freshArms(knowledge);
  const policyRandom = seededRandom(seed);
  const rewardRandom = seededRandom((seed ^ 0x9e3779b9) >>> 0);
  let regret = 0;
  let tailBest = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const chosen = policy === 'thompson' ? chooseVariant(arms, policyRandom, { draws: 0 }).chosen : arms[Math.floor(policyRandom() * arms.length)]!;
    const rate = rateOf.get(chosen.id)!;
    regret += BEST_RATE - rate;
    if (round >= ROUNDS - TAIL && chosen.id === BEST) tailBest++;
    if (rewardRandom() < rate) chosen.successes++;
    else chosen.failures++;
  }
  return { regret, tailShare: tailBest / TAIL, arms };
}

describe('Thompson sampling on a simulated campaign', () => {
  it('moves traffic to the best arm and loses far less than a uniform split or the prior alone', () => {
    const thompson = campaign(1, MISLEADING, 'thompson');
    const uniform = campaign(1, MISLEADING, 'uniform');
    const priorArms = freshArms(MISLEADING);
    const priorChoice = priorArms.reduce((x, y) => (y.prior.alpha / (y.prior.alpha + y.prior.beta) > x.prior.alpha / (x.prior.alpha + x.prior.beta) ? y : x));
    const priorOnlyRegret = ROUNDS * (BEST_RATE - rateOf.get(priorChoice.id)!);
    const seeds = Array.from({ length: 20 }, (_, index) => index + 1);
    const thompsonRuns = seeds.map((seed) => campaign(seed, MISLEADING, 'thompson'));
    const helpfulRuns = seeds.map((seed) => campaign(seed, HELPFUL, 'thompson'));
    const mean = (runs: Run[]) => runs.reduce((sum, run) => sum + run.regret, 0) / runs.length;

    // The evidence at the end of the campaign: the best arm is almost surely the best.
    const final = chooseVariant(thompson.arms, seededRandom(99), { draws: 2_000 });
    const finalBest = final.arms.find((summary) => summary.arm === BEST)!;

    console.info(
      [
        `Simulated campaign, ${ROUNDS} rounds, true rates ${ARMS.map((arm) => `${arm.channel} ${arm.rate}`).join(' / ')}, misleading prior (calls 0.06, LinkedIn 0.04):`,
        `  Thompson (seed 1)            regret ${thompson.regret.toFixed(1)}, best arm in the last ${TAIL}: ${(thompson.tailShare * 100).toFixed(1)} %, ` +
          `final P(best) ${finalBest.probabilityBest.toFixed(3)}, pulls ${thompson.arms.map((arm) => arm.successes + arm.failures).join(' / ')}`,
        `  Thompson (seeds 1-20, mean)  regret ${mean(thompsonRuns).toFixed(1)} (min ${Math.min(...thompsonRuns.map((run) => run.regret)).toFixed(1)}, max ${Math.max(...thompsonRuns.map((run) => run.regret)).toFixed(1)})`,
        `  Thompson, helpful prior      regret ${mean(helpfulRuns).toFixed(1)} (mean of seeds 1-20; the prior's pseudo-counts are few, so it matters little)`,
        `  Uniform split (seed 1)       regret ${uniform.regret.toFixed(1)} (expected ${UNIFORM_EXPECTED_REGRET.toFixed(1)})`,
        `  Cold-start prior only        regret ${priorOnlyRegret.toFixed(1)} (always ${priorChoice.id})`,
      ].join('\n'),
    );

    expect(priorChoice.channel).toBe('CALL');
    expect(thompson.tailShare).toBeGreaterThan(0.5);
    expect(finalBest.probabilityBest).toBeGreaterThan(0.9);
    expect(thompson.regret).toBeLessThan(uniform.regret / 2);
    expect(thompson.regret).toBeLessThan(priorOnlyRegret / 2);
    // Over 20 seeds: every run ends on the best arm and beats the uniform split; on
    // average by far (an unlucky start can keep a wrong arm in play for a while).
    for (const run of thompsonRuns) {
      expect(run.tailShare).toBeGreaterThan(0.5);
      expect(run.regret).toBeLessThan(UNIFORM_EXPECTED_REGRET);
    }
    expect(mean(thompsonRuns)).toBeLessThan(0.4 * UNIFORM_EXPECTED_REGRET);
  });
});
