// Lead Triage: the cold-start log-odds model, the 70/40 thresholds, confidence,
// the explanation and the model seam. Expected values are worked out by hand from
// the documented weights in src/agents/triage-model.ts.
import { describe, expect, it } from 'vitest';
import type { CompanySize, Industry, LeadInput, Persona } from '../../src/agents/lead.js';
import { categorize, INQUIRY_MIN_SCORE, QUALIFIED_MIN_SCORE, triageLead } from '../../src/agents/triage.js';
import { COLD_START_MODEL, normalizeSource, type TriageModel } from '../../src/agents/triage-model.js';

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

  it('gives the specification example confidence 0.52 (0.15 log-odds above the 70 threshold, half complete)', () => {
    // margin = 1.0 - logit(0.7) = 0.1527; margin confidence = 1 - 0.5·e^(-0.1527/0.6) = 0.6123
    // completeness = (2 + 1 optional field) / 6 = 0.5 → factor 0.7 + 0.3·0.5 = 0.85; 0.6123·0.85 = 0.5205
    expect(triageLead(specExample, COLD_START_MODEL).confidence).toBe(0.52);
  });

  it('classifies a lead with every attribute against it as cold and routes it to nurture', () => {
    // log-odds = -1.0 - 0.1 - 0.3 - 0.2 - 0.8 = -2.4; score = round(100 / (1 + e^2.4)) = round(8.32) = 8
    const result = triageLead(coldLead, COLD_START_MODEL);
    expect(result.score).toBe(8);
    expect(result.category).toBe('COLD_LEAD');
    expect(result.assignedAgent).toBe('engagement-nurture-001');
    // far below 40: margin confidence 0.982, completeness 4/6 → factor 0.9 → 0.8838
    expect(result.confidence).toBe(0.88);
  });

  it('classifies a middling lead as a general inquiry and routes it to the standard tier', () => {
    // Healthcare +0.2, Mid-Market +0.6: log-odds -0.2, score round(45.02) = 45
    const result = triageLead({ leadId: 'lead-mid', industry: 'HEALTHCARE', companySize: 'MID_MARKET' }, COLD_START_MODEL);
    expect(result.score).toBe(45);
    expect(result.category).toBe('GENERAL_INQUIRY');
    expect(result.assignedAgent).toBe('engagement-standard-001');
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
    expect(new Set(factors.map((factor) => factor.feature))).toEqual(
      new Set(['industry', 'companySize', 'persona', 'source', 'email', 'phone']),
    );
  });

  it('sums, with the intercept, to the log-odds behind the score', () => {
    const result = triageLead(coldLead, COLD_START_MODEL);
    const logOdds = COLD_START_MODEL.intercept + result.factors.reduce((sum, factor) => sum + factor.contribution, 0);
    expect(logOdds).toBeCloseTo(-2.4, 10);
    expect(result.score).toBe(Math.round(100 / (1 + Math.exp(-logOdds))));
  });

  it('reports contact fields as present without echoing them', () => {
    const { factors } = triageLead({ ...specExample, email: 'jane.doe@acme.com', phone: '+1 415 555 0100' }, COLD_START_MODEL);
    expect(factors.find((factor) => factor.feature === 'email')).toEqual({ feature: 'email', value: 'present', contribution: 0.3 });
    expect(factors.find((factor) => factor.feature === 'phone')).toEqual({ feature: 'phone', value: 'present', contribution: 0.2 });
  });
});

