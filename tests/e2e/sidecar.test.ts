// The adapter as a standalone sidecar: `npm run sidecar` in its own process,
// forwarding to a Baton API started separately as the image starts it (`node
// dist/main.js`, compiled before the tests), as deploy/ runs the two containers
// of one pod. REST, JSON-RPC over HTTP and WebSocket, and MCP all
// reach the API through it; its health follows the API's.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createTokenService } from '../../src/auth/jwt.js';
import { TEST_JWT_SECRET, uniqueLeadId } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { nodeCommandFor } from './deploy/support/repo.js';

const ROOT = join(import.meta.dirname, '..', '..');
const KEY_PREFIX = `baton-sidecar-${randomBytes(4).toString('hex')}:`;

interface Started {
  url: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Spawns a process and waits for its pino line `msg`, which carries the URL it listens on. */
async function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, msg: string): Promise<Started> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.includes(`"msg":"${msg}"`));
      if (line) resolve(JSON.parse(line));
    });
    void exited.then((code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stdout}\n${stderr}`)));
  });
  return { ...listening, child, exited };
}

async function stopProcess({ pid, exited }: Started): Promise<void> {
  process.kill(pid, 'SIGTERM');
  expect(await exited).toBe(0);
}

let database: TestDatabase;
let dataDir: string;
let api: Started;
let sidecar: Started;
let token: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'baton-sidecar-'));
  const { DATABASE_URL: _admin, ...inherited } = process.env;
  // One DATA_DIR for both, as one pod's containers share their secrets: the sidecar seals replays with the API's key ring.
  const shared = {
    ...inherited,
    HOST: '127.0.0.1',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'info',
    CONSOLIDATION_INTERVAL_S: '0',
    DATA_DIR: dataDir,
    REDIS_KEY_PREFIX: KEY_PREFIX,
  };
  const [node, ...apiArgs] = nodeCommandFor('start');
  api = await startProcess(node!, apiArgs, { ...shared, PORT: '0', ...database.env }, 'Baton is listening');
  sidecar = await startProcess(
    'npm',
    ['run', '--silent', 'sidecar'],
    { ...shared, SIDECAR_PORT: '0', GRAPHQL_URL: `${api.url.replace('localhost', '127.0.0.1')}/graphql` },
    'Baton adapter sidecar is listening',
  );
  token = await createTokenService(TEST_JWT_SECRET).sign({ subject: 'sidecar-test', roles: ['admin'] });
}, 60_000);

afterAll(async () => {
  for (const started of [sidecar, api]) if (started?.child.exitCode === null) started.child.kill('SIGKILL');
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
  if (process.env.REDIS_URL) {
    const redis = new Redis(process.env.REDIS_URL);
    const keys = await redis.keys(`${KEY_PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
});

/** A Redis key's value as text, whatever its type. */
async function readKey(redis: Redis, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    default:
      return '';
  }
}

const headers = () => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
const leadData = (leadId: string) => ({ lead_id: leadId, industry: 'Healthcare', company_size: 'Mid-Market', persona: 'Influencer', source: 'webinar' });

describe('npm run sidecar', () => {
  it('is healthy while its API is', async () => {
    const response = await fetch(`${sidecar.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'healthy', upstream: 'healthy' });
  });

  it('serves the REST API from the API process', async () => {
    const leadId = uniqueLeadId('sidecar');
    const response = await fetch(`${sidecar.url}/api/v1/leads`, { method: 'POST', headers: headers(), body: JSON.stringify({ lead_data: leadData(leadId) }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ lead_id: leadId, triage_result: { lead_id: leadId } });

    // The lead is in the API's database: read it there, over GraphQL.
    const read = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ query: `{ lead(id: "${leadId}") { id score } }` }),
    });
    expect(await read.json()).toMatchObject({ data: { lead: { id: leadId, score: expect.any(Number) } } });

    const unauthenticated = await fetch(`${sidecar.url}/api/v1/leads`, { method: 'POST', body: JSON.stringify({ lead_data: leadData(leadId) }) });
    expect(unauthenticated.status).toBe(401);
  });

  it('replays an Idempotency-Key answer it kept sealed: no address or number in clear where it keeps them', async () => {
    const leadId = uniqueLeadId('sidecar-replay');
    const email = `replay.${randomBytes(3).toString('hex')}@sidecar.example`;
    const post = () =>
      fetch(`${sidecar.url}/api/v1/leads`, {
        method: 'POST',
        headers: { ...headers(), 'idempotency-key': `replay-${leadId}` },
        body: JSON.stringify({ lead_data: { ...leadData(leadId), email, phone: '+1 415 555 0199' } }),
      });
    const first = await post();
    expect(first.status).toBe(200);
    const replayed = await post();
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toEqual(await first.json());
    if (!process.env.REDIS_URL) return;
    const redis = new Redis(process.env.REDIS_URL);
    try {
      const keys = await redis.keys(`${KEY_PREFIX}*`);
      const values = await Promise.all(keys.map((key) => readKey(redis, key)));
      expect(values.join('\n')).toContain('enc:v1:replay.');
      expect(values.join('\n')).not.toContain(email);
      // The greeting of the first touchpoint names the person: the replay is sealed whole.
      expect(values.join('\n')).not.toMatch(/Hi Replay/);
      expect(values.join('\n').replace(/\D/g, '')).not.toContain('4155550199');
    } finally {
      await redis.quit();
    }
  });

  it('serves JSON-RPC over HTTP and WebSocket, and MCP', async () => {
    const leadId = uniqueLeadId('sidecar');
    const overHttp = await fetch(`${sidecar.url}/mcp`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'agent/triage/lead', params: { lead_data: leadData(leadId) } }),
    });
    expect(await overHttp.json()).toMatchObject({ jsonrpc: '2.0', id: 1, result: { lead_id: leadId } });

    const socket = new WebSocket(`${sidecar.url.replace(/^http/, 'ws')}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const reply = new Promise<unknown>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 'ws', method: 'memory/retrieve/long-term', params: { lead_id: leadId } }));
    expect(await reply).toMatchObject({ id: 'ws', result: { lead_id: leadId } });
    socket.close();

    const mcp = new Client({ name: 'sidecar-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${sidecar.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    const profile = await mcp.callTool({ name: 'get_lead_profile', arguments: { lead_id: leadId } });
    expect(profile.structuredContent).toMatchObject({ profile: { lead_id: leadId } });
    await mcp.close();
  });

  it('reports its API gone, and answers calls with an error rather than hanging', async () => {
    await stopProcess(api);
    const health = await fetch(`${sidecar.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ upstream: 'unreachable' });
    const call = await fetch(`${sidecar.url}/mcp`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'memory/retrieve/long-term', params: { lead_id: 'anyone' } }),
    });
    expect(await call.json()).toEqual({ jsonrpc: '2.0', id: 2, error: { code: -32603, message: 'Internal error' } });
    await stopProcess(sidecar);
  });
});
