// One contract, every semantic-memory backend available: PostgreSQL always (PGlite,
// or real PostgreSQL when DATABASE_URL is set), Neo4j when NEO4J_URL is set.
// The Neo4j suite deletes every :Knowledge node before each test: point
// NEO4J_URL (with NEO4J_USER / NEO4J_PASSWORD) at a throw-away server.
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { type Database, databaseTarget, openDatabase } from '../../../src/db/database.js';
import { Neo4jSemanticMemory } from '../../../src/memory/semantic/neo4j-semantic-memory.js';
import { seedKnowledgeBase } from '../../../src/memory/semantic/seed.js';
import { CHANNELS, INDUSTRIES, PERSONAS, seedFacts } from '../../../src/memory/semantic/seed-knowledge.js';
import {
  createSemanticMemory,
  type Fact,
  type FactInput,
  type KnowledgePath,
  type NodeInput,
  type SemanticMemory,
} from '../../../src/memory/semantic/semantic-memory.js';
import {
  channelId,
  channelNode,
  channelOf,
  companySizeNode,
  HAS_PERSONA,
  IN_INDUSTRY,
  idOf,
  industryId,
  industryNode,
  LEAD_KIND,
  nodeId,
  personaId,
  personaNode,
  PREDICATES,
  PROVENANCE,
  RESPONDS_ON,
  segmentId,
  segmentNode,
  SUBJECT_TO,
} from '../../../src/memory/semantic/vocabulary.js';
import { untilClockPasses } from '../../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

// ---------------------------------------------------------------- fixture
//
//   alpha -LINKS .9-> beta -LINKS .8-> delta -LINKS .2-> epsilon
//   alpha -LINKS .5-> gamma -LINKS .7-> delta -LINKS .6-> alpha   (a cycle)
//   beta  -NEAR  .4-> gamma
const thing = (name: string, properties?: NodeInput['properties']): NodeInput => (properties ? { kind: 'Thing', name, properties } : { kind: 'Thing', name });
const [A, B, C, D, E] = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon'].map((name) => nodeId('Thing', name)) as [string, string, string, string, string];
const fact = (subject: string, predicate: string, object: string, weight: number, evidenceCount = 0, provenance = 'test'): FactInput => ({
  subject: thing(subject),
  predicate,
  object: thing(object),
  weight,
  evidenceCount,
  provenance,
});
const FIXTURE: FactInput[] = [
  fact('Alpha', 'LINKS', 'Beta', 0.9, 10),
  fact('Alpha', 'LINKS', 'Gamma', 0.5, 5),
  fact('Beta', 'LINKS', 'Delta', 0.8, 3),
  fact('Gamma', 'LINKS', 'Delta', 0.7, 2),
  fact('Delta', 'LINKS', 'Alpha', 0.6, 1),
  fact('Beta', 'NEAR', 'Gamma', 0.4),
  fact('Delta', 'LINKS', 'Epsilon', 0.2),
];

const triple = (f: Fact): string => `${f.subject.id} ${f.predicate} ${f.object.id}`;
const route = (path: KnowledgePath): string => path.nodes.map((node) => node.id.slice('thing:'.length)).join('>');

// ---------------------------------------------------------------- the contract

interface Backend {
  memory: SemanticMemory;
  reset(): Promise<void>;
  close(): Promise<void>;
}

