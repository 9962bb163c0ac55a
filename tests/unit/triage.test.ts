// Lead Triage: the log-odds model over feature keys, the 70/40 thresholds, the
// calibrated confidence, similar episodes, the explanation and the model seam.
// Expected values are worked out by hand from the documented weights in
// src/domain/triage-model.ts.
//
// Confidence is P(true conversion probability in the category's band) with the
// log-odds ~ Normal(mean, variance). Under the cold-start model every active key
// carries the prior variance 0.25, so a lead with n active keys has variance
// 0.25·n. Bands: Campaign Qualified [0.7, 1), General Inquiry [0.4, 0.7), Cold
// Lead [0, 0.4); logit(0.7) = 0.8473, logit(0.4) = -0.4055. Φ values below are
// from a standard normal table (checked with erfc to 4 decimals).
import { describe, expect, it } from 'vitest';
import { probabilityInBand } from '../../src/statistics/calibrated-confidence.js';
import type { CompanySize, Industry, LeadInput, Persona } from '../../src/domain/lead.js';
import { categorize, INQUIRY_MIN_SCORE, modelPseudoCount, QUALIFIED_MIN_SCORE, triageLead } from '../../src/agents/triage/triage.js';
import { COLD_START_MODEL, featureKeys, KNOWN_SOURCES, logOddsOf, normalizeSource, PRIOR_VARIANCE, type TriageModel } from '../../src/domain/triage-model.js';

/** The specification's example lead: Technology, Enterprise, organic; nothing else. */
const specExample: LeadInput = { leadId: 'lead-001', industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'organic' };

/** Manufacturing -0.1, Startup -0.3, End User -0.2, purchased list -0.8. */
const coldLead: LeadInput = {
  leadId: 'lead-cold',
  industry: 'MANUFACTURING',
  companySize: 'STARTUP',
  persona: 'END_USER',
  source: 'purchased_list',
};

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const COLD_START_SENTENCE = 'Model cold-start-v1: cold-start priors, no outcomes recorded yet.';

describe('featureKeys and logOddsOf', () => {
  it('lists the intercept first, then one key per given feature, an unknown persona included', () => {
    expect(featureKeys(specExample)).toEqual(['intercept', 'industry:TECHNOLOGY', 'companySize:ENTERPRISE', 'persona:UNKNOWN', 'source:organic']);
    expect(featureKeys({ ...coldLead, source: 'Purchased List', email: 'a@b.co', phone: '+1 415 555 0100' })).toEqual([
      'intercept',
      'industry:MANUFACTURING',
      'companySize:STARTUP',
      'persona:END_USER',
      'source:purchased_list',
      'email',
      'phone',
    ]);
    // No source, no key: a missing source is not a source called "unknown".
    expect(featureKeys({ leadId: 'x', industry: 'FINANCE', companySize: 'SMB' })).toEqual([
      'intercept',
      'industry:FINANCE',
      'companySize:SMB',
      'persona:UNKNOWN',
    ]);
  });

  it('sums the weights and gives each key the prior variance under the cold-start model', () => {
    expect(PRIOR_VARIANCE).toBe(0.25);
    const { mean, variance } = logOddsOf(COLD_START_MODEL, featureKeys(specExample));
    // -1.0 + 0.6 + 1.0 + 0 + 0.4 = 1.0; 5 keys · 0.25 = 1.25
    expect(mean).toBeCloseTo(1.0, 12);
    expect(variance).toBeCloseTo(1.25, 12);
  });

  it('weighs a key the model does not know as 0', () => {
    expect(logOddsOf(COLD_START_MODEL, ['intercept', 'source:carrier_pigeon']).mean).toBeCloseTo(-1.0, 12);
  });

  it('takes x′Σx from a posterior covariance, and the prior variance for keys the posterior never saw', () => {
    const model = withPosterior(
      COLD_START_MODEL,
      ['intercept', 'industry:TECHNOLOGY', 'companySize:ENTERPRISE'],
      [
        [0.04, -0.01, 0.0],
        [-0.01, 0.02, 0.005],
        [0.0, 0.005, 0.03],
      ],
    );
    // Block of the three known keys: 0.04 + 0.02 + 0.03 + 2·(-0.01) + 2·0 + 2·0.005 = 0.08;
    // persona:UNKNOWN and source:organic are not in the posterior: 2 · 0.25 = 0.5. Total 0.58.
    expect(logOddsOf(model, featureKeys(specExample)).variance).toBeCloseTo(0.58, 12);
    // Only known keys: the block alone.
    expect(logOddsOf(model, ['intercept', 'industry:TECHNOLOGY']).variance).toBeCloseTo(0.04 + 0.02 - 0.02, 12);
  });
});

