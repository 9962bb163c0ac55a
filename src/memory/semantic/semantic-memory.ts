// Semantic memory: what Baton knows about its market, as a knowledge graph of
// typed, weighted facts (subject -predicate-> object). The seed knowledge base
// (seed-knowledge.ts) gives reasoned priors; consolidation overwrites them with
// observed rates; agents read them (e.g. engagement's cold-start channel choice).
//
// Two implementations behind one interface, chosen once at start-up: Neo4j when
// NEO4J_URL is set, PostgreSQL tables ("SemanticNode", "SemanticEdge") otherwise.
// Both pass tests/memory/semantic-memory.contract.test.ts. The vocabulary
// (node kinds, predicates, node ids) is in vocabulary.ts; see README.md here.
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import type { JsonValue } from '../json.js';
import { Neo4jSemanticMemory } from './neo4j-semantic-memory.js';
import { PostgresSemanticMemory } from './postgres-semantic-memory.js';

export interface KnowledgeNode {
  /** Derived from kind and name: see nodeId in vocabulary.ts (e.g. `industry:technology`). */
  id: string;
  kind: string;
  name: string;
  properties: Record<string, JsonValue>;
}

/** subject -predicate-> object, with how strongly it holds and how much evidence backs it. */
export interface Fact {
  subject: KnowledgeNode;
  predicate: string;
  object: KnowledgeNode;
  weight: number;
  evidenceCount: number;
  provenance: string;
  updatedAt: Date;
}

export interface NodeInput {
  kind: string;
  name: string;
  /** Shallow-merged into an existing node's properties by upsertFacts; ignored for existing nodes by insertMissingFacts. */
  properties?: Record<string, JsonValue>;
}

export interface FactInput {
  subject: NodeInput;
  predicate: string;
  object: NodeInput;
  /** Any finite number; by convention 0..1 (a rate, a prevalence, an affinity): see vocabulary.ts. */
  weight: number;
  /** A non-negative integer: how many observations back the weight (0 for priors). */
  evidenceCount: number;
  /** Who wrote it: 'seed', 'consolidation', ... */
  provenance: string;
}

/** facts[i] joins nodes[i] and nodes[i+1]. */
export interface KnowledgePath {
  nodes: KnowledgeNode[];
  facts: Fact[];
}

export interface KnowledgeGraph {
  nodes: KnowledgeNode[];
  facts: Fact[];
}

export type SemanticBackend = 'neo4j' | 'postgres';

export interface SemanticMemoryStats {
  backend: SemanticBackend;
  nodes: number;
  facts: number;
}

export interface NodeQuery {
  /** Exact kind, e.g. 'Industry'. */
  kind?: string;
  /** Case-insensitive substring of the name. */
  nameContains?: string;
  /** Default 100. */
  limit?: number;
}

export interface NeighbourOptions {
  /** Default 'both'. */
  direction?: 'out' | 'in' | 'both';
  predicate?: string;
  /** Default 100. */
  limit?: number;
}

export interface PathOptions {
  toId?: string;
  /** 1..3; anything else is a RangeError. */
  maxDepth: number;
  /** Default 100. */
  limit?: number;
}

export interface SemanticMemory {
  readonly backend: SemanticBackend;
  /** Creates nodes as needed and sets each fact's weight, evidence count and provenance to the given values (absolute, so repeating a call changes nothing). Returns how many facts were created or changed. */
  upsertFacts(facts: readonly FactInput[]): Promise<number>;
  /** Inserts only facts (and nodes) that do not exist yet; never overwrites learned weights. Returns how many were inserted. Used by the seed loader. */
  insertMissingFacts(facts: readonly FactInput[]): Promise<number>;
  node(id: string): Promise<KnowledgeNode | null>;
  /** Ordered by id. */
  findNodes(query: NodeQuery): Promise<KnowledgeNode[]>;
  /** Facts touching the node: outgoing, incoming or both; optionally one predicate. Highest weight first. */
  neighbours(nodeId: string, options?: NeighbourOptions): Promise<Fact[]>;
  /** Simple paths (no repeated node) from a node, up to maxDepth (1..3) hops along outgoing facts; to a given node when `toId` is set. Shortest first, then by total weight. */
  paths(fromId: string, options: PathOptions): Promise<KnowledgePath[]>;
  /** Highest weight first. `minEvidence` defaults to 0; `limit` to 1000. */
  factsByPredicate(predicate: string, options?: { limit?: number; minEvidence?: number }): Promise<Fact[]>;
  /** The objects a subject relates to by a predicate, highest weight first. `limit` defaults to 10. */
  topObjects(subjectId: string, predicate: string, limit?: number): Promise<Fact[]>;
  /**
   * Everything within `depth` (0..3) hops of the node, either direction: for GraphQL `knowledge(subject, depth)`.
   * Node itself included; empty graph when absent. Nodes are the nearest first (then by id), at most `limit`
   * (default 200); facts are those met while walking at most `depth` hops between the returned nodes
   * (one end nearer than `depth`), highest weight first.
   */
  subgraph(nodeId: string, depth: number, options?: { limit?: number }): Promise<KnowledgeGraph>;
  /**
   * Erasure (src/privacy/erasure/): removes every node that stands for one person, with the facts
   * touching it: a node of kind `Lead` named by the lead id, or any node whose properties name it
   * (`leadId`). Aggregate knowledge (segments, channels, their weights) names no one and stays.
   * Returns how many nodes went.
   */
  forgetLead(leadId: string): Promise<number>;
  stats(): Promise<SemanticMemoryStats>;
  /** Releases what the memory opened itself (the Neo4j driver); the Prisma client belongs to the caller. */
  close(): Promise<void>;
}

export interface SemanticMemoryOptions {
  prisma: PrismaClient;
  /** Neo4j when set (bolt://, neo4j://, neo4j+s://...); PostgreSQL tables otherwise. */
  neo4jUrl?: string | undefined;
  neo4jUser?: string | undefined;
  neo4jPassword?: string | undefined;
  /** Neo4j database name; the server's default database when unset. */
  neo4jDatabase?: string | undefined;
}

/**
 * The semantic memory configured: Neo4j when `neo4jUrl` is set (connects,
 * checks connectivity and creates its constraint and index), the PostgreSQL
 * tables behind `prisma` otherwise.
 */
export async function createSemanticMemory(options: SemanticMemoryOptions): Promise<SemanticMemory> {
  if (options.neo4jUrl) {
    return Neo4jSemanticMemory.connect({
      url: options.neo4jUrl,
      user: options.neo4jUser,
      password: options.neo4jPassword,
      database: options.neo4jDatabase,
    });
  }
  return new PostgresSemanticMemory(options.prisma);
}