describe('reasoning', () => {
  it('states the category, score, confidence and top three factors of the specification example, then what is missing', () => {
    const { reasoning } = triageLead(specExample, COLD_START_MODEL);
    expect(reasoning).toMatch(
      /^Campaign Qualified: score 73\/100, confidence 0\.52\. Top factors: company size Enterprise \(\+1\.00\), industry Technology \(\+0\.60\), source organic \(\+0\.40\)\. Missing: [a-z, ]+\.$/,
    );
    expect(missingIn(reasoning)).toEqual(['email', 'persona', 'phone']);
  });

  it('shows negative factors with a minus sign', () => {
    const { reasoning } = triageLead(coldLead, COLD_START_MODEL);
    expect(reasoning).toMatch(
      /^Cold Lead: score 8\/100, confidence 0\.88\. Top factors: source purchased_list \(-0\.80\), company size Startup \(-0\.30\), persona End User \(-0\.20\)\. Missing: [a-z, ]+\.$/,
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
    expect(triageLead(complete, COLD_START_MODEL).reasoning).not.toContain('Missing');
  });

  it('says so when no factor moved the score', () => {
    const { reasoning } = triageLead(specExample, zeroModel('flat-v0', 0));
    // log-odds 0 → score 50; 0.41 from the 40 threshold → 1 - 0.5·e^(-0.4055/0.6) = 0.7456; × 0.85 = 0.63
    expect(reasoning).toMatch(
      /^General Inquiry: score 50\/100, confidence 0\.63\. No factor moved the score from the baseline\. Missing: [a-z, ]+\.$/,
    );
    expect(missingIn(reasoning)).toEqual(['email', 'persona', 'phone']);
  });

  it('lists a missing source among the missing fields', () => {
    const { reasoning } = triageLead({ leadId: 'x', industry: 'FINANCE', companySize: 'SMB' }, COLD_START_MODEL);
    expect(missingIn(reasoning)).toEqual(['email', 'persona', 'phone', 'source']);
  });
});

describe('confidence', () => {
  const industries: Industry[] = ['TECHNOLOGY', 'HEALTHCARE', 'FINANCE', 'MANUFACTURING'];
  const sizes: CompanySize[] = ['STARTUP', 'SMB', 'MID_MARKET', 'ENTERPRISE'];
  const personas: (Persona | null)[] = ['DECISION_MAKER', 'INFLUENCER', 'END_USER', null];
  const sources = [...Object.keys(COLD_START_MODEL.source), null];

  it('stays within [0, 1] for every combination of attributes', () => {
    for (const industry of industries)
      for (const companySize of sizes)
        for (const persona of personas)
          for (const source of sources)
            for (const email of ['jane.doe@acme.com', null])
              for (const phone of ['+1 415 555 0100', null]) {
                const { confidence } = triageLead({ leadId: 'x', industry, companySize, persona, source, email, phone }, COLD_START_MODEL);
                expect(confidence).toBeGreaterThanOrEqual(0);
                expect(confidence).toBeLessThanOrEqual(1);
              }
  });

  it('is lower near a threshold than far from it, at equal completeness', () => {
    // Both leads give industry, size and source. The spec example sits 0.15 log-odds
    // above the 70 threshold; with a demo request instead (log-odds 2.0) it is 1.15 above.
    const near = triageLead(specExample, COLD_START_MODEL);
    const far = triageLead({ ...specExample, source: 'demo_request' }, COLD_START_MODEL);
    expect(far.score).toBe(88);
    expect(near.confidence).toBe(0.52);
    expect(far.confidence).toBe(0.79);
    expect(near.confidence).toBeLessThan(far.confidence);
  });

  it('is half the completeness factor exactly on a threshold', () => {
    // An intercept of logit(0.7) puts a lead with no other contribution exactly on 70.
    const onThreshold = zeroModel('on-threshold', logit(0.7));
    const result = triageLead({ leadId: 'x', industry: 'TECHNOLOGY', companySize: 'SMB' }, onThreshold);
    expect(result.score).toBe(70);
    // 0.5 · (0.7 + 0.3 · 2/6) = 0.5 · 0.8 = 0.4
    expect(result.confidence).toBe(0.4);
  });

  it('is higher with more complete contact data for the same score', () => {
    // Both at log-odds 1.6 (score 83): webinar + email + phone versus referral alone.
    const complete = triageLead(
      { ...specExample, source: 'webinar', email: 'jane.doe@acme.com', phone: '+1 415 555 0100' },
      COLD_START_MODEL,
    );
    const sparse = triageLead({ ...specExample, source: 'referral' }, COLD_START_MODEL);
    expect(complete.score).toBe(83);
    expect(sparse.score).toBe(83);
    // margin confidence 0.8574; × (0.7 + 0.3·5/6 = 0.95) = 0.81 versus × (0.7 + 0.3·3/6 = 0.85) = 0.73
    expect(complete.confidence).toBe(0.81);
    expect(sparse.confidence).toBe(0.73);
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
  });

  it('turns the cold lead hot under reversed weights', () => {
    // +1.0 + 0.1 + 0.3 + 0.2 + 0.8 = 2.4 → 91.68 → 92
    const result = triageLead(coldLead, negate(COLD_START_MODEL, 'reversed-v1'));
    expect(result.score).toBe(92);
    expect(result.category).toBe('CAMPAIGN_QUALIFIED');
  });
});

describe('determinism', () => {
  it('returns deep-equal results for the same lead and model', () => {
    const lead: LeadInput = { ...specExample, persona: 'INFLUENCER', email: 'jane.doe@acme.com' };
    expect(triageLead(lead, COLD_START_MODEL)).toEqual(triageLead({ ...lead }, COLD_START_MODEL));
  });

  it('does not mutate the model or the lead', () => {
    const model = structuredClone(COLD_START_MODEL);
    const lead = { ...specExample };
    triageLead(lead, model);
    expect(model).toEqual(COLD_START_MODEL);
    expect(lead).toEqual(specExample);
  });
});

/** The fields a reasoning's "Missing:" sentence names, sorted (their order is presentation). */
function missingIn(reasoning: string): string[] {
  const match = /Missing: ([^.]*)\.$/.exec(reasoning);
  return match?.[1] ? match[1].split(', ').sort() : [];
}

function mapRecord<K extends string>(record: Record<K, number>, f: (x: number) => number): Record<K, number> {
  return Object.fromEntries(Object.entries<number>(record).map(([key, value]) => [key, f(value)])) as Record<K, number>;
}

function negate(model: TriageModel, version: string): TriageModel {
  const flip = (x: number) => (x === 0 ? 0 : -x);
  return {
    version,
    intercept: flip(model.intercept),
    industry: mapRecord(model.industry, flip),
    companySize: mapRecord(model.companySize, flip),
    persona: mapRecord(model.persona, flip),
    source: mapRecord(model.source, flip),
    hasEmail: flip(model.hasEmail),
    hasPhone: flip(model.hasPhone),
  };
}

function zeroModel(version: string, intercept: number): TriageModel {
  const zero = () => 0;
  return {
    version,
    intercept,
    industry: mapRecord(COLD_START_MODEL.industry, zero),
    companySize: mapRecord(COLD_START_MODEL.companySize, zero),
    persona: mapRecord(COLD_START_MODEL.persona, zero),
    source: mapRecord(COLD_START_MODEL.source, zero),
    hasEmail: 0,
    hasPhone: 0,
  };
}