describe('triageLead with the cold-start model', () => {
  it('scores the specification example 73 and qualifies it for a campaign', () => {
    // log-odds = -1.0 (intercept) + 0.6 (Technology) + 1.0 (Enterprise) + 0.4 (organic) = 1.0
    // score = round(100 / (1 + e^-1)) = round(73.11) = 73
    const result = triageLead(specExample, COLD_START_MODEL);
    expect(result.score).toBe(73);
    expect(result.category).toBe('CAMPAIGN_QUALIFIED');
    expect(result.assignedAgent).toBe('engagement-premium-001');
    expect(result.modelVersion).toBe('cold-start-v1');
  });

  it('gives the specification example confidence 0.55: Φ((1.0 − logit 0.7)/√1.25)', () => {
    // keys: intercept, industry, companySize, persona:UNKNOWN, source:organic → variance 5·0.25 = 1.25
    // Φ((1.0 − 0.8473)/1.1180) = Φ(0.1366) = 0.5543 → 0.55
    const result = triageLead(specExample, COLD_START_MODEL);
    expect(result.confidence).toBe(0.55);
    expect(result.confidence).toBe(round2(probabilityInBand(1.0, 1.25, 0.7, 1)));
  });

  it('classifies a lead with every attribute against it as cold and routes it to nurture', () => {
    // log-odds = -1.0 - 0.1 - 0.3 - 0.2 - 0.8 = -2.4; score = round(100 / (1 + e^2.4)) = round(8.32) = 8
    const result = triageLead(coldLead, COLD_START_MODEL);
    expect(result.score).toBe(8);
    expect(result.category).toBe('COLD_LEAD');
    expect(result.assignedAgent).toBe('engagement-nurture-001');
    // 5 keys → variance 1.25; P(σ(η) < 0.4) = Φ((-0.4055 + 2.4)/1.1180) = Φ(1.7840) = 0.9628 → 0.96
    expect(result.confidence).toBe(0.96);
  });

  it('classifies a middling lead as a general inquiry and routes it to the standard tier', () => {
    // Healthcare +0.2, Mid-Market +0.6: log-odds -0.2, score round(45.02) = 45
    const result = triageLead({ leadId: 'lead-mid', industry: 'HEALTHCARE', companySize: 'MID_MARKET' }, COLD_START_MODEL);
    expect(result.score).toBe(45);
    expect(result.category).toBe('GENERAL_INQUIRY');
    expect(result.assignedAgent).toBe('engagement-standard-001');
    // 4 keys (no source key) → variance 1.0; Φ(0.8473 + 0.2) − Φ(-0.4055 + 0.2) = Φ(1.0473) − Φ(-0.2055)
    // = 0.8525 − 0.4186 = 0.4339 → 0.43
    expect(result.confidence).toBe(0.43);
  });

  it('scores a fully-specified best-case lead with every contribution added', () => {
    // -1.0 + 0.6 + 1.0 + 0.9 (Decision Maker) + 1.4 (demo request) + 0.3 (email) + 0.2 (phone) = 3.4 → 96.77 → 97
    const result = triageLead(
      {
        leadId: 'lead-best',
        industry: 'TECHNOLOGY',
        companySize: 'ENTERPRISE',
        persona: 'DECISION_MAKER',
        source: 'demo_request',
        email: 'jane.doe@acme.com',
        phone: '+1 415 555 0100',
      },
      COLD_START_MODEL,
    );
    expect(result.score).toBe(97);
    expect(result.category).toBe('CAMPAIGN_QUALIFIED');
    // 7 keys → variance 1.75; Φ((3.4 − 0.8473)/1.3229) = Φ(1.9297) = 0.9732 → 0.97
    expect(result.confidence).toBe(0.97);
  });
});

describe('categorize', () => {
  it('puts 70 and above in Campaign Qualified', () => {
    expect(QUALIFIED_MIN_SCORE).toBe(70);
    expect(categorize(70)).toBe('CAMPAIGN_QUALIFIED');
    expect(categorize(100)).toBe('CAMPAIGN_QUALIFIED');
  });

  it('puts 40 to 69 in General Inquiry', () => {
    expect(INQUIRY_MIN_SCORE).toBe(40);
    expect(categorize(69)).toBe('GENERAL_INQUIRY');
    expect(categorize(40)).toBe('GENERAL_INQUIRY');
  });

  it('puts below 40 in Cold Lead', () => {
    expect(categorize(39)).toBe('COLD_LEAD');
    expect(categorize(0)).toBe('COLD_LEAD');
  });
});

