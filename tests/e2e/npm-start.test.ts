// What a newcomer does right after `npm install` on a fresh clone (no dist/ yet):
// `npm start` with no JWT_SECRET (it compiles, then serves), use the printed admin
// token, mint another with `npm run token`, stop, start again: data kept, nothing
// recompiled.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueLeadId } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const ROOT = join(import.meta.dirname, '..', '..');

let database: TestDatabase;
let env: NodeJS.ProcessEnv;
let secretDir: string;
/** A copy of the repository as `npm install` leaves a fresh clone: sources, the generated client, no dist/. */
let checkout: string;

beforeAll(async () => {
  database = await createTestDatabase();
  secretDir = await mkdtemp(join(tmpdir(), 'baton-start-'));
  checkout = await mkdtemp(join(tmpdir(), 'baton-clone-'));
  // What npm start reads; src/ carries the Prisma client the postinstall generated, dashboard/ the sources it builds.
  for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'prisma', 'dashboard']) {
    await cp(join(ROOT, path), join(checkout, path), { recursive: true });
  }
  // The installed dependencies, linked rather than installed again.
  await symlink(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  const { JWT_SECRET: _unset, DATABASE_URL: _admin, ...inherited } = process.env;
  // With PostgreSQL, DATA_DIR only holds the generated secret; with PGlite it holds the database too.
  env = { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATA_DIR: secretDir, ...database.env };
});
afterAll(async () => {
  await database?.drop();
  await rm(secretDir, { recursive: true, force: true });
  await rm(checkout, { recursive: true, force: true });
});

interface Started {
  url: string;
  /** The server process (npm start runs it through a shell, after compiling). */
  serverPid: number;
  adminToken: string | undefined;
  /** The dashboard link printed beside the token (`<url>/#token=<token>`). */
  dashboardLink: string | undefined;
  /** Resolves with npm's exit code and everything the server logged. */
  closed: Promise<{ code: number | null; log: string }>;
}

async function npmStart(): Promise<Started> {
  const child = spawn('npm', ['start', '--silent'], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const listening = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.includes('"msg":"Baton is listening"'));
      if (line) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${stdout}\n${stderr}`)));
  });
  const closed = new Promise<{ code: number | null; log: string }>((resolve) => child.once('close', (code) => resolve({ code, log: stdout })));
  // The banner is written right after the listening line.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    url: listening.url,
    serverPid: listening.pid,
    adminToken: /Authorization: Bearer (\S+)/.exec(stderr)?.[1],
    dashboardLink: /(http:\/\/\S+\/#token=\S+)/.exec(stderr)?.[1],
    closed,
  };
}

/** SIGTERM to the server, as an orchestrator stopping it would: it drains and exits 0, and so does npm. */
async function stop({ serverPid, closed }: Started): Promise<void> {
  process.kill(serverPid, 'SIGTERM');
  const { code, log } = await closed;
  expect(log).toContain('"msg":"shutting down"');
  expect(code).toBe(0);
}

describe('npm start', () => {
  it('compiles and serves Baton with a generated secret and a printed admin token, and keeps data across restarts', async () => {
    const leadId = uniqueLeadId('start');
    const compiled = join(checkout, 'dist', 'main.js');
    expect(existsSync(compiled)).toBe(false);
    const first = await npmStart();
    const compiledAt = statSync(compiled).mtimeMs;
    try {
      expect(first.adminToken).toBeDefined();
      // The dashboard was built by npm start and is served at the printed link, which signs in with the same token.
      expect(first.dashboardLink).toBe(`${first.url}/#token=${first.adminToken}`);
      const dashboard = await fetch(first.dashboardLink!);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('<div id="root"></div>');
      const processed = await fetch(`${first.url}/api/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${first.adminToken}` },
        body: JSON.stringify({
          lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'Enterprise', source: 'organic', email: `${leadId}@example.com` },
        }),
      });
      expect(processed.status).toBe(200);

      // `npm run token` signs with the secret the server generated under DATA_DIR.
      const minted = spawnSync('npm', ['run', '--silent', 'token', '--', '--role', 'viewer'], { cwd: checkout, env, encoding: 'utf8' });
      expect(minted.status).toBe(0);
      // Only the token on stdout, so TOKEN=$(npm run --silent token -- ...) captures it.
      expect(minted.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const viewerToken = minted.stdout.trim();
      const read = await fetch(`${first.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${viewerToken}` },
        body: JSON.stringify({ query: `{ lead(id: "${leadId}") { score category } }` }),
      });
      expect(await read.json()).toEqual({ data: { lead: { score: 79, category: 'CAMPAIGN_QUALIFIED' } } });
    } finally {
      await stop(first);
    }

    const second = await npmStart();
    // The sources did not change: the second start ran what the first compiled.
    expect(statSync(compiled).mtimeMs).toBe(compiledAt);
    try {
      const read = await fetch(`${second.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${second.adminToken}` },
        body: JSON.stringify({ query: `{ lead(id: "${leadId}") { id handoffs { status } } }` }),
      });
      expect(await read.json()).toEqual({ data: { lead: { id: leadId, handoffs: [{ status: 'COMPLETED' }] } } });
    } finally {
      await stop(second);
    }
  }, 120_000);

  it('refuses an unknown role in npm run token', () => {
    const minted = spawnSync('npm', ['run', '--silent', 'token', '--', '--role', 'superuser'], { cwd: checkout, env, encoding: 'utf8' });
    expect(minted.status).toBe(2);
    expect(minted.stderr).toContain('Unknown role: superuser');
  });
});
