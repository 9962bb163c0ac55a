// Context preservation accuracy, the specification's KPI (target > 98 %): of the
// fields a handoff's packet carries, the share the receiving agent's decision
// actually used, or could verify against what is stored for the lead (its row,
// its long-term profile, its conversation and campaign). A field that was
// neither used nor matches the store was lost or garbled in the handover.
//
// The fields counted are the packet's decision-relevant leaves (PACKET_FIELDS);
// only those the packet carries (not null) count. A packet with none scores 1.
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { HandoffContext } from './handoff-context.js';

export const PACKET_FIELDS = {
  'conversation.conversationId': (c: HandoffContext) => c.conversation.conversationId,
  'lead.leadId': (c: HandoffContext) => c.lead.leadId,
  'lead.industry': (c: HandoffContext) => c.lead.industry,
  'lead.companySize': (c: HandoffContext) => c.lead.companySize,
  'lead.persona': (c: HandoffContext) => c.lead.persona,
  'lead.source': (c: HandoffContext) => c.lead.source,
  'lead.email': (c: HandoffContext) => c.lead.email,
  'lead.phone': (c: HandoffContext) => c.lead.phone,
  'triage.category': (c: HandoffContext) => c.triage?.category,
  'triage.score': (c: HandoffContext) => c.triage?.score,
  'triage.confidence': (c: HandoffContext) => c.triage?.confidence,
  'triage.reasoning': (c: HandoffContext) => c.triage?.reasoning,
  'triage.modelVersion': (c: HandoffContext) => c.triage?.modelVersion,
  'triage.triagedAt': (c: HandoffContext) => c.triage?.triagedAt,
  'campaign.campaignId': (c: HandoffContext) => c.campaign?.campaignId,
  'campaign.name': (c: HandoffContext) => c.campaign?.name,
  'campaign.budgetUsd': (c: HandoffContext) => c.campaign?.budgetUsd,
  'memory.profile.consent': (c: HandoffContext) => c.memory?.profile?.consent,
  'memory.profile.doNotContact': (c: HandoffContext) => c.memory?.profile?.doNotContact,
} satisfies Record<string, (context: HandoffContext) => unknown>;

export type PacketField = keyof typeof PACKET_FIELDS;

/** What is stored for a lead, as values each packet field may match. */
export type StoredFacts = Partial<Record<PacketField, readonly unknown[]>>;

export interface Preservation {
  /** 0-1, rounded to 4 digits. */
  accuracy: number;
  /** The fields the packet carried that were neither used nor verified. */
  lost: PacketField[];
}

export function contextPreservation(context: HandoffContext, used: ReadonlySet<PacketField>, stored: StoredFacts): Preservation {
  let carried = 0;
  const lost: PacketField[] = [];
  for (const [path, read] of Object.entries(PACKET_FIELDS) as [PacketField, (c: HandoffContext) => unknown][]) {
    const value = read(context);
    if (value === null || value === undefined || value === '') continue;
    carried++;
    if (!used.has(path) && !(stored[path] ?? []).some((candidate) => same(value, candidate))) lost.push(path);
  }
  return { accuracy: carried === 0 ? 1 : Math.round(((carried - lost.length) / carried) * 10_000) / 10_000, lost };
}

/**
 * What the store holds for each lead, through the receiver's transaction: the
 * lead row (its verdict, contact data, campaign), its profile (attributes,
 * consent) and its conversation. One query for all of them. People's data is
 * stored sealed: opened to compare with the packet's clear values.
 */
export async function storedFacts(
  tx: Prisma.TransactionClient,
  leadIds: readonly string[],
  cipher: Pick<PersonalDataCipher, 'openOptional' | 'openJson'>,
): Promise<Map<string, StoredFacts>> {
  const leads = await tx.lead.findMany({
    where: { id: { in: [...leadIds] } },
    include: { conversation: { select: { id: true } }, profile: true, campaign: { select: { id: true, name: true, budgetUsd: true } } },
  });
  return new Map(
    leads.map((lead) => {
      // Stored sealed (the profile's attributes, the lead's contact data): compared in clear with the packet.
      const attributes = cipher.openJson(lead.profile?.attributes ?? {}) as Record<string, unknown>;
      const facts: StoredFacts = {
        'conversation.conversationId': [lead.conversation?.id],
        'lead.leadId': [lead.id],
        'lead.industry': [lead.industry],
        'lead.companySize': [lead.companySize],
        'lead.persona': [lead.persona, attributes.persona],
        'lead.source': [lead.source, attributes.source],
        'lead.email': [cipher.openOptional(lead.email), attributes.email],
        'lead.phone': [cipher.openOptional(lead.phone), attributes.phone],
        'triage.category': [lead.category],
        'triage.score': [lead.score],
        'triage.confidence': [lead.confidence],
        'triage.reasoning': [lead.reasoning],
        'triage.modelVersion': [lead.modelVersion],
        'triage.triagedAt': [lead.triagedAt],
        'campaign.campaignId': [lead.campaignId],
        'campaign.name': [lead.campaign?.name],
        'campaign.budgetUsd': [lead.campaign?.budgetUsd],
        'memory.profile.consent': [lead.profile?.consent],
        'memory.profile.doNotContact': [lead.profile?.doNotContact],
      };
      return [lead.id, facts];
    }),
  );
}

/** Equal as the packet carries it: strings trimmed (persona spelled any way), numbers to 1e-9, instants to the millisecond. */
function same(packet: unknown, stored: unknown): boolean {
  if (stored === null || stored === undefined) return false;
  if (stored instanceof Date) return typeof packet === 'string' && Date.parse(packet) === stored.getTime();
  if (typeof packet === 'number' && typeof stored === 'number') return Math.abs(packet - stored) < 1e-9;
  if (typeof packet === 'string' && typeof stored === 'string') return normalize(packet) === normalize(stored);
  return packet === stored;
}

function normalize(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
}
