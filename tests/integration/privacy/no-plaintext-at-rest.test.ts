// Issue 16's "psql shows no plaintext email or phone anywhere": a person's data
// sent through the doors and carried by every part of Baton that keeps a copy
// (the lead, the idempotency replay, triage → handoff → engagement and its
// outbox, a reply, short-term memory, the profile, consolidation's episodes, a
// lead waiting for an operator's context, a manager's note), then every text and
// JSON column of every table (and, with REDIS_URL, every key under the server's
// prefix) scanned for the address, its local part and the number's digits.
// Through the doors the same data still reads in clear for an operator.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { losingWeeks } from '../../support/campaign-fixtures.js';
import { untilDelivered } from '../../support/delivery.js';
import { columnsHolding, redisKeysHolding, unsealedValues, type Needles } from '../../support/plaintext-scan.js';
import { SEALED_COLUMNS } from '../../../src/privacy/sealed-columns.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const tag = randomBytes(3).toString('hex');
const LOCAL_PART = `zora.quill.${tag}`;
const EMAIL = `${LOCAL_PART}@sealtest.example`;
const PHONE_DIGITS = `1415555${String(Number.parseInt(tag, 16) % 10_000).padStart(4, '0')}`;
const PHONE = `+1 415 555 ${PHONE_DIGITS.slice(-4)}`;
const NEEDLES: Needles = { texts: [EMAIL, LOCAL_PART, PHONE], digits: [PHONE_DIGITS] };

let baton: TestApp;
const leadId = uniqueLeadId('sealed');
const waitingLeadId = uniqueLeadId('sealed-waiting');
const conversationId = uniqueLeadId('sealed-conv');

async function graphql(query: string, variables: object): Promise<Record<string, unknown>> {
  const { body } = await baton.graphql<Record<string, unknown>, object>(query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });

  // REST with an Idempotency-Key, twice: the second answer is the stored replay.
  const lead = { lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'Enterprise', source: 'organic', email: EMAIL, phone: PHONE } };
  for (let i = 0; i < 2; i++) {
    const response = await baton.post('/api/v1/leads', lead, { headers: { 'idempotency-key': `sealed-${tag}` } });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('idempotent-replayed')).toBe(i === 0 ? null : 'true');
  }
  await untilDelivered(baton.app.services.prisma, leadId);

  await graphql('mutation ($input: InteractionInput!) { recordInteraction(input: $input) { __typename } }', {
    input: { leadId, type: 'REPLY', channel: 'EMAIL', metadata: { from: `Zora <${EMAIL}>`, note: `call me on ${PHONE}` } },
  });
  await graphql('mutation ($id: ID!, $input: ConversationContextInput!) { storeShortTermMemory(conversationId: $id, input: $input) { conversationId } }', {
    id: conversationId,
    input: { leadId, activeIntent: `reply to ${EMAIL}`, extractedSlots: { email: EMAIL, phone: PHONE, note: `prefers ${PHONE}`, interest: 'pricing' } },
  });
  await graphql('mutation ($id: ID!, $input: LeadProfileInput!) { storeLeadProfile(leadId: $id, input: $input) { __typename } }', {
    id: leadId,
    input: { attributes: { first_name: 'Zora', contact: { email: EMAIL, phone: PHONE }, remark: `reached at ${PHONE}` } },
  });

  // A lead without contact data waits for an operator, who supplies the same person's address and number.
  const waiting = (await graphql('mutation ($input: LeadInput!) { processLead(input: $input) { handoff { id status } } }', {
    input: { leadId: waitingLeadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'organic' },
  })) as { processLead: { handoff: { id: string; status: string } } };
  expect(waiting.processLead.handoff.status).toBe('CONTEXT_REQUESTED');
  await graphql('mutation ($id: ID!, $context: HandoffContextInput!) { provideHandoffContext(handoffId: $id, context: $context) { __typename } }', {
    id: waiting.processLead.handoff.id,
    context: { email: EMAIL, phone: PHONE },
  });
  await vi.waitFor(
    async () => {
      const { handoff } = (await graphql('query ($id: ID!) { handoff(id: $id) { status } }', { id: waiting.processLead.handoff.id })) as {
        handoff: { status: string };
      };
      expect(handoff.status).toBe('COMPLETED');
    },
    { timeout: 10_000, interval: 50 },
  );

  // A manager's note quoting the person, on a campaign's escalation.
  const campaignId = `camp-${tag}`;
  await graphql('mutation ($input: CampaignInput!) { createCampaign(input: $input) { id } }', {
    input: { id: campaignId, name: 'Losing', budgetUsd: 100_000 },
  });
  await graphql('mutation ($id: ID!, $metrics: [CampaignMetricsInput!]!) { ingestCampaignMetrics(campaignId: $id, metrics: $metrics) { __typename } }', {
    id: campaignId,
    metrics: losingWeeks(),
  });
  const review = (await graphql('mutation ($id: ID!) { optimizeCampaign(campaignId: $id) { ... on OptimizationResult { escalation { id } } } }', {
    id: campaignId,
  })) as { optimizeCampaign: { escalation: { id: string } } };
  await graphql('mutation ($id: ID!, $note: String) { resolveEscalation(id: $id, decision: REJECT, note: $note) { __typename } }', {
    id: review.optimizeCampaign.escalation.id,
    note: `Spoke to ${EMAIL} on ${PHONE}`,
  });

  await graphql('mutation { consolidateMemory { skipped } }', {});
}, 120_000);
afterAll(() => baton?.stop());

describe("a person's data at rest", () => {
  it('is nowhere in clear in any text or JSON column of any table', async () => {
    const holding = await columnsHolding(baton, NEEDLES);
    expect(holding).toEqual([]);
  });

  it('is sealed whole in every text column the registry names (SEALED_COLUMNS), in every row', async () => {
    const text = SEALED_COLUMNS.filter(({ shape }) => shape === 'text');
    const unsealed = await unsealedValues(baton, text);
    expect(unsealed).toEqual(Object.fromEntries(text.map(({ table, column }) => [`${table}.${column}`, 0])));
  });

  it.skipIf(!process.env.REDIS_URL)('is nowhere in clear in any Redis key under the prefix', async () => {
    expect(await redisKeysHolding(baton, NEEDLES)).toEqual([]);
  });

  it('still reads in clear for an operator, through the doors', async () => {
    const { body } = await baton.graphql<Record<string, unknown>, object>(
      `query ($id: ID!, $conv: ID!) {
        lead(id: $id) { profile { attributes } handoffs { context } }
        shortTermMemory(conversationId: $conv) { extractedSlots activeIntent }
      }`,
      { id: leadId, conv: conversationId },
      { token: await baton.token('operator') },
    );
    expect(body.errors).toBeUndefined();
    const text = JSON.stringify(body.data);
    expect(text).toContain(EMAIL);
    expect(text).toContain(PHONE);
    expect(text).not.toContain('enc:v1:');
  });
});
