// Semantic memory on PostgreSQL (and PGlite): nodes in "SemanticNode", facts in
// "SemanticEdge", unique on ("subjectId", predicate, "objectId").
//
// Every statement is a Prisma tagged template (values are bound parameters,
// never spliced into the text). Batches travel as one jsonb parameter, unpacked
// with jsonb_to_recordset, so one INSERT ... ON CONFLICT writes a whole batch
// and the same SQL runs unchanged on pg and PGlite. Traversals are recursive
// CTEs bounded by depth (at most 3), walking outgoing facts through the
// unique index (its leading column is "subjectId") and incoming facts through
// the "objectId" index. Ties are broken by ids in "C" collation, code-point
// order, as Neo4j orders strings, so both backends list results alike.
import { Prisma, type PrismaClient } from '../../db/generated/prisma/client.js';
import { compareFacts, depthOf, limitOf, MAX_PATH_DEPTH, MAX_SUBGRAPH_DEPTH, minEvidenceOf, normalizeBatch, pathNodes, propertiesOf } from './normalize.js';
import type {
  Fact,
  FactInput,
  KnowledgeGraph,
  KnowledgeNode,
  KnowledgePath,
  NeighbourOptions,
  NodeQuery,
  PathOptions,
  SemanticMemory,
  SemanticMemoryStats,
} from './semantic-memory.js';
import { LEAD_KIND } from './vocabulary.js';

interface NodeRow {
  id: string;
  kind: string;
  name: string;
  properties: unknown;
}

/** A fact as FACT_JSON builds it (timestamps in JSON carry no zone: they are UTC). */
interface FactJson {
  subject: KnowledgeNode;
  predicate: string;
  object: KnowledgeNode;
  weight: number;
  evidenceCount: number;
  provenance: string;
  updatedAt: string;
}

/** A fact without its nodes, for results that list the nodes already. */
interface EdgeJson {
  id: string;
  subjectId: string;
  predicate: string;
  objectId: string;
  weight: number;
  evidenceCount: number;
  provenance: string;
  updatedAt: string;
}

// Fact lists come back as one JSON document (json_agg) rather than one row per
// fact: on PGlite, decoding many rows of many columns costs far more than the
// query; one text column parsed with JSON.parse costs almost nothing.
const FACT_FROM = Prisma.sql`
  FROM "SemanticEdge" e
  JOIN "SemanticNode" s ON s.id = e."subjectId"
  JOIN "SemanticNode" o ON o.id = e."objectId"`;

const FACT_JSON = Prisma.sql`json_build_object(
  'subject', json_build_object('id', s.id, 'kind', s.kind, 'name', s.name, 'properties', s.properties),
  'predicate', e.predicate,
  'object', json_build_object('id', o.id, 'kind', o.kind, 'name', o.name, 'properties', o.properties),
  'weight', e.weight, 'evidenceCount', e."evidenceCount", 'provenance', e.provenance, 'updatedAt', e."updatedAt")`;

const EDGE_JSON = Prisma.sql`json_build_object(
  'id', e.id, 'subjectId', e."subjectId", 'predicate', e.predicate, 'objectId', e."objectId",
  'weight', e.weight, 'evidenceCount', e."evidenceCount", 'provenance', e.provenance, 'updatedAt', e."updatedAt")`;

const FACT_ORDER = Prisma.sql`
  ORDER BY e.weight DESC, e."evidenceCount" DESC,
           e."subjectId" COLLATE "C", e.predicate COLLATE "C", e."objectId" COLLATE "C"`;

export class PostgresSemanticMemory implements SemanticMemory {
  readonly backend = 'postgres' as const;

  constructor(private readonly prisma: PrismaClient) {}

