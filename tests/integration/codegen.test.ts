// schema.graphql and the typed operations are generated and committed; they
// must match the schema the code builds.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('codegen outputs', () => {
  it('are up to date (run `npm run codegen` when this fails)', () => {
    const check = spawnSync('npm', ['run', '--silent', 'codegen', '--', '--check'], {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
    });
    expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
  }, 60_000);
});