describe('factors', () => {
  it('lists all six features, largest absolute contribution first, ties by feature name', () => {
    const { factors } = triageLead(specExample, COLD_START_MODEL);
    expect(factors).toEqual([
      { feature: 'companySize', value: 'Enterprise', contribution: 1 },
      { feature: 'industry', value: 'Technology', contribution: 0.6 },
      { feature: 'source', value: 'organic', contribution: 0.4 },
      { feature: 'email', value: null, contribution: 0 },
      { feature: 'persona', value: null, contribution: 0 },
      { feature: 'phone', value: null, contribution: 0 },
    ]);
  });

  it('orders negative contributions by magnitude too', () => {
    const { factors } = triageLead(coldLead, COLD_START_MODEL);
    expect(factors.map((factor) => [factor.feature, factor.contribution])).toEqual([
      ['source', -0.8],
      ['companySize', -0.3],
      ['persona', -0.2],
      ['industry', -0.1],
      ['email', 0],
      ['phone', 0],
    ]);
    expect(new Set(factors.map((factor) => factor.feature))).toEqual(new Set(['industry', 'companySize', 'persona', 'source', 'email', 'phone']));
  });

  it('sums, with the intercept, to the log-odds behind the score', () => {
    const result = triageLead(coldLead, COLD_START_MODEL);
    const logOdds = COLD_START_MODEL.weights.intercept! + result.factors.reduce((sum, factor) => sum + factor.contribution, 0);
    expect(logOdds).toBeCloseTo(-2.4, 10);
    expect(logOdds).toBeCloseTo(logOddsOf(COLD_START_MODEL, featureKeys(coldLead)).mean, 10);
    expect(result.score).toBe(Math.round(100 / (1 + Math.exp(-logOdds))));
  });

  it('reports contact fields as present without echoing them', () => {
    const { factors } = triageLead({ ...specExample, email: 'jane.doe@acme.com', phone: '+1 415 555 0100' }, COLD_START_MODEL);
    expect(factors.find((factor) => factor.feature === 'email')).toEqual({ feature: 'email', value: 'present', contribution: 0.3 });
    expect(factors.find((factor) => factor.feature === 'phone')).toEqual({ feature: 'phone', value: 'present', contribution: 0.2 });
  });

  it('gives an unknown persona the persona:UNKNOWN weight while reporting the value as missing', () => {
    const model = withWeights(COLD_START_MODEL, 'unknown-persona-v1', { 'persona:UNKNOWN': -0.5 });
    const { factors, score } = triageLead(specExample, model);
    expect(factors.find((factor) => factor.feature === 'persona')).toEqual({ feature: 'persona', value: null, contribution: -0.5 });
    // 1.0 - 0.5 = 0.5 → 62.25 → 62
    expect(score).toBe(62);
  });
});

