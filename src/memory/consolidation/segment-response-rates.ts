// What consolidation teaches the knowledge graph: how often each segment
// (industry × persona) responds on each channel, as `segment -RESPONDS_ON->
// channel` facts weighted by the observed rate with the number of touchpoints
// as evidence. Recomputed from the whole log for the segments that saw new
// activity, so the weights are absolute and a repeated run writes the same ones.
import type { Channel, Industry, Persona, Prisma } from '../../db/generated/prisma/client.js';
import type { FactInput } from '../semantic/semantic-memory.js';
import { channelNode, PROVENANCE, RESPONDS_ON, segmentNode } from '../semantic/vocabulary.js';

export interface Segment {
  industry: Industry;
  persona: Persona;
}

interface SegmentChannelRate {
  industry: Industry;
  persona: Persona;
  channel: Channel;
  touched: number;
  responded: number;
}

/** A touchpoint counts as answered when the lead clicked, replied, booked or converted after it, on its channel or unattributed. */
export async function segmentResponseFacts(db: Prisma.TransactionClient, segments: readonly Segment[]): Promise<FactInput[]> {
  if (segments.length === 0) return [];
  const keys = segments.map((segment) => `${segment.industry}/${segment.persona}`);
  const rates = await db.$queryRaw<SegmentChannelRate[]>`
    SELECT l."industry", l."persona", t."channel",
           count(*)::int AS "touched",
           (count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM "Interaction" r
             WHERE r."leadId" = t."leadId"
               AND r."type" IN ('CLICK', 'REPLY', 'MEETING_BOOKED', 'CONVERTED')
               AND r."occurredAt" >= t."occurredAt"
               AND (r."channel" = t."channel" OR r."channel" IS NULL))))::int AS "responded"
    FROM "Interaction" t
    JOIN "Lead" l ON l."id" = t."leadId"
    WHERE t."type" = 'TOUCHPOINT_SENT' AND t."channel" IS NOT NULL AND l."persona" IS NOT NULL
      AND (l."industry"::text || '/' || l."persona"::text) = ANY(${keys})
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3`;
  return rates.map((rate) => ({
    subject: segmentNode(rate.industry, rate.persona),
    predicate: RESPONDS_ON,
    object: channelNode(rate.channel),
    weight: rate.touched > 0 ? rate.responded / rate.touched : 0,
    evidenceCount: rate.touched,
    provenance: PROVENANCE.CONSOLIDATION,
  }));
}