  async upsertFacts(facts: readonly FactInput[]): Promise<number> {
    const batch = normalizeBatch(facts);
    if (batch.facts.length === 0) return 0;
    const nodes = JSON.stringify(batch.nodes.map(({ id, kind, name, properties }) => ({ id, kind, name, properties })));
    const rows = JSON.stringify(batch.facts.map(factRecord));
    const now = new Date();
    const [, changed] = await this.prisma.$transaction([
      // Nodes: created, or given the named properties (shallow merge) when that changes them.
      this.prisma.$executeRaw`
        INSERT INTO "SemanticNode" (id, kind, name, properties)
        SELECT n.id, n.kind, n.name, n.properties
        FROM jsonb_to_recordset(${nodes}::jsonb) AS n(id text, kind text, name text, properties jsonb)
        ON CONFLICT (id) DO UPDATE SET properties = "SemanticNode".properties || EXCLUDED.properties
        WHERE "SemanticNode".properties IS DISTINCT FROM "SemanticNode".properties || EXCLUDED.properties`,
      // Facts: created, or set to the given values when they differ (so a repeat counts 0).
      this.prisma.$executeRaw`
        INSERT INTO "SemanticEdge" (id, "subjectId", predicate, "objectId", weight, "evidenceCount", provenance, "updatedAt")
        SELECT gen_random_uuid(), f.subject_id, f.predicate, f.object_id, f.weight, f.evidence_count, f.provenance, ${now}::timestamp(3)
        FROM jsonb_to_recordset(${rows}::jsonb)
          AS f(subject_id text, predicate text, object_id text, weight double precision, evidence_count integer, provenance text)
        ON CONFLICT ("subjectId", predicate, "objectId") DO UPDATE
          SET weight = EXCLUDED.weight, "evidenceCount" = EXCLUDED."evidenceCount",
              provenance = EXCLUDED.provenance, "updatedAt" = EXCLUDED."updatedAt"
        WHERE ("SemanticEdge".weight, "SemanticEdge"."evidenceCount", "SemanticEdge".provenance)
              IS DISTINCT FROM (EXCLUDED.weight, EXCLUDED."evidenceCount", EXCLUDED.provenance)`,
    ]);
    return changed;
  }

  async insertMissingFacts(facts: readonly FactInput[]): Promise<number> {
    const batch = normalizeBatch(facts);
    if (batch.facts.length === 0) return 0;
    const nodes = JSON.stringify(batch.nodes.map(({ id, kind, name, properties }) => ({ id, kind, name, properties })));
    const rows = JSON.stringify(batch.facts.map(factRecord));
    const now = new Date();
    const [, inserted] = await this.prisma.$transaction([
      this.prisma.$executeRaw`
        INSERT INTO "SemanticNode" (id, kind, name, properties)
        SELECT n.id, n.kind, n.name, n.properties
        FROM jsonb_to_recordset(${nodes}::jsonb) AS n(id text, kind text, name text, properties jsonb)
        ON CONFLICT DO NOTHING`,
      this.prisma.$executeRaw`
        INSERT INTO "SemanticEdge" (id, "subjectId", predicate, "objectId", weight, "evidenceCount", provenance, "updatedAt")
        SELECT gen_random_uuid(), f.subject_id, f.predicate, f.object_id, f.weight, f.evidence_count, f.provenance, ${now}::timestamp(3)
        FROM jsonb_to_recordset(${rows}::jsonb)
          AS f(subject_id text, predicate text, object_id text, weight double precision, evidence_count integer, provenance text)
        ON CONFLICT ("subjectId", predicate, "objectId") DO NOTHING`,
    ]);
    return inserted;
  }

  async node(id: string): Promise<KnowledgeNode | null> {
    const rows = await this.prisma.$queryRaw<NodeRow[]>`
      SELECT id, kind, name, properties FROM "SemanticNode" WHERE id = ${id}`;
    const [row] = rows;
    return row ? toNode(row) : null;
  }

  async findNodes(query: NodeQuery): Promise<KnowledgeNode[]> {
    const limit = limitOf(query.limit);
    const kind = query.kind ?? null;
    const nameContains = query.nameContains ?? null;
    const rows = await this.prisma.$queryRaw<NodeRow[]>`
      SELECT id, kind, name, properties FROM "SemanticNode"
      WHERE (${kind}::text IS NULL OR kind = ${kind}::text)
        AND (${nameContains}::text IS NULL OR strpos(lower(name), lower(${nameContains}::text)) > 0)
      ORDER BY id COLLATE "C"
      LIMIT ${limit}::integer`;
    return rows.map(toNode);
  }

  async neighbours(nodeId: string, options: NeighbourOptions = {}): Promise<Fact[]> {
    const limit = limitOf(options.limit);
    const direction = options.direction ?? 'both';
    const touching =
      direction === 'out'
        ? Prisma.sql`e."subjectId" = ${nodeId}`
        : direction === 'in'
          ? Prisma.sql`e."objectId" = ${nodeId}`
          : Prisma.sql`(e."subjectId" = ${nodeId} OR e."objectId" = ${nodeId})`;
    const predicate = options.predicate === undefined ? Prisma.empty : Prisma.sql`AND e.predicate = ${options.predicate}`;
    return this.factList(Prisma.sql`${touching} ${predicate}`, limit);
  }