describe('reasoning', () => {
  it('states the category, score, confidence and top three factors of the specification example, what is missing, and the model', () => {
    const { reasoning } = triageLead(specExample, COLD_START_MODEL);
    expect(reasoning).toMatch(
      /^Campaign Qualified: score 73\/100, confidence 0\.55\. Top factors: company size Enterprise \(\+1\.00\), industry Technology \(\+0\.60\), source organic \(\+0\.40\)\. Missing: [a-z, ]+\. Model cold-start-v1: cold-start priors, no outcomes recorded yet\.$/,
    );
    expect(missingIn(reasoning)).toEqual(['email', 'persona', 'phone']);
  });

  it('shows negative factors with a minus sign', () => {
    const { reasoning } = triageLead(coldLead, COLD_START_MODEL);
    expect(reasoning).toMatch(
      /^Cold Lead: score 8\/100, confidence 0\.96\. Top factors: source purchased_list \(-0\.80\), company size Startup \(-0\.30\), persona End User \(-0\.20\)\. Missing: [a-z, ]+\. Model cold-start-v1/,
    );
    expect(missingIn(reasoning)).toEqual(['email', 'phone']);
  });

  it('omits the missing sentence when the lead is complete', () => {
    const complete: LeadInput = {
      ...specExample,
      persona: 'INFLUENCER',
      email: 'jane.doe@acme.com',
      phone: '+1 415 555 0100',
    };
    const { reasoning } = triageLead(complete, COLD_START_MODEL);
    expect(reasoning).not.toContain('Missing');
    expect(reasoning.endsWith(`(+0.40). ${COLD_START_SENTENCE}`)).toBe(true);
  });

  it('says so when no factor moved the score', () => {
    const { reasoning } = triageLead(specExample, zeroModel('flat-v0', 0));
    // log-odds 0 → score 50; 5 keys → variance 1.25:
    // Φ(0.8473/1.1180) − Φ(-0.4055/1.1180) = Φ(0.7578) − Φ(-0.3627) = 0.7757 − 0.3584 = 0.4173 → 0.42
    expect(reasoning).toMatch(
      /^General Inquiry: score 50\/100, confidence 0\.42\. No factor moved the score from the baseline\. Missing: [a-z, ]+\. Model flat-v0: cold-start priors, no outcomes recorded yet\.$/,
    );
    expect(missingIn(reasoning)).toEqual(['email', 'persona', 'phone']);
  });

  it('lists a missing source among the missing fields', () => {
    const { reasoning } = triageLead({ leadId: 'x', industry: 'FINANCE', companySize: 'SMB' }, COLD_START_MODEL);
    expect(missingIn(reasoning)).toEqual(['email', 'persona', 'phone', 'source']);
  });

  it('ends by naming the cold-start model', () => {
    expect(triageLead(specExample, COLD_START_MODEL).reasoning.endsWith(` ${COLD_START_SENTENCE}`)).toBe(true);
  });

  it('names a learned model and the outcomes it learned from', () => {
    const learned: TriageModel = { ...structuredClone(COLD_START_MODEL), version: 'learned-v3', evidence: { outcomes: 240, conversions: 61 } };
    const { reasoning, modelVersion } = triageLead(specExample, learned);
    expect(modelVersion).toBe('learned-v3');
    expect(reasoning.endsWith(' Model learned-v3, learned from 240 recorded outcomes (61 converted).')).toBe(true);
    expect(reasoning).not.toContain('cold-start');
    // Everything before the model sentence is the same as under the cold-start model (same weights).
    expect(reasoning.replace(/ Model .*$/, '')).toBe(triageLead(specExample, COLD_START_MODEL).reasoning.replace(/ Model .*$/, ''));
  });
});

