// Context restoration from memory: before its gate, a receiving agent recalls
// what each memory tier holds for the handed-over lead, outside any transaction
// (the embedded database has one connection, and the knowledge graph may live in
// Neo4j):
//
//   short-term   the conversation's working context: intent, extracted slots, pending actions
//   long-term    the lead's profile: attributes (an email, a phone, a persona learned
//                from replies or stored by an operator), consent, engagement counts
//   episodic     how similar leads ended (the sender's own reading when it carried one)
//   semantic     what the knowledge graph says about the lead's segment
//
// The snapshot travels in the packet (`memory`). When the packet falls below the
// gate, `enrichFromMemory` fills what it lacks (email, phone, persona, source)
// from the profile and the conversation, and the gate scores it again.
import { Persona } from '../../db/generated/prisma/enums.js';
import type { CompanySize, Industry } from '../../db/generated/prisma/enums.js';
import type { EpisodeStore } from '../../memory/episodic/episode-store.js';
import type { LeadProfileStore } from '../../memory/long-term/lead-profile-store.js';
import type { Fact, SemanticMemory } from '../../memory/semantic/semantic-memory.js';
import { companySizeId, HAS_PAIN_POINT, industryId, personaId, RESPONDS_ON, RESPONDS_TO } from '../../memory/semantic/vocabulary.js';
import type { ShortTermMemory } from '../../memory/short-term/short-term-memory.js';
import { normalizeSource } from '../../domain/triage-model.js';
import type { HandoffContext, MemorySnapshot } from './handoff-context.js';

/** The tiers a receiver recalls from; an absent tier contributes nothing. */
export interface MemoryTiers {
  shortTerm?: Pick<ShortTermMemory, 'retrieve'> | undefined;
  profiles?: Pick<LeadProfileStore, 'retrieve'> | undefined;
  episodes?: Pick<EpisodeStore, 'conversionEvidence'> | undefined;
  semantic?: Pick<SemanticMemory, 'topObjects'> | undefined;
}

/** What every tier holds for the packet's lead. Reads only; call outside any transaction. */
export async function recallMemory(tiers: MemoryTiers, context: HandoffContext): Promise<MemorySnapshot> {
  const { lead } = context;
  const [conversation, profile] = await Promise.all([
    tiers.shortTerm && context.conversation.conversationId ? tiers.shortTerm.retrieve(context.conversation.conversationId) : null,
    tiers.profiles ? tiers.profiles.retrieve(lead.leadId) : null,
  ]);
  const attributes = asRecord(profile?.attributes);
  const persona = personaOf(lead.persona) ?? personaOf(attributes.persona) ?? personaOf(conversation?.extractedSlots.persona);
  const carried = context.memory?.similarEpisodes ?? null;
  const [similarEpisodes, knowledge] = await Promise.all([
    carried ??
      (tiers.episodes
        ? tiers.episodes.conversionEvidence(
            {
              industry: lead.industry as Industry,
              companySize: lead.companySize as CompanySize,
              persona,
              source: lead.source ? normalizeSource(lead.source) : null,
            },
            lead.leadId,
          )
        : null),
    tiers.semantic ? segmentKnowledge(tiers.semantic, lead.industry as Industry, lead.companySize as CompanySize, persona) : [],
  ]);
  return {
    conversation: conversation
      ? { activeIntent: conversation.activeIntent, extractedSlots: conversation.extractedSlots, pendingActions: conversation.pendingActions }
      : null,
    profile: profile
      ? {
          attributes,
          touches: profile.touches,
          replies: profile.replies,
          preferredChannel: profile.preferredChannel,
          consent: profile.consent,
          doNotContact: profile.doNotContact,
        }
      : null,
    similarEpisodes: similarEpisodes ? { considered: similarEpisodes.considered, converted: similarEpisodes.converted } : null,
    knowledge,
  };
}

/**
 * The packet with the gaps memory can fill: an email, phone, persona or source
 * the packet lacks, from the conversation's extracted slots (the newest) or the
 * profile's attributes. What the packet carries is never overwritten.
 */
export function enrichFromMemory(context: HandoffContext): HandoffContext {
  const memory = context.memory;
  if (!memory) return context;
  const known: Record<string, unknown> = { ...(memory.profile?.attributes ?? {}), ...(memory.conversation?.extractedSlots ?? {}) };
  return {
    ...context,
    lead: {
      ...context.lead,
      email: text(context.lead.email) ?? text(known.email),
      phone: text(context.lead.phone) ?? text(known.phone),
      persona: personaOf(context.lead.persona) ?? personaOf(known.persona),
      source: text(context.lead.source) ?? text(known.source),
    },
  };
}

/** The segment's facts engagement reads: the industry's pain points, how the persona responds, what the company size responds to. */
async function segmentKnowledge(
  semantic: Pick<SemanticMemory, 'topObjects'>,
  industry: Industry,
  companySize: CompanySize,
  persona: Persona | null,
): Promise<MemorySnapshot['knowledge']> {
  const none = Promise.resolve<Fact[]>([]);
  const facts = await Promise.all([
    semantic.topObjects(industryId(industry), HAS_PAIN_POINT, 3),
    semantic.topObjects(companySizeId(companySize), RESPONDS_TO, 1),
    persona ? semantic.topObjects(personaId(persona), RESPONDS_ON, 4) : none,
    persona ? semantic.topObjects(personaId(persona), RESPONDS_TO, 1) : none,
  ]);
  return facts.flat().map((fact) => ({ predicate: fact.predicate, object: fact.object.name, weight: fact.weight }));
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** "Decision Maker", "decision_maker" and "DECISION_MAKER" all name one persona. */
export function personaOf(value: unknown): Persona | null {
  const name = text(value)
    ?.toUpperCase()
    .replace(/[\s-]+/g, '_');
  return name && name in Persona ? (name as Persona) : null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
