// Baton's seed knowledge base: a small B2B-marketing graph loaded on every
// start with insertMissingFacts (so it fills gaps and never overwrites what
// consolidation has learned). Every fact has provenance 'seed' and
// evidenceCount 0: these are priors, not measurements.
//
// Where the numbers come from: they are reasoned priors, written down by hand
// from common B2B-outreach rules of thumb, to give the agents a sensible cold
// start and an order of channels and themes to try first. They were not fitted
// to any data set and no figure should be quoted as a statistic.
//  - RESPONDS_ON weights are prior response rates per touchpoint (a reply, a
//    click-through or a booked meeting), on the scale of cold B2B outreach: a
//    few percent by email, somewhat more on LinkedIn for people who live there,
//    calls good for reaching senior buyers but rarely answered by end users,
//    SMS the weakest and the most regulated cold channel. Per persona below;
//    a segment's prior is its persona's rate times its industry's channel
//    factor (SEGMENT_CHANNEL_FACTORS), rounded to 4 decimals.
//  - RESPONDS_TO weights rank message themes per persona and company size on
//    0..1 (affinity: what the persona is accountable for: budget and risk for
//    decision makers, fit and integration for the evaluators who influence,
//    daily ease for end users). They order themes; they are not probabilities.
//  - HAS_PAIN_POINT weights are rough prevalences (share of the industry's
//    buyers for whom the pain is a live priority), in line with the angles of
//    src/agents/engagement/playbook.ts.
//  - SUBJECT_TO weights are the rough share of the industry's companies a
//    regulation binds (HIPAA binds nearly every healthcare buyer, ITAR only the
//    defence-related part of manufacturing).
//  - RESTRICTS_CHANNEL weights say how strongly a regulation constrains
//    outreach on a channel (1: consent or an exemption needed before any
//    contact; around 0.5: content, opt-out and archiving duties).
//  - PREFERS_CHANNEL weights are a company size's share of preference over
//    the four channels (each row sums to 1).
//  - ADDRESSED_BY weights are how directly a message theme answers a pain.
import type { Channel, CompanySize, Industry, Persona } from '../../db/generated/prisma/enums.js';
import type { FactInput, NodeInput } from './semantic-memory.js';
import {
  ADDRESSED_BY,
  channelNode,
  companySizeNode,
  HAS_PAIN_POINT,
  HAS_PERSONA,
  IN_INDUSTRY,
  industryNode,
  messageThemeNode,
  painPointNode,
  personaNode,
  PREFERS_CHANNEL,
  PROVENANCE,
  regulationNode,
  RESPONDS_ON,
  RESPONDS_TO,
  RESTRICTS_CHANNEL,
  segmentNode,
  SUBJECT_TO,
} from './vocabulary.js';

export const INDUSTRIES: readonly Industry[] = ['TECHNOLOGY', 'HEALTHCARE', 'FINANCE', 'MANUFACTURING'];
export const PERSONAS: readonly Persona[] = ['DECISION_MAKER', 'INFLUENCER', 'END_USER'];
export const COMPANY_SIZES: readonly CompanySize[] = ['STARTUP', 'SMB', 'MID_MARKET', 'ENTERPRISE'];
export const CHANNELS: readonly Channel[] = ['EMAIL', 'SMS', 'LINKEDIN', 'CALL'];

/** Message themes, with a one-line description kept on the node. */
export const MESSAGE_THEMES = {
  ROI: 'Return on investment and cost savings, with numbers',
  'Risk Reduction': 'Fewer incidents, fines and failed projects',
  'Peer Proof': 'Case studies and references from similar companies',
  'Time to Value': 'How fast the first results arrive',
  'Security & Compliance': 'Certifications, audits, data protection',
  Scalability: 'Handles growth in volume, teams and regions',
  Integration: 'Fits the existing stack: APIs, connectors, data flows',
  'Technical Depth': 'Architecture, performance, extensibility',
  'Ease of Use': 'Little training, a clean daily workflow',
  Productivity: 'Less manual work, fewer clicks, time saved every day',
} as const;
type Theme = keyof typeof MESSAGE_THEMES;

export interface RegulationSeed {
  fullName: string;
  jurisdiction: string;
  /** Channel → how strongly it constrains outreach there (0..1). */
  restricts: Partial<Record<Channel, number>>;
}

