// Enrichment: when a handoff's packet falls short, memory may know what the
// packet lacks. A conversation's extracted slots and the lead's long-term profile
// can supply a missing email, phone, persona or source, and the packet gains a
// snapshot of what memory holds for the lead either way.
import type { Prisma } from '../../db/generated/prisma/client.js';
import { Persona } from '../../db/generated/prisma/enums.js';
import type { ShortTermMemory } from '../../memory/short-term/short-term-memory.js';
import type { HandoffContext, MemorySnapshot } from './handoff-context.js';

export type Enrichment = (context: HandoffContext, missing: readonly string[]) => Promise<HandoffContext>;

/** Reads the profile through the caller's transaction; short-term memory lives outside the database. */
export function memoryEnrichment(tx: Prisma.TransactionClient, shortTerm: Pick<ShortTermMemory, 'retrieve'> | undefined): Enrichment {
  return async (context) => {
    const [conversation, profile] = await Promise.all([
      shortTerm ? shortTerm.retrieve(context.conversation.conversationId) : null,
      tx.leadProfile.findUnique({ where: { leadId: context.lead.leadId } }),
    ]);
    const known: Record<string, unknown> = { ...asRecord(profile?.attributes), ...(conversation?.extractedSlots ?? {}) };
    const snapshot: MemorySnapshot = {
      conversation: conversation
        ? { activeIntent: conversation.activeIntent, extractedSlots: conversation.extractedSlots, pendingActions: conversation.pendingActions }
        : null,
      profile: profile
        ? {
            attributes: asRecord(profile.attributes),
            touches: profile.touches,
            replies: profile.replies,
            preferredChannel: profile.preferredChannel,
            consent: profile.consent,
            doNotContact: profile.doNotContact,
          }
        : null,
      similarEpisodes: context.memory?.similarEpisodes ?? null,
      knowledge: context.memory?.knowledge ?? [],
    };
    return {
      ...context,
      lead: {
        ...context.lead,
        email: context.lead.email ?? text(known.email),
        phone: context.lead.phone ?? text(known.phone),
        persona: context.lead.persona ?? persona(known.persona),
        source: context.lead.source ?? text(known.source),
      },
      memory: snapshot,
    };
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** "Decision Maker", "decision_maker" and "DECISION_MAKER" all name one persona. */
function persona(value: unknown): string | null {
  const name = text(value)
    ?.toUpperCase()
    .replace(/[\s-]+/g, '_');
  return name && name in Persona ? name : null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
