// Episodic memory: what happened to past leads. An episode is a situation (the
// lead's features and the last touchpoint's channel, template and hour), the
// action taken, and the outcome it reached.
//
// Similarity is over the four categorical lead features, with weights that are
// powers of two: industry 8, company size 4, persona 2, source 1 (similarity =
// matched weight / 15). A better match on a heavier feature therefore always
// outranks any combination of lighter ones. Ties go to the newest episode.
//
// Retrieval reads in three stages, most similar first, and stops as soon as k
// are found; each stage is an index range of (industry, companySize, persona,
// source, occurredAt): exact matches (all four equal, newest first straight off
// the index), then the same industry and size (1/16 of the episodes), then the
// rest. At scale the first stage almost always fills k, so it stays fast at
// 100k episodes; with few episodes the later stages are cheap anyway.
import {
  Prisma,
  type CompanySize,
  type Episode,
  type EpisodeOutcome,
  type Industry,
  type Persona,
  type PrismaClient,
} from '../../db/generated/prisma/client.js';
import { normalizeSource } from '../../domain/triage-model.js';

export interface Situation {
  industry: Industry;
  companySize: CompanySize;
  persona: Persona | null;
  /** Normalized (see normalizeSource). */
  source: string | null;
}

/** A lead's situation, as episodes are matched on: its source normalized as triage normalizes it. */
export function situationOf(lead: { industry: Industry; companySize: CompanySize; persona?: Persona | null; source?: string | null }): Situation {
  return { industry: lead.industry, companySize: lead.companySize, persona: lead.persona ?? null, source: lead.source ? normalizeSource(lead.source) : null };
}

export interface EpisodeInput extends Situation {
  leadId: string | null;
  channel: Episode['channel'];
  template: string | null;
  sentHour: number | null;
  action: string;
  outcome: EpisodeOutcome;
  occurredAt: Date;
}

export interface SimilarEpisode {
  episode: Episode;
  /** 0-1: matched feature weight / total weight. */
  similarity: number;
}

