// Semantic memory on Neo4j: (:Knowledge) nodes joined by [:FACT] relationships
// that carry the predicate as a property (see cypher.ts for why, and for every
// statement run here). Integers come back as JS numbers (disableLosslessIntegers:
// counts and evidence stay far below 2^53); integers sent where Cypher needs
// one (LIMIT, evidenceCount) are wrapped with neo4j.int, as a plain JS number
// travels as a float.
import neo4j, { type Driver, type EagerResult, type ManagedTransaction, type RecordShape } from 'neo4j-driver';
import {
  ADJACENT_IDS,
  CREATE_FACT_PREDICATE_INDEX,
  CREATE_NODE_ID_CONSTRAINT,
  CREATE_NODE_KIND_INDEX,
  FACTS_AMONG,
  FACTS_BY_PREDICATE,
  FIND_NODES,
  FORGET_LEAD,
  INSERT_MISSING_FACTS,
  INSERT_MISSING_NODES,
  NEIGHBOURS_BOTH,
  NEIGHBOURS_IN,
  NEIGHBOURS_OUT,
  NODE_BY_ID,
  NODES_BY_IDS,
  PATHS_BY_DEPTH,
  READ_NODE_PROPERTIES,
  STATS,
  TOP_OBJECTS,
  UPSERT_FACTS,
  UPSERT_NODES,
} from './cypher.js';
import {
  compareFacts,
  compareText,
  depthOf,
  limitOf,
  MAX_PATH_DEPTH,
  MAX_SUBGRAPH_DEPTH,
  minEvidenceOf,
  normalizeBatch,
  type NormalizedBatch,
  propertiesOf,
} from './normalize.js';
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

export interface Neo4jConnectionOptions {
  url: string;
  user?: string | undefined;
  password?: string | undefined;
  /** The server's default database when unset. */
  database?: string | undefined;
}

/** Facts per UNWIND: large imports go in slices, all in one transaction. */
const BATCH_SIZE = 2_000;

interface NodeMap {
  id: string;
  kind: string;
  name: string;
  properties: string | null;
}

interface FactRecord {
  subject: NodeMap;
  predicate: string;
  object: NodeMap;
  weight: number;
  evidenceCount: number;
  provenance: string;
  updatedAt: number;
}

interface PathRecord {
  nodes: NodeMap[];
  facts: { predicate: string; weight: number; evidenceCount: number; provenance: string; updatedAt: number }[];
}

export class Neo4jSemanticMemory implements SemanticMemory {
  readonly backend = 'neo4j' as const;