  async paths(fromId: string, options: PathOptions): Promise<KnowledgePath[]> {
    const maxDepth = depthOf(options.maxDepth, 1, MAX_PATH_DEPTH, 'maxDepth');
    const limit = limitOf(options.limit);
    const toId = options.toId ?? null;
    // Each row of `walk` is a simple path from fromId: `ids` its nodes, `edges`
    // its facts. A path stops growing at maxDepth, on reaching toId, or where
    // the next node is already on it (no cycles). The chosen paths and their
    // facts come back together, as JSON.
    const [row] = await this.prisma.$queryRaw<{ paths: string; facts: string }[]>`
      WITH RECURSIVE walk (last_id, ids, edges, depth, total) AS (
        SELECT e."objectId", ARRAY[e."subjectId", e."objectId"], ARRAY[e.id], 1, e.weight
        FROM "SemanticEdge" e
        WHERE e."subjectId" = ${fromId} AND e."objectId" <> e."subjectId"
        UNION ALL
        SELECT e."objectId", w.ids || e."objectId", w.edges || e.id, w.depth + 1, w.total + e.weight
        FROM walk w
        CROSS JOIN LATERAL (
          SELECT id, "objectId", weight FROM "SemanticEdge" WHERE "subjectId" = w.last_id
          -- OFFSET 0 keeps this a per-row lookup in the unique index: flattened into
          -- a join, the planner (which guesses the walk's size) hashes the whole table.
          OFFSET 0
        ) e
        WHERE w.depth < ${maxDepth}::integer
          AND e."objectId" <> ALL (w.ids)
          AND (${toId}::text IS NULL OR w.last_id <> ${toId}::text)
      ),
      chosen AS (
        SELECT edges, row_number() OVER (ORDER BY depth, total DESC, (array_to_string(ids, '|') || '|') COLLATE "C") AS rank
        FROM walk
        WHERE ${toId}::text IS NULL OR last_id = ${toId}::text
        ORDER BY rank
        LIMIT ${limit}::integer
      )
      SELECT
        (SELECT coalesce(json_agg(to_json(c.edges) ORDER BY c.rank), '[]') FROM chosen c)::text AS paths,
        (SELECT coalesce(json_agg(json_build_object('id', e.id, 'fact', ${FACT_JSON})), '[]')
         ${FACT_FROM}
         WHERE e.id IN (SELECT unnest(c.edges) FROM chosen c))::text AS facts`;
    const edgeLists = JSON.parse(row?.paths ?? '[]') as string[][];
    const facts = new Map((JSON.parse(row?.facts ?? '[]') as { id: string; fact: FactJson }[]).map(({ id, fact }) => [id, toFact(fact)]));
    return edgeLists.map((edges) => {
      const path = edges.map((edgeId) => {
        const fact = facts.get(edgeId);
        if (!fact) throw new Error(`Fact ${edgeId} missing from its path`);
        return fact;
      });
      return { nodes: pathNodes(path), facts: path };
    });
  }

  async factsByPredicate(predicate: string, options: { limit?: number; minEvidence?: number } = {}): Promise<Fact[]> {
    const limit = limitOf(options.limit, 1000);
    const minEvidence = minEvidenceOf(options.minEvidence);
    return this.factList(Prisma.sql`e.predicate = ${predicate} AND e."evidenceCount" >= ${minEvidence}::integer`, limit);
  }

  async topObjects(subjectId: string, predicate: string, limit?: number): Promise<Fact[]> {
    return this.factList(Prisma.sql`e."subjectId" = ${subjectId} AND e.predicate = ${predicate}`, limitOf(limit, 10));
  }

