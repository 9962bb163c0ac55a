// Semantic memory: the knowledge graph of typed, weighted facts, explored from a
// node (`knowledge`, `knowledgeNode`) and as it applies to a lead (`Lead.knowledge`).
import { z } from 'zod';
import type { Fact, KnowledgeGraph, KnowledgeNode, KnowledgePath } from '../memory/semantic/semantic-memory.js';
import { industryId, personaId, segmentId } from '../memory/semantic/vocabulary.js';
import { builder } from './builder.js';
import { pageSize } from './page-size.js';

/** The deepest traversal the graph answers: beyond three hops everything relates to everything. */
const MAX_DEPTH = 3;
const depth = (min: number) => z.number().int().min(min, `must be at least ${min}`).max(MAX_DEPTH, `must be at most ${MAX_DEPTH}`).nullish();

export const KnowledgeNodeRef = builder.objectRef<KnowledgeNode>('KnowledgeNode');
const FactRef = builder.objectRef<Fact>('Fact');

const DirectionEnum = builder.enumType('FactDirection', { values: ['OUT', 'IN', 'BOTH'] as const });

FactRef.implement({
  description: 'subject -predicate-> object, as strong as `weight`, backed by `evidenceCount` observations.',
  fields: (t) => ({
    subject: t.field({ type: KnowledgeNodeRef, resolve: (fact) => fact.subject }),
    predicate: t.exposeString('predicate'),
    object: t.field({ type: KnowledgeNodeRef, resolve: (fact) => fact.object }),
    weight: t.exposeFloat('weight', { description: 'By convention 0-1: a rate, a prevalence or an affinity.' }),
    evidenceCount: t.exposeInt('evidenceCount', { description: '0 for seed priors; observations behind learned weights.' }),
    provenance: t.exposeString('provenance', { description: 'seed or consolidation.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const KnowledgePathRef = builder.objectRef<KnowledgePath>('KnowledgePath').implement({
  fields: (t) => ({
    nodes: t.field({ type: [KnowledgeNodeRef], resolve: (path) => path.nodes }),
    facts: t.field({ type: [FactRef], resolve: (path) => path.facts, description: 'facts[i] joins nodes[i] and nodes[i+1].' }),
  }),
});

const KnowledgeGraphRef = builder.objectRef<KnowledgeGraph>('KnowledgeGraph').implement({
  fields: (t) => ({
    nodes: t.field({ type: [KnowledgeNodeRef], resolve: (graph) => graph.nodes }),
    facts: t.field({ type: [FactRef], resolve: (graph) => graph.facts }),
  }),
});

KnowledgeNodeRef.implement({
  description: 'A node of the knowledge graph: an industry, persona, channel, segment, pain point, regulation or message theme.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'kind:name in kebab case, e.g. industry:healthcare or segment:healthcare/decision-maker.' }),
    kind: t.exposeString('kind'),
    name: t.exposeString('name'),
    properties: t.expose('properties', { type: 'JSON' }),
    facts: t.field({
      type: [FactRef],
      description: 'Facts touching this node, highest weight first.',
      args: {
        direction: t.arg({ type: DirectionEnum, defaultValue: 'OUT' }),
        predicate: t.arg.string(),
        first: t.arg.int({ defaultValue: 20, validate: pageSize }),
      },
      resolve: (node, { direction, predicate, first }, { services }) =>
        services.memory.semantic.neighbours(node.id, {
          direction: (direction ?? 'OUT').toLowerCase() as 'out' | 'in' | 'both',
          ...(predicate ? { predicate } : {}),
          limit: first ?? 20,
        }),
    }),
    topObjects: t.field({
      type: [FactRef],
      description: 'What this node relates to by one predicate, highest weight first (e.g. the channels a segment responds on).',
      args: { predicate: t.arg.string({ required: true }), first: t.arg.int({ defaultValue: 5, validate: pageSize }) },
      resolve: (node, { predicate, first }, { services }) => services.memory.semantic.topObjects(node.id, predicate, first ?? 5),
    }),
    paths: t.field({
      type: [KnowledgePathRef],
      description: `Simple paths along outgoing facts, up to ${MAX_DEPTH} hops; to one node when \`to\` is given. Shortest first.`,
      args: {
        to: t.arg.id(),
        maxDepth: t.arg.int({ defaultValue: 2, validate: depth(1) }),
        first: t.arg.int({ defaultValue: 20, validate: pageSize }),
      },
      resolve: (node, { to, maxDepth, first }, { services }) =>
        services.memory.semantic.paths(node.id, { ...(to ? { toId: String(to) } : {}), maxDepth: maxDepth ?? 2, limit: first ?? 20 }),
    }),
  }),
});

builder.queryFields((t) => ({
  knowledge: t.field({
    type: KnowledgeGraphRef,
    description: `The knowledge graph within \`depth\` hops (0-${MAX_DEPTH}, either direction) of a node; empty when the node is unknown.`,
    authScopes: { read: true },
    args: {
      subject: t.arg.id({ required: true, description: 'A node id, e.g. industry:healthcare.' }),
      depth: t.arg.int({ defaultValue: 1, validate: depth(0) }),
    },
    resolve: (_root, { subject, depth: hops }, { services }) => services.memory.semantic.subgraph(String(subject), hops ?? 1),
  }),
  knowledgeNode: t.field({
    type: KnowledgeNodeRef,
    nullable: true,
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { services }) => services.memory.semantic.node(String(id)),
  }),
  knowledgeNodes: t.field({
    type: [KnowledgeNodeRef],
    description: 'Find nodes by kind and/or a case-insensitive part of the name.',
    authScopes: { read: true },
    args: { kind: t.arg.string(), nameContains: t.arg.string(), first: t.arg.int({ defaultValue: 20, validate: pageSize }) },
    resolve: (_root, { kind, nameContains, first }, { services }) =>
      services.memory.semantic.findNodes({ ...(kind ? { kind } : {}), ...(nameContains ? { nameContains } : {}), limit: first ?? 20 }),
  }),
  knowledgeFacts: t.field({
    type: [FactRef],
    description: 'Every fact with one predicate, highest weight first.',
    authScopes: { read: true },
    args: {
      predicate: t.arg.string({ required: true }),
      minEvidence: t.arg.int({ validate: z.number().int().min(0, 'must be 0 or more') }),
      first: t.arg.int({ defaultValue: 20, validate: pageSize }),
    },
    resolve: (_root, { predicate, minEvidence, first }, { services }) =>
      services.memory.semantic.factsByPredicate(predicate, { limit: first ?? 20, ...(minEvidence ? { minEvidence } : {}) }),
  }),
}));

builder.prismaObjectFields('Lead', (t) => ({
  knowledge: t.field({
    type: [FactRef],
    description: "What the knowledge graph says about this lead's industry, persona and segment (pain points, regulations, channels, themes).",
    args: { first: t.arg.int({ defaultValue: 20, validate: pageSize }) },
    select: { industry: true, persona: true },
    resolve: async (lead, { first }, { loaders }) => {
      const subjects = [industryId(lead.industry), ...(lead.persona ? [personaId(lead.persona), segmentId(lead.industry, lead.persona)] : [])];
      const limit = first ?? 20;
      const facts = await loaders.outgoingFacts.loadMany(subjects.map((nodeId) => ({ nodeId, limit })));
      return facts
        .flatMap((loaded) => {
          if (loaded instanceof Error) throw loaded;
          return loaded;
        })
        .sort((a, b) => b.weight - a.weight)
        .slice(0, limit);
    },
  }),
}));
