// What the knowledge base tells the Engagement agent about a lead's segment:
// how it responds per channel (the bandit's cold-start prior), the industry's
// top pain point and the theme the segment responds to (the message's angle).
// Reads only: called before the lead's transaction (see engagement-agent.ts).
import type { Channel, CompanySize, Industry, Persona } from '../../db/generated/prisma/enums.js';
import type { Fact, SemanticMemory } from '../../memory/semantic/semantic-memory.js';
import { channelOf, companySizeId, HAS_PAIN_POINT, industryId, personaId, RESPONDS_ON, RESPONDS_TO, segmentId } from '../../memory/semantic/vocabulary.js';
import type { MessageKnowledge } from './message.js';

export interface Segment {
  industry: Industry;
  /** No persona is a segment of its own. */
  persona: Persona | null;
  companySize: CompanySize;
}

export interface ChannelRate {
  /** RESPONDS_ON weight: a response rate per touchpoint, 0..1. */
  weight: number;
  /** Whose fact it is: the industry × persona segment's, or the persona's. */
  source: 'segment' | 'persona';
}

export interface EngagementKnowledge extends MessageKnowledge {
  /** Per channel, the most specific RESPONDS_ON fact known; a channel without one is absent. */
  channelRates: Partial<Record<Channel, ChannelRate>>;
}

/** A knowledge base that knows nothing: every prior falls back to the default rate, every message to the playbook's angle. */
export const EMPTY_KNOWLEDGE_BASE: Pick<SemanticMemory, 'topObjects'> = { topObjects: async () => [] };

export async function readEngagementKnowledge(semantic: Pick<SemanticMemory, 'topObjects'>, segment: Segment): Promise<EngagementKnowledge> {
  const none = Promise.resolve<Fact[]>([]);
  const { industry, persona, companySize } = segment;
  const [segmentChannels, personaChannels, pains, segmentThemes, personaThemes, sizeThemes] = await Promise.all([
    persona ? semantic.topObjects(segmentId(industry, persona), RESPONDS_ON, 10) : none,
    persona ? semantic.topObjects(personaId(persona), RESPONDS_ON, 10) : none,
    semantic.topObjects(industryId(industry), HAS_PAIN_POINT, 1),
    persona ? semantic.topObjects(segmentId(industry, persona), RESPONDS_TO, 1) : none,
    persona ? semantic.topObjects(personaId(persona), RESPONDS_TO, 1) : none,
    semantic.topObjects(companySizeId(companySize), RESPONDS_TO, 1),
  ]);

  const channelRates: Partial<Record<Channel, ChannelRate>> = {};
  // The persona's facts first, so that the segment's (more specific) overwrite them.
  for (const [facts, source] of [
    [personaChannels, 'persona'],
    [segmentChannels, 'segment'],
  ] as const) {
    for (const fact of facts) {
      const channel = channelOf(fact.object);
      if (channel && Number.isFinite(fact.weight)) channelRates[channel] = { weight: fact.weight, source };
    }
  }
  return {
    channelRates,
    painPoint: pains[0]?.object.name ?? null,
    theme: (segmentThemes[0] ?? personaThemes[0] ?? sizeThemes[0])?.object.name ?? null,
  };
}
