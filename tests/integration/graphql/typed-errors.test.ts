// Expected failures over GraphQL over HTTP: a well-formed request the world says no
// to (an unknown lead, campaign or escalation; an escalation already decided) is a
// typed error in the mutation's result union, as data, with no top-level error and
// nothing stored; a malformed request is still a top-level BAD_USER_INPUT, and an
// unauthorized one a top-level FORBIDDEN (checked before anything is looked up).
// The adapters turn typed errors into their own failures (NOT_FOUND, CONFLICT).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateCampaignDocument,
  IngestCampaignMetricsDocument,
  OptimizeCampaignDocument,
  RecordInteractionDocument,
  RecordOutcomeDocument,
  ResolveEscalationDocument,
  StoreLeadProfileDocument,
} from '../../__generated__/graphql.js';
import { ERROR_CODES, HTTP_STATUS_BY_CODE } from '../../../src/errors.js';
import { createDispatch } from '../../../src/jsonrpc/methods.js';
import { JsonRpcError } from '../../../src/jsonrpc/protocol.js';
import type { Caller, GraphQLExecutor } from '../../../src/adapter/graphql-executor.js';
import { payload } from '../../../src/adapter/operation-payload.js';
import { losingWeeks } from '../../support/campaign-fixtures.js';
import { startTestApp, uniqueLeadId, type GraphQLErrorBody, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

/** A 200 with data and no top-level errors: the typed error is the field's value. */
function expectAnswered(response: { status: number; body: { errors?: GraphQLErrorBody[] } }): void {
  expect(response.body.errors).toBeUndefined();
  expect(response.status).toBe(200);
}

/** A top-level BAD_USER_INPUT naming the invalid field; the mutation's field is null. */
function expectBadInput(response: { body: { data?: unknown; errors?: GraphQLErrorBody[] } }, issue: { path: string; message: string }): void {
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(response.body.errors?.[0]?.extensions?.issues).toEqual([issue]);
  expect(response.body.data ?? null).toBeNull();
}

/** An open manager escalation: a campaign whose ROAS is significantly below 1, reviewed. */
async function openEscalation(): Promise<string> {
  const campaignId = `camp-${uniqueLeadId()}`;
  await baton.graphql(CreateCampaignDocument, { input: { id: campaignId, name: 'Losing', budgetUsd: 100_000 } });
  payload((await baton.graphql(IngestCampaignMetricsDocument, { campaignId, metrics: losingWeeks() })).body.data!.ingestCampaignMetrics, 'Campaign');
  const review = payload((await baton.graphql(OptimizeCampaignDocument, { campaignId })).body.data!.optimizeCampaign, 'OptimizationResult');
  expect(review.escalation).toMatchObject({ status: 'ESCALATED' });
  return review.escalation!.id;
}

describe('NotFoundError', () => {
  it('recordOutcome and recordInteraction for an unknown lead: typed, and nothing is recorded', async () => {
    const leadId = uniqueLeadId();
    const outcome = await baton.graphql(RecordOutcomeDocument, { leadId, outcome: 'CONVERTED' });
    expectAnswered(outcome);
    expect(outcome.body.data!.recordOutcome).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      message: `Lead ${leadId} does not exist`,
      kind: 'LEAD',
      id: leadId,
    });

    const interaction = await baton.graphql(RecordInteractionDocument, { input: { leadId, type: 'REPLY', channel: 'EMAIL' } });
    expectAnswered(interaction);
    expect(interaction.body.data!.recordInteraction).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', kind: 'LEAD', id: leadId });

    const { prisma } = baton.app.services;
    expect(await prisma.lead.findUnique({ where: { id: leadId } })).toBeNull();
    expect(await prisma.interaction.count({ where: { leadId } })).toBe(0);
  });

  it('storeLeadProfile for an unknown lead: typed, and no profile is created', async () => {
    const leadId = uniqueLeadId();
    const response = await baton.graphql(StoreLeadProfileDocument, { leadId, input: { attributes: { title: 'CFO' }, consent: false } });
    expectAnswered(response);
    expect(response.body.data!.storeLeadProfile).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', kind: 'LEAD', id: leadId });
    expect(await baton.app.services.prisma.leadProfile.findUnique({ where: { leadId } })).toBeNull();
  });

  it('ingestCampaignMetrics and optimizeCampaign (without metrics) for an unknown campaign: typed, and nothing is stored', async () => {
    const campaignId = `camp-${uniqueLeadId()}`;
    const ingest = await baton.graphql(IngestCampaignMetricsDocument, { campaignId, metrics: losingWeeks().slice(0, 2) });
    expectAnswered(ingest);
    expect(ingest.body.data!.ingestCampaignMetrics).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      message: `Campaign ${campaignId} does not exist`,
      kind: 'CAMPAIGN',
      id: campaignId,
    });

    const optimize = await baton.graphql(OptimizeCampaignDocument, { campaignId });
    expectAnswered(optimize);
    expect(optimize.body.data!.optimizeCampaign).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', kind: 'CAMPAIGN', id: campaignId });

    const { prisma } = baton.app.services;
    expect(await prisma.campaign.findUnique({ where: { id: campaignId } })).toBeNull();
    expect(await prisma.campaignMetrics.count({ where: { campaignId } })).toBe(0);
    expect(await prisma.optimizationRun.count({ where: { campaignId } })).toBe(0);
  });

  it('resolveEscalation for an unknown escalation: typed', async () => {
    const id = crypto.randomUUID();
    const response = await baton.graphql(ResolveEscalationDocument, { id, decision: 'APPROVE' });
    expectAnswered(response);
    expect(response.body.data!.resolveEscalation).toEqual({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      message: `Escalation ${id} does not exist`,
      kind: 'ESCALATION',
      id,
    });
  });
});

