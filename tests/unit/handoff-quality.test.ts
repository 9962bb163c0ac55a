// Handoff context quality: the weighted share of what the Engagement agent needs,
// the 0.7 gate, and how a triage verdict loses value with age.
import { describe, expect, it } from 'vitest';
import { buildTriageHandoffContext, type HandoffContext } from '../../src/agents/handoff/handoff-context.js';
import { ENGAGEMENT_REQUIREMENTS, HANDOFF_QUALITY_THRESHOLD, scoreHandoffContext, triageFreshness } from '../../src/agents/handoff/handoff-quality.js';
import type { LeadInput } from '../../src/domain/lead.js';
import { triageLead } from '../../src/agents/triage/triage.js';
import { COLD_START_MODEL } from '../../src/domain/triage-model.js';

const NOW = new Date('2025-03-03T12:00:00.000Z');
const HOUR_MS = 3600 * 1000;
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR_MS);

const specExample: LeadInput = { leadId: 'lead-001', industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'organic' };

/** The packet triage hands to engagement, triaged `ageHours` before NOW. */
function packet(lead: LeadInput, ageHours = 0): HandoffContext {
  return buildTriageHandoffContext(lead, 'conv-001', triageLead(lead, COLD_START_MODEL), hoursAgo(ageHours), NOW);
}

describe('ENGAGEMENT_REQUIREMENTS', () => {
  it('has weights that sum to 1', () => {
    const total = ENGAGEMENT_REQUIREMENTS.reduce((sum, requirement) => sum + requirement.weight, 0);
    expect(total).toBeCloseTo(1, 10);
  });

  it('names each requirement once', () => {
    const names = ENGAGEMENT_REQUIREMENTS.map((requirement) => requirement.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['leadId', 'conversationId', 'triage', 'industry', 'companySize', 'persona', 'contact', 'source']));
  });
});

describe('scoreHandoffContext', () => {
  it('gates at 0.7', () => {
    expect(HANDOFF_QUALITY_THRESHOLD).toBe(0.7);
  });

  it('scores the specification example 0.75 and passes it', () => {
    // 0.1 lead id + 0.1 conversation + 0.25 fresh triage + 0.15 industry + 0.1 size + 0.05 source
    const quality = scoreHandoffContext(packet(specExample), ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.75);
    expect(quality.passed).toBe(true);
    expect([...quality.missing].sort()).toEqual(['contact', 'persona']);
  });

  it('scores the example without a source 0.70, which still passes (the gate is inclusive)', () => {
    const quality = scoreHandoffContext(packet({ ...specExample, source: null }), ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.7);
    expect(quality.passed).toBe(true);
    expect([...quality.missing].sort()).toEqual(['contact', 'persona', 'source']);
  });

  it('fails a packet without a triage verdict and names triage as missing', () => {
    const context: HandoffContext = { ...packet(specExample), triage: null };
    const quality = scoreHandoffContext(context, ENGAGEMENT_REQUIREMENTS, NOW);
    // 0.75 - 0.25
    expect(quality.score).toBe(0.5);
    expect(quality.passed).toBe(false);
    expect(quality.missing).toContain('triage');
  });

  it('scores a complete, freshly triaged packet 1 with nothing missing', () => {
    const lead: LeadInput = { ...specExample, persona: 'DECISION_MAKER', email: 'jane.doe@acme.com' };
    expect(scoreHandoffContext(packet(lead), ENGAGEMENT_REQUIREMENTS, NOW)).toEqual({ score: 1, missing: [], passed: true });
  });

  it('accepts a phone as contact data', () => {
    const quality = scoreHandoffContext(packet({ ...specExample, phone: '+1 415 555 0100' }), ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.9);
    expect(quality.missing).not.toContain('contact');
  });

  it('counts stale triage at its freshness and reports it as missing', () => {
    // 12.5 h old: freshness 0.75 → 0.75 - 0.25 · 0.25 = 0.6875 → rounded to 0.688 (3 decimals): below the gate
    const quality = scoreHandoffContext(packet(specExample, 12.5), ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.688);
    expect(quality.passed).toBe(false);
    expect(quality.missing).toContain('triage');
  });

  it('treats empty strings as absent', () => {
    const base = packet(specExample);
    const context: HandoffContext = { ...base, lead: { ...base.lead, source: '', email: '' } };
    const quality = scoreHandoffContext(context, ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.7);
    expect(quality.missing).toEqual(expect.arrayContaining(['source', 'contact']));
  });

  it('counts a phone as contact even when the email is an empty string', () => {
    const base = packet(specExample);
    const context: HandoffContext = { ...base, lead: { ...base.lead, email: '', phone: '+1 415 555 0100' } };
    expect(scoreHandoffContext(context, ENGAGEMENT_REQUIREMENTS, NOW).missing).not.toContain('contact');
  });

  it('scores against whatever requirements it is given', () => {
    const requirements = [
      { name: 'always', weight: 0.6, coverage: () => 1 },
      { name: 'half', weight: 0.4, coverage: () => 0.5 },
    ];
    expect(scoreHandoffContext(packet(specExample), requirements, NOW)).toEqual({ score: 0.8, missing: ['half'], passed: true });
  });
});

describe('triageFreshness', () => {
  const freshness = (ageHours: number) => triageFreshness(hoursAgo(ageHours).toISOString(), NOW);

  it('is 1 for the first hour', () => {
    expect(freshness(0)).toBe(1);
    expect(freshness(0.5)).toBe(1);
    expect(freshness(1)).toBe(1);
  });

  it('decays linearly from 1 at 1 h to 0.5 at 24 h', () => {
    expect(freshness(12.5)).toBeCloseTo(0.75, 10);
    // 1 - 0.5 · (6.75 - 1) / 23 = 0.875
    expect(freshness(6.75)).toBeCloseTo(0.875, 10);
    expect(freshness(24)).toBeCloseTo(0.5, 10);
    expect(freshness(2)).toBeLessThan(1);
    expect(freshness(2)).toBeGreaterThan(freshness(3));
  });

  it('never drops below 0.5', () => {
    expect(freshness(25)).toBe(0.5);
    expect(freshness(24 * 30)).toBe(0.5);
  });

  it('trusts a verdict stamped slightly in the future (clock skew) fully', () => {
    expect(freshness(-0.1)).toBe(1);
  });
});
