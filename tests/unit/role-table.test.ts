// The README's role table is the schema's auth scopes, so it cannot go stale:
// a change of a field's authScopes, a role's grants or an adapter binding fails
// here until the table is regenerated (WRITE_ROLE_TABLE=1).
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ROLE_TABLE_END, ROLE_TABLE_START, roleTable } from '../support/role-table.js';

const README = new URL('../../README.md', import.meta.url);

describe('README role table', () => {
  it('lists every root field with the roles its auth scopes allow', async () => {
    const readme = await readFile(README, 'utf8');
    const start = readme.indexOf(ROLE_TABLE_START);
    const end = readme.indexOf(ROLE_TABLE_END);
    expect(start, 'README has the role-table markers').toBeGreaterThan(-1);
    const written = readme.slice(start + ROLE_TABLE_START.length, end).trim();
    const expected = roleTable();
    if (process.env.WRITE_ROLE_TABLE === '1' && written !== expected) {
      await writeFile(README, `${readme.slice(0, start + ROLE_TABLE_START.length)}\n${expected}\n${readme.slice(end)}`);
      return;
    }
    expect(written).toBe(expected);
  });
});
