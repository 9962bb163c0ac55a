// Every Cypher statement the Neo4j semantic memory runs, as exported constants:
// tests/memory/cypher-syntax.test.ts parses each one (syntax and semantic
// analysis) without needing a Neo4j server.
//
// The graph: (:Knowledge {id, kind, name, properties}) nodes, `properties` a
// JSON string (Neo4j properties cannot hold maps), and one relationship type,
// [:FACT {predicate, weight, evidenceCount, provenance, updatedAt}]. The
// predicate is a property, not the relationship type, because relationship
// types cannot be query parameters: one type keeps every statement a constant
// with bound parameters (no Cypher built from strings), and the index on
// FACT.predicate serves the lookups a per-predicate type would.
//
// Values are always parameters ($name). Variable-length bounds cannot be, so
// the path query exists once per depth (1, 2, 3).

/** Node ids are unique (and indexed through the constraint). */
export const CREATE_NODE_ID_CONSTRAINT = 'CREATE CONSTRAINT knowledge_id IF NOT EXISTS FOR (k:Knowledge) REQUIRE k.id IS UNIQUE';

export const CREATE_NODE_KIND_INDEX = 'CREATE INDEX knowledge_kind IF NOT EXISTS FOR (k:Knowledge) ON (k.kind)';

export const CREATE_FACT_PREDICATE_INDEX = 'CREATE INDEX fact_predicate IF NOT EXISTS FOR ()-[f:FACT]-() ON (f.predicate)';

/** $ids: string[]. The stored properties of the nodes that exist, for upsertFacts' shallow merge. */
export const READ_NODE_PROPERTIES = `
UNWIND $ids AS id
MATCH (k:Knowledge {id: id})
RETURN k.id AS id, k.properties AS properties`;

/** $nodes: {id, kind, name, properties: JSON string}[]; properties already merged with the stored ones. */
export const UPSERT_NODES = `
UNWIND $nodes AS n
MERGE (k:Knowledge {id: n.id})
ON CREATE SET k.kind = n.kind, k.name = n.name, k.properties = n.properties
ON MATCH SET k.properties = n.properties`;

/** $nodes as for UPSERT_NODES; existing nodes are left as they are. */
export const INSERT_MISSING_NODES = `
UNWIND $nodes AS n
MERGE (k:Knowledge {id: n.id})
ON CREATE SET k.kind = n.kind, k.name = n.name, k.properties = n.properties`;

/**
 * $facts: {subjectId, predicate, objectId, weight, evidenceCount (integer), provenance}[], one per
 * (subject, predicate, object); $now: ISO-8601 instant. Writes only facts that are new or differ, and
 * counts them.
 */
export const UPSERT_FACTS = `
UNWIND $facts AS f
MATCH (s:Knowledge {id: f.subjectId})
MATCH (o:Knowledge {id: f.objectId})
OPTIONAL MATCH (s)-[old:FACT {predicate: f.predicate}]->(o)
WITH s, o, f, old
WHERE old IS NULL OR old.weight <> f.weight OR old.evidenceCount <> f.evidenceCount OR old.provenance <> f.provenance
MERGE (s)-[r:FACT {predicate: f.predicate}]->(o)
SET r.weight = f.weight, r.evidenceCount = f.evidenceCount, r.provenance = f.provenance, r.updatedAt = datetime($now)
RETURN count(r) AS changed`;

/** Parameters as for UPSERT_FACTS; creates only facts that do not exist, and counts them. */
export const INSERT_MISSING_FACTS = `
UNWIND $facts AS f
MATCH (s:Knowledge {id: f.subjectId})
MATCH (o:Knowledge {id: f.objectId})
OPTIONAL MATCH (s)-[old:FACT {predicate: f.predicate}]->(o)
WITH s, o, f, old
WHERE old IS NULL
CREATE (s)-[r:FACT {predicate: f.predicate}]->(o)
SET r.weight = f.weight, r.evidenceCount = f.evidenceCount, r.provenance = f.provenance, r.updatedAt = datetime($now)
RETURN count(r) AS inserted`;

/** $id */
export const NODE_BY_ID = `
MATCH (k:Knowledge {id: $id})
RETURN k {.id, .kind, .name, .properties} AS node`;

/** $ids: string[] */
export const NODES_BY_IDS = `
UNWIND $ids AS id
MATCH (k:Knowledge {id: id})
RETURN k {.id, .kind, .name, .properties} AS node`;

/** $kind, $nameContains: string or null; $limit: integer. */
export const FIND_NODES = `
MATCH (k:Knowledge)
WHERE ($kind IS NULL OR k.kind = $kind)
  AND ($nameContains IS NULL OR toLower(k.name) CONTAINS toLower($nameContains))
RETURN k {.id, .kind, .name, .properties} AS node
ORDER BY node.id
LIMIT $limit`;