describe('confidence', () => {
  const industries: Industry[] = ['TECHNOLOGY', 'HEALTHCARE', 'FINANCE', 'MANUFACTURING'];
  const sizes: CompanySize[] = ['STARTUP', 'SMB', 'MID_MARKET', 'ENTERPRISE'];
  const personas: (Persona | null)[] = ['DECISION_MAKER', 'INFLUENCER', 'END_USER', null];
  const sources = [...KNOWN_SOURCES, null];

  it('stays within [0, 1] for every combination of attributes, with and without episodes', () => {
    const episodes = [undefined, { considered: 5, converted: 5 }, { considered: 200, converted: 0 }, { considered: 7.4, converted: 2.2 }];
    for (const industry of industries)
      for (const companySize of sizes)
        for (const persona of personas)
          for (const source of sources)
            for (const email of ['jane.doe@acme.com', null])
              for (const phone of ['+1 415 555 0100', null])
                for (const similar of episodes) {
                  const lead = { leadId: 'x', industry, companySize, persona, source, email, phone };
                  const { confidence, score } = triageLead(lead, COLD_START_MODEL, similar);
                  expect(confidence).toBeGreaterThanOrEqual(0);
                  expect(confidence).toBeLessThanOrEqual(1);
                  expect(score).toBeGreaterThanOrEqual(0);
                  expect(score).toBeLessThanOrEqual(100);
                }
  });

  it('is lower near a threshold than far from it, at equal variance', () => {
    // Both leads have 5 active keys (variance 1.25). The spec example sits 0.15 log-odds
    // above the 70 threshold; with a demo request instead (log-odds 2.0) it is 1.15 above.
    const near = triageLead(specExample, COLD_START_MODEL);
    const far = triageLead({ ...specExample, source: 'demo_request' }, COLD_START_MODEL);
    expect(far.score).toBe(88);
    expect(near.confidence).toBe(0.55);
    // Φ((2.0 − 0.8473)/1.1180) = Φ(1.0310) = 0.8487 → 0.85
    expect(far.confidence).toBe(0.85);
    expect(near.confidence).toBeLessThan(far.confidence);
  });

  it('is one half exactly on a threshold', () => {
    // An intercept of logit(0.7) puts a lead with no other contribution exactly on 70:
    // the mean is the band's lower edge, so half the posterior mass lies above it.
    const onThreshold = zeroModel('on-threshold', logit(0.7));
    const result = triageLead({ leadId: 'x', industry: 'TECHNOLOGY', companySize: 'SMB' }, onThreshold);
    expect(result.score).toBe(70);
    expect(result.category).toBe('CAMPAIGN_QUALIFIED');
    expect(result.confidence).toBe(0.5);
  });

  it('is lower, under the cold-start prior, for a lead with more active features at the same score', () => {
    // Both at log-odds 1.6 (score 83): webinar + email + phone versus referral alone.
    // Every active key brings its own uncertain weight: 7 keys (variance 1.75) versus 5 (variance 1.25).
    const complete = triageLead({ ...specExample, source: 'webinar', email: 'jane.doe@acme.com', phone: '+1 415 555 0100' }, COLD_START_MODEL);
    const sparse = triageLead({ ...specExample, source: 'referral' }, COLD_START_MODEL);
    expect(complete.score).toBe(83);
    expect(sparse.score).toBe(83);
    // Φ((1.6 − 0.8473)/√1.75) = Φ(0.5690) = 0.7153 → 0.72; Φ((1.6 − 0.8473)/√1.25) = Φ(0.6732) = 0.7496 → 0.75
    expect(complete.confidence).toBe(0.72);
    expect(sparse.confidence).toBe(0.75);
  });

  it('rises as the posterior variance shrinks', () => {
    // The spec example (mean 1.0, 5 keys) under a fitted model whose posterior covers all
    // five keys with independent variance c each: total variance 5c.
    //   c = 0.25 (the prior)   → Φ(0.1527/√1.25)  = Φ(0.137) = 0.5543 → 0.55
    //   c = 0.1                → Φ(0.1527/√0.5)   = Φ(0.216) = 0.5855 → 0.59
    //   c = 0.05               → Φ(0.1527/√0.25)  = Φ(0.305) = 0.6200 → 0.62
    //   c = 0.01               → Φ(0.1527/√0.05)  = Φ(0.683) = 0.7527 → 0.75
    //   c = 0.002              → Φ(0.1527/√0.01)  = Φ(1.527) = 0.9366 → 0.94
    const keys = featureKeys(specExample);
    const confidences = [0.25, 0.1, 0.05, 0.01, 0.002].map((c) => {
      const model = withPosterior(COLD_START_MODEL, keys, diagonal(keys.length, c));
      const result = triageLead(specExample, model);
      expect(result.score).toBe(73);
      expect(result.category).toBe('CAMPAIGN_QUALIFIED');
      return result.confidence;
    });
    expect(confidences).toEqual([0.55, 0.59, 0.62, 0.75, 0.94]);
    // The prior-variance posterior is the cold-start confidence.
    expect(confidences[0]).toBe(triageLead(specExample, COLD_START_MODEL).confidence);
  });

  it('counts the covariance between weights, not only their variances', () => {
    // Lead TECHNOLOGY/SMB: keys intercept, industry:TECHNOLOGY, companySize:SMB, persona:UNKNOWN,
    // mean -1.0 + 0.6 + 0.1 = -0.3 (score 43, General Inquiry). Variances 0.05, 0.05, 0.001, 0.001;
    // the first two correlated by ±0.04:
    //   positive: 0.102 + 2·0.04 = 0.182 → Φ((0.8473 + 0.3)/0.4266) − Φ((-0.4055 + 0.3)/0.4266) = 0.9964 − 0.4023 = 0.59
    //   negative: 0.102 − 2·0.04 = 0.022 → Φ(1.1473/0.1483) − Φ(-0.1055/0.1483) = 1.0000 − 0.2385 = 0.76
    const lead: LeadInput = { leadId: 'x', industry: 'TECHNOLOGY', companySize: 'SMB' };
    const known = featureKeys(lead);
    expect(known).toEqual(['intercept', 'industry:TECHNOLOGY', 'companySize:SMB', 'persona:UNKNOWN']);
    const covariance = (rho: number) => [
      [0.05, rho, 0, 0],
      [rho, 0.05, 0, 0],
      [0, 0, 0.001, 0],
      [0, 0, 0, 0.001],
    ];
    const positive = withPosterior(COLD_START_MODEL, known, covariance(0.04));
    const negative = withPosterior(COLD_START_MODEL, known, covariance(-0.04));
    expect(logOddsOf(positive, known).variance).toBeCloseTo(0.182, 12);
    expect(logOddsOf(negative, known).variance).toBeCloseTo(0.022, 12);
    const loose = triageLead(lead, positive);
    const tight = triageLead(lead, negative);
    expect(loose.score).toBe(43);
    expect(tight.score).toBe(43);
    expect(loose.confidence).toBe(0.59);
    expect(tight.confidence).toBe(0.76);
  });
});

