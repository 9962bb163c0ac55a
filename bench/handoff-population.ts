// `npm run bench:population`: 1,000 generated leads through the whole system,
// and what became of them: handoff success rate, quality-gate failures,
// enrichment rescues, context requests, escalations, context preservation
// accuracy, messages sent / suppressed / failed, and each agent's times.
//
// The population has a realistic mix of missing fields
// (tests/support/synthetic-population.ts: email on 60 %, phone on 30 %, persona
// and source sometimes unknown), and on top of it:
//   - returning leads (RETURNING_SHARE): Baton triaged them before and holds an
//     email in their long-term profile that this submission leaves out, so the
//     gate must recall it from memory (an enrichment rescue);
//   - leads who asked not to be contacted (DO_NOT_CONTACT_SHARE), set in their
//     profile before the submission: their messages must be suppressed;
//   - addresses the SMTP server refuses for good (BOUNCING_SHARE): failed.
// Delivery is real: an SMTP server (smtp-server) and a webhook receiver run in
// this process on 127.0.0.1; the webhook answers 503 to one first try in ten,
// so retries happen. Each database is fresh; the server is the compiled working
// tree in its own process, with every role.
//
// Environment: BENCH_LEADS (default 1000), BENCH_DATABASES (default
// pglite,postgres), BENCH_CONCURRENCY (default 16), BENCH_DATABASE_URL /
// DATABASE_URL (where the PostgreSQL database is created).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createTokenService } from '../src/auth/jwt.js';
import { SIGNATURE_HEADER, signPayload, verifySignature } from '../src/delivery/webhook-signature.js';
import { COMPANY_SIZE_LABELS, INDUSTRY_LABELS, PERSONA_LABELS } from '../src/domain/labels.js';
import type { LeadInput } from '../src/domain/lead.js';
import { generatePopulation, mulberry32 } from '../tests/support/synthetic-population.js';
import { prepareCurrent } from './builds.js';
import { Cleanup, cleanUpOnSignals } from './cleanup.js';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  postgresAdminUrl,
  type BenchDatabase,
  type DatabaseKind,
  type Row,
  type SqlReader,
} from './databases.js';
import { markdownTable, writeResults } from './latency.js';
import { machineInfo } from './report.js';
import { REPO_ROOT, startBaton, waitUntilIdle, type Target } from './targets.js';

const RETURNING_SHARE = 0.2;
const DO_NOT_CONTACT_SHARE = 0.05;
const BOUNCING_SHARE = 0.03;
const WEBHOOK_FAILURE_SHARE = 0.1;
const SEED = 14;
const WEBHOOK_SECRET = randomBytes(24).toString('hex');
const JWT_SECRET = randomBytes(32).toString('hex');

interface Parameters {
  leads: number;
  databases: DatabaseKind[];
  concurrency: number;
}

function readParameters(env: NodeJS.ProcessEnv = process.env): Parameters {
  const leads = Number(env.BENCH_LEADS ?? 1000);
  const concurrency = Number(env.BENCH_CONCURRENCY ?? 16);
  const databases = (env.BENCH_DATABASES ?? 'pglite,postgres').split(',').map((kind) => kind.trim()) as DatabaseKind[];
  if (!Number.isInteger(leads) || leads < 10) throw new Error(`BENCH_LEADS must be a whole number ≥ 10, got "${env.BENCH_LEADS}"`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`BENCH_CONCURRENCY must be a positive whole number, got "${env.BENCH_CONCURRENCY}"`);
  if (databases.some((kind) => kind !== 'pglite' && kind !== 'postgres'))
    throw new Error(`BENCH_DATABASES must list pglite and/or postgres, got "${env.BENCH_DATABASES}"`);
  return { leads, databases, concurrency };
}

/** One lead of the population and what this run does to it before submitting it. */
interface PopulationLead {
  lead: LeadInput;
  kind: 'new' | 'returning' | 'do-not-contact';
  /** Held in the profile only (returning leads): the submission leaves it out. */
  profileEmail: string | null;
}

