// Handoff context quality: the weighted share of what the receiving agent needs,
// the 0.7 gate (a score must be above it), and how a triage verdict and campaign
// metrics lose value with age.
import { describe, expect, it } from 'vitest';
import { buildTriageHandoffContext, type HandoffContext } from '../../src/agents/handoff/handoff-context.js';
import {
  ENGAGEMENT_REQUIREMENTS,
  HANDOFF_QUALITY_THRESHOLD,
  metricsFreshness,
  OPTIMIZATION_REQUIREMENTS,
  scoreHandoffContext,
  triageFreshness,
} from '../../src/agents/handoff/handoff-quality.js';
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

  it('names each requirement once: what engagement needs to decide', () => {
    const names = ENGAGEMENT_REQUIREMENTS.map((requirement) => requirement.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(['companyContext', 'identity', 'persona', 'reachableChannel', 'triageReasoning']);
  });
});

// Issue 14: the gate measures what the receiver needs, and passes only ABOVE 0.7.
describe('scoreHandoffContext', () => {
  it('gates at 0.7, exclusive', () => {
    expect(HANDOFF_QUALITY_THRESHOLD).toBe(0.7);
    const exactly = [{ name: 'seven-tenths', weight: 1, coverage: () => 0.7 }];
    expect(scoreHandoffContext(packet(specExample), exactly, NOW)).toEqual({ score: 0.7, missing: ['seven-tenths'], passed: false });
  });

  it('fails the specification example (only the required fields): 0.50, no channel to reach it on, no persona', () => {
    // 0.25 fresh triage with reasoning + 0.15 industry and size + 0.10 lead and conversation ids
    const quality = scoreHandoffContext(packet(specExample), ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.5);
    expect(quality.passed).toBe(false);
    expect([...quality.missing].sort()).toEqual(['persona', 'reachableChannel']);
  });

  it('passes the same lead with an email: 0.85', () => {
    const quality = scoreHandoffContext(packet({ ...specExample, email: 'jane.doe@acme.com' }), ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality).toEqual({ score: 0.85, missing: ['persona'], passed: true });
  });

  it('accepts a phone as a reachable channel', () => {
    const quality = scoreHandoffContext(packet({ ...specExample, phone: '+1 415 555 0100' }), ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.85);
    expect(quality.missing).not.toContain('reachableChannel');
  });

  it('fails a persona without a channel: 0.65', () => {
    const quality = scoreHandoffContext(packet({ ...specExample, persona: 'DECISION_MAKER' }), ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality).toEqual({ score: 0.65, missing: ['reachableChannel'], passed: false });
  });

  it('does not count an email the profile withdrew consent for, unless the profile forbids contact outright', () => {
    const base = packet({ ...specExample, email: 'jane.doe@acme.com', persona: 'DECISION_MAKER' });
    const profile = { attributes: {}, touches: 0, replies: 0, preferredChannel: null, consent: true, doNotContact: false };
    const withProfile = (changes: Partial<typeof profile>): HandoffContext => ({
      ...base,
      memory: { conversation: null, profile: { ...profile, ...changes }, similarEpisodes: null, knowledge: [] },
    });
    expect(scoreHandoffContext(withProfile({}), ENGAGEMENT_REQUIREMENTS, NOW).score).toBe(1);
    // Contact forbidden: "no outreach" is fully decided by the packet, so the requirement is covered.
    expect(scoreHandoffContext(withProfile({ doNotContact: true }), ENGAGEMENT_REQUIREMENTS, NOW).score).toBe(1);
    const noEmail: HandoffContext = { ...withProfile({ consent: false }), lead: { ...base.lead, email: null } };
    expect(scoreHandoffContext(noEmail, ENGAGEMENT_REQUIREMENTS, NOW).missing).not.toContain('reachableChannel');
  });

  it('fails a packet without a triage verdict and names it as missing', () => {
    const context: HandoffContext = { ...packet({ ...specExample, email: 'a@b.co', persona: 'DECISION_MAKER' }), triage: null };
    const quality = scoreHandoffContext(context, ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.75);
    expect(quality.missing).toEqual(['triageReasoning']);
  });

  it('counts a verdict without its reasoning half', () => {
    const base = packet({ ...specExample, email: 'a@b.co', persona: 'DECISION_MAKER' });
    const context: HandoffContext = { ...base, triage: { ...base.triage!, reasoning: '' } };
    expect(scoreHandoffContext(context, ENGAGEMENT_REQUIREMENTS, NOW).score).toBe(0.875);
  });

  it('scores a complete, freshly triaged packet 1 with nothing missing', () => {
    const lead: LeadInput = { ...specExample, persona: 'DECISION_MAKER', email: 'jane.doe@acme.com' };
    expect(scoreHandoffContext(packet(lead), ENGAGEMENT_REQUIREMENTS, NOW)).toEqual({ score: 1, missing: [], passed: true });
  });

  it('counts stale triage at its freshness and reports it as missing', () => {
    // 12.5 h old: freshness 0.75 → 0.85 - 0.25 · 0.25 = 0.7875 → 0.788 (3 decimals): still above the gate with an email
    const quality = scoreHandoffContext(packet({ ...specExample, email: 'a@b.co' }, 12.5), ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.788);
    expect(quality.passed).toBe(true);
    expect(quality.missing).toContain('triageReasoning');
  });

  it('treats empty strings as absent', () => {
    const base = packet(specExample);
    const context: HandoffContext = { ...base, lead: { ...base.lead, source: '', email: '  ' } };
    const quality = scoreHandoffContext(context, ENGAGEMENT_REQUIREMENTS, NOW);
    expect(quality.score).toBe(0.5);
    expect(quality.missing).toContain('reachableChannel');
  });

  it('counts a phone as a channel even when the email is an empty string', () => {
    const base = packet(specExample);
    const context: HandoffContext = { ...base, lead: { ...base.lead, email: '', phone: '+1 415 555 0100' } };
    expect(scoreHandoffContext(context, ENGAGEMENT_REQUIREMENTS, NOW).missing).not.toContain('reachableChannel');
  });

  it('scores against whatever requirements it is given', () => {
    const requirements = [
      { name: 'always', weight: 0.6, coverage: () => 1 },
      { name: 'half', weight: 0.4, coverage: () => 0.5 },
    ];
    expect(scoreHandoffContext(packet(specExample), requirements, NOW)).toEqual({ score: 0.8, missing: ['half'], passed: true });
  });
});

