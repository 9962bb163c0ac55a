// The vocabulary of Baton's knowledge graph: node kinds, predicates, and how a
// node's id is derived from its kind and name. Agents and consolidation build
// nodes with the typed helpers below so that everyone names the same thing the
// same way (industryNode('HEALTHCARE') is always `industry:healthcare`).
//
// Weights by predicate (a convention, not enforced by the store):
//   RESPONDS_ON      Persona | Segment -> Channel                     response rate per touchpoint, 0..1
//   RESPONDS_TO      Persona | Segment | CompanySize -> MessageTheme  relative affinity, 0..1 (ranks themes)
//   PREFERS_CHANNEL  CompanySize -> Channel                           share of preference, sums to ~1 per subject
//   HAS_PAIN_POINT   Industry | Persona | Segment -> PainPoint        prevalence, 0..1
//   SUBJECT_TO       Industry -> Regulation                           share of the industry it binds, 0..1
//   RESTRICTS_CHANNEL Regulation -> Channel                           how strongly it constrains outreach there, 0..1
//   ADDRESSED_BY     PainPoint -> MessageTheme                        relevance of the theme to the pain, 0..1
//   IN_INDUSTRY      Segment -> Industry                              1 (membership)
//   HAS_PERSONA      Segment -> Persona                               1 (membership)
// evidenceCount is the number of observations behind the weight (0 for priors);
// consolidation writes Segment -RESPONDS_ON-> Channel with weight = observed
// response rate, evidenceCount = touchpoints, provenance 'consolidation'.
import type { Channel, CompanySize, Industry, Persona } from '../../db/generated/prisma/enums.js';
import { COMPANY_SIZE_LABELS, INDUSTRY_LABELS, PERSONA_LABELS } from '../../domain/labels.js';
import type { KnowledgeNode, NodeInput } from './semantic-memory.js';

export const KIND = {
  INDUSTRY: 'Industry',
  COMPANY_SIZE: 'CompanySize',
  PERSONA: 'Persona',
  CHANNEL: 'Channel',
  PAIN_POINT: 'PainPoint',
  REGULATION: 'Regulation',
  MESSAGE_THEME: 'MessageTheme',
  /** One industry × persona combination, e.g. Healthcare/Decision Maker. */
  SEGMENT: 'Segment',
} as const;
/** The kind of a node that stands for one person (no writer creates one today; SemanticMemory.forgetLead removes any). */
export const LEAD_KIND = 'Lead';

export type KnowledgeKind = (typeof KIND)[keyof typeof KIND];

export const HAS_PAIN_POINT = 'HAS_PAIN_POINT';
export const SUBJECT_TO = 'SUBJECT_TO';
export const RESTRICTS_CHANNEL = 'RESTRICTS_CHANNEL';
export const ADDRESSED_BY = 'ADDRESSED_BY';
export const RESPONDS_ON = 'RESPONDS_ON';
export const RESPONDS_TO = 'RESPONDS_TO';
export const PREFERS_CHANNEL = 'PREFERS_CHANNEL';
export const IN_INDUSTRY = 'IN_INDUSTRY';
export const HAS_PERSONA = 'HAS_PERSONA';

export const PREDICATES = [
  HAS_PAIN_POINT,
  SUBJECT_TO,
  RESTRICTS_CHANNEL,
  ADDRESSED_BY,
  RESPONDS_ON,
  RESPONDS_TO,
  PREFERS_CHANNEL,
  IN_INDUSTRY,
  HAS_PERSONA,
] as const;
export type Predicate = (typeof PREDICATES)[number];

export const PROVENANCE = {
  SEED: 'seed',
  CONSOLIDATION: 'consolidation',
} as const;

export const CHANNEL_LABELS: Record<Channel, string> = {
  EMAIL: 'Email',
  SMS: 'SMS',
  LINKEDIN: 'LinkedIn',
  CALL: 'Call',
};

/**
 * Lower-case kebab: accents dropped, every run of other characters a single
 * '-', except '/' which is kept (it separates the parts of a segment's name).
 */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9/]+/g, '-')
    .replace(/-*\/-*/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/^[-/]+|[-/]+$/g, '');
}

/**
 * The stable, readable id of a node: `kind:name`, both as lower-case kebab
 * (a camel-case kind is split: CompanySize → company-size).
 * nodeId('Industry', 'Technology') = 'industry:technology';
 * nodeId('Segment', 'Technology/Decision Maker') = 'segment:technology/decision-maker'.
 */
export function nodeId(kind: string, name: string): string {
  const kindSlug = slug(kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')).replace(/\//g, '-');
  const nameSlug = slug(name);
  if (!kindSlug) throw new TypeError(`A knowledge node needs a kind with letters or digits, got ${JSON.stringify(kind)}`);
  if (!nameSlug) throw new TypeError(`A knowledge node needs a name with letters or digits, got ${JSON.stringify(name)}`);
  return `${kindSlug}:${nameSlug}`;
}

export function idOf(node: NodeInput): string {
  return nodeId(node.kind, node.name);
}

export function industryNode(industry: Industry): NodeInput {
  return { kind: KIND.INDUSTRY, name: INDUSTRY_LABELS[industry], properties: { enum: industry } };
}

export function companySizeNode(size: CompanySize): NodeInput {
  return { kind: KIND.COMPANY_SIZE, name: COMPANY_SIZE_LABELS[size], properties: { enum: size } };
}

export function personaNode(persona: Persona): NodeInput {
  return { kind: KIND.PERSONA, name: PERSONA_LABELS[persona], properties: { enum: persona } };
}

export function channelNode(channel: Channel): NodeInput {
  return { kind: KIND.CHANNEL, name: CHANNEL_LABELS[channel], properties: { enum: channel } };
}

/** An industry × persona segment, e.g. `segment:healthcare/decision-maker`. */
export function segmentNode(industry: Industry, persona: Persona): NodeInput {
  return {
    kind: KIND.SEGMENT,
    name: `${INDUSTRY_LABELS[industry]}/${PERSONA_LABELS[persona]}`,
    properties: { industry, persona },
  };
}

export function painPointNode(name: string, properties?: NodeInput['properties']): NodeInput {
  return properties ? { kind: KIND.PAIN_POINT, name, properties } : { kind: KIND.PAIN_POINT, name };
}

export function regulationNode(name: string, properties?: NodeInput['properties']): NodeInput {
  return properties ? { kind: KIND.REGULATION, name, properties } : { kind: KIND.REGULATION, name };
}

export function messageThemeNode(name: string, properties?: NodeInput['properties']): NodeInput {
  return properties ? { kind: KIND.MESSAGE_THEME, name, properties } : { kind: KIND.MESSAGE_THEME, name };
}

export const industryId = (industry: Industry): string => idOf(industryNode(industry));
export const companySizeId = (size: CompanySize): string => idOf(companySizeNode(size));
export const personaId = (persona: Persona): string => idOf(personaNode(persona));
export const channelId = (channel: Channel): string => idOf(channelNode(channel));
export const segmentId = (industry: Industry, persona: Persona): string => idOf(segmentNode(industry, persona));

const CHANNEL_BY_ID = new Map<string, Channel>((Object.keys(CHANNEL_LABELS) as Channel[]).map((channel) => [channelId(channel), channel]));

/** The Channel enum value a node stands for (e.g. the object of a RESPONDS_ON fact), or null. */
export function channelOf(node: Pick<KnowledgeNode, 'id'>): Channel | null {
  return CHANNEL_BY_ID.get(node.id) ?? null;
}