function population(size: number): PopulationLead[] {
  const random = mulberry32(SEED);
  return generatePopulation({ size, seed: SEED, idPrefix: `pop-${Date.now().toString(36)}` }).map(({ lead }, index) => {
    const draw = random();
    const bouncing = random() < BOUNCING_SHARE;
    const email = lead.email ? (bouncing ? `bounce-${index}@synthetic.example.com` : lead.email) : null;
    if (draw < RETURNING_SHARE) {
      return { lead: { ...lead, email: null }, kind: 'returning', profileEmail: email ?? `returning-${index}@synthetic.example.com` };
    }
    if (draw < RETURNING_SHARE + DO_NOT_CONTACT_SHARE) return { lead: { ...lead, email }, kind: 'do-not-contact', profileEmail: null };
    return { lead: { ...lead, email }, kind: 'new', profileEmail: null };
  });
}

/** The REST shape of a lead (the specification's lead_data). */
function leadData(lead: LeadInput): Record<string, unknown> {
  const data: Record<string, unknown> = {
    lead_id: lead.leadId,
    industry: INDUSTRY_LABELS[lead.industry],
    company_size: COMPANY_SIZE_LABELS[lead.companySize],
  };
  if (lead.source) data.source = lead.source;
  if (lead.persona) data.persona = PERSONA_LABELS[lead.persona];
  if (lead.email) data.email = lead.email;
  if (lead.phone) data.phone = lead.phone;
  return data;
}

