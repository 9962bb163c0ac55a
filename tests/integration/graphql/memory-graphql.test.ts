// The memory tiers over GraphQL: short-term context with validation, long-term
// profiles, the knowledge graph, statistics, and who may do what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KnowledgeDocument,
  KnowledgeNodeDocument,
  MemoryStatsDocument,
  ProcessLeadForTestDocument,
  RecordInteractionDocument,
  ShortTermMemoryDocument,
  StoreLeadProfileDocument,
  StoreShortTermMemoryDocument,
  ConsolidateMemoryDocument,
} from '../../__generated__/graphql.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

describe('short-term memory', () => {
  it("stores the specification's example context, merges later writes, and reads it back", async () => {
    const conversationId = `conv-${uniqueLeadId()}`;
    const stored = await baton.graphql(StoreShortTermMemoryDocument, {
      conversationId,
      input: { activeIntent: 'product_inquiry', extractedSlots: { company: 'TechCorp', interest: 'enterprise_features' } },
    });
    expect(stored.body.errors).toBeUndefined();
    const first = stored.body.data!.storeShortTermMemory;
    expect(first).toMatchObject({ conversationId, activeIntent: 'product_inquiry', pendingActions: [], lastAgent: null });
    // The default TTL is a day, refreshed on each write.
    expect(Date.parse(first.expiresAt) - Date.parse(first.updatedAt)).toBe(86_400_000);

    await baton.graphql(StoreShortTermMemoryDocument, {
      conversationId,
      input: { extractedSlots: { interest: null, budget: 50000 }, lastAgent: 'engagement-premium-001', pendingActions: ['send_case_study'] },
      ttlSeconds: 600,
    });
    const { body } = await baton.graphql(ShortTermMemoryDocument, { conversationId });
    expect(body.data!.shortTermMemory).toEqual({
      conversationId,
      leadId: null,
      activeIntent: 'product_inquiry',
      extractedSlots: { company: 'TechCorp', budget: 50000 },
      lastAgent: 'engagement-premium-001',
      pendingActions: ['send_case_study'],
    });
  });

  it('answers null for a conversation it does not hold', async () => {
    const { body } = await baton.graphql(ShortTermMemoryDocument, { conversationId: 'never-seen' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.shortTermMemory).toBeNull();
  });

  it('rejects invalid input with BAD_USER_INPUT naming each field, and keeps what was stored', async () => {
    const conversationId = `conv-${uniqueLeadId()}`;
    await baton.graphql(StoreShortTermMemoryDocument, { conversationId, input: { activeIntent: 'kept' } });
    const { body } = await baton.graphql(StoreShortTermMemoryDocument, {
      conversationId,
      input: { activeIntent: '', extractedSlots: ['not', 'an', 'object'] as never, pendingActions: Array.from({ length: 51 }, () => 'x') },
      ttlSeconds: 0,
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0]!.extensions!.issues!.map((issue) => issue.path).sort()).toEqual(
      ['input.activeIntent', 'input.extractedSlots', 'input.pendingActions', 'ttlSeconds'].sort(),
    );
    const kept = await baton.graphql(ShortTermMemoryDocument, { conversationId });
    expect(kept.body.data!.shortTermMemory!.activeIntent).toBe('kept');

    // Null would read as "clear", which slots and actions do not do: it is refused, not ignored.
    const nulls = await baton.graphql(StoreShortTermMemoryDocument, { conversationId, input: { extractedSlots: null, pendingActions: null } });
    expect(nulls.body.errors![0]!.extensions!.issues!.map((issue) => issue.path).sort()).toEqual(['input.extractedSlots', 'input.pendingActions']);

    const badId = await baton.graphql(StoreShortTermMemoryDocument, { conversationId: 'has spaces', input: {} });
    expect(badId.body.errors![0]!.extensions!.issues![0]!.path).toBe('conversationId');
  });

  it('lets viewers read but not write', async () => {
    const viewer = await baton.token('viewer');
    const read = await baton.graphql(ShortTermMemoryDocument, { conversationId: 'any' }, { token: viewer });
    expect(read.body.errors).toBeUndefined();
    const write = await baton.graphql(StoreShortTermMemoryDocument, { conversationId: 'any', input: {} }, { token: viewer });
    expect(write.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('long-term memory', () => {
  it('merges attributes and contact permissions into the profile of a known lead', async () => {
    const leadId = uniqueLeadId();
    await baton.graphql(ProcessLeadForTestDocument, { input: { leadId, industry: 'FINANCE', companySize: 'SMB' } });
    await baton.graphql(StoreLeadProfileDocument, { leadId, input: { attributes: { title: 'CFO', region: 'EMEA' } } });
    const { body } = await baton.graphql(StoreLeadProfileDocument, { leadId, input: { attributes: { region: null }, doNotContact: true } });
    expect(body.data!.storeLeadProfile).toEqual({ __typename: 'LeadProfile', leadId, attributes: { title: 'CFO' }, consent: true, doNotContact: true });
  });

  it('answers a NotFoundError for an unknown lead, and BAD_USER_INPUT for attributes that are not an object', async () => {
    const unknown = await baton.graphql(StoreLeadProfileDocument, { leadId: 'nobody', input: { consent: false } });
    expect(unknown.body.errors).toBeUndefined();
    expect(unknown.body.data!.storeLeadProfile).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', kind: 'LEAD', id: 'nobody' });
    const invalid = await baton.graphql(StoreLeadProfileDocument, { leadId: 'nobody', input: { attributes: 'text' as never } });
    expect(invalid.body.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('input.attributes');
  });

  it('withdraws consent the moment a lead unsubscribes', async () => {
    const leadId = uniqueLeadId();
    await baton.graphql(ProcessLeadForTestDocument, { input: { leadId, industry: 'FINANCE', companySize: 'SMB' } });
    const { body } = await baton.graphql(RecordInteractionDocument, {
      input: { leadId, type: 'UNSUBSCRIBED', channel: 'EMAIL', metadata: { reason: 'too many emails' } },
    });
    expect(body.data!.recordInteraction).toMatchObject({ type: 'UNSUBSCRIBED', metadata: { reason: 'too many emails' } });
    const profile = await baton.app.services.memory.profiles.retrieve(leadId);
    expect(profile?.consent).toBe(false);
  });

  it('refuses interactions from the future and for unknown leads', async () => {
    const future = await baton.graphql(RecordInteractionDocument, {
      input: { leadId: 'nobody', type: 'CLICK', occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(future.body.errors?.[0]?.extensions?.issues).toEqual([{ path: 'input.occurredAt', message: 'must not be in the future' }]);
    const unknown = await baton.graphql(RecordInteractionDocument, { input: { leadId: 'nobody', type: 'CLICK' } });
    expect(unknown.body.errors).toBeUndefined();
    expect(unknown.body.data!.recordInteraction).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', kind: 'LEAD', id: 'nobody' });
  });
});

describe('the knowledge graph', () => {
  it('returns the seed facts around an industry', async () => {
    const { body } = await baton.graphql(KnowledgeDocument, { subject: 'industry:healthcare', depth: 1 });
    expect(body.errors).toBeUndefined();
    const { nodes, facts } = body.data!.knowledge;
    expect(nodes.map((node) => node.id)).toContain('industry:healthcare');
    expect(facts.some((fact) => fact.predicate === 'SUBJECT_TO' && fact.object.id === 'regulation:hipaa')).toBe(true);
    expect(facts.every((fact) => fact.provenance === 'seed')).toBe(true);
  });

  it('answers neighbours, top objects and paths of a node', async () => {
    const { body } = await baton.graphql(KnowledgeNodeDocument, {
      id: 'segment:healthcare/decision-maker',
      predicate: 'RESPONDS_ON',
      to: 'persona:decision-maker',
      maxDepth: 2,
    });
    expect(body.errors).toBeUndefined();
    const node = body.data!.knowledgeNode!;
    expect(node.kind).toBe('Segment');
    expect(node.topObjects).toHaveLength(3);
    expect(node.topObjects[0]!.weight).toBeGreaterThanOrEqual(node.topObjects[1]!.weight);
    expect(node.paths[0]!.nodes.map((n) => n.id)).toEqual(['segment:healthcare/decision-maker', 'persona:decision-maker']);
  });

  it('refuses traversals deeper than three hops', async () => {
    const { body } = await baton.graphql(KnowledgeDocument, { subject: 'industry:healthcare', depth: 4 });
    expect(body.errors?.[0]?.extensions?.issues?.[0]?.path).toBe('depth');
  });

  it('answers an empty graph for an unknown node', async () => {
    const { body } = await baton.graphql(KnowledgeDocument, { subject: 'industry:unknown', depth: 2 });
    expect(body.data!.knowledge).toEqual({ nodes: [], facts: [] });
  });
});

describe('memoryStats', () => {
  it('counts each tier and the short-term hit rate', async () => {
    await baton.graphql(ShortTermMemoryDocument, { conversationId: 'miss-for-stats' });
    const { body } = await baton.graphql(MemoryStatsDocument, {});
    expect(body.errors).toBeUndefined();
    const stats = body.data!.memoryStats;
    expect(stats.shortTerm.backend).toBe(process.env.REDIS_URL ? 'redis' : 'in-process');
    expect(stats.shortTerm.misses).toBeGreaterThan(0);
    expect(stats.shortTerm.hitRate).toBeGreaterThanOrEqual(0);
    expect(stats.semantic).toMatchObject({ backend: 'postgres' });
    expect(stats.semantic.facts).toBeGreaterThan(100);
    expect(stats.longTerm).toBeGreaterThan(0);
  });

  it('lets only admins consolidate on demand', async () => {
    const operator = await baton.token('operator');
    const refused = await baton.graphql(ConsolidateMemoryDocument, {}, { token: operator });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { body } = await baton.graphql(ConsolidateMemoryDocument, {});
    expect(body.data!.consolidateMemory.skipped).toBe(false);
    const after = await baton.graphql(MemoryStatsDocument, {});
    expect(after.body.data!.memoryStats.lastConsolidation?.runId).toBe(body.data!.consolidateMemory.runId);
  });
});