export const REGULATIONS: Record<string, RegulationSeed> = {
  HIPAA: { fullName: 'Health Insurance Portability and Accountability Act', jurisdiction: 'US', restricts: { EMAIL: 0.6, SMS: 0.8 } },
  HITECH: { fullName: 'Health Information Technology for Economic and Clinical Health Act', jurisdiction: 'US', restricts: { EMAIL: 0.4 } },
  SOX: { fullName: 'Sarbanes-Oxley Act', jurisdiction: 'US', restricts: {} },
  'PCI DSS': { fullName: 'Payment Card Industry Data Security Standard', jurisdiction: 'Global (industry standard)', restricts: {} },
  GLBA: { fullName: 'Gramm-Leach-Bliley Act', jurisdiction: 'US', restricts: { EMAIL: 0.4 } },
  'FINRA Rule 2210': { fullName: 'FINRA Rule 2210, Communications with the Public', jurisdiction: 'US', restricts: { SMS: 0.9, LINKEDIN: 0.6, EMAIL: 0.5 } },
  'SOC 2': { fullName: 'System and Organization Controls 2', jurisdiction: 'Global (AICPA attestation)', restricts: {} },
  GDPR: { fullName: 'General Data Protection Regulation', jurisdiction: 'EU', restricts: { EMAIL: 0.7, SMS: 0.8, CALL: 0.5, LINKEDIN: 0.3 } },
  CCPA: { fullName: 'California Consumer Privacy Act', jurisdiction: 'US-CA', restricts: { EMAIL: 0.3 } },
  'ISO 9001': { fullName: 'ISO 9001 Quality Management Systems', jurisdiction: 'Global (standard)', restricts: {} },
  ITAR: { fullName: 'International Traffic in Arms Regulations', jurisdiction: 'US', restricts: { EMAIL: 0.5 } },
  // Channel rules that bind outreach to every industry (not linked to one).
  TCPA: { fullName: 'Telephone Consumer Protection Act', jurisdiction: 'US', restricts: { SMS: 1, CALL: 0.8 } },
  'CAN-SPAM': { fullName: 'Controlling the Assault of Non-Solicited Pornography And Marketing Act', jurisdiction: 'US', restricts: { EMAIL: 0.5 } },
};
type Regulation = keyof typeof REGULATIONS;

export interface IndustrySeed {
  /** Pain point → prevalence. */
  painPoints: Record<string, number>;
  /** Regulation → share of the industry it binds. */
  regulations: Partial<Record<Regulation, number>>;
}

export const INDUSTRY_KNOWLEDGE: Record<Industry, IndustrySeed> = {
  TECHNOLOGY: {
    painPoints: { 'Pipeline Growth': 0.8, 'Security Reviews Slowing Deals': 0.6, 'Tool Sprawl': 0.6, 'Talent Shortage': 0.5 },
    regulations: { 'SOC 2': 0.8, GDPR: 0.7, CCPA: 0.5 },
  },
  HEALTHCARE: {
    painPoints: { 'Patient Data Privacy': 0.9, 'EHR Integration': 0.7, 'Staff Burnout': 0.6, 'Reimbursement Pressure': 0.5 },
    regulations: { HIPAA: 1, HITECH: 0.8 },
  },
  FINANCE: {
    painPoints: { 'Regulatory Reporting Burden': 0.8, 'Fraud Risk': 0.7, 'Legacy Core Systems': 0.6, 'Personalization Within Privacy Rules': 0.6 },
    regulations: { GLBA: 0.9, SOX: 0.8, 'PCI DSS': 0.8, 'FINRA Rule 2210': 0.5 },
  },
  MANUFACTURING: {
    painPoints: { 'Supply Chain Disruption': 0.8, 'Long Multi-Stakeholder Buying Cycles': 0.7, 'Unplanned Downtime': 0.7, 'Skilled Labor Shortage': 0.6 },
    regulations: { 'ISO 9001': 0.8, ITAR: 0.3 },
  },
};