  async subgraph(nodeId: string, depth: number, options: { limit?: number } = {}): Promise<KnowledgeGraph> {
    const maxDepth = depthOf(depth, 0, MAX_SUBGRAPH_DEPTH, 'depth');
    const limit = limitOf(options.limit, 200);
    // Breadth-first, both directions: `reach` holds (node, hops) pairs; UNION
    // drops repeats of a pair, and the walk stops at maxDepth hops. `kept` is
    // each node at its nearest, the nearest `limit` of them; the facts are those
    // between kept nodes with one end nearer than maxDepth (walked within it),
    // looked up per kept node (OFFSET 0: see paths) rather than by scanning the table.
    const [row] = await this.prisma.$queryRaw<{ nodes: string; facts: string }[]>`
      WITH RECURSIVE reach (id, depth) AS (
        SELECT n.id, 0 FROM "SemanticNode" n WHERE n.id = ${nodeId}
        UNION
        SELECT next.id, r.depth + 1
        FROM reach r
        CROSS JOIN LATERAL (
          SELECT e."objectId" AS id FROM "SemanticEdge" e WHERE e."subjectId" = r.id
          UNION ALL
          SELECT e."subjectId" AS id FROM "SemanticEdge" e WHERE e."objectId" = r.id
        ) next
        WHERE r.depth < ${maxDepth}::integer
      ),
      kept AS (
        SELECT id, min(depth) AS depth FROM reach GROUP BY id
        ORDER BY min(depth), id COLLATE "C"
        LIMIT ${limit}::integer
      )
      SELECT
        (SELECT coalesce(json_agg(json_build_object('id', n.id, 'kind', n.kind, 'name', n.name, 'properties', n.properties)
                                  ORDER BY k.depth, n.id COLLATE "C"), '[]')
         FROM kept k
         CROSS JOIN LATERAL (SELECT * FROM "SemanticNode" WHERE id = k.id OFFSET 0) n)::text AS nodes,
        (SELECT coalesce(json_agg(${EDGE_JSON}), '[]')
         FROM kept a
         CROSS JOIN LATERAL (SELECT * FROM "SemanticEdge" WHERE "subjectId" = a.id OFFSET 0) e
         JOIN kept b ON b.id = e."objectId"
         WHERE least(a.depth, b.depth) < ${maxDepth}::integer)::text AS facts`;
    const nodes = (JSON.parse(row?.nodes ?? '[]') as NodeRow[]).map(toNode);
    const byId = new Map(nodes.map((node) => [node.id, node]));
    const facts = (JSON.parse(row?.facts ?? '[]') as EdgeJson[]).flatMap((edge) => {
      const subject = byId.get(edge.subjectId);
      const object = byId.get(edge.objectId);
      return subject && object ? [toFact({ ...edge, subject, object })] : [];
    });
    return { nodes, facts: facts.sort(compareFacts) };
  }

  async forgetLead(leadId: string): Promise<number> {
    // Facts go with their nodes (ON DELETE CASCADE).
    return this.prisma.$executeRaw`
      DELETE FROM "SemanticNode"
      WHERE ("kind" = ${LEAD_KIND} AND "name" = ${leadId}) OR "properties"->>'leadId' = ${leadId}`;
  }

  async stats(): Promise<SemanticMemoryStats> {
    const [row] = await this.prisma.$queryRaw<{ nodes: number; facts: number }[]>`
      SELECT (SELECT count(*)::integer FROM "SemanticNode") AS nodes, (SELECT count(*)::integer FROM "SemanticEdge") AS facts`;
    return { backend: this.backend, nodes: Number(row?.nodes ?? 0), facts: Number(row?.facts ?? 0) };
  }

  async close(): Promise<void> {
    // The Prisma client belongs to whoever opened the database.
  }

  /** The facts matching `where`, in FACT_ORDER, at most `limit`. */
  private async factList(where: Prisma.Sql, limit: number): Promise<Fact[]> {
    const [row] = await this.prisma.$queryRaw<{ facts: string }[]>`
      SELECT coalesce(json_agg(f.fact ORDER BY f.rank), '[]')::text AS facts
      FROM (
        SELECT ${FACT_JSON} AS fact, row_number() OVER (${FACT_ORDER}) AS rank
        ${FACT_FROM}
        WHERE ${where}
        ${FACT_ORDER}
        LIMIT ${limit}::integer
      ) f`;
    return (JSON.parse(row?.facts ?? '[]') as FactJson[]).map(toFact);
  }
}

function factRecord(fact: ReturnType<typeof normalizeBatch>['facts'][number]) {
  return {
    subject_id: fact.subjectId,
    predicate: fact.predicate,
    object_id: fact.objectId,
    weight: fact.weight,
    evidence_count: fact.evidenceCount,
    provenance: fact.provenance,
  };
}

function toNode(row: NodeRow): KnowledgeNode {
  return { id: row.id, kind: row.kind, name: row.name, properties: propertiesOf(row.properties) };
}

function toFact(fact: Omit<FactJson, 'subject' | 'object'> & { subject: KnowledgeNode; object: KnowledgeNode }): Fact {
  return {
    subject: toNode(fact.subject),
    predicate: fact.predicate,
    object: toNode(fact.object),
    weight: fact.weight,
    evidenceCount: fact.evidenceCount,
    provenance: fact.provenance,
    // timestamp(3) holds UTC without a zone; its JSON text has none either.
    updatedAt: new Date(`${fact.updatedAt}Z`),
  };
}