/** Where the messages really go: an SMTP server and a signed-webhook receiver on 127.0.0.1. */
async function startReceivers(cleanup: Cleanup) {
  const received = { smtp: 0, smtpRefused: 0, webhook: 0, webhookRefused: 0, badSignatures: 0 };
  /** The dedup key of every message that arrived: what a provider names in the receipts it posts back. */
  const delivered: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('bounce-')) {
        received.smtpRefused++;
        const error = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('utf8');
      });
      stream.on('end', () => {
        received.smtp++;
        const key = /^Message-ID:\s*<([^@>]+)@/im.exec(head)?.[1];
        if (key) delivered.push(key);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  cleanup.defer('stop the SMTP server', () => new Promise<void>((resolve) => smtp.close(() => resolve())));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const random = mulberry32(SEED + 1);
  const seen = new Set<string>();
  const webhook = createServer(async (request, response) => {
    const body = await readBody(request);
    if (!verifySignature(WEBHOOK_SECRET, request.headers[SIGNATURE_HEADER] as string | undefined, body).valid) {
      received.badSignatures++;
      response.writeHead(401).end();
      return;
    }
    const key = String(request.headers['idempotency-key']);
    // A first try fails now and then, as providers do: the delivery worker must retry it.
    if (!seen.has(key) && random() < WEBHOOK_FAILURE_SHARE) {
      seen.add(key);
      received.webhookRefused++;
      response.writeHead(503).end();
      return;
    }
    seen.add(key);
    received.webhook++;
    delivered.push(key);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `wh-${received.webhook}` }));
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  cleanup.defer('stop the webhook receiver', () => new Promise<void>((resolve) => webhook.close(() => resolve())));
  const webhookPort = (webhook.address() as AddressInfo).port;
  return {
    received,
    delivered,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SMTP_FROM: 'Baton <baton@synthetic.example.com>',
      WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/deliveries`,
      WEBHOOK_SECRET,
      DELIVERY_BACKOFF_MS: '200',
      DELIVERY_BACKOFF_MAX_MS: '2000',
      MANAGER_EMAILS: 'managers@synthetic.example.com',
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

class Client {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  }

  async jsonRpc(method: string, params: unknown): Promise<void> {
    const { status, body } = await this.post('/mcp', { jsonrpc: '2.0', id: 1, method, params });
    const error = (body as { error?: { message: string } } | null)?.error;
    if (status !== 200 || error) throw new Error(`${method} answered ${status}: ${error?.message ?? JSON.stringify(body)}`);
  }
}

/** Runs `work` on every item, `concurrency` at a time. */
async function eachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Before the submission: returning leads are known with their email in the profile; others asked not to be contacted. */
async function prepareMemory(client: Client, leads: readonly PopulationLead[], concurrency: number): Promise<void> {
  const prepared = leads.filter(({ kind }) => kind !== 'new');
  await eachConcurrently(prepared, concurrency, async ({ lead, kind, profileEmail }) => {
    await client.jsonRpc('agent/triage/lead', { lead_data: leadData(lead) });
    const profile = kind === 'returning' ? { attributes: { email: profileEmail } } : { do_not_contact: true };
    await client.jsonRpc('memory/store/long-term', { lead_id: lead.leadId, profile });
  });
}

async function submit(client: Client, leads: readonly PopulationLead[], concurrency: number): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  await eachConcurrently(leads, concurrency, async ({ lead }) => {
    const { status } = await client.post('/api/v1/leads', { lead_data: leadData(lead) });
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  return statuses;
}

/** What comes back from the providers, signed: receipts for every message, opens, replies, unsubscribes. */
const RECEIPTS = { opened: 0.3, clicked: 0.1, replied: 0.05, unsubscribed: 0.03 } as const;

async function postReceipts(url: string, delivered: readonly string[]): Promise<Record<string, number>> {
  const random = mulberry32(SEED + 2);
  const events: Record<string, unknown>[] = [];
  const now = new Date().toISOString();
  for (const key of delivered) {
    events.push({ id: `${key}-delivered`, type: 'delivered', dedup_key: key, occurred_at: now });
    for (const [type, share] of Object.entries(RECEIPTS)) {
      if (random() < share) events.push({ id: `${key}-${type}`, type, dedup_key: key, occurred_at: now });
    }
  }
  const totals: Record<string, number> = { accepted: 0, duplicates: 0, rejected: 0 };
  for (let start = 0; start < events.length; start += 200) {
    const body = JSON.stringify({ events: events.slice(start, start + 200) });
    const response = await fetch(`${url}/api/v1/events/deliveries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signPayload(WEBHOOK_SECRET, body) },
      body,
    });
    const answer = (await response.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
    if (response.status !== 200) throw new Error(`POST /api/v1/events/deliveries answered ${response.status}: ${JSON.stringify(answer)}`);
    totals.accepted! += answer.accepted;
    totals.duplicates! += answer.duplicates;
    totals.rejected! += answer.rejected.length;
  }
  for (const type of ['delivered', ...Object.keys(RECEIPTS)]) totals[type] = events.filter((event) => event.type === type).length;
  return totals;
}