/** Pain point → the themes that answer it, with relevance. */
export const PAIN_POINT_THEMES: Record<string, Partial<Record<Theme, number>>> = {
  'Pipeline Growth': { ROI: 0.8, 'Time to Value': 0.7, Scalability: 0.6 },
  'Security Reviews Slowing Deals': { 'Security & Compliance': 0.9, 'Peer Proof': 0.5 },
  'Tool Sprawl': { Integration: 0.9, ROI: 0.6 },
  'Talent Shortage': { Productivity: 0.8, 'Ease of Use': 0.6 },
  'Patient Data Privacy': { 'Security & Compliance': 0.9, 'Risk Reduction': 0.8 },
  'EHR Integration': { Integration: 0.9, 'Technical Depth': 0.5 },
  'Staff Burnout': { Productivity: 0.8, 'Ease of Use': 0.8 },
  'Reimbursement Pressure': { ROI: 0.8 },
  'Regulatory Reporting Burden': { 'Security & Compliance': 0.8, Productivity: 0.6 },
  'Fraud Risk': { 'Risk Reduction': 0.9, 'Technical Depth': 0.5 },
  'Legacy Core Systems': { Integration: 0.8, Scalability: 0.6 },
  'Personalization Within Privacy Rules': { 'Security & Compliance': 0.7, ROI: 0.5 },
  'Supply Chain Disruption': { 'Risk Reduction': 0.8, 'Time to Value': 0.5 },
  'Long Multi-Stakeholder Buying Cycles': { 'Peer Proof': 0.8, ROI: 0.7 },
  'Unplanned Downtime': { 'Risk Reduction': 0.7, ROI: 0.7 },
  'Skilled Labor Shortage': { 'Ease of Use': 0.8, Productivity: 0.7 },
  'Budget Scrutiny': { ROI: 0.9, 'Peer Proof': 0.6 },
  'Integration Risk': { Integration: 0.9, 'Technical Depth': 0.7 },
  'Manual Busywork': { Productivity: 0.9, 'Ease of Use': 0.7 },
};

export interface PersonaSeed {
  /** Prior response rate per touchpoint. */
  channels: Record<Channel, number>;
  /** Theme → affinity. */
  themes: Partial<Record<Theme, number>>;
  /** Pain point → prevalence. */
  painPoints: Record<string, number>;
}

export const PERSONA_KNOWLEDGE: Record<Persona, PersonaSeed> = {
  DECISION_MAKER: {
    channels: { EMAIL: 0.04, LINKEDIN: 0.06, CALL: 0.05, SMS: 0.015 },
    themes: { ROI: 0.9, 'Risk Reduction': 0.7, 'Peer Proof': 0.65, 'Time to Value': 0.6, 'Security & Compliance': 0.5, Scalability: 0.5 },
    painPoints: { 'Budget Scrutiny': 0.8 },
  },
  INFLUENCER: {
    channels: { EMAIL: 0.07, LINKEDIN: 0.09, CALL: 0.035, SMS: 0.02 },
    themes: { Integration: 0.85, 'Technical Depth': 0.8, 'Security & Compliance': 0.7, Scalability: 0.6, 'Peer Proof': 0.5, ROI: 0.4 },
    painPoints: { 'Integration Risk': 0.7 },
  },
  END_USER: {
    channels: { EMAIL: 0.09, LINKEDIN: 0.05, CALL: 0.02, SMS: 0.04 },
    themes: { 'Ease of Use': 0.9, Productivity: 0.85, 'Time to Value': 0.6, Integration: 0.5 },
    painPoints: { 'Manual Busywork': 0.8 },
  },
};

/**
 * How an industry shifts every persona's channel response (a factor on the
 * persona's rate): technology buyers live on LinkedIn and email; healthcare and
 * manufacturing answer the phone more and LinkedIn less; SMS is held back in
 * healthcare (HIPAA, TCPA) and finance (FINRA archiving of texts).
 */
export const SEGMENT_CHANNEL_FACTORS: Record<Industry, Record<Channel, number>> = {
  TECHNOLOGY: { EMAIL: 1.1, LINKEDIN: 1.3, CALL: 0.8, SMS: 0.8 },
  HEALTHCARE: { EMAIL: 1.0, LINKEDIN: 0.7, CALL: 1.2, SMS: 0.6 },
  FINANCE: { EMAIL: 0.9, LINKEDIN: 1.1, CALL: 1.1, SMS: 0.5 },
  MANUFACTURING: { EMAIL: 1.0, LINKEDIN: 0.8, CALL: 1.3, SMS: 0.9 },
};

export interface CompanySizeSeed {
  /** Share of preference over channels (sums to 1). */
  prefers: Record<Channel, number>;
  /** Theme → affinity. */
  themes: Partial<Record<Theme, number>>;
}

