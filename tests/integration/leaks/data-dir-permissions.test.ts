// The embedded DATA_DIR (PGlite's files with leads' emails and phones, the
// generated JWT secret) is owner-only: after a start from nothing and some
// writes, no directory or file under it has a group or other permission bit.
// An existing DATA_DIR others can read is named in a warning at start.
// Always embedded, whatever DATABASE_URL says: this is about the embedded files.
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import type { TestDatabase } from '../../support/test-database.js';

const parent = await mkdtemp(join(tmpdir(), 'baton-data-dir-'));
const dataDir = join(parent, 'data'); // does not exist yet: Baton creates it
const database: TestDatabase = { kind: 'pglite', env: { DATA_DIR: dataDir }, drop: async () => {} };
afterAll(() => rm(parent, { recursive: true, force: true }));

/** Every path under `root` (itself included) with its permission bits. */
async function walk(root: string): Promise<{ path: string; mode: number }[]> {
  const found = [{ path: root, mode: (await stat(root)).mode & 0o777 }];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    found.push({ path, mode: (await stat(path)).mode & 0o777 });
  }
  return found;
}

function start(lines: string[]): Promise<TestApp> {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  // No JWT_SECRET: Baton generates one under DATA_DIR too.
  return startTestApp({ database, env: { JWT_SECRET: undefined }, logger: createLogger('warn', 'data-dir', destination) });
}

describe('DATA_DIR permissions', () => {
  it('a DATA_DIR Baton creates holds nothing group or others can read, after writes', async () => {
    const lines: string[] = [];
    const baton = await start(lines);
    try {
      const answer = await baton.post('/api/v1/leads', {
        lead_data: { lead_id: uniqueLeadId(), industry: 'Finance', company_size: 'SMB', email: 'ada@corp.example', phone: '+44 20 7946 0000' },
      });
      expect(answer.status).toBe(200);
    } finally {
      await baton.stop({ keepDatabase: true });
    }
    const entries = await walk(dataDir);
    expect(entries.map((entry) => entry.path)).toContain(join(dataDir, 'jwt-secret'));
    expect(entries.length).toBeGreaterThan(100); // PGlite's own files are among them
    expect(entries.filter((entry) => (entry.mode & 0o077) !== 0).map((entry) => `${entry.path} ${entry.mode.toString(8)}`)).toEqual([]);
    expect(lines.join('')).not.toContain('readable by other users');
    // A start from nothing: initdb and every migration, not the migrated template's
    // copy the default test timeout is sized for (on a loaded 2-core machine, over 30 s).
  }, 120_000);

  it('an existing DATA_DIR others can read is named in a warning at start', async () => {
    await chmod(dataDir, 0o755);
    const lines: string[] = [];
    const baton = await start(lines);
    await baton.stop({ keepDatabase: true });
    const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg.includes('readable by other users'));
    expect(warning).toMatchObject({ level: 40, data_dir: dataDir, readable_by_others: [{ path: dataDir, mode: '0755' }] });
    expect(warning.msg).toContain(`chmod -R go-rwx ${dataDir}`);
  });
});
