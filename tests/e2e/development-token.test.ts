// With no JWT_SECRET, Baton generates a secret; it prints (and pre-fills in
// GraphiQL) an admin token only when it listens on a loopback address, which is
// the default outside production. Listening on every interface, it prints the
// command that mints one instead, and GraphiQL holds no token.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { TEST_DATA_ENCRYPTION_KEY } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { batonFleet, type BatonFleet } from './support/baton-process.js';

let database: TestDatabase;
let fleet: BatonFleet;
let dataDir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  // Embedded: the test database's own DATA_DIR, a copy of the migrated template (an
  // empty one would cost a start from nothing, initdb and every migration, which is
  // not what this file is about); with PostgreSQL, a directory for what Baton keeps beside it.
  dataDir = database.env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'baton-dev-token-')));
  fleet = batonFleet({ ...database.env, DATA_DIR: dataDir });
});
afterAll(async () => {
  await fleet?.killAll();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Unset in the child's environment (spawn leaves out undefined values). */
const UNSET = undefined as unknown as string;
const BEARER = /Authorization: Bearer (\S+)/;

async function graphiqlHeaders(url: string): Promise<string> {
  const html = await (await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })).text();
  expect(html).toContain('<title>Baton</title>');
  return html;
}

describe('the development token', () => {
  it('is not printed, nor put in GraphiQL, when Baton listens on every interface', async () => {
    const baton = await fleet.start('wildcard', { JWT_SECRET: UNSET, HOST: '0.0.0.0' });
    await expect.poll(() => baton.output()).toContain('npm run --silent token -- --role admin');
    expect(baton.output()).toContain('Baton is running on 0.0.0.0, which other machines can reach: no token is printed.');
    expect(baton.output()).not.toMatch(BEARER);
    const html = await graphiqlHeaders(baton.url);
    expect(html).toContain('paste a token');
    expect(html).not.toMatch(/Bearer eyJ/);
    expect(await baton.stop()).toEqual({ code: 0, signal: null });
  });

  it('is printed when Baton listens on loopback, the default outside production', async () => {
    const baton = await fleet.start('loopback', { JWT_SECRET: UNSET, HOST: UNSET });
    await expect.poll(() => baton.output()).toMatch(BEARER);
    expect(baton.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = BEARER.exec(baton.output())![1]!;
    expect(await graphiqlHeaders(baton.url)).toContain(token);
    const status = await fetch(`${baton.url}/api/v1/system/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(status.status).toBe(200);
    expect(await baton.stop()).toEqual({ code: 0, signal: null });
  });

  it('HOST defaults to 127.0.0.1, and to 0.0.0.0 with NODE_ENV=production', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY }).host).toBe('0.0.0.0');
    expect(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });
});