describe('similar episodes', () => {
  // The spec example's model probability is σ(1.0) = 0.7311 with log-odds variance 5 · 0.25 = 1.25.
  // As a Beta prior it is worth m = 1/(p(1−p)·v) − 1 = 1/(0.7311 · 0.2689 · 1.25) − 1 = 3.069 episodes:
  // the cold-start model is unsure, so a few dozen similar episodes dominate it.
  const p = sigmoid(1.0);
  const m = 1 / (p * (1 - p) * 1.25) - 1;

  it('weighs the model as many episodes as its predictive variance is worth', () => {
    expect(modelPseudoCount(p, 1.25)).toBeCloseTo(3.069, 3);
    // A fitted model, sure to ±0.1 log-odds, is worth hundreds; certainty is capped, doubt has a floor.
    expect(modelPseudoCount(0.2, 0.01)).toBeCloseTo(624, 0);
    expect(modelPseudoCount(0.5, 0)).toBe(5_000);
    expect(modelPseudoCount(0.5, 100)).toBe(2);
  });

  it('pulls the score toward the episodes’ conversion rate and adds a similarEpisodes factor', () => {
    // (12 + 3.069·0.7311)/(40 + 3.069) = 14.244/43.069 = 0.3307 → score 33, Cold Lead
    const result = triageLead(specExample, COLD_START_MODEL, { considered: 40, converted: 12 });
    expect(result.score).toBe(33);
    expect(result.category).toBe('COLD_LEAD');
    expect(result.assignedAgent).toBe('engagement-nurture-001');
    // contribution = logit(0.3307) − 1.0 = −0.7049 − 1.0 = −1.70: the largest, so listed first
    expect(result.factors[0]).toEqual({ feature: 'similarEpisodes', value: '12 of 40 converted', contribution: -1.7 });
    expect(result.factors).toHaveLength(7);
    // variance 1/((m + n + 1)·p′(1−p′)) = 1/(44.069 · 0.2213) = 0.1025;
    // Φ((logit(0.4) + 0.7049)/0.3202) = Φ(0.9352) = 0.825 → 0.83
    expect(result.confidence).toBe(0.83);
    expect(result.reasoning).toBe(
      'Cold Lead: score 33/100, confidence 0.83. Top factors: similar leads 12 of 40 converted (-1.70), ' +
        'company size Enterprise (+1.00), industry Technology (+0.60). Missing: persona, email, phone. ' +
        COLD_START_SENTENCE,
    );
  });

  it('moves the score further the more episodes there are, at the same rate', () => {
    // Rate 0.3 every time; the score moves n/(n + m) of the way from 73.11 toward 30.
    for (const [n, score] of [
      [10, 40],
      [40, 33],
      [1000, 30],
    ] as const) {
      expect(triageLead(specExample, COLD_START_MODEL, { considered: n, converted: 0.3 * n }).score).toBe(score);
      expect(score).toBe(Math.round(100 * (p + (n / (n + m)) * (0.3 - p))));
    }
  });

  it('moves the score up when similar leads converted more than the model expects', () => {
    // (40 + 3.069·0.7311)/43.069 = 0.9808 → 98; contribution logit(0.9808) − 1.0 = +2.94
    const result = triageLead(specExample, COLD_START_MODEL, { considered: 40, converted: 40 });
    expect(result.score).toBe(98);
    expect(result.factors.find((factor) => factor.feature === 'similarEpisodes')).toEqual({
      feature: 'similarEpisodes',
      value: '40 of 40 converted',
      contribution: 2.94,
    });
  });

  it('raises confidence as episodes shrink the variance, at the same probability', () => {
    // Episodes converting at exactly the model's rate leave the score where it is but shrink
    // the variance from 1.25 to 1/((3.069 + 40 + 1) · 0.1966) = 0.1154.
    const without = triageLead(specExample, COLD_START_MODEL);
    const agreeing = triageLead(specExample, COLD_START_MODEL, { considered: 40, converted: 40 * p });
    expect(agreeing.score).toBe(without.score);
    expect(agreeing.factors.find((factor) => factor.feature === 'similarEpisodes')!.contribution).toBeCloseTo(0, 10);
    // Φ(0.1527/√0.1154) = Φ(0.4495) = 0.6735 → 0.67
    expect(agreeing.confidence).toBe(0.67);
    expect(agreeing.confidence).toBeGreaterThan(without.confidence);
  });

  it("does not narrow a learned model's uncertainty with episodes it was trained on", () => {
    // A fitted model has already learned from those outcomes: counting them again would be overconfident.
    const learned = { ...COLD_START_MODEL, version: 'learned-v1', evidence: { outcomes: 500, conversions: 120 } };
    const without = triageLead(specExample, learned);
    const agreeing = triageLead(specExample, learned, { considered: 40, converted: 40 * p });
    expect(agreeing.score).toBe(without.score);
    expect(agreeing.confidence).toBe(without.confidence);
  });

  it('with zero episodes equals the model-only result, with no similarEpisodes factor', () => {
    for (const lead of [specExample, coldLead, { leadId: 'x', industry: 'FINANCE' as const, companySize: 'SMB' as const }]) {
      const modelOnly = triageLead(lead, COLD_START_MODEL);
      expect(triageLead(lead, COLD_START_MODEL, { considered: 0, converted: 0 })).toEqual(modelOnly);
      expect(modelOnly.factors.some((factor) => factor.feature === 'similarEpisodes')).toBe(false);
      const { mean, variance } = logOddsOf(COLD_START_MODEL, featureKeys(lead));
      expect(modelOnly.score).toBe(Math.round(100 * sigmoid(mean)));
      expect(modelOnly.confidence).toBe(round2(probabilityInBand(mean, variance, ...bandOf(modelOnly.category))));
    }
  });

  it('keeps the log-odds finite when every similar episode agreed', () => {
    const all = triageLead(coldLead, COLD_START_MODEL, { considered: 1e9, converted: 1e9 });
    const none = triageLead(specExample, COLD_START_MODEL, { considered: 1e9, converted: 0 });
    expect(all.score).toBe(100);
    expect(none.score).toBe(0);
    for (const result of [all, none]) {
      expect(Number.isFinite(result.confidence)).toBe(true);
      for (const factor of result.factors) expect(Number.isFinite(factor.contribution)).toBe(true);
    }
  });

  // conversionEvidence (src/memory/episodic/episode-store.ts) weights each neighbour by its
  // similarity (k/15), so the counts triage receives are usually fractional, e.g. 46.67 of
  // 50 neighbours at similarity 14/15. The factor value (shown in GraphQL and in the
  // reasoning) should not print raw floats like "14.000000000000002 of 46.666666666666664".
  it('formats fractional similarity-weighted counts readably', () => {
    const weighted = { considered: 50 * (14 / 15), converted: 15 * (14 / 15) };
    const result = triageLead(specExample, COLD_START_MODEL, weighted);
    const value = result.factors.find((factor) => factor.feature === 'similarEpisodes')!.value;
    expect(value).toMatch(/^\d+(\.\d)? of \d+(\.\d)? converted$/);
  });
});

