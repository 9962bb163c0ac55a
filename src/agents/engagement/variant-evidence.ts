// The evidence behind each arm of a segment (industry × persona; no persona is
// a segment of its own): what its templates achieved, from the interaction log,
// and what the knowledge base expected before any was sent.
//
// Recorded results. For each TOUCHPOINT_SENT (channel, template) of a lead of
// the segment, its response window runs from the touchpoint to the lead's next
// touchpoint or 14 days after it, whichever comes first (touchpoints sent at the
// same instant share a window):
//   success  a CLICK, REPLY, MEETING_BOOKED or CONVERTED of that lead in the window
//            (on any channel: the window already attributes it to this touchpoint);
//   failure  none, and the window has closed (14 days passed, or the next
//            touchpoint went out: later responses belong to that one);
//   pending  none yet, and the window is still open: neither.
// One query, grouped by channel and template.
//
// Cold-start prior. Each arm starts from Beta(α, β) with
//   α = 1 + w·n0,  β = 1 + (1 − w)·n0,
// w the knowledge base's RESPONDS_ON rate for the segment → channel (falling
// back to the persona → channel, then 0.1) and n0 = 10 pseudo-touchpoints: the
// knowledge base counts as much as ten real sends, so a handful of recorded
// results already moves the posterior and a hundred dominate it. The Beta(1, 1)
// under it keeps every rate possible. n0 is fixed whatever the fact's
// evidenceCount, so a weight consolidation learned from these same touchpoints
// counts them at most ten times over, never in full.
import type { Channel, Industry, Persona } from '../../db/generated/prisma/enums.js';
import type { Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import { INDUSTRY_LABELS, PERSONA_LABELS } from '../../domain/labels.js';
import type { EngagementKnowledge } from './knowledge.js';
import type { VariantArm } from './variants.js';

/** How long a touchpoint waits for its response. */
export const RESPONSE_WINDOW_DAYS = 14;
/** n0: pseudo-touchpoints the knowledge base's rate is worth. */
export const PRIOR_STRENGTH = 10;
/** The rate assumed for a channel the knowledge base says nothing about. */
export const DEFAULT_PRIOR_RATE = 0.1;

export interface TemplateResults {
  channel: Channel;
  template: string;
  successes: number;
  failures: number;
  pending: number;
}

export interface BetaPrior {
  alpha: number;
  beta: number;
  /** w: the rate the prior is centred near. */
  rate: number;
  source: 'segment' | 'persona' | 'default';
}

export interface ArmEvidence extends VariantArm {
  successes: number;
  failures: number;
  pending: number;
  prior: BetaPrior;
}

type Db = PrismaClient | Prisma.TransactionClient;

/** "Technology/Decision Maker", as the knowledge graph names the segment; "Technology/No persona" without one. */
export function segmentLabel(industry: Industry, persona: Persona | null): string {
  return `${INDUSTRY_LABELS[industry]}/${persona ? PERSONA_LABELS[persona] : 'No persona'}`;
}

/** Results of the given templates' touchpoints to the segment's leads, as of `now`. */
export async function recordedResults(
  db: Db,
  segment: { industry: Industry; persona: Persona | null },
  templates: readonly string[],
  now: Date,
): Promise<TemplateResults[]> {
  if (templates.length === 0) return [];
  const rows = await db.$queryRaw<TemplateResults[]>`
    WITH touch AS (
      SELECT t."leadId", t."channel", t."template", t."occurredAt" AS "sentAt",
             LEAST(
               COALESCE(
                 (SELECT min(n."occurredAt") FROM "Interaction" n
                  WHERE n."leadId" = t."leadId" AND n."type" = 'TOUCHPOINT_SENT' AND n."occurredAt" > t."occurredAt"),
                 'infinity'::timestamp),
               t."occurredAt" + make_interval(days => ${RESPONSE_WINDOW_DAYS}::int)) AS "closesAt"
      FROM "Interaction" t
      JOIN "Lead" l ON l."id" = t."leadId"
      WHERE t."type" = 'TOUCHPOINT_SENT'
        AND l."industry"::text = ${segment.industry}::text
        AND l."persona"::text IS NOT DISTINCT FROM ${segment.persona}::text
    ), judged AS (
      SELECT touch.*, EXISTS (
               SELECT 1 FROM "Interaction" r
               WHERE r."leadId" = touch."leadId"
                 AND r."type" IN ('CLICK', 'REPLY', 'MEETING_BOOKED', 'CONVERTED')
                 AND r."occurredAt" >= touch."sentAt" AND r."occurredAt" < touch."closesAt") AS "responded"
      FROM touch
      WHERE touch."channel" IS NOT NULL AND touch."template" = ANY(${[...templates]}::text[])
    )
    SELECT "channel", "template",
           (count(*) FILTER (WHERE "responded"))::int AS "successes",
           (count(*) FILTER (WHERE NOT "responded" AND "closesAt" <= ${now}))::int AS "failures",
           (count(*) FILTER (WHERE NOT "responded" AND "closesAt" > ${now}))::int AS "pending"
    FROM judged
    GROUP BY 1, 2
    ORDER BY 1, 2`;
  return rows.map((row) => ({ ...row, successes: Number(row.successes), failures: Number(row.failures), pending: Number(row.pending) }));
}

/** Beta(1 + w·n0, 1 + (1 − w)·n0) from the most specific RESPONDS_ON fact for the channel. */
export function coldStartPrior(channel: Channel, knowledge: Pick<EngagementKnowledge, 'channelRates'>, strength = PRIOR_STRENGTH): BetaPrior {
  const known = knowledge.channelRates[channel];
  const rate = Math.min(1, Math.max(0, known?.weight ?? DEFAULT_PRIOR_RATE));
  return { alpha: 1 + rate * strength, beta: 1 + (1 - rate) * strength, rate, source: known?.source ?? 'default' };
}

/** The arms with their recorded results (none yet: zeros) and their priors. */
export function armEvidence(
  arms: readonly VariantArm[],
  results: readonly TemplateResults[],
  knowledge: Pick<EngagementKnowledge, 'channelRates'>,
): ArmEvidence[] {
  const byTemplate = new Map(results.map((result) => [`${result.channel}|${result.template}`, result]));
  return arms.map((arm) => {
    const result = byTemplate.get(`${arm.channel}|${arm.template}`);
    return {
      ...arm,
      successes: result?.successes ?? 0,
      failures: result?.failures ?? 0,
      pending: result?.pending ?? 0,
      prior: coldStartPrior(arm.channel, knowledge),
    };
  });
}