function semanticMemoryContract(open: () => Promise<Backend>, expectedBackend: 'postgres' | 'neo4j') {
  let backend: Backend;
  let memory: SemanticMemory;

  beforeAll(async () => {
    backend = await open();
    memory = backend.memory;
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(async () => {
    await backend.reset();
  });

  it('reports its backend and counts nodes and facts', async () => {
    expect(memory.backend).toBe(expectedBackend);
    expect(await memory.stats()).toEqual({ backend: expectedBackend, nodes: 0, facts: 0 });
    expect(await memory.upsertFacts(FIXTURE)).toBe(7);
    expect(await memory.stats()).toEqual({ backend: expectedBackend, nodes: 5, facts: 7 });
  });

  describe('upsertFacts', () => {
    it('is idempotent: a second identical call changes nothing and returns 0', async () => {
      expect(await memory.upsertFacts(FIXTURE)).toBe(7);
      const before = await memory.factsByPredicate('LINKS');
      expect(await memory.upsertFacts(FIXTURE)).toBe(0);
      expect(await memory.factsByPredicate('LINKS')).toEqual(before);
      expect(await memory.stats()).toMatchObject({ nodes: 5, facts: 7 });
      expect(await memory.upsertFacts([])).toBe(0);
    });

    it('sets weight, evidence and provenance to the given values (absolute, not added)', async () => {
      await memory.upsertFacts(FIXTURE);
      const [before] = await memory.topObjects(A, 'LINKS', 1);
      await untilClockPasses(before!.updatedAt);
      expect(await memory.upsertFacts([fact('Alpha', 'LINKS', 'Beta', 0.25, 12, 'consolidation')])).toBe(1);
      const [after] = await memory.neighbours(A, { direction: 'out', predicate: 'LINKS', limit: 1 });
      expect(after).toMatchObject({ object: { id: C }, weight: 0.5 });
      const [updated] = (await memory.neighbours(B, { direction: 'in' })).filter((f) => f.subject.id === A);
      expect(updated).toMatchObject({ weight: 0.25, evidenceCount: 12, provenance: 'consolidation' });
      expect(updated!.updatedAt.getTime()).toBeGreaterThan(before!.updatedAt.getTime());
      // Only the provenance changes: still a change.
      expect(await memory.upsertFacts([fact('Alpha', 'LINKS', 'Beta', 0.25, 12, 'manual')])).toBe(1);
      expect(await memory.upsertFacts([fact('Alpha', 'LINKS', 'Beta', 0.25, 12, 'manual')])).toBe(0);
    });

    it('writes one fact per (subject, predicate, object) in a batch: the last mention wins', async () => {
      expect(await memory.upsertFacts([fact('Alpha', 'LINKS', 'Beta', 0.1), fact('Alpha', 'LINKS', 'Beta', 0.3)])).toBe(1);
      expect(await memory.topObjects(A, 'LINKS')).toMatchObject([{ weight: 0.3 }]);
    });

    it('creates nodes with derived ids and shallow-merges named properties into existing ones', async () => {
      await memory.upsertFacts([{ ...fact('Alpha', 'LINKS', 'Beta', 1), subject: thing('Alpha', { colour: 'red', tags: ['x'] }) }]);
      expect(await memory.node(A)).toEqual({ id: 'thing:alpha', kind: 'Thing', name: 'Alpha', properties: { colour: 'red', tags: ['x'] } });
      expect(await memory.upsertFacts([{ ...fact('Alpha', 'LINKS', 'Beta', 1), subject: thing('Alpha', { size: 2, colour: 'blue' }) }])).toBe(0);
      expect((await memory.node(A))?.properties).toEqual({ colour: 'blue', tags: ['x'], size: 2 });
      expect((await memory.node(B))?.properties).toEqual({});
    });

    it('rejects facts it cannot store faithfully', async () => {
      await expect(memory.upsertFacts([fact('Alpha', 'LINKS', 'Beta', Number.NaN)])).rejects.toThrow(RangeError);
      await expect(memory.upsertFacts([fact('Alpha', 'LINKS', 'Beta', 1, -1)])).rejects.toThrow(RangeError);
      await expect(memory.upsertFacts([fact('Alpha', 'LINKS', 'Beta', 1, 1.5)])).rejects.toThrow(RangeError);
      await expect(memory.upsertFacts([fact('Alpha', ' ', 'Beta', 1)])).rejects.toThrow(TypeError);
      await expect(memory.upsertFacts([fact('---', 'LINKS', 'Beta', 1)])).rejects.toThrow(TypeError);
      // The graph never holds a person: no node named by an address or a number, none carrying one.
      await expect(memory.upsertFacts([fact('jane.doe@acme.example', 'LINKS', 'Beta', 1)])).rejects.toThrow(RangeError);
      await expect(memory.upsertFacts([fact('Alpha', 'LINKS', '+44 20 7946 0958', 1)])).rejects.toThrow(RangeError);
      await expect(
        memory.upsertFacts([{ ...fact('Alpha', 'LINKS', 'Beta', 1), subject: thing('Alpha', { contact: 'jane.doe@acme.example' }) }]),
      ).rejects.toThrow(RangeError);
      await expect(memory.insertMissingFacts([fact('jane.doe@acme.example', 'LINKS', 'Beta', 1)])).rejects.toThrow(RangeError);
      expect(await memory.stats()).toMatchObject({ nodes: 0, facts: 0 });
    });
  });

  describe('insertMissingFacts', () => {
    it('inserts only what is missing and never overwrites weights or node properties', async () => {
      await memory.upsertFacts([{ ...fact('Alpha', 'LINKS', 'Beta', 0.9, 10), subject: thing('Alpha', { learned: true }) }]);
      const inserted = await memory.insertMissingFacts([
        { ...fact('Alpha', 'LINKS', 'Beta', 0.1, 0, 'seed'), subject: thing('Alpha', { learned: false, extra: 1 }) },
        fact('Alpha', 'LINKS', 'Zeta', 0.3, 0, 'seed'),
      ]);
      expect(inserted).toBe(1);
      expect(await memory.topObjects(A, 'LINKS')).toMatchObject([
        { object: { id: B }, weight: 0.9, evidenceCount: 10, provenance: 'test' },
        { object: { id: 'thing:zeta' }, weight: 0.3, evidenceCount: 0, provenance: 'seed' },
      ]);
      expect((await memory.node(A))?.properties).toEqual({ learned: true });
      expect(await memory.insertMissingFacts([fact('Alpha', 'LINKS', 'Zeta', 0.3, 0, 'seed')])).toBe(0);
      expect(await memory.insertMissingFacts([])).toBe(0);
    });
  });

  describe('reads', () => {
    beforeEach(async () => {
      await memory.upsertFacts(FIXTURE);
    });

    it('node: by id, null when unknown', async () => {
      expect(await memory.node(D)).toEqual({ id: D, kind: 'Thing', name: 'Delta', properties: {} });
      expect(await memory.node('thing:nobody')).toBeNull();
    });

    it('findNodes: by kind, by case-insensitive name fragment, ordered by id, limited', async () => {
      expect((await memory.findNodes({ kind: 'Thing' })).map((node) => node.id)).toEqual([A, B, D, E, C]);
      expect((await memory.findNodes({ nameContains: 'TA' })).map((node) => node.name)).toEqual(['Beta', 'Delta']);
      expect(await memory.findNodes({ kind: 'Thing', limit: 2 })).toHaveLength(2);
      expect(await memory.findNodes({ kind: 'Nothing' })).toEqual([]);
      await expect(memory.findNodes({ limit: 0 })).rejects.toThrow(RangeError);
    });

    it('neighbours: out, in or both, one predicate, highest weight first, limited', async () => {
      expect((await memory.neighbours(D, { direction: 'out' })).map(triple)).toEqual([`${D} LINKS ${A}`, `${D} LINKS ${E}`]);
      expect((await memory.neighbours(D, { direction: 'in' })).map(triple)).toEqual([`${B} LINKS ${D}`, `${C} LINKS ${D}`]);
      expect((await memory.neighbours(D)).map((f) => f.weight)).toEqual([0.8, 0.7, 0.6, 0.2]);
      expect((await memory.neighbours(B, { predicate: 'NEAR' })).map(triple)).toEqual([`${B} NEAR ${C}`]);
      expect((await memory.neighbours(C, { direction: 'both', predicate: 'LINKS' })).map(triple)).toEqual([`${C} LINKS ${D}`, `${A} LINKS ${C}`]);
      expect(await memory.neighbours(D, { limit: 1 })).toHaveLength(1);
      const [first] = await memory.neighbours(A, { direction: 'out' });
      expect(first).toMatchObject({
        subject: { id: A, kind: 'Thing', name: 'Alpha', properties: {} },
        predicate: 'LINKS',
        object: { id: B, kind: 'Thing', name: 'Beta', properties: {} },
        weight: 0.9,
        evidenceCount: 10,
        provenance: 'test',
      });
      expect(first?.updatedAt).toBeInstanceOf(Date);
      expect(Math.abs(Date.now() - first!.updatedAt.getTime())).toBeLessThan(60_000);
    });

    it('paths: simple paths along outgoing facts up to maxDepth, shortest first, then heaviest', async () => {
      expect((await memory.paths(A, { maxDepth: 1 })).map(route)).toEqual(['alpha>beta', 'alpha>gamma']);
      expect((await memory.paths(A, { maxDepth: 2 })).map(route)).toEqual([
        'alpha>beta',
        'alpha>gamma',
        'alpha>beta>delta',
        'alpha>beta>gamma',
        'alpha>gamma>delta',
      ]);
      const three = await memory.paths(A, { maxDepth: 3 });
      expect(three.map(route)).toEqual([
        'alpha>beta',
        'alpha>gamma',
        'alpha>beta>delta',
        'alpha>beta>gamma',
        'alpha>gamma>delta',
        'alpha>beta>gamma>delta',
        'alpha>beta>delta>epsilon',
        'alpha>gamma>delta>epsilon',
      ]);
      for (const path of three) {
        // No cycles (delta -> alpha exists), and facts[i] joins nodes[i] and nodes[i+1].
        expect(new Set(path.nodes.map((node) => node.id)).size).toBe(path.nodes.length);
        expect(path.facts).toHaveLength(path.nodes.length - 1);
        path.facts.forEach((f, i) => {
          expect(f.subject).toEqual(path.nodes[i]);
          expect(f.object).toEqual(path.nodes[i + 1]);
        });
      }
      const [longest] = three.slice(-3);
      expect(longest?.facts.map((f) => [f.predicate, f.weight])).toEqual([
        ['LINKS', 0.9],
        ['NEAR', 0.4],
        ['LINKS', 0.7],
      ]);
      expect(await memory.paths(A, { maxDepth: 3, limit: 3 })).toHaveLength(3);
    });

    it('paths: to a target, never back to the start, nothing from a sink or an unknown node', async () => {
      expect((await memory.paths(A, { toId: D, maxDepth: 3 })).map(route)).toEqual(['alpha>beta>delta', 'alpha>gamma>delta', 'alpha>beta>gamma>delta']);
      expect((await memory.paths(A, { toId: D, maxDepth: 1 })).map(route)).toEqual([]);
      expect(await memory.paths(A, { toId: A, maxDepth: 3 })).toEqual([]);
      expect(await memory.paths(E, { maxDepth: 3 })).toEqual([]);
      expect(await memory.paths('thing:nobody', { maxDepth: 2 })).toEqual([]);
      expect((await memory.paths(D, { toId: C, maxDepth: 3 })).map(route)).toEqual(['delta>alpha>gamma', 'delta>alpha>beta>gamma']);
    });

    it('paths: maxDepth outside 1..3 is a RangeError', async () => {
      await expect(memory.paths(A, { maxDepth: 4 })).rejects.toThrow(RangeError);
      await expect(memory.paths(A, { maxDepth: 0 })).rejects.toThrow(RangeError);
      await expect(memory.paths(A, { maxDepth: 1.5 })).rejects.toThrow(RangeError);
    });

    it('factsByPredicate: highest weight first, by minimum evidence, limited', async () => {
      expect((await memory.factsByPredicate('LINKS')).map((f) => f.weight)).toEqual([0.9, 0.8, 0.7, 0.6, 0.5, 0.2]);
      expect((await memory.factsByPredicate('LINKS', { minEvidence: 3 })).map(triple)).toEqual([`${A} LINKS ${B}`, `${B} LINKS ${D}`, `${A} LINKS ${C}`]);
      expect(await memory.factsByPredicate('LINKS', { limit: 2 })).toHaveLength(2);
      expect(await memory.factsByPredicate('NOTHING')).toEqual([]);
    });

    it('topObjects: what a subject relates to by a predicate, highest weight first', async () => {
      expect((await memory.topObjects(A, 'LINKS')).map((f) => [f.object.id, f.weight])).toEqual([
        [B, 0.9],
        [C, 0.5],
      ]);
      expect((await memory.topObjects(A, 'LINKS', 1)).map((f) => f.object.id)).toEqual([B]);
      expect(await memory.topObjects(A, 'NEAR')).toEqual([]);
      expect(await memory.topObjects('thing:nobody', 'LINKS')).toEqual([]);
    });

    it('subgraph: the node and everything within depth hops, either direction', async () => {
      expect(await memory.subgraph(A, 0)).toEqual({ nodes: [await memory.node(A)], facts: [] });
      const one = await memory.subgraph(A, 1);
      expect(one.nodes.map((node) => node.id)).toEqual([A, B, D, C]);
      expect(one.facts.map(triple)).toEqual([`${A} LINKS ${B}`, `${D} LINKS ${A}`, `${A} LINKS ${C}`]);
      const two = await memory.subgraph(A, 2);
      expect(two.nodes.map((node) => node.id)).toEqual([A, B, D, C, E]);
      expect(two.facts.map((f) => f.weight)).toEqual([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.2]);
      expect((await memory.subgraph(E, 1)).facts.map(triple)).toEqual([`${D} LINKS ${E}`]);
      const limited = await memory.subgraph(A, 2, { limit: 2 });
      expect(limited.nodes.map((node) => node.id)).toEqual([A, B]);
      expect(limited.facts.map(triple)).toEqual([`${A} LINKS ${B}`]);
      expect(await memory.subgraph('thing:nobody', 2)).toEqual({ nodes: [], facts: [] });
    });

    it('subgraph: depth outside 0..3 is a RangeError', async () => {
      await expect(memory.subgraph(A, 4)).rejects.toThrow(RangeError);
      await expect(memory.subgraph(A, -1)).rejects.toThrow(RangeError);
    });

    it('unknown ids read as empty everywhere', async () => {
      const nobody = 'thing:nobody';
      expect(await memory.node(nobody)).toBeNull();
      expect(await memory.neighbours(nobody)).toEqual([]);
      expect(await memory.neighbours(nobody, { direction: 'out' })).toEqual([]);
      expect(await memory.neighbours(nobody, { direction: 'in' })).toEqual([]);
      expect(await memory.paths(nobody, { maxDepth: 3, toId: A })).toEqual([]);
      expect(await memory.topObjects(nobody, RESPONDS_ON)).toEqual([]);
      expect(await memory.subgraph(nobody, 3)).toEqual({ nodes: [], facts: [] });
    });
  });

  describe('forgetLead (erasure)', () => {
    it('removes the nodes that stand for a lead, with their facts, and nothing else', async () => {
      await memory.upsertFacts(FIXTURE);
      const person = (name: string, properties?: NodeInput['properties']): NodeInput => ({ kind: LEAD_KIND, name, ...(properties ? { properties } : {}) });
      await memory.upsertFacts([
        { subject: person('lead-7'), predicate: 'LINKS', object: thing('Alpha'), weight: 1, evidenceCount: 1, provenance: 'test' },
        { subject: thing('Mentions lead-7', { leadId: 'lead-7' }), predicate: 'LINKS', object: thing('Beta'), weight: 1, evidenceCount: 1, provenance: 'test' },
        { subject: person('lead-8'), predicate: 'LINKS', object: thing('Alpha'), weight: 1, evidenceCount: 1, provenance: 'test' },
        // Another lead's node whose name merely contains the id stays.
        { subject: thing('lead-7', { leadId: 'lead-70' }), predicate: 'LINKS', object: thing('Beta'), weight: 1, evidenceCount: 1, provenance: 'test' },
      ]);
      expect(await memory.stats()).toEqual({ backend: expectedBackend, nodes: 9, facts: 11 });
      expect(await memory.forgetLead('lead-7')).toBe(2);
      expect(await memory.stats()).toEqual({ backend: expectedBackend, nodes: 7, facts: 9 });
      expect(await memory.node(nodeId(LEAD_KIND, 'lead-7'))).toBeNull();
      expect(await memory.node(nodeId(LEAD_KIND, 'lead-8'))).not.toBeNull();
      expect(await memory.forgetLead('lead-7')).toBe(0);
    });
  });

  describe('seed knowledge base', () => {
    it('loads once, idempotently, and never overwrites learned weights', async () => {
      const expected = seedFacts().length;
      expect(await seedKnowledgeBase(memory)).toBe(expected);
      expect(await seedKnowledgeBase(memory)).toBe(0);
      const loaded = await memory.stats();
      expect(loaded.facts).toBe(expected);

      // Consolidation learns a segment's email response rate; the next start's seed leaves it alone.
      const segment = segmentNode('HEALTHCARE', 'DECISION_MAKER');
      const learned = {
        subject: segment,
        predicate: RESPONDS_ON,
        object: channelNode('EMAIL'),
        weight: 0.21,
        evidenceCount: 40,
        provenance: PROVENANCE.CONSOLIDATION,
      };
      expect(await memory.upsertFacts([learned])).toBe(1);
      expect(await seedKnowledgeBase(memory)).toBe(0);
      const channels = await memory.topObjects(segmentId('HEALTHCARE', 'DECISION_MAKER'), RESPONDS_ON);
      expect(channels).toHaveLength(4);
      expect(channels[0]).toMatchObject({ object: { id: channelId('EMAIL') }, weight: 0.21, evidenceCount: 40, provenance: 'consolidation' });
      expect(channels.map((f) => channelOf(f.object)).sort()).toEqual([...CHANNELS].sort());
      expect(await memory.stats()).toEqual(loaded);
    });

    it('links every industry × persona segment to its industry and persona, with channel priors', async () => {
      await seedKnowledgeBase(memory);
      for (const industry of INDUSTRIES) {
        for (const persona of PERSONAS) {
          const id = segmentId(industry, persona);
          const out = await memory.neighbours(id, { direction: 'out' });
          expect(out.filter((f) => f.predicate === IN_INDUSTRY).map((f) => f.object.id)).toEqual([industryId(industry)]);
          expect(out.filter((f) => f.predicate === HAS_PERSONA).map((f) => f.object.id)).toEqual([personaId(persona)]);
          const channels = await memory.topObjects(id, RESPONDS_ON);
          expect(channels).toHaveLength(4);
          for (const f of channels) expect(f).toMatchObject({ evidenceCount: 0, provenance: 'seed' });
          expect(channels.every((f) => f.weight > 0 && f.weight < 1)).toBe(true);
        }
      }
      // Healthcare is subject to HIPAA; a healthcare segment reaches it in two hops.
      expect((await memory.topObjects(industryId('HEALTHCARE'), SUBJECT_TO)).map((f) => f.object.name)).toContain('HIPAA');
      const toHipaa = await memory.paths(segmentId('HEALTHCARE', 'END_USER'), { toId: 'regulation:hipaa', maxDepth: 2 });
      expect(toHipaa.map((path) => path.nodes.map((node) => node.id))).toEqual([['segment:healthcare/end-user', 'industry:healthcare', 'regulation:hipaa']]);
      expect((await memory.findNodes({ kind: 'Regulation', nameContains: 'pci' })).map((node) => node.id)).toEqual(['regulation:pci-dss']);
      const knowledge = await memory.subgraph(industryId('FINANCE'), 1);
      expect(knowledge.nodes.map((node) => node.id)).toEqual(expect.arrayContaining(['regulation:sox', 'regulation:glba', 'segment:finance/influencer']));
    });
  });

  it('answers in well under 150 ms at a few thousand facts', async () => {
    await seedKnowledgeBase(memory);
    // A deterministic random graph of 300 nodes, 10 facts out of each (3,000 facts), plus the seed.
    let state = 42;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const names = Array.from({ length: 300 }, (_, i) => `N${i}`);
    const facts: FactInput[] = [];
    for (const [i, name] of names.entries()) {
      for (let k = 1; k <= 10; k++) {
        facts.push(fact(name, k % 2 ? 'LINKS' : 'NEAR', names[(i + Math.floor(random() * 299) + 1) % 300]!, Math.round(random() * 1000) / 1000, k));
      }
    }
    const written = await memory.upsertFacts(facts);
    expect(written).toBeGreaterThan(2_900);
    const start = nodeId('Thing', 'N7');
    const queries: [string, () => Promise<unknown>][] = [
      ['node', () => memory.node(start)],
      ['neighbours', () => memory.neighbours(start)],
      ['paths depth 3', () => memory.paths(start, { maxDepth: 3 })],
      ['paths to target', () => memory.paths(start, { maxDepth: 3, toId: nodeId('Thing', 'N123') })],
      ['factsByPredicate', () => memory.factsByPredicate('LINKS', { limit: 100, minEvidence: 5 })],
      ['topObjects', () => memory.topObjects(segmentId('TECHNOLOGY', 'INFLUENCER'), RESPONDS_ON)],
      ['subgraph depth 2', () => memory.subgraph(start, 2)],
      ['subgraph depth 3', () => memory.subgraph(industryId('TECHNOLOGY'), 3)],
    ];
    const timings: Record<string, number> = {};
    for (const [name, query] of queries) {
      await query();
      const runs: number[] = [];
      for (let run = 0; run < 5; run++) {
        const began = performance.now();
        await query();
        runs.push(performance.now() - began);
      }
      timings[name] = Math.round(runs.sort((a, b) => a - b)[2]! * 10) / 10;
    }
    console.info(`semantic memory (${memory.backend}) median ms:`, timings);
    for (const [name, ms] of Object.entries(timings)) expect(ms, name).toBeLessThan(150);
  });
}

// ---------------------------------------------------------------- the vocabulary

describe('semantic vocabulary', () => {
  it('derives stable, readable, kebab-case node ids', () => {
    expect(idOf(industryNode('TECHNOLOGY'))).toBe('industry:technology');
    expect(idOf(personaNode('DECISION_MAKER'))).toBe('persona:decision-maker');
    expect(idOf(segmentNode('TECHNOLOGY', 'DECISION_MAKER'))).toBe('segment:technology/decision-maker');
    expect(idOf(companySizeNode('MID_MARKET'))).toBe('company-size:mid-market');
    expect(idOf(channelNode('LINKEDIN'))).toBe('channel:linkedin');
    expect(nodeId('Regulation', 'PCI DSS')).toBe('regulation:pci-dss');
    expect(nodeId('MessageTheme', 'Security & Compliance')).toBe('message-theme:security-compliance');
    expect(nodeId('PainPoint', '  Café  Rénové ')).toBe('pain-point:cafe-renove');
    expect(segmentId('HEALTHCARE', 'END_USER')).toBe('segment:healthcare/end-user');
    expect(() => nodeId('Thing', '!!!')).toThrow(TypeError);
  });

  it('maps channel nodes back to the Channel enum', () => {
    for (const channel of CHANNELS) expect(channelOf({ id: channelId(channel) })).toBe(channel);
    expect(channelOf({ id: 'industry:technology' })).toBeNull();
  });

  it('seeds only the documented predicates, as priors', () => {
    const facts = seedFacts();
    const keys = new Set(facts.map((f) => `${idOf(f.subject)} ${f.predicate} ${idOf(f.object)}`));
    expect(keys.size).toBe(facts.length);
    for (const f of facts) {
      expect(PREDICATES).toContain(f.predicate);
      expect(f).toMatchObject({ evidenceCount: 0, provenance: 'seed' });
      expect(f.weight).toBeGreaterThan(0);
      expect(f.weight).toBeLessThanOrEqual(1);
    }
  });
});

// ---------------------------------------------------------------- the backends

describe('SemanticMemory on PostgreSQL', () => {
  let testDb: TestDatabase;
  let database: Database;
  semanticMemoryContract(async () => {
    testDb = await createTestDatabase();
    database = await openDatabase(databaseTarget(loadConfig(testDb.env)));
    const memory = await createSemanticMemory({ prisma: database.prisma });
    return {
      memory,
      reset: async () => {
        await database.prisma.semanticNode.deleteMany();
      },
      close: async () => {
        await memory.close();
        await database.close();
        await testDb.drop();
      },
    };
  }, 'postgres');
});

const NEO4J_URL = process.env.NEO4J_URL;

describe.skipIf(!NEO4J_URL)('SemanticMemory on Neo4j', () => {
  semanticMemoryContract(async () => {
    const url = NEO4J_URL as string;
    const user = process.env.NEO4J_USER;
    const password = process.env.NEO4J_PASSWORD;
    const memory = await Neo4jSemanticMemory.connect({ url, user, password });
    const admin = neo4j.driver(url, user ? neo4j.auth.basic(user, password ?? '') : undefined);
    return {
      memory,
      reset: async () => {
        await admin.executeQuery('MATCH (k:Knowledge) DETACH DELETE k');
      },
      close: async () => {
        await memory.close();
        await admin.close();
      },
    };
  }, 'neo4j');
});
