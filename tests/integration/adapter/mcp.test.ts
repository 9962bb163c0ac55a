// The MCP server end to end: the official SDK Client over Streamable HTTP, with a
// bearer token, against a real Baton on a free port.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import { toolSchemaFindings } from '../../support/tool-schema-portability.js';

let baton: TestApp;
let client: Client;

async function connect(token: string | null): Promise<Client> {
  const mcp = new Client({ name: 'baton-test', version: '1.0.0' });
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${baton.url}/mcp`), { requestInit: { headers } }));
  return mcp;
}

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
  client = await connect(await baton.token('admin'));
});
afterAll(async () => {
  await client?.close();
  await baton?.stop();
});

const leadData = (leadId: string) => ({
  lead_id: leadId,
  industry: 'Technology',
  company_size: 'Enterprise',
  persona: 'Decision Maker',
  source: 'webinar',
  email: `${leadId}@example.com`,
});

/** The JSON a failed tool call explains itself with. */
function toolError(result: Awaited<ReturnType<Client['callTool']>>) {
  expect(result.isError).toBe(true);
  const [content] = result.content as { type: string; text: string }[];
  return JSON.parse(content!.text).error as { code: string; message: string; issues?: { path: string; message: string }[] };
}

describe('MCP over Streamable HTTP', () => {
  it('initializes as Baton and answers ping', async () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'baton' });
    expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {}, prompts: {} });
    expect(client.getInstructions()).toContain('triage_lead');
    await expect(client.ping()).resolves.toEqual({});
  });

  it('refuses a client without a bearer token', async () => {
    await expect(connect(null)).rejects.toThrow(/401|Unauthorized|token/i);
  });

  it('lists tools with descriptions, input and output schemas, and honest annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'analyze_campaign',
      'erase_lead',
      'execute_engagement',
      'get_campaign_metrics',
      'get_handoff_analytics',
      'get_lead_profile',
      'log_interaction',
      'provide_handoff_context',
      'recall_conversation_memory',
      'resolve_escalation',
      'store_conversation_memory',
      'store_lead_profile',
      'triage_lead',
    ]);
    for (const tool of tools) {
      expect(tool.description!.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(tool.name.startsWith('get_') || tool.name.startsWith('recall_'));
    }
    const triage = tools.find((tool) => tool.name === 'triage_lead')!;
    expect(JSON.stringify(triage.inputSchema)).toContain('"Mid-Market"');
  });

  it('publishes tool schemas MCP Inspector --strict finds portable: no type arrays, no untyped or boolean schemas, no remote refs', async () => {
    const { tools } = await client.listTools();
    expect(tools.flatMap((tool) => toolSchemaFindings(tool).map((finding) => ({ tool: tool.name, ...finding })))).toEqual([]);
  });

  it('triages a lead: structured content as the specification’s TriageResult', async () => {
    const leadId = uniqueLeadId('mcp');
    const result = await client.callTool({ name: 'triage_lead', arguments: { lead_data: leadData(leadId) } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ lead_id: leadId, triage_category: expect.any(String), lead_score: expect.any(Number) });
    expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toEqual(result.structuredContent);
  });

  it('answers invalid arguments and domain failures with isError, never a crash', async () => {
    const invalid = await client.callTool({ name: 'triage_lead', arguments: { lead_data: { lead_id: 'x', industry: 'Tech' } } });
    expect(invalid.isError).toBe(true);
    expect((invalid.content as { text: string }[])[0]!.text).toMatch(/lead_data\.industry/);

    const badEmail = await client.callTool({ name: 'triage_lead', arguments: { lead_data: { ...leadData(uniqueLeadId('mcp')), email: 'not-an-email' } } });
    expect(toolError(badEmail)).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'lead_data.email' }] });

    const missing = await client.callTool({ name: 'get_lead_profile', arguments: { lead_id: uniqueLeadId('nobody') } });
    expect(toolError(missing)).toMatchObject({ code: 'NOT_FOUND' });

    const unknownTool = await client.callTool({ name: 'no_such_tool', arguments: {} });
    expect(unknownTool.isError).toBe(true);
  });

  it('refuses a role that may not use a tool, as a tool error', async () => {
    const viewer = await connect(await baton.token('viewer'));
    try {
      const result = await viewer.callTool({ name: 'triage_lead', arguments: { lead_data: leadData(uniqueLeadId('mcp')) } });
      expect(toolError(result)).toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await viewer.close();
    }
  });

  it('reports progress on a long call when the client sends a progress token', async () => {
    const updates: Progress[] = [];
    const result = await client.callTool({ name: 'execute_engagement', arguments: { lead_data: leadData(uniqueLeadId('mcp')) } }, undefined, {
      onprogress: (progress) => updates.push(progress),
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ success: expect.any(Boolean), handoff: { handoff_id: expect.any(String) } });
    expect(updates.map((update) => update.progress)).toEqual([0, 1]);
    expect(updates.at(-1)).toMatchObject({ total: 1, message: expect.stringContaining('done') });
  });

  it('remembers and recalls a conversation; an unknown one recalls null', async () => {
    const conversationId = `conv-${uniqueLeadId('mcp')}`;
    const stored = await client.callTool({
      name: 'store_conversation_memory',
      arguments: { conversation_id: conversationId, memory_data: { active_intent: 'pricing', extracted_slots: { seats: 40 } } },
    });
    expect(stored.structuredContent).toMatchObject({ conversation_id: conversationId, active_intent: 'pricing' });
    const recalled = await client.callTool({ name: 'recall_conversation_memory', arguments: { conversation_id: conversationId } });
    expect(recalled.structuredContent).toMatchObject({ context: { extracted_slots: { seats: 40 } } });
    const unknown = await client.callTool({ name: 'recall_conversation_memory', arguments: { conversation_id: `${conversationId}-none` } });
    expect(unknown.structuredContent).toEqual({ context: null });
  });

  it('serves leads, campaigns and handoff analytics as resources', async () => {
    const leadId = uniqueLeadId('mcp-resource');
    await client.callTool({ name: 'triage_lead', arguments: { lead_data: leadData(leadId) } });
    const campaignId = `campaign-${leadId}`;
    const week = { period_start: '2026-10-05T00:00:00Z', period_end: '2026-10-12T00:00:00Z' };
    const analyzed = await client.callTool({
      name: 'analyze_campaign',
      arguments: { campaign_id: campaignId, metrics: [{ ...week, impressions: 10_000, clicks: 400, conversions: 20, spend_usd: 1_000, revenue_usd: 3_000 }] },
    });
    expect(analyzed.isError).toBeFalsy();

    const { resources } = await client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toEqual(expect.arrayContaining(['baton://analytics/handoffs', `baton://leads/${leadId}`, `baton://campaigns/${campaignId}/metrics`]));
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(
      expect.arrayContaining(['baton://leads/{lead_id}', 'baton://campaigns/{campaign_id}/metrics']),
    );

    const profile = await client.readResource({ uri: `baton://leads/${leadId}` });
    expect(JSON.parse((profile.contents[0] as { text: string }).text)).toMatchObject({ lead_id: leadId, score_history: [expect.anything()] });
    const metrics = await client.readResource({ uri: `baton://campaigns/${campaignId}/metrics` });
    expect(JSON.parse((metrics.contents[0] as { text: string }).text)).toMatchObject({ campaign_id: campaignId, metrics: [expect.anything()] });
    const analytics = await client.readResource({ uri: 'baton://analytics/handoffs' });
    expect(JSON.parse((analytics.contents[0] as { text: string }).text)).toHaveProperty('total_handoffs');

    await expect(client.readResource({ uri: `baton://leads/${leadId}-missing` })).rejects.toMatchObject({ code: -32002 });
  }, 60_000);

  it('offers prompts that teach an agent to use Baton', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name).sort()).toEqual(['plan-follow-up', 'review-campaign', 'triage-inbound-email']);
    const prompt = await client.getPrompt({ name: 'triage-inbound-email', arguments: { email: 'From: ada@acme.io\n\nWe need 40 seats by Q3.' } });
    const text = (prompt.messages[0]!.content as { text: string }).text;
    expect(text).toContain('We need 40 seats by Q3.');
    expect(text).toContain('triage_lead');
    // The email is stored sealed; a lead id made of the address would carry it in clear everywhere.
    expect(text).toMatch(/lead_id \("msg:"/);
    expect(text).toContain("never the sender's address");
  });
});