/** Every message due is out (sent, failed, suppressed): none waiting for a retry or being sent. */
async function untilDeliveredDue(sql: SqlReader, deadlineMs: number): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const [row] = await sql.query(`SELECT count(*)::int AS n FROM "OutboundMessage" WHERE "status" IN ('SCHEDULED', 'SENDING') AND "scheduledFor" <= now()`);
    if (Number(row!.n) === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

const AGENT_HANDOFFS = `"type" <> 'MANAGER_ESCALATION'`;

async function readOutcome(sql: SqlReader, leadIds: readonly string[]) {
  const scoped = `"leadId" = ANY($1::text[])`;
  const one = async (query: string): Promise<Row> => (await sql.query(query, [leadIds]))[0]!;
  const handoffs = await sql.query(`SELECT "type", "status", count(*)::int AS n FROM "Handoff" WHERE ${scoped} GROUP BY 1, 2 ORDER BY 1, 2`, [leadIds]);
  const success = await one(`
    SELECT count(*) FILTER (WHERE "status" = 'COMPLETED')::int AS completed,
           count(*) FILTER (WHERE "status" IN ('COMPLETED', 'FAILED', 'ESCALATED'))::int AS finished
    FROM "Handoff" WHERE ${scoped} AND ${AGENT_HANDOFFS}`);
  // The gate's story of each agent handoff, from its events' statuses and scores (their details are stored
  // sealed): enriched from memory is an ENRICHED before any CONTEXT_REQUESTED (an operator's comes after one);
  // a refusal by the gate is the only FAILED or ESCALATED that carries a quality score.
  const gate = await one(`
    WITH h AS (
      SELECT h."id",
             bool_or(e."status" = 'ENRICHED' AND NOT EXISTS (
               SELECT 1 FROM "HandoffEvent" c WHERE c."handoffId" = h."id" AND c."status" = 'CONTEXT_REQUESTED' AND c."sequence" < e."sequence")) AS enriched,
             bool_or(e."status" = 'VALIDATED') AS validated,
             bool_or(e."status" = 'CONTEXT_REQUESTED') AS context_requested,
             bool_or(e."status" IN ('FAILED', 'ESCALATED') AND e."qualityScore" IS NOT NULL) AS refused
      FROM "Handoff" h JOIN "HandoffEvent" e ON e."handoffId" = h."id"
      WHERE h.${scoped} AND h.${AGENT_HANDOFFS}
      GROUP BY h."id")
    SELECT count(*) FILTER (WHERE enriched OR context_requested OR refused)::int AS gate_failures,
           count(*) FILTER (WHERE enriched AND validated)::int AS enrichment_rescues,
           count(*) FILTER (WHERE context_requested)::int AS context_requests
    FROM h`);
  const escalations = await sql.query(
    `SELECT "trigger", count(*)::int AS n FROM "Handoff" WHERE ${scoped} AND "type" = 'MANAGER_ESCALATION' GROUP BY 1 ORDER BY 1`,
    [leadIds],
  );
  const preservation = await one(`
    SELECT avg("contextPreservation")::float AS mean, count("contextPreservation")::int AS n,
           count(*) FILTER (WHERE "contextPreservation" >= 0.98)::int AS above_target
    FROM "Handoff" WHERE ${scoped} AND ${AGENT_HANDOFFS}`);
  const messages = await sql.query(
    `SELECT "purpose", "status", coalesce("transport"::text, '-') AS transport, count(*)::int AS n, max("attempts")::int AS max_attempts
     FROM "OutboundMessage" WHERE ${scoped} OR "leadId" IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [leadIds],
  );
  const agentTimes = await sql.query(
    `SELECT "toAgent" AS agent, "type", count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY "processingTimeMs")::float AS work_p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY "processingTimeMs")::float AS work_p95,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY "queueWaitMs")::float AS wait_p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY "queueWaitMs")::float AS wait_p95
     FROM "Handoff" WHERE ${scoped} AND ${AGENT_HANDOFFS} AND "processingTimeMs" IS NOT NULL GROUP BY 1, 2 ORDER BY 2, 1`,
    [leadIds],
  );
  const triage = await one(`
    SELECT count("triageMs")::int AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY "triageMs")::float AS work_p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY "triageMs")::float AS work_p95,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY "triageWaitMs")::float AS wait_p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY "triageWaitMs")::float AS wait_p95
    FROM "LeadFlow" WHERE ${scoped}`);
  const unreached = await one(`
    SELECT count(*)::int AS n FROM "Handoff" h
    WHERE h.${scoped} AND h."type" = 'TRIAGE_TO_ENGAGEMENT' AND h."status" = 'COMPLETED'
      AND NOT EXISTS (SELECT 1 FROM "OutboundMessage" m WHERE m."leadId" = h."leadId")`);
  const interactions = await sql.query(
    `SELECT "type", count(*)::int AS n FROM "Interaction" WHERE ${scoped} AND "type" <> 'TOUCHPOINT_SENT' GROUP BY 1 ORDER BY 1`,
    [leadIds],
  );
  const flows = await sql.query(`SELECT "status", count(*)::int AS n FROM "LeadFlow" WHERE ${scoped} GROUP BY 1 ORDER BY 1`, [leadIds]);
  return { handoffs, success, gate, escalations, preservation, messages, agentTimes, triage, flows, unreached, interactions };
}

type Outcome = Awaited<ReturnType<typeof readOutcome>>;

function report(
  kind: DatabaseKind,
  leads: readonly PopulationLead[],
  statuses: Record<string, number>,
  outcome: Outcome,
  received: Record<string, number>,
  receipts: Record<string, number>,
  idle: boolean,
): string {
  const count = (kindOf: PopulationLead['kind']) => leads.filter(({ kind: k }) => k === kindOf).length;
  const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '—');
  const ms = (value: unknown) => (value === null || value === undefined ? '—' : `${Math.round(Number(value))}`);
  const { success, gate, preservation } = outcome;
  const sent = outcome.messages.filter((row) => row.status === 'SENT').reduce((sum, row) => sum + Number(row.n), 0);
  const byStatus = (status: string) => outcome.messages.filter((row) => row.status === status).reduce((sum, row) => sum + Number(row.n), 0);
  const lines = [
    `## ${kind}: ${leads.length} leads (${count('new')} new, ${count('returning')} returning with the email only in memory, ${count('do-not-contact')} do-not-contact)`,
    '',
    `Answers to POST /api/v1/leads: ${Object.entries(statuses)
      .map(([status, n]) => `${status} × ${n}`)
      .join(', ')}${idle ? '' : ' (the queues were still busy when the run stopped waiting)'}`,
    '',
    markdownTable(
      ['Figure', 'Value'],
      [
        [
          'Handoff success rate (agent handoffs COMPLETED / finished)',
          `${pct(Number(success.completed), Number(success.finished))} (${success.completed} / ${success.finished})`,
        ],
        ['Quality-gate failures (first score not above 0.7)', String(gate.gate_failures)],
        ['Enrichment rescues (passed after recall from memory)', String(gate.enrichment_rescues)],
        ['Context requests (CONTEXT_REQUESTED)', String(gate.context_requests)],
        ['Escalations', outcome.escalations.map((row) => `${row.trigger} × ${row.n}`).join(', ') || '0'],
        [
          'Context preservation accuracy (mean over handoffs worked)',
          preservation.mean === null ? '—' : `${(100 * Number(preservation.mean)).toFixed(2)} % (${preservation.above_target} of ${preservation.n} at ≥ 98 %)`,
        ],
        ['Messages sent / suppressed / failed / bounced', `${sent} / ${byStatus('SUPPRESSED')} / ${byStatus('FAILED')} / ${byStatus('BOUNCED')}`],
        ['Still scheduled (follow-ups not yet due) / cancelled', `${byStatus('SCHEDULED')} / ${byStatus('CANCELLED')}`],
        ['Leads engagement did not contact (contact policy: do-not-contact, no consent)', String(outcome.unreached.n)],
        [
          'Receipts posted (signed) → accepted / duplicates / rejected',
          `${Object.entries(receipts)
            .filter(([type]) => !['accepted', 'duplicates', 'rejected'].includes(type))
            .map(([type, n]) => `${type} ${n}`)
            .join(', ')} → ${receipts.accepted} / ${receipts.duplicates} / ${receipts.rejected}`,
        ],
        ['Interactions recorded from receipts', outcome.interactions.map((row) => `${row.type} ${row.n}`).join(', ') || '0'],
        [
          'Received by the test servers',
          `SMTP ${received.smtp} (refused ${received.smtpRefused}), webhook ${received.webhook} (503 on a first try: ${received.webhookRefused}), bad signatures ${received.badSignatures}`,
        ],
      ],
      ['left', 'left'],
    ),
    '',
    'Handoffs by type and status:',
    '',
    markdownTable(
      ['Type', 'Status', 'Count'],
      outcome.handoffs.map((row) => [String(row.type), String(row.status), String(row.n)]),
      ['left', 'left', 'right'],
    ),
    '',
    'Messages by purpose, status and transport:',
    '',
    markdownTable(
      ['Purpose', 'Status', 'Transport', 'Count', 'Max attempts'],
      outcome.messages.map((row) => [String(row.purpose), String(row.status), String(row.transport), String(row.n), String(row.max_attempts)]),
      ['left', 'left', 'left', 'right', 'right'],
    ),
    '',
    'Per-agent times (ms; work = accepted → done, wait = due → taken from the queue):',
    '',
    markdownTable(
      ['Agent', 'Handoffs', 'Work p50', 'Work p95', 'Queue wait p50', 'Queue wait p95'],
      [
        [
          'triage (per flow)',
          String(outcome.triage.n),
          ms(outcome.triage.work_p50),
          ms(outcome.triage.work_p95),
          ms(outcome.triage.wait_p50),
          ms(outcome.triage.wait_p95),
        ],
        ...outcome.agentTimes.map((row) => [
          `${row.agent} (${row.type})`,
          String(row.n),
          ms(row.work_p50),
          ms(row.work_p95),
          ms(row.wait_p50),
          ms(row.wait_p95),
        ]),
      ],
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
    '',
    `Flows: ${outcome.flows.map((row) => `${row.status} × ${row.n}`).join(', ')}`,
  ];
  return lines.join('\n');
}

