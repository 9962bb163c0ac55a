// The bandit's arms (reachability), their evidence (cold-start priors from the
// knowledge base) and the choice with its explanation.
import { describe, expect, it } from 'vitest';
import { readEngagementKnowledge } from '../../src/agents/engagement/knowledge.js';
import { armEvidence, coldStartPrior, segmentLabel } from '../../src/agents/engagement/variant-evidence.js';
import { alternateArm, chooseVariant, type SelectableArm } from '../../src/agents/engagement/variant-selection.js';
import { personaTemplates, reachableChannels, segmentArms } from '../../src/agents/engagement/variants.js';
import type { Fact, KnowledgeNode, SemanticMemory } from '../../src/memory/semantic/semantic-memory.js';
import { seedFacts } from '../../src/memory/semantic/seed-knowledge.js';
import { idOf } from '../../src/memory/semantic/vocabulary.js';
import { seededRandom } from '../../src/statistics/random.js';

const EMAIL = 'jane.doe@acme-corp.com';
const PHONE = '+1 415 555 0100';

describe('reachableChannels and segmentArms', () => {
  it('needs an email for email, a phone for SMS and calls; LinkedIn is always there', () => {
    expect(reachableChannels({ email: EMAIL, phone: PHONE })).toEqual(['EMAIL', 'SMS', 'CALL', 'LINKEDIN']);
    expect(reachableChannels({ email: EMAIL })).toEqual(['EMAIL', 'LINKEDIN']);
    expect(reachableChannels({ phone: PHONE })).toEqual(['SMS', 'CALL', 'LINKEDIN']);
    expect(reachableChannels({ email: '', phone: null })).toEqual(['LINKEDIN']);
  });

  it('offers both copy variants of every channel of the tier the lead is reachable on', () => {
    expect(segmentArms({ persona: 'DECISION_MAKER', email: EMAIL, phone: PHONE }, 'CAMPAIGN_QUALIFIED').map((arm) => arm.id)).toEqual([
      'premium-business-case-email-a',
      'premium-business-case-email-b',
      'premium-business-case-call-a',
      'premium-business-case-call-b',
      'premium-business-case-linkedin-a',
      'premium-business-case-linkedin-b',
      'premium-business-case-sms-a',
      'premium-business-case-sms-b',
    ]);
    // Calls are for premium leads only.
    expect(segmentArms({ persona: 'INFLUENCER', phone: PHONE }, 'GENERAL_INQUIRY').map((arm) => arm.id)).toEqual([
      'standard-evaluation-guide-sms-a',
      'standard-evaluation-guide-sms-b',
      'standard-evaluation-guide-linkedin-a',
      'standard-evaluation-guide-linkedin-b',
    ]);
    expect(segmentArms({ persona: null }, 'COLD_LEAD')).toEqual([
      { id: 'nurture-intro-linkedin-a', channel: 'LINKEDIN', template: 'nurture-intro-linkedin-a', variant: 'a', tier: 'nurture' },
      { id: 'nurture-intro-linkedin-b', channel: 'LINKEDIN', template: 'nurture-intro-linkedin-b', variant: 'b', tier: 'nurture' },
    ]);
  });

  it('lists every first-touch template of a persona across tiers, for the evidence query', () => {
    const templates = personaTemplates('END_USER');
    expect(templates).toHaveLength(2 * (4 + 3 + 3));
    expect(templates).toContain('premium-hands-on-call-b');
    expect(templates).toContain('nurture-hands-on-sms-a');
  });
});

describe('coldStartPrior', () => {
  it('is Beta(1 + w·n0, 1 + (1 − w)·n0) with n0 = 10 from the segment’s RESPONDS_ON weight', () => {
    const prior = coldStartPrior('LINKEDIN', { channelRates: { LINKEDIN: { weight: 0.06, source: 'segment' } } });
    expect(prior.alpha).toBeCloseTo(1.6, 12);
    expect(prior.beta).toBeCloseTo(10.4, 12);
    expect(prior).toMatchObject({ rate: 0.06, source: 'segment' });
  });

  it('falls back to 0.1 for a channel the knowledge base says nothing about, and keeps w in [0, 1]', () => {
    expect(coldStartPrior('SMS', { channelRates: {} })).toEqual({ alpha: 2, beta: 10, rate: 0.1, source: 'default' });
    expect(coldStartPrior('SMS', { channelRates: { SMS: { weight: 1.7, source: 'persona' } } })).toEqual({ alpha: 11, beta: 1, rate: 1, source: 'persona' });
    expect(coldStartPrior('SMS', { channelRates: {} }, 100)).toMatchObject({ alpha: 11, beta: 91 });
  });

  it('joins recorded results to the arms by channel and template, zero when none', () => {
    const arms = segmentArms({ persona: null, email: EMAIL }, 'COLD_LEAD');
    const evidence = armEvidence(arms, [{ channel: 'EMAIL', template: 'nurture-intro-email-b', successes: 4, failures: 30, pending: 2 }], { channelRates: {} });
    expect(evidence.map((arm) => [arm.id, arm.successes, arm.failures, arm.pending])).toEqual([
      ['nurture-intro-email-a', 0, 0, 0],
      ['nurture-intro-email-b', 4, 30, 2],
      ['nurture-intro-linkedin-a', 0, 0, 0],
      ['nurture-intro-linkedin-b', 0, 0, 0],
    ]);
  });

  it('names segments as the knowledge graph does', () => {
    expect(segmentLabel('TECHNOLOGY', 'DECISION_MAKER')).toBe('Technology/Decision Maker');
    expect(segmentLabel('FINANCE', null)).toBe('Finance/No persona');
  });
});

