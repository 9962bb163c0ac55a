// POST /api/v1/events/deliveries over real HTTP: providers' signed receipts and
// replies for messages a real flow queued (POST /api/v1/leads → the outbox).
// Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
import { untilDelivered } from '../../support/delivery.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { recordedResults } from '../../../src/agents/engagement/variant-evidence.js';
import { signPayload } from '../../../src/delivery/webhook-signature.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const SECRET = 'inbound-test-webhook-secret';
const PATH = '/api/v1/events/deliveries';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp({ env: { WEBHOOK_SECRET: SECRET, CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

const prisma = () => baton.app.services.prisma;

interface Signing {
  secret?: string;
  at?: Date;
  /** The header as sent; null leaves it out. */
  signature?: string | null;
}

/** Posts a body the way a provider does: signed over its exact bytes. */
function postEvents(body: unknown, { secret = SECRET, at = new Date(), signature }: Signing = {}): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const header = signature === undefined ? signPayload(secret, text, at) : signature;
  return fetch(`${baton.url}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'baton-signature': header }) },
    body: text,
  });
}

let eventCounter = 0;
const eventId = () => `evt-${process.pid}-${++eventCounter}-${Math.random().toString(36).slice(2, 8)}`;

/** A lead through the real flow; its outbox as engagement queued it, first touchpoint first. */
async function leadWithOutbox(industry = 'Technology', persona = 'Decision Maker') {
  const leadId = uniqueLeadId('inbound');
  const response = await baton.post('/api/v1/leads', {
    lead_data: { lead_id: leadId, industry, company_size: 'Enterprise', source: 'organic', persona, email: `${leadId}@example.com` },
  });
  expect(response.status).toBe(200);
  // The first touchpoint is due now: the delivery worker sends it (and links its interaction) moments after the flow.
  const outbox = await untilDelivered(prisma(), leadId);
  expect(outbox.length).toBeGreaterThan(1);
  const first = outbox.find((message) => message.interactionId !== null)!;
  expect(first).toBeDefined();
  return { leadId, outbox, first, followUps: outbox.filter((message) => message.id !== first.id) };
}

async function interactionsOf(leadId: string) {
  const { body } = await baton.graphql<
    { lead: { interactions: { type: string; channel: string | null; template: string | null; metadata: Record<string, unknown> | null }[] } },
    { id: string }
  >('query ($id: ID!) { lead(id: $id) { interactions(first: 100) { type channel template metadata occurredAt } } }', { id: leadId });
  expect(body.errors).toBeUndefined();
  return body.data!.lead.interactions;
}

async function profileOf(leadId: string) {
  const { body } = await baton.graphql<{ lead: { profile: { doNotContact: boolean; consent: boolean } | null } }, { id: string }>(
    'query ($id: ID!) { lead(id: $id) { profile { doNotContact consent } } }',
    { id: leadId },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.lead.profile;
}

const resultsSchema = z.strictObject({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.array(z.strictObject({ index: z.number(), id: z.string(), reason: z.string() })),
});

async function results(response: Response) {
  const body = await response.json();
  expect(body.error).toBeUndefined();
  expect(response.status).toBe(200);
  return resultsSchema.parse(body);
}

describe('POST /api/v1/events/deliveries', () => {
  it('records a signed event for a message of a real flow as an interaction on its lead, channel and template', async () => {
    const { leadId, first } = await leadWithOutbox();
    const delivered = { id: eventId(), type: 'delivered', message_id: first.id, occurred_at: new Date().toISOString() };
    const opened = { id: eventId(), type: 'opened', dedup_key: first.dedupKey, occurred_at: new Date().toISOString(), detail: { user_agent: 'Mail/1.0' } };
    expect(await results(await postEvents({ events: [delivered, opened] }))).toEqual({ accepted: 2, duplicates: 0, rejected: [] });

    const interactions = await interactionsOf(leadId);
    const byType = (type: string) => interactions.filter((interaction) => interaction.type === type);
    expect(byType('DELIVERED')).toEqual([
      expect.objectContaining({
        channel: first.channel,
        template: first.template,
        metadata: { delivery: expect.objectContaining({ event_id: delivered.id, event_type: 'delivered', message_id: first.id }) },
      }),
    ]);
    expect(byType('EMAIL_OPEN')).toEqual([
      expect.objectContaining({
        channel: first.channel,
        template: first.template,
        metadata: { delivery: expect.objectContaining({ event_id: opened.id, detail: { user_agent: 'Mail/1.0' } }) },
      }),
    ]);
    // On the lead's conversation, and remembered by event id.
    const conversation = await prisma().conversation.findUniqueOrThrow({ where: { leadId } });
    const stored = await prisma().interaction.findMany({ where: { leadId, type: { in: ['DELIVERED', 'EMAIL_OPEN'] } } });
    expect(stored.map((row) => row.conversationId)).toEqual([conversation.id, conversation.id]);
    const events = await prisma().deliveryEvent.findMany({ where: { id: { in: [delivered.id, opened.id] } } });
    expect(events.map((event) => event.interactionId).sort()).toEqual(stored.map((row) => row.id).sort());
  });

  it('answers a replayed event as a duplicate and records nothing new', async () => {
    const { leadId, first } = await leadWithOutbox();
    const body = {
      events: [{ id: eventId(), type: 'clicked', message_id: first.id, occurred_at: new Date().toISOString(), detail: { url: 'https://example.com/demo' } }],
    };
    expect(await results(await postEvents(body))).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const before = (await interactionsOf(leadId)).length;
    // The provider retries (a new signature, the same events), and repeats one inside a request.
    expect(await results(await postEvents(body))).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(await results(await postEvents({ events: [...body.events, ...body.events] }))).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    const twice = { id: eventId(), type: 'opened', message_id: first.id, occurred_at: new Date().toISOString() };
    expect(await results(await postEvents({ events: [twice, twice] }))).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    // Two deliveries of one event at the same moment: one records it, the other waits for it and answers a duplicate.
    const raced = { events: [{ id: eventId(), type: 'delivered', message_id: first.id, occurred_at: new Date().toISOString() }] };
    const answers = await Promise.all([postEvents(raced).then(results), postEvents(raced).then(results)]);
    expect(answers.map(({ accepted, duplicates }) => [accepted, duplicates]).sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect((await interactionsOf(leadId)).filter((interaction) => interaction.type === 'DELIVERED')).toHaveLength(1);
    const clicks = (await interactionsOf(leadId)).filter((interaction) => interaction.type === 'CLICK');
    expect(clicks).toHaveLength(1);
    expect((await interactionsOf(leadId)).length).toBe(before + 2);
  });

  it('refuses a missing, wrong or stale signature with 401 and records nothing', async () => {
    const { leadId, first } = await leadWithOutbox();
    const body = { events: [{ id: eventId(), type: 'opened', message_id: first.id, occurred_at: new Date().toISOString() }] };
    const cases: [Signing, string][] = [
      [{ signature: null }, 'header is missing'],
      [{ signature: 'sha256=abc' }, 't=<unix seconds>,v1=<hex>'],
      [{ secret: 'another-secret-of-16-chars' }, 'does not match the body'],
      [{ at: new Date(Date.now() - 10 * 60_000) }, 'timestamp is more than 300 s'],
      [{ at: new Date(Date.now() + 10 * 60_000) }, 'timestamp is more than 300 s'],
    ];
    for (const [signing, reason] of cases) {
      const response = await postEvents(body, signing);
      expect(response.status, reason).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Baton-Signature');
      const { error } = await response.json();
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message).toContain(reason);
    }
    // A body changed after signing (the signature is over the exact bytes).
    const text = JSON.stringify(body);
    const tampered = await postEvents(text.replace('opened', 'clicked'), { signature: signPayload(SECRET, text) });
    expect(tampered.status).toBe(401);
    expect(await prisma().deliveryEvent.count({ where: { id: body.events[0]!.id } })).toBe(0);
    expect((await interactionsOf(leadId)).some((interaction) => interaction.type === 'EMAIL_OPEN' || interaction.type === 'CLICK')).toBe(false);
  });

  it('answers 400 naming each invalid field, and records none of the events', async () => {
    const { first } = await leadWithOutbox();
    const good = { id: eventId(), type: 'delivered', message_id: first.id, occurred_at: new Date().toISOString() };
    const response = await postEvents({
      events: [
        good,
        { ...good, id: eventId(), type: 'read' },
        { id: eventId(), type: 'opened', occurred_at: new Date().toISOString() },
        { ...good, id: eventId(), occurred_at: 'yesterday' },
        { ...good, id: eventId(), message_id: 'not-a-uuid' },
        { ...good, id: eventId(), detail: { text: 'x'.repeat(7_000) } },
      ],
    });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'events[1].type',
      'events[2].message_id',
      'events[3].occurred_at',
      'events[4].message_id',
      'events[5].detail',
    ]);
    expect(error.message).toContain('events[1].type: must be one of delivered, opened, clicked, replied, bounced, complained, unsubscribed, meeting_booked');
    expect(error.message).toContain('events[2].message_id: must name its message');
    expect(await prisma().deliveryEvent.count({ where: { id: good.id } })).toBe(0);

    for (const [body, path] of [
      [{}, 'events'],
      [{ events: [] }, 'events'],
      [[good], '(root)'],
    ] as const) {
      const invalid = await postEvents(body);
      expect(invalid.status).toBe(400);
      expect((await invalid.json()).error.issues[0].path).toBe(path);
    }
    const notJson = await postEvents('{"events": [');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toContain('not valid JSON');
  });

  it('rejects an event for a message Baton does not know, or from the future, and records the others', async () => {
    const { leadId, first } = await leadWithOutbox();
    const known = { id: eventId(), type: 'delivered', message_id: first.id, occurred_at: new Date().toISOString() };
    const unknownId = { id: eventId(), type: 'opened', message_id: '00000000-0000-4000-8000-000000000000', occurred_at: new Date().toISOString() };
    const unknownKey = { id: eventId(), type: 'opened', dedup_key: 'baton-nothing', occurred_at: new Date().toISOString() };
    const unknownProvider = { id: eventId(), type: 'opened', provider_message_id: '<nothing@provider>', occurred_at: new Date().toISOString() };
    const future = { id: eventId(), type: 'opened', message_id: first.id, occurred_at: new Date(Date.now() + 3_600_000).toISOString() };
    expect(await results(await postEvents({ events: [unknownId, known, unknownKey, unknownProvider, future] }))).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 0, id: unknownId.id, reason: `no message with message_id ${unknownId.message_id}` },
        { index: 2, id: unknownKey.id, reason: 'no message with dedup_key baton-nothing' },
        { index: 3, id: unknownProvider.id, reason: 'no message with provider_message_id <nothing@provider>' },
        { index: 4, id: future.id, reason: 'occurred_at is in the future' },
      ],
    });
    expect((await interactionsOf(leadId)).filter((interaction) => interaction.type === 'DELIVERED')).toHaveLength(1);
    expect((await interactionsOf(leadId)).filter((interaction) => interaction.type === 'EMAIL_OPEN')).toHaveLength(0);
  });

  it('marks a bounced message BOUNCED with the reason', async () => {
    const { leadId, first } = await leadWithOutbox();
    const bounce = {
      id: eventId(),
      type: 'bounced',
      message_id: first.id,
      occurred_at: new Date().toISOString(),
      detail: { reason: '550 5.1.1 mailbox unknown' },
    };
    expect(await results(await postEvents({ events: [bounce] }))).toMatchObject({ accepted: 1 });
    const message = await prisma().outboundMessage.findUniqueOrThrow({ where: { id: first.id } });
    // Stored sealed (a provider's reason may quote the address).
    expect({ ...message, lastError: baton.app.cipher.openOptional(message.lastError) }).toMatchObject({
      status: 'BOUNCED',
      lastError: 'Bounced: 550 5.1.1 mailbox unknown',
    });
    expect((await interactionsOf(leadId)).filter((interaction) => interaction.type === 'BOUNCED')).toHaveLength(1);
  });

  it('makes an unsubscribed lead do-not-contact at once and suppresses its scheduled follow-ups', async () => {
    const { leadId, first, followUps } = await leadWithOutbox();
    expect(followUps.every((message) => message.status === 'SCHEDULED')).toBe(true);
    const unsubscribe = { id: eventId(), type: 'unsubscribed', message_id: first.id, occurred_at: new Date().toISOString() };
    expect(await results(await postEvents({ events: [unsubscribe] }))).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    expect(await profileOf(leadId)).toEqual({ doNotContact: true, consent: false });
    const outbox = (await prisma().outboundMessage.findMany({ where: { leadId } })).map((message) => ({
      ...message,
      lastError: baton.app.cipher.openOptional(message.lastError),
    }));
    expect(outbox.filter((message) => message.status === 'SCHEDULED')).toEqual([]);
    for (const followUp of followUps) {
      expect(outbox.find((message) => message.id === followUp.id)).toMatchObject({
        status: 'SUPPRESSED',
        lastError: `The lead unsubscribed (delivery event ${unsubscribe.id}): do not contact.`,
      });
    }
    expect((await interactionsOf(leadId)).filter((interaction) => interaction.type === 'UNSUBSCRIBED')).toHaveLength(1);

    // Engagement sees it: the lead's next submission is blocked, and nothing new is queued.
    const again = await baton.post('/api/v1/leads', {
      lead_data: {
        lead_id: leadId,
        industry: 'Technology',
        company_size: 'Enterprise',
        source: 'organic',
        persona: 'Decision Maker',
        email: `${leadId}@example.com`,
      },
    });
    expect(again.status).toBe(200);
    expect(await prisma().outboundMessage.count({ where: { leadId, status: 'SCHEDULED' } })).toBe(0);
  });

  it('makes a complaining lead do-not-contact, creating its profile when it has none', async () => {
    const { leadId, first, followUps } = await leadWithOutbox('Finance', 'Influencer');
    await prisma().leadProfile.deleteMany({ where: { leadId } });
    const complaint = {
      id: eventId(),
      type: 'complained',
      dedup_key: first.dedupKey,
      occurred_at: new Date().toISOString(),
      detail: { reason: 'abuse report' },
    };
    expect(await results(await postEvents({ events: [complaint] }))).toMatchObject({ accepted: 1 });
    expect(await profileOf(leadId)).toEqual({ doNotContact: true, consent: true });
    const statuses = await prisma().outboundMessage.findMany({ where: { id: { in: followUps.map((message) => message.id) } }, select: { status: true } });
    expect(statuses.every(({ status }) => status === 'SUPPRESSED')).toBe(true);
  });

  it("counts a reply as a success of the touchpoint's template in the evidence Thompson sampling reads", async () => {
    const { leadId, first } = await leadWithOutbox('Healthcare', 'End User');
    const lead = await prisma().lead.findUniqueOrThrow({ where: { id: leadId } });
    const segment = { industry: lead.industry, persona: lead.persona };
    const evidence = async () => (await recordedResults(prisma(), segment, [first.template], new Date())).find((row) => row.channel === first.channel)!;
    const before = await evidence();
    expect(before.pending).toBeGreaterThan(0);

    const reply = { id: eventId(), type: 'replied', message_id: first.id, occurred_at: new Date().toISOString(), detail: { text: 'Tuesday works.' } };
    expect(await results(await postEvents({ events: [reply] }))).toMatchObject({ accepted: 1 });
    const after = await evidence();
    expect(after).toEqual({ ...before, successes: before.successes + 1, pending: before.pending - 1 });

    const replies = (await interactionsOf(leadId)).filter((interaction) => interaction.type === 'REPLY');
    expect(replies).toEqual([
      expect.objectContaining({ template: first.template, metadata: { delivery: expect.objectContaining({ detail: { text: 'Tuesday works.' } }) } }),
    ]);
  });

  it('is described by the OpenAPI document, signature, body and every answer', async () => {
    const document = await (await fetch(`${baton.url}/api/v1/openapi.json`)).json();
    const operation = document.paths[PATH].post;
    expect(operation.security).toEqual([{ webhookSignature: [] }]);
    expect(document.components.securitySchemes.webhookSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'Baton-Signature' });
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '413']);
    expect(operation.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DeliveryEvents' });
    expect(document.components.schemas.DeliveryEvents.properties.events.items.properties.type.enum).toEqual([
      'delivered',
      'opened',
      'clicked',
      'replied',
      'bounced',
      'complained',
      'unsubscribed',
      'meeting_booked',
    ]);
    expect(document.components.schemas.Error).toBeDefined();
    // A real answer fits the published results schema.
    const published = z.fromJSONSchema(document.components.schemas.DeliveryEventResults, { defaultTarget: 'openapi-3.0' });
    const answer = await postEvents({ events: [{ id: eventId(), type: 'opened', dedup_key: 'baton-unknown', occurred_at: new Date().toISOString() }] });
    expect(published.safeParse(await answer.json()).error?.issues ?? []).toEqual([]);
  });
});

describe('without WEBHOOK_SECRET', () => {
  it('answers 403 saying the endpoint is not configured', async () => {
    const bare = await startTestApp({ env: { WEBHOOK_SECRET: undefined, CONSOLIDATION_INTERVAL_S: '0' } });
    try {
      const body = JSON.stringify({ events: [] });
      const response = await fetch(`${bare.url}${PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'baton-signature': signPayload(SECRET, body) },
        body,
      });
      expect(response.status).toBe(403);
      expect((await response.json()).error).toEqual({
        code: 'WEBHOOK_NOT_CONFIGURED',
        message: 'This server accepts no delivery events: WEBHOOK_SECRET is not configured.',
      });
    } finally {
      await bare.stop();
    }
  });
});