async function runOn(cleanup: Cleanup, kind: DatabaseKind, parameters: Parameters): Promise<{ text: string; data: object }> {
  const database: BenchDatabase | { skipped: string } =
    kind === 'pglite' ? await createPgliteDatabase(cleanup) : await createPostgresDatabase(cleanup, postgresAdminUrl().url);
  if ('skipped' in database) return { text: `## ${kind}: skipped (${database.skipped})`, data: { skipped: database.skipped } };
  const receivers = await startReceivers(cleanup);
  const build = await prepareCurrent(REPO_ROOT);
  const server: Target = await startBaton(cleanup, build, { ...database.env, ...receivers.env, JWT_SECRET });
  const leads = population(parameters.leads);
  const token = await createTokenService(JWT_SECRET).sign({ subject: 'bench-population', roles: ['admin'] });
  const client = new Client(server.url, token);
  console.log(`▸ ${kind}: preparing memory for ${leads.filter(({ kind: k }) => k !== 'new').length} leads…`);
  await prepareMemory(client, leads, parameters.concurrency);
  console.log(`▸ ${kind}: submitting ${leads.length} leads, ${parameters.concurrency} at a time…`);
  const started = performance.now();
  const statuses = await submit(client, leads, parameters.concurrency);
  const submitSeconds = (performance.now() - started) / 1000;
  let idle = await waitUntilIdle(server);
  console.log(`▸ ${kind}: posting the providers' receipts for ${receivers.delivered.length} messages…`);
  const receipts = await postReceipts(server.url, receivers.delivered);
  idle = (await waitUntilIdle(server)) && idle;
  // PGlite is the server's own database: its figures are read once it has stopped.
  if (kind === 'postgres') {
    const sql = await database.open();
    idle = (await untilDeliveredDue(sql, 60_000)) && idle;
    await sql.close();
  } else {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
  await server.stop();
  const sql = await database.open();
  const outcome = await readOutcome(
    sql,
    leads.map(({ lead }) => lead.leadId),
  );
  await sql.close();
  const text = `${report(kind, leads, statuses, outcome, receivers.received, receipts, idle)}\n\nSubmitted in ${submitSeconds.toFixed(1)} s.`;
  return { text, data: { kind, statuses, submitSeconds, received: receivers.received, receipts, ...outcome } };
}

async function main(): Promise<void> {
  const parameters = readParameters();
  const cleanup = new Cleanup();
  cleanUpOnSignals(cleanup);
  const startedAt = new Date();
  const sections: string[] = [];
  const results: object[] = [];
  try {
    for (const kind of parameters.databases) {
      const { text, data } = await runOn(cleanup, kind, parameters);
      console.log(`\n${text}\n`);
      sections.push(text);
      results.push(data);
    }
  } finally {
    await cleanup.runAll();
  }
  const file = await writeResults(join(REPO_ROOT, 'bench', 'results'), 'handoff-population', { machine: machineInfo(), parameters, results }, startedAt);
  console.log(`Results: ${file}`);
}

await main();