/** topObjects over the seed knowledge base, in memory. */
function seedMemory(): Pick<SemanticMemory, 'topObjects'> {
  const node = (input: { kind: string; name: string }): KnowledgeNode => ({ id: idOf(input), kind: input.kind, name: input.name, properties: {} });
  const facts: Fact[] = seedFacts().map((fact) => ({
    subject: node(fact.subject),
    predicate: fact.predicate,
    object: node(fact.object),
    weight: fact.weight,
    evidenceCount: fact.evidenceCount,
    provenance: fact.provenance,
    updatedAt: new Date(0),
  }));
  return {
    topObjects: async (subjectId, predicate, limit = 10) =>
      facts
        .filter((fact) => fact.subject.id === subjectId && fact.predicate === predicate)
        .sort((x, y) => y.weight - x.weight || x.object.id.localeCompare(y.object.id))
        .slice(0, limit),
  };
}

describe('readEngagementKnowledge', () => {
  it("reads the segment's channel rates, the industry's top pain point and the persona's top theme", async () => {
    const knowledge = await readEngagementKnowledge(seedMemory(), { industry: 'TECHNOLOGY', persona: 'DECISION_MAKER', companySize: 'ENTERPRISE' });
    // Persona rate × industry factor: LinkedIn 0.06 × 1.3, email 0.04 × 1.1.
    expect(knowledge.channelRates.LINKEDIN).toEqual({ weight: 0.078, source: 'segment' });
    expect(knowledge.channelRates.EMAIL).toEqual({ weight: 0.044, source: 'segment' });
    expect(knowledge.painPoint).toBe('Pipeline Growth');
    expect(knowledge.theme).toBe('ROI');
  });

  it('uses the persona’s rate where the segment has none, and the company size’s theme without a persona', async () => {
    const memory = seedMemory();
    const sparse: Pick<SemanticMemory, 'topObjects'> = {
      topObjects: async (subjectId, predicate, limit) =>
        subjectId.startsWith('segment:') && predicate === 'RESPONDS_ON'
          ? (await memory.topObjects(subjectId, predicate, limit)).filter((fact) => fact.object.name === 'Email')
          : memory.topObjects(subjectId, predicate, limit),
    };
    const knowledge = await readEngagementKnowledge(sparse, { industry: 'HEALTHCARE', persona: 'END_USER', companySize: 'SMB' });
    expect(knowledge.channelRates.EMAIL).toEqual({ weight: 0.09, source: 'segment' });
    expect(knowledge.channelRates.SMS).toEqual({ weight: 0.04, source: 'persona' });

    const anonymous = await readEngagementKnowledge(memory, { industry: 'HEALTHCARE', persona: null, companySize: 'ENTERPRISE' });
    expect(anonymous).toEqual({ channelRates: {}, painPoint: 'Patient Data Privacy', theme: 'Security & Compliance' });
  });
});

const arm = (id: string, channel: SelectableArm['channel'], successes: number, failures: number, rate = 0.05): SelectableArm => ({
  id,
  channel,
  template: id,
  successes,
  failures,
  prior: { alpha: 1 + rate * 10, beta: 1 + (1 - rate) * 10 },
});

describe('chooseVariant', () => {
  const arms = [arm('email-a', 'EMAIL', 5, 195), arm('email-b', 'EMAIL', 30, 170), arm('linkedin-a', 'LINKEDIN', 8, 92), arm('sms-a', 'SMS', 0, 0)];

  it('explains the choice: counts, posterior means and P(best) summing to 1', () => {
    const choice = chooseVariant(arms, seededRandom(1));
    expect(choice.arms.map((summary) => summary.arm)).toEqual(['email-a', 'email-b', 'linkedin-a', 'sms-a']);
    expect(choice.arms[1]).toMatchObject({ channel: 'EMAIL', template: 'email-b', successes: 30, failures: 170 });
    expect(choice.arms[1]!.posteriorMean).toBeCloseTo((1.5 + 30) / (12 + 200), 12);
    expect(choice.arms[3]!.posteriorMean).toBeCloseTo(1.5 / 12, 12);
    expect(choice.arms.reduce((sum, summary) => sum + summary.probabilityBest, 0)).toBeCloseTo(1, 12);
    const best = choice.arms.reduce((x, y) => (y.probabilityBest > x.probabilityBest ? y : x));
    expect(best.arm).toBe('email-b');
    expect(chooseVariant(arms, seededRandom(1))).toEqual(choice);
  });

  it('plays each arm about as often as it is likely to be best', () => {
    const random = seededRandom(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const { chosen } = chooseVariant(arms, random, { draws: 0 });
      counts.set(chosen.id, (counts.get(chosen.id) ?? 0) + 1);
    }
    const probabilities = chooseVariant(arms, seededRandom(8), { draws: 20_000 }).arms;
    for (const summary of probabilities) {
      expect(Math.abs((counts.get(summary.arm) ?? 0) / 2000 - summary.probabilityBest)).toBeLessThan(0.04);
    }
  });

  it('skips P(best) when asked for no draws', () => {
    expect(chooseVariant(arms, seededRandom(1), { draws: 0 }).arms.every((summary) => Number.isNaN(summary.probabilityBest))).toBe(true);
  });

  it('finds the runner-up on another channel for the last step', () => {
    const choice = chooseVariant(arms, seededRandom(1));
    const alternate = alternateArm(arms, { ...choice, chosen: arms[1]! });
    expect(alternate?.channel).not.toBe('EMAIL');
    const ranked = choice.arms.filter((summary) => summary.channel !== 'EMAIL').sort((x, y) => y.probabilityBest - x.probabilityBest);
    expect(alternate?.id).toBe(ranked[0]!.arm);
    const emailOnly = arms.slice(0, 2);
    expect(alternateArm(emailOnly, chooseVariant(emailOnly, seededRandom(2)))).toBeNull();
  });
});