  private constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
  ) {}

  /** Connects, checks the server answers, and creates the constraint and indexes if missing. */
  static async connect(options: Neo4jConnectionOptions): Promise<Neo4jSemanticMemory> {
    const auth = options.user ? neo4j.auth.basic(options.user, options.password ?? '') : undefined;
    const driver = neo4j.driver(options.url, auth, { disableLosslessIntegers: true });
    try {
      await driver.verifyConnectivity({ database: options.database });
      const memory = new Neo4jSemanticMemory(driver, options.database);
      for (const statement of [CREATE_NODE_ID_CONSTRAINT, CREATE_NODE_KIND_INDEX, CREATE_FACT_PREDICATE_INDEX]) {
        await driver.executeQuery(statement, {}, { database: options.database });
      }
      return memory;
    } catch (error) {
      await driver.close();
      throw error;
    }
  }

  async upsertFacts(facts: readonly FactInput[]): Promise<number> {
    const batch = normalizeBatch(facts);
    if (batch.facts.length === 0) return 0;
    return this.write(async (tx) => {
      // Shallow-merge named properties into the stored ones here: Cypher cannot merge JSON strings.
      const named = batch.nodes.filter((node) => node.hasProperties);
      const stored = new Map<string, string | null>();
      for (const ids of slices(named.map((node) => node.id))) {
        const result = await tx.run<{ id: string; properties: string | null }>(READ_NODE_PROPERTIES, { ids });
        for (const record of result.records) stored.set(record.get('id'), record.get('properties'));
      }
      const nodes = batch.nodes.map((node) => {
        const before = stored.get(node.id);
        const properties = before === undefined ? node.properties : { ...propertiesOf(before), ...node.properties };
        return { id: node.id, kind: node.kind, name: node.name, properties: JSON.stringify(properties) };
      });
      for (const slice of slices(nodes)) await tx.run(UPSERT_NODES, { nodes: slice });
      return this.writeFacts(tx, UPSERT_FACTS, 'changed', batch);
    });
  }

  async insertMissingFacts(facts: readonly FactInput[]): Promise<number> {
    const batch = normalizeBatch(facts);
    if (batch.facts.length === 0) return 0;
    return this.write(async (tx) => {
      const nodes = batch.nodes.map(({ id, kind, name, properties }) => ({ id, kind, name, properties: JSON.stringify(properties) }));
      for (const slice of slices(nodes)) await tx.run(INSERT_MISSING_NODES, { nodes: slice });
      return this.writeFacts(tx, INSERT_MISSING_FACTS, 'inserted', batch);
    });
  }

  async node(id: string): Promise<KnowledgeNode | null> {
    const [record] = await this.read<{ node: NodeMap }>(NODE_BY_ID, { id });
    return record ? toNode(record.node) : null;
  }

  async findNodes(query: NodeQuery): Promise<KnowledgeNode[]> {
    const records = await this.read<{ node: NodeMap }>(FIND_NODES, {
      kind: query.kind ?? null,
      nameContains: query.nameContains ?? null,
      limit: neo4j.int(limitOf(query.limit)),
    });
    return records.map((record) => toNode(record.node));
  }

  async neighbours(nodeId: string, options: NeighbourOptions = {}): Promise<Fact[]> {
    const limit = limitOf(options.limit);
    const direction = options.direction ?? 'both';
    const statement = direction === 'out' ? NEIGHBOURS_OUT : direction === 'in' ? NEIGHBOURS_IN : NEIGHBOURS_BOTH;
    const records = await this.read<FactRecord>(statement, { id: nodeId, predicate: options.predicate ?? null, limit: neo4j.int(limit) });
    return records.map(toFact);
  }

  async paths(fromId: string, options: PathOptions): Promise<KnowledgePath[]> {
    const maxDepth = depthOf(options.maxDepth, 1, MAX_PATH_DEPTH, 'maxDepth') as 1 | 2 | 3;
    const limit = limitOf(options.limit);
    const records = await this.read<PathRecord>(PATHS_BY_DEPTH[maxDepth], {
      fromId,
      toId: options.toId ?? null,
      limit: neo4j.int(limit),
    });
    return records.map(({ nodes, facts }) => {
      const path = nodes.map(toNode);
      return {
        nodes: path,
        facts: facts.map((fact, index) => ({
          subject: path[index] as KnowledgeNode,
          predicate: fact.predicate,
          object: path[index + 1] as KnowledgeNode,
          weight: fact.weight,
          evidenceCount: fact.evidenceCount,
          provenance: fact.provenance,
          updatedAt: new Date(fact.updatedAt),
        })),
      };
    });
  }

  async factsByPredicate(predicate: string, options: { limit?: number; minEvidence?: number } = {}): Promise<Fact[]> {
    const records = await this.read<FactRecord>(FACTS_BY_PREDICATE, {
      predicate,
      minEvidence: neo4j.int(minEvidenceOf(options.minEvidence)),
      limit: neo4j.int(limitOf(options.limit, 1000)),
    });
    return records.map(toFact);
  }

  async topObjects(subjectId: string, predicate: string, limit?: number): Promise<Fact[]> {
    const records = await this.read<FactRecord>(TOP_OBJECTS, { id: subjectId, predicate, limit: neo4j.int(limitOf(limit, 10)) });
    return records.map(toFact);
  }

  async subgraph(nodeId: string, depth: number, options: { limit?: number } = {}): Promise<KnowledgeGraph> {
    const maxDepth = depthOf(depth, 0, MAX_SUBGRAPH_DEPTH, 'depth');
    const limit = limitOf(options.limit, 200);
    const center = await this.node(nodeId);
    if (!center) return { nodes: [], facts: [] };
    // Breadth-first, one round trip per hop, each node visited once.
    const distance = new Map<string, number>([[nodeId, 0]]);
    let frontier = [nodeId];
    for (let hop = 1; hop <= maxDepth && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const ids of slices(frontier)) {
        for (const { id } of await this.read<{ id: string }>(ADJACENT_IDS, { ids })) {
          if (!distance.has(id)) {
            distance.set(id, hop);
            next.push(id);
          }
        }
      }
      frontier = next;
    }
    const kept = [...distance.entries()]
      .sort(([a, da], [b, db]) => da - db || compareText(a, b))
      .slice(0, limit)
      .map(([id]) => id);
    const byId = new Map<string, KnowledgeNode>([[center.id, center]]);
    for (const ids of slices(kept.filter((id) => id !== center.id))) {
      for (const record of await this.read<{ node: NodeMap }>(NODES_BY_IDS, { ids })) byId.set(record.node.id, toNode(record.node));
    }
    const nodes = kept.flatMap((id) => byId.get(id) ?? []);
    const facts =
      maxDepth === 0
        ? []
        : (await this.read<FactRecord>(FACTS_AMONG, { ids: nodes.map((node) => node.id) }))
            .map(toFact)
            .filter((fact) => Math.min(distance.get(fact.subject.id) ?? Infinity, distance.get(fact.object.id) ?? Infinity) < maxDepth)
            .sort(compareFacts);
    return { nodes, facts };
  }

  async forgetLead(leadId: string): Promise<number> {
    const needle = `"leadId":${JSON.stringify(leadId)}`;
    return this.write(async (tx) => {
      const result = await tx.run(FORGET_LEAD, { kind: LEAD_KIND, leadId, needle });
      return Number(result.records[0]?.get('forgotten') ?? 0);
    });
  }

  async stats(): Promise<SemanticMemoryStats> {
    const [record] = await this.read<{ nodes: number; facts: number }>(STATS, {});
    return { backend: this.backend, nodes: record?.nodes ?? 0, facts: record?.facts ?? 0 };
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async read<Row extends RecordShape>(statement: string, parameters: Record<string, unknown>): Promise<Row[]> {
    const result = await this.driver.executeQuery<EagerResult<Row>>(statement, parameters, {
      database: this.database,
      routing: neo4j.routing.READ,
    });
    return result.records.map((record) => record.toObject());
  }

  private async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(work);
    } finally {
      await session.close();
    }
  }

  private async writeFacts(tx: ManagedTransaction, statement: string, counter: string, batch: NormalizedBatch): Promise<number> {
    const now = new Date().toISOString();
    let total = 0;
    for (const slice of slices(batch.facts)) {
      const facts = slice.map((fact) => ({ ...fact, evidenceCount: neo4j.int(fact.evidenceCount) }));
      const result = await tx.run(statement, { facts, now });
      total += Number(result.records[0]?.get(counter) ?? 0);
    }
    return total;
  }
}

function* slices<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += BATCH_SIZE) yield items.slice(start, start + BATCH_SIZE);
}

function toNode(node: NodeMap): KnowledgeNode {
  return { id: node.id, kind: node.kind, name: node.name, properties: propertiesOf(node.properties ?? '{}') };
}

function toFact(record: FactRecord): Fact {
  return {
    subject: toNode(record.subject),
    predicate: record.predicate,
    object: toNode(record.object),
    weight: record.weight,
    evidenceCount: record.evidenceCount,
    provenance: record.provenance,
    updatedAt: new Date(record.updatedAt),
  };
}
