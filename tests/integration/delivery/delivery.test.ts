// The delivery worker through real transports: an SMTP server (smtp-server) and
// a webhook receiver (node:http), both on 127.0.0.1 and started here, and the
// local mailbox of the embedded default. Leads go in through GraphQL and REST;
// what went out is read back through GraphQL (outboundMessages) and the
// servers' own logs.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scheduleMessages } from '../../../src/delivery/outbox.js';
import { verifySignature } from '../../../src/delivery/webhook-signature.js';
import { untilDelivered } from '../../support/delivery.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const SECRET = 'delivery-test-webhook-secret';
const WAIT = { timeout: 10_000, interval: 20 };
/** Short backoff, so a retried message goes out within milliseconds. */
const FAST_RETRIES = { DELIVERY_BACKOFF_MS: '20', DELIVERY_BACKOFF_MAX_MS: '50', DELIVERY_MAX_ATTEMPTS: '3' };

const PROCESS = /* GraphQL */ `
  mutation Process($input: LeadInput!) {
    processLead(input: $input) {
      status
      engagement { touchpointId channel sentAt scheduledFor deliveryStatus transport }
    }
  }
`;
const OUTBOX = /* GraphQL */ `
  query Outbox($leadId: ID, $transport: DeliveryTransport, $status: OutboundStatus) {
    outboundMessages(leadId: $leadId, transport: $transport, status: $status, first: 50) {
      edges { node { id channel recipient subject body status transport attempts providerMessageId dedupKey lastError scheduledFor sentAt interaction { id type occurredAt } } }
    }
  }
`;

interface OutboxNode {
  id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  status: string;
  transport: string | null;
  attempts: number;
  providerMessageId: string | null;
  dedupKey: string;
  lastError: string | null;
  scheduledFor: string;
  sentAt: string | null;
  interaction: { id: string; type: string; occurredAt: string } | null;
}

async function outbox(baton: TestApp, variables: { leadId?: string; transport?: string; status?: string }): Promise<OutboxNode[]> {
  const { body } = await baton.graphql<{ outboundMessages: { edges: { node: OutboxNode }[] } }, typeof variables>(OUTBOX, variables);
  expect(body.errors).toBeUndefined();
  return body.data!.outboundMessages.edges.map(({ node }) => node);
}

async function processLead(baton: TestApp, input: Record<string, unknown>) {
  const { body } = await baton.graphql<
    {
      processLead: {
        status: string;
        engagement: {
          touchpointId: string;
          channel: string;
          sentAt: string | null;
          scheduledFor: string;
          deliveryStatus: string | null;
          transport: string | null;
        } | null;
      };
    },
    { input: Record<string, unknown> }
  >(PROCESS, { input });
  expect(body.errors).toBeUndefined();
  return body.data!.processLead;
}

/** A message scheduled the way engagement and the manager notices schedule theirs: outbox row and delivery job in one transaction. */
async function schedule(
  baton: TestApp,
  message: { id?: string; leadId: string; channel: 'EMAIL' | 'SMS' | 'LINKEDIN' | 'CALL'; recipient: string; scheduledFor?: Date },
) {
  const id = message.id ?? randomUUID();
  await baton.app.database.prisma.$transaction((tx) =>
    scheduleMessages(
      tx,
      baton.app.jobs,
      [
        {
          id,
          leadId: message.leadId,
          channel: message.channel,
          template: 'delivery-test',
          recipient: message.recipient,
          subject: message.channel === 'EMAIL' ? 'Hello' : null,
          body: `A test message ${id}`,
          scheduledFor: message.scheduledFor ?? new Date(),
        },
      ],
      baton.app.cipher,
    ),
  );
  return id;
}

async function untilStatus(baton: TestApp, id: string, status: string) {
  return vi.waitFor(async () => {
    const row = await baton.app.database.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe(status);
    return row;
  }, WAIT);
}

