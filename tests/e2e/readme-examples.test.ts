// The README's shell examples that call Baton, run as written with bash against
// a Baton this test starts: first the token command (it sets $TOKEN), then every
// block with a curl in it, each expected to succeed with the answer it describes.
//
// What the test changes, and nothing else:
// - `localhost:8080` becomes this test's Baton, http://127.0.0.1:<free port>;
// - the environment is the test's (PATH with its Node), plus JWT_SECRET set to the
//   test server's key, as the README's "On real services" snippet exports it, so
//   that `npm run --silent token` signs for this server;
// - each block runs under `set -eo pipefail`: any command that fails fails it.
// Every curl in the README passes --fail-with-body, so an HTTP error fails its example.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
const TOKEN_BLOCK = BLOCKS.find((block) => block.includes('TOKEN=$('));
const CURL_BLOCKS = BLOCKS.filter((block) => /^curl\b/m.test(block));

interface Example {
  name: string;
  matches(block: string): boolean;
  check(output: string): void;
}

/** JSON answers, one per line or back to back, as curl prints them. */
function jsonAnswers(output: string): unknown[] {
  return output.split(/(?<=\})\s*(?=\{)/).map((part) => JSON.parse(part) as unknown);
}

/** Every example the README has; one that is not here fails the test until it is. */
const EXAMPLES: Example[] = [
  {
    name: 'GraphQL: processLead',
    matches: (block) => block.includes('localhost:8080/graphql'),
    check(output) {
      const [answer] = jsonAnswers(output);
      expect(answer).not.toHaveProperty('errors');
      expect(answer).toMatchObject({ data: { processLead: { success: true, triage: { category: 'CAMPAIGN_QUALIFIED' } } } });
    },
  },
  {
    name: 'REST: POST /api/v1/leads',
    matches: (block) => block.includes('/api/v1/leads') && !block.includes('idempotency-key'),
    check(output) {
      expect(jsonAnswers(output)).toMatchObject([{ success: true, lead_id: 'lead-001' }]);
    },
  },
  {
    name: 'REST: POST /api/v1/leads with an Idempotency-Key, then its retry',
    matches: (block) => block.includes('idempotency-key'),
    check(output) {
      const [first, retry] = output.split(/HTTP\/[\d.]+ (?=\d{3} )/);
      expect(jsonAnswers(first!)).toMatchObject([{ success: true, lead_id: 'lead-002' }]);
      // The retry is answered from the first request: proof that the key went out.
      expect(retry).toMatch(/^200 /);
      expect(retry).toMatch(/^idempotent-replayed: true\r?$/im);
      expect(retry!.slice(retry!.indexOf('{'))).toBe(first!.trim());
    },
  },
  {
    name: 'JSON-RPC: agent/triage/lead',
    matches: (block) => block.includes('"method": "agent/triage/lead"'),
    check(output) {
      const [answer] = jsonAnswers(output);
      expect(answer).not.toHaveProperty('error');
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: 1, result: { lead_id: 'lead-001' } });
    },
  },
  {
    name: 'MCP: initialize',
    matches: (block) => block.includes('"method": "initialize"'),
    check(output) {
      const data = /^data: (.*)$/m.exec(output)?.[1];
      expect(JSON.parse(data!)).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: LATEST_PROTOCOL_VERSION, serverInfo: { name: 'baton' } } });
    },
  },
  {
    name: 'REST: POST /api/v1/events/deliveries, signed with openssl',
    matches: (block) => block.includes('/api/v1/events/deliveries'),
    check(output) {
      expect(jsonAnswers(output)).toEqual([{ accepted: 1, duplicates: 0, rejected: [] }]);
    },
  },
  {
    name: 'REST: GET /api/v1/audit-log, JSON lines',
    matches: (block) => block.includes('/api/v1/audit-log'),
    check(output) {
      const lines = output
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { action: string; lead_ids: string[] });
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatchObject({ action: 'WRITE', lead_ids: ['lead-001'] });
    },
  },
  {
    name: 'health and metrics',
    matches: (block) => block.includes('localhost:8080/health'),
    check(output) {
      const metrics = output.indexOf('# HELP');
      expect(JSON.parse(output.slice(0, metrics))).toMatchObject({ status: 'healthy' });
      expect(output.slice(metrics)).toMatch(/^# HELP graphql_envelop_request_duration/m);
    },
  },
];

let baton: TestApp;
let token: string;
/** What the delivery-events example reads from its environment: the secret, and a message a real flow queued. */
const delivery = { WEBHOOK_SECRET: 'readme-webhook-secret-0123456789', MESSAGE_ID: '' };

beforeAll(async () => {
  baton = await startTestApp({ env: { WEBHOOK_SECRET: delivery.WEBHOOK_SECRET } });
  const lead = await baton.post('/api/v1/leads', {
    lead_data: { lead_id: 'lead-readme-delivery', industry: 'Finance', company_size: 'SMB', email: 'pat@example.com' },
  });
  expect(lead.status).toBe(200);
  delivery.MESSAGE_ID = (await baton.app.services.prisma.outboundMessage.findFirstOrThrow({ where: { leadId: 'lead-readme-delivery' } })).id;
  const { code, stdout, stderr } = await bash(`${TOKEN_BLOCK}\nprintf '%s' "$TOKEN"`);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  token = stdout;
}, 120_000);
afterAll(() => baton?.stop());

/** Runs a README block with bash in the repository, as the README's reader would, on the test's Baton. */
function bash(block: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `set -eo pipefail\n${block.replaceAll('localhost:8080', baton.url.replace(/^http:\/\//, ''))}`;
  const child = spawn('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, JWT_SECRET: TEST_JWT_SECRET, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the README', () => {
  it('says which MCP protocol version Baton speaks: the one current clients negotiate', () => {
    expect(/the Model Context Protocol, (\d{4}-\d{2}-\d{2})/.exec(README)?.[1]).toBe(LATEST_PROTOCOL_VERSION);
  });

  it('mints $TOKEN with npm run --silent token, which prints the token alone', async () => {
    expect(TOKEN_BLOCK).toContain('TOKEN=$(npm run --silent token -- --role operator)');
    expect(await baton.app.tokens.verify(token)).toMatchObject({ roles: ['operator'] });
  });

  it('has an expectation here for each of its curl examples, and each curl fails on an HTTP error', () => {
    expect(CURL_BLOCKS.length).toBe(EXAMPLES.length);
    for (const block of CURL_BLOCKS) {
      expect(
        EXAMPLES.filter((example) => example.matches(block)).map((example) => example.name),
        block,
      ).toHaveLength(1);
      const curls = block.match(/^curl\b.*$/gm)!;
      expect(
        curls.filter((curl) => !curl.includes('--fail-with-body')),
        block,
      ).toEqual([]);
    }
  });

  it.each(EXAMPLES.map((example) => [example.name, example] as const))('runs as written: %s', async (_name, example) => {
    const block = CURL_BLOCKS.find((candidate) => example.matches(candidate));
    expect(block, `no README example for ${example.name}`).toBeDefined();
    const { code, stdout, stderr } = await bash(block!, { TOKEN: token, ...delivery });
    expect({ code, stderr }, stdout).toEqual({ code: 0, stderr: '' });
    example.check(stdout);
  });
});