describe('ConflictError', () => {
  it('resolveEscalation on an escalation already decided: typed, and the stored decision is unchanged', async () => {
    const id = await openEscalation();
    const rejected = await baton.graphql(ResolveEscalationDocument, { id, decision: 'REJECT', note: 'Not now' });
    expectAnswered(rejected);
    expect(rejected.body.data!.resolveEscalation).toMatchObject({ __typename: 'Handoff', status: 'FAILED', resolution: 'REJECTED' });
    const { prisma } = baton.app.services;
    const stored = () => prisma.handoff.findUniqueOrThrow({ where: { id }, include: { events: { orderBy: { sequence: 'asc' } } } });
    const before = await stored();

    for (const decision of ['APPROVE', 'REJECT'] as const) {
      const again = await baton.graphql(ResolveEscalationDocument, { id, decision, note: 'Changed my mind' });
      expectAnswered(again);
      expect(again.body.data!.resolveEscalation).toEqual({
        __typename: 'ConflictError',
        code: 'CONFLICT',
        message: `Escalation ${id} is already resolved (REJECTED by test-admin)`,
        kind: 'ESCALATION',
        id,
      });
    }
    expect(await stored()).toEqual(before);
  });
});

describe('what stays a top-level error', () => {
  it('malformed requests are BAD_USER_INPUT, even when what they name does not exist', async () => {
    expectBadInput(await baton.graphql(ResolveEscalationDocument, { id: 'not-a-uuid', decision: 'APPROVE' }), {
      path: 'id',
      message: 'must be a handoff id (a UUID)',
    });
    expectBadInput(await baton.graphql(ResolveEscalationDocument, { id: crypto.randomUUID(), decision: 'REASSIGN' }), {
      path: 'reassignTo',
      message: 'is required to reassign',
    });
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expectBadInput(await baton.graphql(RecordOutcomeDocument, { leadId: uniqueLeadId(), outcome: 'LOST', occurredAt: future }), {
      path: 'occurredAt',
      message: 'must not be in the future',
    });
    const [snapshot] = losingWeeks();
    const campaignId = `camp-${uniqueLeadId()}`;
    expectBadInput(await baton.graphql(IngestCampaignMetricsDocument, { campaignId, metrics: [{ ...snapshot!, clicks: snapshot!.impressions + 1 }] }), {
      path: 'metrics.0.clicks',
      message: expect.any(String) as unknown as string,
    });
    // Spaces are outside the id alphabet of every door (src/domain/input-rules.ts); `/` is outside a campaign id's own.
    expectBadInput(await baton.graphql(OptimizeCampaignDocument, { campaignId: 'not a campaign id' }), {
      path: 'campaignId',
      message: 'must be 1-128 characters: letters, digits and . _ : @ / -, starting with a letter or digit',
    });
    expectBadInput(await baton.graphql(OptimizeCampaignDocument, { campaignId: 'not/a/campaign/id' }), {
      path: 'campaignId',
      message: 'must be 1-128 characters: letters, digits and . _ : @ -, starting with a letter or digit',
    });
  });

  it('authorization comes first: a viewer learns nothing about what exists', async () => {
    const viewer = await baton.token('viewer');
    const response = await baton.graphql(RecordOutcomeDocument, { leadId: uniqueLeadId(), outcome: 'CONVERTED' }, { token: viewer });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.body.data ?? null).toBeNull();
  });
});

describe('the adapters', () => {
  const caller: Caller = { authorization: undefined, principal: { subject: 'test', roles: ['admin'] } };
  const answering = (field: Record<string, unknown>): GraphQLExecutor =>
    ({ execute: async () => ({ data: { recordInteraction: field } as never }) }) as GraphQLExecutor;
  const logInteraction = { lead_id: 'lead-1', interaction_type: 'reply' };

  it('a typed error in the root field is the caller’s failure: NOT_FOUND → -32004, CONFLICT → -32009 (REST 404 / 409)', async () => {
    const notFound = { __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Lead lead-1 does not exist', kind: 'LEAD', id: 'lead-1' };
    const conflict = { __typename: 'ConflictError', code: 'CONFLICT', message: 'Escalation x is already resolved', kind: 'ESCALATION', id: 'x' };
    for (const [field, code] of [
      [notFound, -32004],
      [conflict, -32009],
    ] as const) {
      const dispatch = createDispatch(answering(field), caller);
      const error = await dispatch({ method: 'interaction/log', params: logInteraction }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(JsonRpcError);
      expect(error).toMatchObject({ code, message: field.message, data: undefined });
    }
    expect(HTTP_STATUS_BY_CODE).toMatchObject({ NOT_FOUND: 404, CONFLICT: 409 });
    expect(ERROR_CODES).toContain('CONFLICT');
  });
});