export const COMPANY_SIZE_KNOWLEDGE: Record<CompanySize, CompanySizeSeed> = {
  STARTUP: { prefers: { EMAIL: 0.45, LINKEDIN: 0.35, CALL: 0.1, SMS: 0.1 }, themes: { 'Time to Value': 0.9, 'Ease of Use': 0.8, ROI: 0.6 } },
  SMB: { prefers: { EMAIL: 0.45, LINKEDIN: 0.25, CALL: 0.2, SMS: 0.1 }, themes: { ROI: 0.85, 'Ease of Use': 0.75, 'Time to Value': 0.7 } },
  MID_MARKET: { prefers: { EMAIL: 0.4, LINKEDIN: 0.3, CALL: 0.25, SMS: 0.05 }, themes: { Integration: 0.8, Scalability: 0.75, ROI: 0.7 } },
  ENTERPRISE: {
    prefers: { EMAIL: 0.35, LINKEDIN: 0.3, CALL: 0.3, SMS: 0.05 },
    themes: { 'Security & Compliance': 0.9, Scalability: 0.85, Integration: 0.8, 'Peer Proof': 0.7 },
  },
};

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

function seedFact(subject: NodeInput, predicate: string, object: NodeInput, weight: number): FactInput {
  return { subject, predicate, object, weight: round(weight), evidenceCount: 0, provenance: PROVENANCE.SEED };
}

const theme = (name: string): NodeInput => messageThemeNode(name, { description: MESSAGE_THEMES[name as Theme] ?? name });
const regulation = (name: string): NodeInput => {
  const seed = REGULATIONS[name];
  return regulationNode(name, seed ? { fullName: seed.fullName, jurisdiction: seed.jurisdiction } : {});
};

/** The seed knowledge base as facts (deterministic: the same list on every call). */
export function seedFacts(): FactInput[] {
  const facts: FactInput[] = [];
  for (const industry of INDUSTRIES) {
    const knowledge = INDUSTRY_KNOWLEDGE[industry];
    for (const [pain, prevalence] of Object.entries(knowledge.painPoints)) {
      facts.push(seedFact(industryNode(industry), HAS_PAIN_POINT, painPointNode(pain), prevalence));
    }
    for (const [name, share] of Object.entries(knowledge.regulations)) {
      if (share !== undefined) facts.push(seedFact(industryNode(industry), SUBJECT_TO, regulation(name), share));
    }
  }
  for (const [name, seed] of Object.entries(REGULATIONS)) {
    for (const [channel, strength] of Object.entries(seed.restricts) as [Channel, number][]) {
      facts.push(seedFact(regulation(name), RESTRICTS_CHANNEL, channelNode(channel), strength));
    }
  }
  for (const [pain, themes] of Object.entries(PAIN_POINT_THEMES)) {
    for (const [name, relevance] of Object.entries(themes)) {
      if (relevance !== undefined) facts.push(seedFact(painPointNode(pain), ADDRESSED_BY, theme(name), relevance));
    }
  }
  for (const persona of PERSONAS) {
    const knowledge = PERSONA_KNOWLEDGE[persona];
    for (const channel of CHANNELS) facts.push(seedFact(personaNode(persona), RESPONDS_ON, channelNode(channel), knowledge.channels[channel]));
    for (const [name, affinity] of Object.entries(knowledge.themes)) {
      if (affinity !== undefined) facts.push(seedFact(personaNode(persona), RESPONDS_TO, theme(name), affinity));
    }
    for (const [pain, prevalence] of Object.entries(knowledge.painPoints)) {
      facts.push(seedFact(personaNode(persona), HAS_PAIN_POINT, painPointNode(pain), prevalence));
    }
  }
  for (const industry of INDUSTRIES) {
    for (const persona of PERSONAS) {
      const segment = segmentNode(industry, persona);
      facts.push(seedFact(segment, IN_INDUSTRY, industryNode(industry), 1));
      facts.push(seedFact(segment, HAS_PERSONA, personaNode(persona), 1));
      for (const channel of CHANNELS) {
        const rate = PERSONA_KNOWLEDGE[persona].channels[channel] * SEGMENT_CHANNEL_FACTORS[industry][channel];
        facts.push(seedFact(segment, RESPONDS_ON, channelNode(channel), rate));
      }
    }
  }
  for (const size of COMPANY_SIZES) {
    const knowledge = COMPANY_SIZE_KNOWLEDGE[size];
    for (const channel of CHANNELS) facts.push(seedFact(companySizeNode(size), PREFERS_CHANNEL, channelNode(channel), knowledge.prefers[channel]));
    for (const [name, affinity] of Object.entries(knowledge.themes)) {
      if (affinity !== undefined) facts.push(seedFact(companySizeNode(size), RESPONDS_TO, theme(name), affinity));
    }
  }
  return facts;
}