export interface SimilarityOptions {
  k: number;
  /** Only converted or lost episodes: what triage learns conversion rates from. */
  terminalOnly?: boolean;
  /** A lead must not count as evidence about itself. */
  excludeLeadId?: string;
  /** Only episodes that occurred at or after this (a market's start: triage's model says when). */
  since?: Date;
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Similarity-weighted counts of the converted/lost episodes nearest a situation (see triage's SimilarEpisodes). */
export interface ConversionEvidence {
  considered: number;
  converted: number;
}

/** How many neighbours triage consults. */
export const CONVERSION_NEIGHBOURS = 50;

export interface EpisodeStore {
  similar(situation: Situation, options: SimilarityOptions): Promise<SimilarEpisode[]>;
  /** The outcomes of the CONVERSION_NEIGHBOURS most similar terminal episodes, each weighted by its similarity. */
  /** `since`: only episodes of the market that began then (TriageModel.marketSince). */
  conversionEvidence(situation: Situation, excludeLeadId?: string, since?: Date): Promise<ConversionEvidence>;
  forLead(leadId: string): Promise<Episode | null>;
  /**
   * Many leads' episodes, each paired with the one stored for its lead (loaded in
   * the same transaction): new ones in one INSERT, changed ones updated. Returns
   * how many were written.
   */
  writeForLeads(db: Db, episodes: readonly { episode: EpisodeInput & { leadId: string }; existing: Episode | null }[]): Promise<number>;
  /** Bulk import of history (episodes from other systems, benchmarks). */
  importMany(episodes: readonly EpisodeInput[]): Promise<number>;
  countByOutcome(): Promise<Record<EpisodeOutcome, number>>;
}

/** See the header comment. */
const WEIGHTS = { industry: 8, companySize: 4, persona: 2, source: 1 } as const;
const TOTAL_WEIGHT = 15;

/**
 * How long the neighbours of a situation are reused by conversionEvidence. Every
 * lead is scored with them, but episodes change only when consolidation writes
 * them (which, in this process, starts afresh at once): three index scans per lead
 * under load were the same three reads over and over.
 */
export const NEIGHBOURS_TTL_MS = 60_000;

export function createEpisodeStore(prisma: PrismaClient, { neighboursTtlMs = NEIGHBOURS_TTL_MS } = {}): EpisodeStore {
  /** By situation: its CONVERSION_NEIGHBOURS + 1 most similar terminal episodes (one more, in case the lead's own is among them). */
  const neighbours = new Map<string, { readAt: number; reading: Promise<SimilarEpisode[]> }>();

  function terminalNeighbours(situation: Situation, since: Date | undefined): Promise<SimilarEpisode[]> {
    const key = JSON.stringify([situation.industry, situation.companySize, situation.persona, situation.source, since?.getTime() ?? null]);
    const cached = neighbours.get(key);
    if (cached && performance.now() - cached.readAt < neighboursTtlMs) return cached.reading;
    const reading = similar(situation, { k: CONVERSION_NEIGHBOURS + 1, terminalOnly: true, since });
    neighbours.set(key, { readAt: performance.now(), reading });
    reading.catch(() => neighbours.delete(key));
    return reading;
  }

  async function similar(situation: Situation, { k, terminalOnly = false, excludeLeadId, since }: SimilarityOptions): Promise<SimilarEpisode[]> {
    const filters = [
      terminalOnly ? Prisma.sql`"outcome" IN ('CONVERTED', 'LOST')` : Prisma.sql`TRUE`,
      excludeLeadId ? Prisma.sql`"leadId" IS DISTINCT FROM ${excludeLeadId}` : Prisma.sql`TRUE`,
      since ? Prisma.sql`"occurredAt" >= ${since}` : Prisma.sql`TRUE`,
    ];
    const found: SimilarEpisode[] = [];
    for (const stage of stages(situation)) {
      if (found.length >= k) break;
      const rows = await prisma.$queryRaw<(Episode & { matched: number })[]>`
        SELECT *, ${matchedWeight(situation)} AS "matched" FROM "Episode"
        WHERE ${stage} AND ${Prisma.join(filters, ' AND ')}
        ORDER BY "matched" DESC, "occurredAt" DESC, "id" ASC
        LIMIT ${k - found.length}`;
      for (const { matched, ...episode } of rows) found.push({ episode, similarity: matched / TOTAL_WEIGHT });
    }
    return found;
  }

  return {
    similar,

    async conversionEvidence(situation, excludeLeadId, since) {
      const nearest = (await terminalNeighbours(situation, since))
        .filter(({ episode }) => !excludeLeadId || episode.leadId !== excludeLeadId)
        .slice(0, CONVERSION_NEIGHBOURS);
      let considered = 0;
      let converted = 0;
      for (const { episode, similarity } of nearest) {
        considered += similarity;
        if (episode.outcome === 'CONVERTED') converted += similarity;
      }
      return { considered, converted };
    },

    forLead: (leadId) => prisma.episode.findUnique({ where: { leadId } }),

    async writeForLeads(db, pairs) {
      neighbours.clear();
      const created = pairs.filter((pair) => !pair.existing).map((pair) => pair.episode);
      const changed = pairs.filter((pair) => pair.existing && !sameEpisode(pair.existing, pair.episode)).map((pair) => pair.episode);
      if (created.length > 0) await db.episode.createMany({ data: created });
      for (const episode of changed) await db.episode.update({ where: { leadId: episode.leadId }, data: episode });
      return created.length + changed.length;
    },

    async importMany(episodes) {
      neighbours.clear();
      const { count } = await prisma.episode.createMany({ data: [...episodes], skipDuplicates: true });
      return count;
    },

    async countByOutcome() {
      const groups = await prisma.episode.groupBy({ by: ['outcome'], _count: { _all: true } });
      const counts: Record<EpisodeOutcome, number> = { CONVERTED: 0, REPLIED: 0, IGNORED: 0, LOST: 0 };
      for (const group of groups) counts[group.outcome] = group._count._all;
      return counts;
    },
  };
}

/** The three stages of the header comment, as WHERE conditions. */
function stages(situation: Situation): Prisma.Sql[] {
  const segment = Prisma.sql`"industry" = ${situation.industry}::"Industry" AND "companySize" = ${situation.companySize}::"CompanySize"`;
  const exact = Prisma.sql`${equals('persona', situation.persona, 'Persona')} AND ${equals('source', situation.source)}`;
  // IS NOT TRUE, not NOT: a NULL persona or source makes the equality NULL, and NOT NULL drops the row.
  return [Prisma.sql`${segment} AND ${exact}`, Prisma.sql`${segment} AND (${exact}) IS NOT TRUE`, Prisma.sql`(${segment}) IS NOT TRUE`];
}

/** Equality that matches NULL to NULL and still uses the index (IS NOT DISTINCT FROM would not). */
function equals(column: 'persona' | 'source', value: string | null, enumType?: string): Prisma.Sql {
  const name = Prisma.raw(`"${column}"`);
  if (value === null) return Prisma.sql`${name} IS NULL`;
  return enumType ? Prisma.sql`${name} = ${value}::${Prisma.raw(`"${enumType}"`)}` : Prisma.sql`${name} = ${value}`;
}

/** The matched weight (0-15) of the header comment, computed per row. */
function matchedWeight(situation: Situation): Prisma.Sql {
  return Prisma.sql`(
    (CASE WHEN "industry" = ${situation.industry}::"Industry" THEN ${WEIGHTS.industry} ELSE 0 END) +
    (CASE WHEN "companySize" = ${situation.companySize}::"CompanySize" THEN ${WEIGHTS.companySize} ELSE 0 END) +
    (CASE WHEN "persona" IS NOT DISTINCT FROM ${situation.persona}::"Persona" THEN ${WEIGHTS.persona} ELSE 0 END) +
    (CASE WHEN "source" IS NOT DISTINCT FROM ${situation.source}::text THEN ${WEIGHTS.source} ELSE 0 END))::int`;
}

function sameEpisode(existing: Episode, next: EpisodeInput): boolean {
  return (
    existing.industry === next.industry &&
    existing.companySize === next.companySize &&
    existing.persona === next.persona &&
    existing.source === next.source &&
    existing.channel === next.channel &&
    existing.template === next.template &&
    existing.sentHour === next.sentHour &&
    existing.action === next.action &&
    existing.outcome === next.outcome &&
    existing.occurredAt.getTime() === next.occurredAt.getTime()
  );
}