describe('source normalization', () => {
  it('treats "Paid Search", "paid-search" and "paid_search" as one source', () => {
    expect(normalizeSource('Paid Search')).toBe('paid_search');
    expect(normalizeSource('  paid-search ')).toBe('paid_search');
    expect(normalizeSource('Demo   Request')).toBe('demo_request');
    const canonical = triageLead({ ...specExample, source: 'paid_search' }, COLD_START_MODEL);
    expect(triageLead({ ...specExample, source: 'Paid Search' }, COLD_START_MODEL)).toEqual(canonical);
    expect(triageLead({ ...specExample, source: 'paid-search' }, COLD_START_MODEL)).toEqual(canonical);
    expect(canonical.factors.find((factor) => factor.feature === 'source')).toEqual({
      feature: 'source',
      value: 'paid_search',
      contribution: 0.2,
    });
  });

  it('does not mistake a source named "Missing" for no source', () => {
    const result = triageLead({ leadId: 'l', industry: 'TECHNOLOGY', companySize: 'SMB', source: 'Missing' }, COLD_START_MODEL);
    expect(result.factors.find((factor) => factor.feature === 'source')!.value).toBe('missing');
    expect(missingIn(result.reasoning)).not.toContain('source');
  });

  it('gives an unknown source a contribution of 0 but does not count it as missing', () => {
    const result = triageLead({ ...specExample, source: 'Carrier Pigeon' }, COLD_START_MODEL);
    expect(result.factors.find((factor) => factor.feature === 'source')).toEqual({
      feature: 'source',
      value: 'carrier_pigeon',
      contribution: 0,
    });
    // -1.0 + 0.6 + 1.0 = 0.6 → 64.57 → 65
    expect(result.score).toBe(65);
    expect(result.score).toBe(triageLead({ ...specExample, source: null }, COLD_START_MODEL).score);
    expect(missingIn(result.reasoning)).toEqual(['email', 'persona', 'phone']);
    expect(result.reasoning).toContain('Top factors: company size Enterprise (+1.00), industry Technology (+0.60).');
    // The unknown source is still an active key with an uncertain (prior) weight: 5 keys
    // versus 4 without a source, so its confidence is lower at the same score.
    expect(result.confidence).toBeLessThan(triageLead({ ...specExample, source: null }, COLD_START_MODEL).confidence);
  });

  it('names every source the cold-start model has an opinion on', () => {
    expect([...KNOWN_SOURCES].sort()).toEqual(
      [
        'demo_request',
        'referral',
        'event',
        'webinar',
        'organic',
        'content_download',
        'paid_search',
        'email_campaign',
        'social',
        'cold_outreach',
        'purchased_list',
      ].sort(),
    );
    for (const source of KNOWN_SOURCES) expect(COLD_START_MODEL.weights[`source:${source}`]).toBeTypeOf('number');
  });
});