// The projection and order every fact-returning statement shares: s, r, o in scope.
const FACT_RETURN = `
RETURN s {.id, .kind, .name, .properties} AS subject, r.predicate AS predicate, o {.id, .kind, .name, .properties} AS object,
       r.weight AS weight, r.evidenceCount AS evidenceCount, r.provenance AS provenance, r.updatedAt.epochMillis AS updatedAt
ORDER BY weight DESC, evidenceCount DESC, subject.id, predicate, object.id`;

/** $id; $predicate: string or null; $limit: integer. */
export const NEIGHBOURS_OUT = `
MATCH (s:Knowledge {id: $id})-[r:FACT]->(o:Knowledge)
WHERE $predicate IS NULL OR r.predicate = $predicate
${FACT_RETURN}
LIMIT $limit`;

/** $id; $predicate: string or null; $limit: integer. */
export const NEIGHBOURS_IN = `
MATCH (s:Knowledge)-[r:FACT]->(o:Knowledge {id: $id})
WHERE $predicate IS NULL OR r.predicate = $predicate
${FACT_RETURN}
LIMIT $limit`;

/** $id; $predicate: string or null; $limit: integer. A self-loop is listed once. */
export const NEIGHBOURS_BOTH = `
MATCH (:Knowledge {id: $id})-[f:FACT]-(:Knowledge)
WHERE $predicate IS NULL OR f.predicate = $predicate
WITH DISTINCT f AS r
WITH startNode(r) AS s, r, endNode(r) AS o
${FACT_RETURN}
LIMIT $limit`;

/** $predicate; $minEvidence, $limit: integers. */
export const FACTS_BY_PREDICATE = `
MATCH (s:Knowledge)-[r:FACT {predicate: $predicate}]->(o:Knowledge)
WHERE r.evidenceCount >= $minEvidence
${FACT_RETURN}
LIMIT $limit`;

/** $id, $predicate; $limit: integer. */
export const TOP_OBJECTS = `
MATCH (s:Knowledge {id: $id})-[r:FACT {predicate: $predicate}]->(o:Knowledge)
${FACT_RETURN}
LIMIT $limit`;

/**
 * $fromId; $toId: string or null; $limit: integer. Simple paths (no node twice) of 1..depth outgoing
 * facts; shortest first, then heaviest, then by the ids along the path (as the PostgreSQL backend orders them).
 */
function pathsUpTo(depth: 1 | 2 | 3): string {
  return `
MATCH p = (:Knowledge {id: $fromId})-[:FACT*1..${depth}]->(target:Knowledge)
WHERE ($toId IS NULL OR target.id = $toId)
  AND all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
WITH p, length(p) AS hops,
     reduce(sum = 0.0, r IN relationships(p) | sum + r.weight) AS total,
     reduce(acc = '', k IN nodes(p) | acc + k.id + '|') AS key
ORDER BY hops, total DESC, key
LIMIT $limit
RETURN [k IN nodes(p) | k {.id, .kind, .name, .properties}] AS nodes,
       [r IN relationships(p) | r {.predicate, .weight, .evidenceCount, .provenance, updatedAt: r.updatedAt.epochMillis}] AS facts`;
}

export const PATHS_UP_TO_1_HOP = pathsUpTo(1);
export const PATHS_UP_TO_2_HOPS = pathsUpTo(2);
export const PATHS_UP_TO_3_HOPS = pathsUpTo(3);

export const PATHS_BY_DEPTH: Readonly<Record<1 | 2 | 3, string>> = {
  1: PATHS_UP_TO_1_HOP,
  2: PATHS_UP_TO_2_HOPS,
  3: PATHS_UP_TO_3_HOPS,
};

/** $ids: string[], one breadth-first frontier. The nodes one fact away, either direction. */
export const ADJACENT_IDS = `
UNWIND $ids AS id
MATCH (:Knowledge {id: id})-[:FACT]-(next:Knowledge)
RETURN DISTINCT next.id AS id`;

/** $ids: string[]. The facts whose both ends are among the nodes. */
export const FACTS_AMONG = `
UNWIND $ids AS id
MATCH (s:Knowledge {id: id})-[r:FACT]->(o:Knowledge)
WHERE o.id IN $ids
${FACT_RETURN}`;

export const STATS = `
MATCH (k:Knowledge)
WITH count(k) AS nodes
OPTIONAL MATCH ()-[r:FACT]->()
RETURN nodes, count(r) AS facts`;

/**
 * $kind, $leadId, $needle (the JSON text `"leadId":<id as JSON>`, as properties are stored).
 * The nodes that stand for one lead, with their facts (erasure).
 */
export const FORGET_LEAD = `
MATCH (k:Knowledge)
WHERE (k.kind = $kind AND k.name = $leadId) OR k.properties CONTAINS $needle
DETACH DELETE k
RETURN count(*) AS forgotten`;
