// Input checks and batch normalization shared by both semantic-memory backends,
// so that they accept and reject exactly the same things.
import type { JsonValue } from '../json.js';
import type { FactInput, Fact, KnowledgeNode, NodeInput } from './semantic-memory.js';
import { nodeId } from './vocabulary.js';
import { quotesPersonalData } from '../../domain/pii.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;
export const MAX_PATH_DEPTH = 3;
export const MAX_SUBGRAPH_DEPTH = 3;

export interface NormalizedNode {
  id: string;
  kind: string;
  name: string;
  properties: Record<string, JsonValue>;
  /** Whether the input named any properties (only then may upsertFacts change an existing node). */
  hasProperties: boolean;
}

export interface NormalizedFact {
  subjectId: string;
  predicate: string;
  objectId: string;
  weight: number;
  evidenceCount: number;
  provenance: string;
}

export interface NormalizedBatch {
  /** One per id, properties of repeated mentions merged in order. */
  nodes: NormalizedNode[];
  /** One per (subject, predicate, object): the last mention wins. */
  facts: NormalizedFact[];
}

export function normalizeNode(input: NodeInput): NormalizedNode {
  const kind = input.kind.trim();
  const name = input.name.trim();
  const properties = input.properties ?? {};
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw new TypeError(`Properties of knowledge node ${kind}:${name} must be an object`);
  }
  // The graph holds segments and what is known of them, never a person: a node named by an address or a
  // number (whose id would be made of it) or carrying one in its properties is refused on both backends.
  if (quotesPersonalData(name) || quotesPersonalData(JSON.stringify(properties))) {
    throw new RangeError(`Knowledge node ${kind} must not hold personal data (an email address or a phone number)`);
  }
  return { id: nodeId(kind, name), kind, name, properties: { ...properties }, hasProperties: Object.keys(properties).length > 0 };
}

export function normalizeBatch(inputs: readonly FactInput[]): NormalizedBatch {
  const nodes = new Map<string, NormalizedNode>();
  const facts = new Map<string, NormalizedFact>();
  const addNode = (input: NodeInput): string => {
    const node = normalizeNode(input);
    const seen = nodes.get(node.id);
    if (seen) {
      Object.assign(seen.properties, node.properties);
      seen.hasProperties ||= node.hasProperties;
    } else {
      nodes.set(node.id, node);
    }
    return node.id;
  };
  for (const input of inputs) {
    const predicate = input.predicate.trim();
    if (!predicate) throw new TypeError('A fact needs a predicate');
    if (!Number.isFinite(input.weight)) throw new RangeError(`A fact's weight must be a finite number, got ${input.weight}`);
    if (!Number.isSafeInteger(input.evidenceCount) || input.evidenceCount < 0) {
      throw new RangeError(`A fact's evidenceCount must be a non-negative integer, got ${input.evidenceCount}`);
    }
    if (typeof input.provenance !== 'string') throw new TypeError("A fact's provenance must be a string");
    const subjectId = addNode(input.subject);
    const objectId = addNode(input.object);
    facts.set(JSON.stringify([subjectId, predicate, objectId]), {
      subjectId,
      predicate,
      objectId,
      weight: input.weight,
      evidenceCount: input.evidenceCount,
      provenance: input.provenance,
    });
  }
  return { nodes: [...nodes.values()], facts: [...facts.values()] };
}

/** A positive integer up to MAX_LIMIT, or the default when absent. */
export function limitOf(limit: number | undefined, fallback = DEFAULT_LIMIT): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_LIMIT}, got ${limit}`);
  }
  return limit;
}

export function depthOf(depth: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(depth) || depth < min || depth > max) {
    throw new RangeError(`${what} must be an integer from ${min} to ${max}, got ${depth}`);
  }
  return depth;
}

export function minEvidenceOf(minEvidence: number | undefined): number {
  if (minEvidence === undefined) return 0;
  if (!Number.isSafeInteger(minEvidence) || minEvidence < 0) {
    throw new RangeError(`minEvidence must be a non-negative integer, got ${minEvidence}`);
  }
  return minEvidence;
}

/** Properties as stored: a JSON object (PostgreSQL jsonb) or its text (Neo4j). */
export function propertiesOf(value: unknown): Record<string, JsonValue> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, JsonValue>) : {};
}

/** Code-point order, as PostgreSQL's "C" collation and Neo4j compare strings. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of neighbours, factsByPredicate, topObjects and subgraph facts: weight, then evidence, then ids. */
export function compareFacts(a: Fact, b: Fact): number {
  return (
    b.weight - a.weight ||
    b.evidenceCount - a.evidenceCount ||
    compareText(a.subject.id, b.subject.id) ||
    compareText(a.predicate, b.predicate) ||
    compareText(a.object.id, b.object.id)
  );
}

/** The nodes of a walk along facts[0], facts[1], ... (each fact's object is the next one's subject). */
export function pathNodes(facts: readonly Fact[]): KnowledgeNode[] {
  const [first] = facts;
  return first ? [first.subject, ...facts.map((fact) => fact.object)] : [];
}