describe('OPTIMIZATION_REQUIREMENTS', () => {
  const campaign = { campaignId: 'camp-1', name: 'Autumn push', budgetUsd: 200_000 };

  it('has weights that sum to 1', () => {
    expect(OPTIMIZATION_REQUIREMENTS.reduce((sum, requirement) => sum + requirement.weight, 0)).toBeCloseTo(1, 10);
  });

  it('needs the campaign and fresh metrics: a campaign without metrics is not above the gate', () => {
    const withoutMetrics: HandoffContext = { ...packet(specExample), campaign };
    expect(scoreHandoffContext(withoutMetrics, OPTIMIZATION_REQUIREMENTS, NOW)).toEqual({ score: 0.7, missing: ['metrics'], passed: false });
    const fresh: HandoffContext = {
      ...withoutMetrics,
      campaign: { ...campaign, metrics: { periods: 16, latestPeriodEnd: null, recordedAt: hoursAgo(2).toISOString() } },
    };
    expect(scoreHandoffContext(fresh, OPTIMIZATION_REQUIREMENTS, NOW)).toEqual({ score: 1, missing: [], passed: true });
    expect(scoreHandoffContext(packet(specExample), OPTIMIZATION_REQUIREMENTS, NOW).passed).toBe(false);
  });

  it('trusts metrics for a week, then less, down to half at 30 days', () => {
    const daysAgo = (days: number) => hoursAgo(days * 24).toISOString();
    expect(metricsFreshness(null, NOW)).toBe(0);
    expect(metricsFreshness(daysAgo(7), NOW)).toBe(1);
    expect(metricsFreshness(daysAgo(18.5), NOW)).toBeCloseTo(0.75, 10);
    expect(metricsFreshness(daysAgo(90), NOW)).toBe(0.5);
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
