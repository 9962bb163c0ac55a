// Production brings its own key for people's data (DATA_ENCRYPTION_KEY): the
// compiled program (`node dist/main.js`, as the image runs it) refuses to start
// without one, or with one it cannot read, saying so in one line naming the
// variable (and the entry), with no stack and no key material, and exits 1 before
// it touches the database. With a key it starts as usual.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  dataDir = database.env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'baton-production-key-')));
  fleet = batonFleet({ ...database.env, DATA_DIR: dataDir, NODE_ENV: 'production', HOST: '127.0.0.1' });
});
afterAll(async () => {
  await fleet?.killAll();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Unset in the child's environment (spawn leaves out undefined values). */
const UNSET = undefined as unknown as string;

/** What the process wrote before it exited, when it exited with 1 before listening. */
async function refusal(name: string, key: string): Promise<string> {
  const attempt = fleet.start(name, { DATA_ENCRYPTION_KEY: key });
  await expect(attempt).rejects.toThrow(/exited \(1\) before listening/);
  return attempt.then(
    () => '',
    (failure: Error) => failure.message,
  );
}

describe('NODE_ENV=production and DATA_ENCRYPTION_KEY', () => {
  it('refuses to start without a key: exit 1, one line naming DATA_ENCRYPTION_KEY, no stack', async () => {
    const output = await refusal('no key', UNSET);
    const naming = output.split('\n').filter((line) => line.includes('DATA_ENCRYPTION_KEY'));
    expect(naming).toEqual([expect.stringMatching(/DATA_ENCRYPTION_KEY: required with NODE_ENV=production .*openssl rand -base64 32/)]);
    expect(output).toContain('Baton cannot start: Invalid configuration');
    expect(output).not.toMatch(/\n\s+at /);
    // Nothing written: not even a development key beside the data.
    expect(await readdir(dataDir)).not.toContain('data-encryption-key');
  });

  it('refuses a malformed key naming the entry, without echoing any key material', async () => {
    const material = 'c2hvcnQtYnV0LXNlY3JldA==';
    const output = await refusal('malformed key', `${TEST_DATA_ENCRYPTION_KEY},old:${material}`);
    const naming = output.split('\n').filter((line) => line.includes('DATA_ENCRYPTION_KEY'));
    expect(naming).toEqual([expect.stringContaining('DATA_ENCRYPTION_KEY entry 2 is not a 32-byte base64 key')]);
    expect(output).toContain('Baton cannot start');
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain(material);
    expect(output).not.toContain(TEST_DATA_ENCRYPTION_KEY.slice('test:'.length));
  });

  it('starts with a key, and stops cleanly', async () => {
    const baton = await fleet.start('with key', { DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY });
    expect((await fetch(`${baton.url}/health`)).status).toBe(200);
    expect(await baton.stop()).toEqual({ code: 0, signal: null });
  });
});
