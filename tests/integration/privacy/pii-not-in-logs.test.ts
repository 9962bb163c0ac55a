// Issue 16: "PII never appears in logs or metrics labels; test it". One person's
// address and number sent through every door (GraphQL, REST, JSON-RPC, MCP), in
// well-formed requests and in bad ones that quote them (a malformed field, a
// value of the wrong type, an unknown lead named by address, a path holding the
// address), with Baton logging at trace level into a stream the test reads: the
// log and /metrics hold neither, in any form the plaintext scan looks for.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { untilDelivered } from '../../support/delivery.js';
import { holds, type Needles } from '../../support/plaintext-scan.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

const tag = randomBytes(3).toString('hex');
const LOCAL_PART = `ilse.verbeek.${tag}`;
const EMAIL = `${LOCAL_PART}@logtest.example`;
const PHONE_DIGITS = `3120${String(Number.parseInt(tag, 16) % 1_000_000).padStart(6, '0')}`;
const PHONE = `+31 20 ${PHONE_DIGITS.slice(4, 7)} ${PHONE_DIGITS.slice(7)}`;
const NEEDLES: Needles = { texts: [EMAIL, LOCAL_PART, PHONE, encodeURIComponent(EMAIL)], digits: [PHONE_DIGITS] };

let baton: TestApp;
const lines: string[] = [];

/** Log lines that quote the person: the line itself, so a failure shows where the leak is. */
const leakingLines = () => lines.filter((line) => holds(line, NEEDLES));

const leadData = (leadId: string, extra: Record<string, unknown> = {}) => ({
  lead_id: leadId,
  industry: 'Technology',
  company_size: 'Enterprise',
  source: 'organic',
  email: EMAIL,
  phone: PHONE,
  ...extra,
});

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' }, logger: createLogger('trace', 'pii-in-logs', destination) });
}, 60_000);
afterAll(() => baton?.stop());

describe("a person's data sent through every door", () => {
  it('GraphQL: a lead processed, its profile, short-term memory and a reply; bad input quoting her', async () => {
    const leadId = uniqueLeadId('logs-gql');
    const processed = await baton.graphql('mutation ($input: LeadInput!) { processLead(input: $input) { status } }', {
      input: { leadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'organic', email: EMAIL, phone: PHONE },
    });
    expect(processed.body.errors).toBeUndefined();
    await untilDelivered(baton.app.services.prisma, leadId);
    const writes = await Promise.all([
      baton.graphql('mutation ($id: ID!, $input: LeadProfileInput!) { storeLeadProfile(leadId: $id, input: $input) { __typename } }', {
        id: leadId,
        input: { attributes: { contact: { email: EMAIL, phone: PHONE } } },
      }),
      baton.graphql('mutation ($id: ID!, $input: ConversationContextInput!) { storeShortTermMemory(conversationId: $id, input: $input) { conversationId } }', {
        id: `conv-${leadId}`,
        input: { leadId, extractedSlots: { email: EMAIL, phone: PHONE } },
      }),
      baton.graphql('mutation ($input: InteractionInput!) { recordInteraction(input: $input) { __typename } }', {
        input: { leadId, type: 'REPLY', channel: 'EMAIL', metadata: { from: EMAIL, note: `call ${PHONE}` } },
      }),
    ]);
    for (const { body } of writes) expect(body.errors).toBeUndefined();

    // Bad input: a malformed address, a value of the wrong type, an unknown field: each refused, naming the field.
    const refused = await Promise.all([
      baton.graphql('mutation ($input: LeadInput!) { processLead(input: $input) { status } }', {
        input: { leadId: uniqueLeadId(), industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', email: `${EMAIL} ${PHONE}`, phone: EMAIL },
      }),
      baton.graphql('mutation ($input: LeadInput!) { processLead(input: $input) { status } }', {
        input: { leadId: uniqueLeadId(), industry: EMAIL, companySize: 'ENTERPRISE', email: EMAIL },
      }),
      baton.graphql('mutation ($input: InteractionInput!) { recordInteraction(input: $input) { __typename } }', {
        input: { leadId: EMAIL, type: 'REPLY', channel: 'EMAIL', body: PHONE },
      }),
      baton.graphql(`{ lead(id: "${EMAIL}") { email } }`, {}),
    ]);
    for (const { status, body } of refused) expect(status < 500 && (body.errors !== undefined || body.data !== undefined)).toBe(true);
    expect(leakingLines()).toEqual([]);
  });

  it('REST: a lead processed, then bad input and an address in the path', async () => {
    const leadId = uniqueLeadId('logs-rest');
    const processed = await baton.post('/api/v1/leads', { lead_data: leadData(leadId) }, { headers: { 'idempotency-key': `logs-${tag}` } });
    expect(processed.status).toBe(200);
    const bad = await baton.post('/api/v1/leads', { lead_data: leadData(uniqueLeadId(), { email: `not an address ${PHONE}`, company_size: EMAIL }) });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${baton.url}/api/v1/leads/${encodeURIComponent(EMAIL)}`, {
      headers: { authorization: `Bearer ${await baton.token('admin')}` },
    });
    expect(unknown.status).toBeLessThan(500);
    const malformed = await baton.post('/api/v1/leads', `{"lead_data": {"email": "${EMAIL}", `);
    expect(malformed.status).toBe(400);
    expect(leakingLines()).toEqual([]);
  });

  it('JSON-RPC and MCP: a lead triaged, then bad input quoting her', async () => {
    const call = (params: unknown, id: number) => baton.post('/mcp', { jsonrpc: '2.0', id, method: 'agent/triage/lead', params });
    expect((await call({ lead_data: leadData(uniqueLeadId('logs-rpc')) }, 1)).status).toBe(200);
    const invalid = await (await call({ lead_data: leadData(uniqueLeadId(), { industry: EMAIL, email: PHONE }) }, 2)).json();
    expect(invalid.error.code).toBe(-32602);

    const mcp = new Client({ name: 'baton-pii-logs', version: '1.0.0' });
    const token = await baton.token('admin');
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    try {
      const triaged = await mcp.callTool({ name: 'triage_lead', arguments: { lead_data: leadData(uniqueLeadId('logs-mcp')) } });
      expect(triaged.isError).toBeFalsy();
      const refused = await mcp.callTool({ name: 'triage_lead', arguments: { lead_data: leadData(uniqueLeadId(), { email: `${EMAIL}@@`, phone: EMAIL }) } });
      expect(refused.isError).toBe(true);
      const missing = await mcp.callTool({ name: 'get_lead_profile', arguments: { lead_id: EMAIL } });
      expect(missing.isError).toBe(true);
    } finally {
      await mcp.close();
    }
    expect(leakingLines()).toEqual([]);
  });

  it('leaves neither the address nor the number in /metrics', async () => {
    const metrics = await (await fetch(`${baton.url}/metrics`)).text();
    expect(metrics).toContain('baton_');
    expect(holds(metrics, NEEDLES)).toBe(false);
    expect(lines.length).toBeGreaterThan(10); // the log was written, at trace level
    expect(leakingLines()).toEqual([]);
  });
});