/** A webhook receiver: records each request; answers by the message id what the test scripted (200 with an id by default). */
interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  body: { id: string; dedup_key: string; channel: string; recipient: string; [key: string]: unknown };
}
function webhookReceiver() {
  const received: Received[] = [];
  const scripted = new Map<string, number[]>();
  const server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const body = JSON.parse(raw) as Received['body'];
      received.push({ headers: request.headers, raw, body });
      const status = scripted.get(body.id)?.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status === 200 ? { id: `provider-${body.id}` } : { error: status === 400 ? 'invalid recipient' : 'unavailable' }));
    });
  });
  return { server, received, scripted };
}

function listenOn(server: Server | SMTPServer): Promise<number> {
  const http = server instanceof SMTPServer ? server.server : server;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((http.address() as AddressInfo).port)));
}

describe('with SMTP and the webhook configured', () => {
  let baton: TestApp;
  const mails: { raw: string; to: string[] }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        mails.push({ raw, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) });
        callback();
      });
    },
  });
  const webhook = webhookReceiver();

  beforeAll(async () => {
    const [smtpPort, webhookPort] = await Promise.all([listenOn(smtp), listenOn(webhook.server)]);
    baton = await startTestApp({
      env: {
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        SMTP_FROM: 'Baton <baton@example.com>',
        WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/deliveries`,
        WEBHOOK_SECRET: SECRET,
        ...FAST_RETRIES,
      },
    });
  });
  afterAll(async () => {
    await baton?.stop();
    await new Promise((resolve) => smtp.close(() => resolve(undefined)));
    await new Promise((resolve) => webhook.server.close(() => resolve(undefined)));
  });

  it('sends a first touchpoint email over SMTP, its Message-ID from the dedup key, and records it when sent', async () => {
    // Engagement samples the first channel among those that reach the lead (email, LinkedIn): submit until one starts by email.
    let leadId = '';
    let engagement = null as Awaited<ReturnType<typeof processLead>>['engagement'];
    for (let tries = 0; tries < 15 && engagement?.channel !== 'EMAIL'; tries++) {
      leadId = uniqueLeadId('smtp');
      ({ engagement } = await processLead(baton, {
        leadId,
        industry: 'TECHNOLOGY',
        companySize: 'SMB',
        persona: 'DECISION_MAKER',
        email: `${leadId}@example.org`,
      }));
    }
    expect(engagement!.channel).toBe('EMAIL');
    const messages = await untilDelivered(baton.app.database.prisma, leadId);
    const first = messages.find((message) => message.id === engagement!.touchpointId)!;
    expect(first).toMatchObject({ status: 'SENT', transport: 'SMTP', attempts: 1, lastError: null, providerMessageId: `<${first.dedupKey}@example.com>` });

    const mail = mails.find((received) => received.raw.includes(first.dedupKey))!;
    expect(mail.to).toEqual([`${leadId}@example.org`]);
    expect(mail.raw).toMatch(new RegExp(`^Message-ID: <${first.dedupKey}@example.com>`, 'mi'));
    expect(mail.raw).toMatch(/^From: Baton <baton@example.com>/m);

    // The interaction is recorded at the send, with the engagement decision the message carried.
    const touch = await baton.app.database.prisma.interaction.findUniqueOrThrow({ where: { id: first.id } });
    expect(touch).toMatchObject({ type: 'TOUCHPOINT_SENT', channel: 'EMAIL', occurredAt: first.sentAt });
    expect(touch.metadata).toMatchObject({ engagement: { segment: 'Technology/Decision Maker' }, delivery: { transport: 'SMTP' } });

    // Follow-ups are due days later: SCHEDULED, with no sentAt, and nothing recorded for them.
    const followUps = await outbox(baton, { leadId, status: 'SCHEDULED' });
    expect(followUps.length).toBeGreaterThan(0);
    for (const followUp of followUps) {
      expect(followUp).toMatchObject({ sentAt: null, transport: null, attempts: 0, interaction: null });
      expect(Date.parse(followUp.scheduledFor)).toBeGreaterThan(Date.now() + 3_600_000);
    }
  });

  it('posts an SMS and a LinkedIn message to the webhook, signed, with the dedup key as Idempotency-Key', async () => {
    const leadId = uniqueLeadId('webhook');
    await processLead(baton, { leadId, industry: 'FINANCE', companySize: 'MID_MARKET', phone: '+1 415 555 0142' });
    await untilDelivered(baton.app.database.prisma, leadId);
    const sms = await schedule(baton, { leadId, channel: 'SMS', recipient: '+1 415 555 0142' });
    const linkedIn = await schedule(baton, { leadId, channel: 'LINKEDIN', recipient: '"Sam Lee" Bank' });
    for (const id of [sms, linkedIn]) {
      const sent = await untilStatus(baton, id, 'SENT');
      expect(sent).toMatchObject({ transport: 'WEBHOOK', providerMessageId: `provider-${id}`, attempts: 1 });
      const [request, ...more] = webhook.received.filter((received) => received.body.id === id);
      expect(more).toEqual([]);
      expect(request!.headers['idempotency-key']).toBe(sent.dedupKey);
      expect(verifySignature(SECRET, request!.headers['baton-signature'] as string, request!.raw)).toEqual({ valid: true });
      expect(verifySignature('another-secret-entirely', request!.headers['baton-signature'] as string, request!.raw).valid).toBe(false);
      expect(request!.body).toMatchObject({
        type: 'outbound_message',
        id,
        dedup_key: sent.dedupKey,
        purpose: 'touchpoint',
        channel: id === sms ? 'sms' : 'linkedin',
        lead_id: leadId,
        recipient: id === sms ? '+1 415 555 0142' : '"Sam Lee" Bank',
        body: `A test message ${id}`,
        attempt: 1,
      });
    }
  });

  it('retries a transient failure (HTTP 500) with backoff and sends the message once', async () => {
    const leadId = uniqueLeadId('retry');
    await processLead(baton, { leadId, industry: 'MANUFACTURING', companySize: 'SMB', phone: '+1 415 555 0143' });
    const id = randomUUID();
    webhook.scripted.set(id, [500]);
    await schedule(baton, { id, leadId, channel: 'SMS', recipient: '+1 415 555 0143' });
    const sent = await untilStatus(baton, id, 'SENT');
    expect(sent).toMatchObject({ attempts: 2, transport: 'WEBHOOK', providerMessageId: `provider-${id}`, lastError: null });
    const requests = webhook.received.filter((received) => received.body.id === id);
    expect(requests.map((request) => [request.body.attempt, request.headers['idempotency-key']])).toEqual([
      [1, sent.dedupKey],
      [2, sent.dedupKey],
    ]);
    expect(await baton.app.database.prisma.interaction.count({ where: { id } })).toBe(1);
  });

  it('fails a message the receiver refuses (HTTP 400) at once, with the error', async () => {
    const leadId = uniqueLeadId('refused');
    await processLead(baton, { leadId, industry: 'MANUFACTURING', companySize: 'SMB', phone: '+1 415 555 0144' });
    const id = randomUUID();
    webhook.scripted.set(id, [400]);
    await schedule(baton, { id, leadId, channel: 'SMS', recipient: '+1 415 555 0144' });
    await untilStatus(baton, id, 'FAILED');
    const [node] = (await outbox(baton, { leadId, status: 'FAILED' })).filter((message) => message.id === id);
    expect(node).toMatchObject({ attempts: 1, transport: 'WEBHOOK', sentAt: null, providerMessageId: null, interaction: null });
    expect(node!.lastError).toMatch(/HTTP 400.*invalid recipient/);
    expect(webhook.received.filter((received) => received.body.id === id)).toHaveLength(1);
  });

  it('suppresses a message whose lead became do-not-contact before it was due', async () => {
    const leadId = uniqueLeadId('dnc');
    await processLead(baton, { leadId, industry: 'HEALTHCARE', companySize: 'SMB', phone: '+1 415 555 0145' });
    await untilDelivered(baton.app.database.prisma, leadId);
    const id = await schedule(baton, { leadId, channel: 'SMS', recipient: '+1 415 555 0145', scheduledFor: new Date(Date.now() + 1_500) });
    const stored = await baton.graphql(/* GraphQL */ `mutation { storeLeadProfile(leadId: "${leadId}", input: { doNotContact: true }) { __typename } }`);
    expect(stored.body.errors).toBeUndefined();
    const suppressed = await untilStatus(baton, id, 'SUPPRESSED');
    expect(suppressed).toMatchObject({ attempts: 0, sentAt: null, transport: null });
    expect(baton.app.cipher.openOptional(suppressed.lastError)).toMatch(/^Do not contact/);
    expect(webhook.received.filter((received) => received.body.id === id)).toEqual([]);
  });
});

describe('with no transport configured (the embedded default)', () => {
  let baton: TestApp;
  beforeAll(async () => {
    baton = await startTestApp();
  });
  afterAll(() => baton?.stop());

  it('keeps the first touchpoint in the local mailbox, readable through GraphQL, and never reports it as sent by a real transport', async () => {
    const leadId = uniqueLeadId('mailbox');
    await processLead(baton, { leadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', email: `${leadId}@example.org` });
    await untilDelivered(baton.app.database.prisma, leadId);
    const mailbox = await outbox(baton, { leadId, transport: 'MAILBOX' });
    expect(mailbox).toHaveLength(1);
    expect(mailbox[0]).toMatchObject({ status: 'SENT', transport: 'MAILBOX', attempts: 1, interaction: { type: 'TOUCHPOINT_SENT' } });
    expect(mailbox[0]!.providerMessageId).toBe(`mailbox:${mailbox[0]!.dedupKey}`);
    expect(mailbox[0]!.body.length).toBeGreaterThan(0);
    // Nothing went out any other way.
    expect((await outbox(baton, { leadId })).filter((message) => message.transport !== null && message.transport !== 'MAILBOX')).toEqual([]);

    // The lead's flow, read later, says where it went.
    const flow = await baton.graphql<
      { lead: { latestFlow: { engagement: { deliveryStatus: string; transport: string; sentAt: string | null } } } },
      { id: string }
    >(/* GraphQL */ `query Flow($id: ID!) { lead(id: $id) { latestFlow { engagement { deliveryStatus transport sentAt } } outboundMessages { id } } }`, {
      id: leadId,
    });
    expect(flow.body.data!.lead.latestFlow.engagement).toEqual({ deliveryStatus: 'SENT', transport: 'MAILBOX', sentAt: mailbox[0]!.sentAt });
  });

  it('answers a touchpoint the frequency cap moved later as scheduled, with scheduled_for and no sent_at (REST)', async () => {
    const leadId = uniqueLeadId('capped');
    await processLead(baton, { leadId, industry: 'FINANCE', companySize: 'SMB', email: `${leadId}@example.org` });
    await untilDelivered(baton.app.database.prisma, leadId);
    // Two more touchpoints sent outside Baton today: with the first, three in 7 days, the cap.
    for (let i = 0; i < 2; i++) {
      const { body } = await baton.graphql(
        /* GraphQL */ `mutation { recordInteraction(input: { leadId: "${leadId}", type: TOUCHPOINT_SENT, channel: EMAIL }) { __typename } }`,
      );
      expect(body.errors).toBeUndefined();
    }
    // Changed data (a source now known): a re-engagement, not a re-submission answered with the first flow.
    const response = await baton.post('/api/v1/leads', {
      lead_data: { lead_id: leadId, industry: 'Finance', company_size: 'SMB', email: `${leadId}@example.org`, source: 'webinar' },
    });
    expect(response.status).toBe(200);
    const { engagement_result: result } = (await response.json()) as {
      engagement_result: { sent_at: string | null; scheduled_for: string; delivery_status: string; transport: string | null };
    };
    expect(result).toMatchObject({ sent_at: null, delivery_status: 'scheduled', transport: null });
    expect(Date.parse(result.scheduled_for)).toBeGreaterThan(Date.now() + 24 * 3_600_000);
  });
});
