// /metrics cannot be grown by callers: GraphQL operation names become labels only
// when Baton knows the operation (src/graphql/operation-metrics.ts), and HTTP
// routes are labelled by template, whatever the path. Random names and paths,
// with a token and without, leave the set of label values where it was.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';

let baton: TestApp;
beforeAll(async () => {
  baton = await startTestApp();
});
afterAll(() => baton?.stop());

/** Every label value in a scrape, by label name. */
async function labelValues(): Promise<{ text: string; values: Map<string, Set<string>>; series: Set<string> }> {
  const text = await (await fetch(`${baton.url}/metrics`)).text();
  const values = new Map<string, Set<string>>();
  const series = new Set<string>();
  for (const line of text.split('\n')) {
    // Node's own (garbage collection kinds appear as they happen) are not the callers' doing.
    if (line.startsWith('#') || line === '' || line.startsWith('nodejs_')) continue;
    series.add(line.split(' ')[0]!);
    for (const [, key, value] of line.matchAll(/(\w+)="([^"]*)"/g)) {
      if (!values.has(key!)) values.set(key!, new Set());
      values.get(key!)!.add(value!);
    }
  }
  return { text, values, series };
}

const randomName = () => `Op${randomBytes(6).toString('hex')}`;

/** `undefined`: the test's admin token; `null`: none. */
async function sendOperations(names: string[], token: string | null | undefined) {
  const options = token === undefined ? {} : { token };
  for (const name of names) {
    // A valid query, a query with an error, a syntax error: every phase's metrics.
    await baton.graphql(`query ${name} { lead(id: "none") { id } }`, undefined, options);
    await baton.graphql(`query ${name} { ${name}: lead(id: "none") { nope } }`, undefined, options);
    await baton.graphql(`mutation ${name} {`, undefined, options);
  }
}

describe('metric labels', () => {
  it('operation names and paths chosen by the caller never become label values', async () => {
    // Warm every series the random requests below can reach, with names of their own.
    await sendOperations([randomName()], null);
    await sendOperations([randomName()], undefined);
    await fetch(`${baton.url}/${randomName()}`, { method: 'POST' });
    await fetch(`${baton.url}/api/v1/leads/${randomName()}`, { headers: { authorization: `Bearer ${await baton.token('admin')}` } });
    await fetch(`${baton.url}/api/v1/leads/${randomName()}`);
    await labelValues(); // the scrape's own series
    const before = await labelValues();

    const names = Array.from({ length: 40 }, randomName);
    await sendOperations(names.slice(0, 20), null);
    await sendOperations(names.slice(20), undefined);
    const paths = Array.from({ length: 20 }, () => `/${randomName()}/${randomName()}`);
    for (const path of paths) await fetch(`${baton.url}${path}`, { method: 'POST' });
    for (const name of names.slice(0, 10)) await fetch(`${baton.url}/api/v1/leads/${name}`);
    const after = await labelValues();

    for (const name of [...names, ...paths]) expect(after.text).not.toContain(name.replace(/^\//, '').split('/')[0]);
    expect([...after.series].filter((line) => !before.series.has(line))).toEqual([]);
    expect(Object.fromEntries([...after.values].map(([key, set]) => [key, [...set].sort()]))).toEqual(
      Object.fromEntries([...before.values].map(([key, set]) => [key, [...set].sort()])),
    );
    const operationNames = after.values.get('operationName')!;
    expect(operationNames).toContain('unknown');
    expect(operationNames).toContain('anonymous');
    expect(after.values.get('route')).toContain('unmatched');
    expect(after.values.get('route')).toContain('/api/v1/leads/{lead_id}');
  });

  it("the adapter's operations keep their names", async () => {
    expect((await baton.post('/api/v1/leads', { lead_data: { lead_id: uniqueLeadId(), industry: 'Finance', company_size: 'SMB' } })).status).toBe(200);
    const { values } = await labelValues();
    expect(values.get('operationName')).toContain('ProcessLead');
  });
});