describe('the model is a seam', () => {
  it('uses a custom model’s weights and reports its version', () => {
    const reversed = negate(COLD_START_MODEL, 'reversed-v1');
    // log-odds = +1.0 - 0.6 - 1.0 - 0.4 = -1.0 → 26.89 → 27
    const result = triageLead(specExample, reversed);
    expect(result.score).toBe(27);
    expect(result.category).toBe('COLD_LEAD');
    expect(result.assignedAgent).toBe('engagement-nurture-001');
    expect(result.modelVersion).toBe('reversed-v1');
    expect(result.factors[0]).toEqual({ feature: 'companySize', value: 'Enterprise', contribution: -1 });
    // Mirror image of the spec example: P(σ(η) < 0.4) = Φ((-0.4055 + 1.0)/1.1180) = Φ(0.5318) = 0.7026 → 0.70
    expect(result.confidence).toBe(0.7);
  });

  it('turns the cold lead hot under reversed weights', () => {
    // +1.0 + 0.1 + 0.3 + 0.2 + 0.8 = 2.4 → 91.68 → 92
    const result = triageLead(coldLead, negate(COLD_START_MODEL, 'reversed-v1'));
    expect(result.score).toBe(92);
    expect(result.category).toBe('CAMPAIGN_QUALIFIED');
  });
});

describe('determinism', () => {
  it('returns deep-equal results for the same lead, model and episodes', () => {
    const lead: LeadInput = { ...specExample, persona: 'INFLUENCER', email: 'jane.doe@acme.com' };
    expect(triageLead(lead, COLD_START_MODEL)).toEqual(triageLead({ ...lead }, COLD_START_MODEL));
    expect(triageLead(lead, COLD_START_MODEL, { considered: 9, converted: 4 })).toEqual(
      triageLead({ ...lead }, structuredClone(COLD_START_MODEL), { considered: 9, converted: 4 }),
    );
  });

  it('does not mutate the model, the lead or the episodes', () => {
    const model = structuredClone(COLD_START_MODEL);
    const lead = { ...specExample };
    const similar = { considered: 12, converted: 5 };
    triageLead(lead, model, similar);
    expect(model).toEqual(COLD_START_MODEL);
    expect(lead).toEqual(specExample);
    expect(similar).toEqual({ considered: 12, converted: 5 });
  });
});

/** The fields a reasoning's "Missing:" sentence names, sorted (their order is presentation). */
function missingIn(reasoning: string): string[] {
  const match = /Missing: ([^.]*)\./.exec(reasoning);
  return match?.[1] ? match[1].split(', ').sort() : [];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function bandOf(category: string): [number, number] {
  if (category === 'CAMPAIGN_QUALIFIED') return [0.7, 1];
  if (category === 'GENERAL_INQUIRY') return [0.4, 0.7];
  return [0, 0.4];
}

function diagonal(n: number, value: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? value : 0)));
}

function withPosterior(model: TriageModel, features: string[], covariance: number[][]): TriageModel {
  return {
    ...structuredClone(model),
    version: 'learned-test',
    uncertainty: { priorVariance: model.uncertainty.priorVariance, posterior: { features, covariance } },
  };
}

function withWeights(model: TriageModel, version: string, weights: Record<string, number>): TriageModel {
  return { ...structuredClone(model), version, weights: { ...model.weights, ...weights } };
}

function negate(model: TriageModel, version: string): TriageModel {
  const flip = (x: number) => (x === 0 ? 0 : -x);
  return {
    ...structuredClone(model),
    version,
    weights: Object.fromEntries(Object.entries(model.weights).map(([key, weight]) => [key, flip(weight)])),
  };
}

/** Every cold-start key weighs 0 except the intercept; the uncertainty is the cold-start prior's. */
function zeroModel(version: string, intercept: number): TriageModel {
  return {
    ...structuredClone(COLD_START_MODEL),
    version,
    weights: { ...Object.fromEntries(Object.keys(COLD_START_MODEL.weights).map((key) => [key, 0])), intercept },
  };
}
