// docs/runbook.md and deploy/README.md name things that exist: the paths they
// mention, the kustomizations they apply, and the objects, namespaces, label
// selectors and metrics their kubectl commands use are those the manifests
// define; their links lead to sections that exist; and their SQL runs on a
// database with Baton's schema and job queue (on PostgreSQL, when DATABASE_URL is
// set) and does what the runbook says. A renamed Deployment or moved overlay fails
// here instead of during an incident.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { asKind } from './support/kinds.js';
import { kustomizeBuild, type K8sObject } from './support/kustomize.js';
import { QUEUE_NAMES } from './support/metrics.js';
import { DEPLOY, ROOT, readText, readYaml, sourceOf } from './support/repo.js';
import { parseKubectlSelector, selects } from './support/selectors.js';

const runbook = readText('docs/runbook.md');
const readme = readText('deploy/README.md');
const commands = [...runbook.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) => block[1]!).join('\n');
/** The runbook's SQL, statement by statement (blocks may be indented in lists). */
const statements = [...runbook.matchAll(/^( *)```sql\n([\s\S]*?)^\1```/gm)].flatMap((block) =>
  block[2]!
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter(Boolean),
);

const BUILDS: Record<string, K8sObject[]> = Object.fromEntries(
  ['overlays/production', 'overlays/production/migrate', 'overlays/dev', 'overlays/dev/migrate', 'overlays/dev/stores'].map((path) => [
    `deploy/k8s/${path}`,
    kustomizeBuild(join(DEPLOY, 'k8s', path)),
  ]),
);
const everything = Object.values(BUILDS).flat();
const production = BUILDS['deploy/k8s/overlays/production']!;
const deployments = production.filter((object) => object.kind === 'Deployment').map((object) => asKind(object, 'Deployment'));

describe('docs/runbook.md', () => {
  it('applies kustomizations and files that exist', () => {
    const applied = [...commands.matchAll(/kubectl apply -k (\S+)/g)].map((match) => match[1]!);
    expect(applied.length).toBeGreaterThan(0);
    for (const path of applied) expect(Object.keys(BUILDS), path).toContain(path);
    for (const [, path] of commands.matchAll(/(?:kubectl apply|helm upgrade --install .*?) -f (deploy\/\S+)/g))
      expect(existsSync(join(ROOT, path!)), path).toBe(true);
  });

  it('names only objects the manifests define', () => {
    const kinds: Record<string, string> = {
      deployment: 'Deployment',
      job: 'Job',
      statefulset: 'StatefulSet',
      service: 'Service',
      externalsecret: 'ExternalSecret',
      hpa: 'HorizontalPodAutoscaler',
    };
    const referenced = [
      ...[...commands.matchAll(/\b(deployment|job|statefulset|service|externalsecret|hpa)\/([a-z0-9-]+)/g)].map((m) => [m[1]!, m[2]!]),
      // `get hpa a b c`: every name, up to the first flag or argument.
      ...[...commands.matchAll(/\b(?:get|describe|patch|delete|annotate) (hpa|job|externalsecret|deployment)((?: (?!-)[a-z0-9-]+(?=\s|$))+)/g)].flatMap((m) =>
        m[2]!
          .trim()
          .split(' ')
          .map((name) => [m[1]!, name]),
      ),
      // Endpoints are named after their Service.
      ...[...commands.matchAll(/\bget endpoints ([a-z0-9-]+)/g)].map((m) => ['service', m[1]!]),
    ];
    expect(referenced.length).toBeGreaterThan(10);
    for (const [kind, name] of referenced) {
      // The monitoring stack's own Service is kube-prometheus-stack's, not Baton's.
      if (name!.startsWith('monitoring-')) continue;
      expect(
        everything.some((object) => object.kind === kinds[kind!] && object.metadata.name === name),
        `${kind}/${name}`,
      ).toBe(true);
    }
  });

  it('uses the overlays’ namespaces and the API pods’ labels', () => {
    const deployment = asKind(
      BUILDS['deploy/k8s/overlays/production']!.find((object) => object.kind === 'Deployment' && object.metadata.name === 'baton-api'),
      'Deployment',
    );
    expect(runbook).toContain('NS=baton\n');
    expect(deployment.metadata.namespace).toBe('baton');
    expect(BUILDS['deploy/k8s/overlays/dev']!.find((object) => object.kind === 'Deployment')!.metadata.namespace).toBe('baton-dev');
    const selector = /API='([^']+)'/.exec(runbook)![1]!;
    const labels = Object.fromEntries(selector.split(',').map((pair) => pair.split('=')));
    expect(deployment.spec.template.metadata.labels).toMatchObject(labels);
    expect(deployment.spec.selector.matchLabels).toEqual(labels);
  });

  it('selects the worker pods and lists the Deployments as the overlays define them', () => {
    const workers = parseKubectlSelector(/^WORKERS='([^']+)'$/m.exec(runbook)![1]!);
    const job = asKind(
      BUILDS['deploy/k8s/overlays/production/migrate']!.find((object) => object.kind === 'Job'),
      'Job',
    );
    for (const deployment of deployments) {
      expect(selects(workers, deployment.spec.template.metadata.labels), deployment.metadata.name).toBe(deployment.metadata.name !== 'baton-api');
    }
    expect(selects(workers, job.spec.template.metadata.labels)).toBe(false);
    // $DEPLOYMENTS: everything a rollout, rollback, restart or restore must act on.
    const listed = /^DEPLOYMENTS='([^']+)'$/m.exec(runbook)![1]!.split(' ');
    expect(listed.sort()).toEqual(deployments.map((deployment) => `deployment/${deployment.metadata.name}`).sort());
    // Every other `-l` selector in the commands selects some pod the overlays run.
    const pods = [...deployments.map((deployment) => deployment.spec.template.metadata.labels), job.spec.template.metadata.labels];
    for (const [, selector] of commands.matchAll(/ -l (app\.kubernetes\.io\/[^\s"]+)/g)) {
      expect(
        pods.some((labels) => selects(parseKubectlSelector(selector!), labels)),
        selector,
      ).toBe(true);
    }
  });

  it('asks prometheus-adapter for the metrics it serves, about queues that exist', () => {
    const adapter = readYaml<{ rules: { custom: { name: { as: string } }[]; external: { name: { as: string } }[] } }>(
      'deploy/monitoring/prometheus-adapter-values.yaml',
    );
    const served = {
      'custom.metrics.k8s.io': adapter.rules.custom.map((rule) => rule.name.as),
      'external.metrics.k8s.io': adapter.rules.external.map((rule) => rule.name.as),
    };
    const asked = [
      ...commands.matchAll(/\/apis\/(custom|external)\.metrics\.k8s\.io\/v1beta1\/namespaces\/\$NS\/(?:pods\/\*\/)?(\w+)(?:\?labelSelector=queue%3D(\w+))?/g),
    ];
    expect(asked.length).toBeGreaterThanOrEqual(3);
    for (const [, api, metric, queue] of asked) {
      expect(served[`${api as 'custom' | 'external'}.metrics.k8s.io`], metric).toContain(metric);
      if (api === 'external') expect(QUEUE_NAMES).toContain(queue);
    }
  });

  it('links only to sections it has', () => {
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\w\s-]/g, '')
        .trim()
        .replace(/\s+/g, '-');
    const anchors = new Set([...runbook.matchAll(/^#{2,4} (.+)$/gm)].map((match) => slug(match[1]!)));
    const links = [...runbook.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(anchors, link).toContain(link);
  });

  it('uses the Secrets Manager secret and properties the ExternalSecret reads', () => {
    const external = asKind(
      BUILDS['deploy/k8s/overlays/production']!.find((object) => object.kind === 'ExternalSecret'),
      'ExternalSecret',
    );
    const keys = new Set(external.spec.data.map((entry) => entry.remoteRef.key));
    expect([...keys]).toEqual(['baton/production/app']);
    expect(runbook).toContain('--name baton/production/app');
    for (const entry of external.spec.data) expect(runbook).toContain(`"${entry.remoteRef.property}"`);
  });
});

/**
 * The runbook's queries against the job queue, run as an operator would on a
 * database where jobs wait, one ran out of attempts and one is held by a worker
 * that died. graphile-worker's schema exists on PostgreSQL only, so this needs DATABASE_URL.
 */
describe.skipIf(!process.env.DATABASE_URL)('the runbook’s SQL, on PostgreSQL', () => {
  let baton: TestApp;
  let client: pg.Client;
  const failed: string[] = [];
  beforeAll(async () => {
    // The API role alone: it installs the queue's schema and takes no job, so the jobs stay as arranged.
    baton = await startTestApp({ env: { BATON_ROLES: 'api', CONSOLIDATION_INTERVAL_S: '0' } });
    client = new pg.Client({ connectionString: baton.database.env.DATABASE_URL });
    await client.connect();
    const add = async (queue: string) =>
      (await client.query<{ id: string }>(`SELECT id FROM graphile_worker.add_job($1, '{}'::json, max_attempts => 3)`, [queue])).rows[0]!.id;
    await add('triage');
    failed.push(await add('engagement'));
    await client.query('UPDATE graphile_worker._private_jobs SET attempts = max_attempts, last_error = $2 WHERE id = $1', [failed[0], 'connection terminated']);
    const held = await add('optimization');
    // Locked by a worker whose heartbeat is a minute old: what a SIGKILLed worker leaves behind.
    await client.query(`UPDATE graphile_worker._private_jobs SET locked_by = 'worker-gone', locked_at = now() - interval '1 minute' WHERE id = $1`, [held]);
    await client.query(
      `INSERT INTO "WorkerHeartbeat" ("lockerId", "serverId", "beatAt") VALUES ('worker-gone', 'baton-engagement-0', now() - interval '1 minute')`,
    );
  });
  afterAll(async () => {
    await client?.end();
    await baton?.stop();
  });

  it('reads the queues, the held jobs and the failed ones, and gives the failed ones their attempts back', async () => {
    expect(statements.length).toBe(4);
    const results: Record<string, unknown>[][] = [];
    await client.query('BEGIN');
    try {
      // count(*) is a bigint, which node-postgres reads as a string.
      for (const statement of statements) results.push((await client.query(statement)).rows);
      const [depths, held, failedBefore, rescheduled] = results;
      expect(depths!.map((row) => row.queue)).toEqual(['engagement', 'optimization', 'triage']);
      for (const row of depths!) expect(QUEUE_NAMES).toContain(row.queue);
      expect(depths!.find((row) => row.queue === 'triage')).toMatchObject({ ready: '1', running: '0' });
      expect(depths!.find((row) => row.queue === 'optimization')).toMatchObject({ ready: '0', running: '1' });
      expect(held).toEqual([expect.objectContaining({ locked_by: 'worker-gone', serverId: 'baton-engagement-0', jobs: '1' })]);
      expect(failedBefore!.map((row) => [row.id, row.queue, row.last_error])).toEqual([[failed[0], 'engagement', 'connection terminated']]);
      expect(rescheduled!.map((row) => [row.id, row.attempts])).toEqual([[failed[0], 0]]);
      // Due now, with its attempts back: ready for the engagement workers.
      const after = await client.query(statements[0]!);
      expect(after.rows.find((row) => row.queue === 'engagement')).toMatchObject({ ready: '1' });
      expect((await client.query(statements[2]!)).rows).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

describe('paths mentioned in the docs', () => {
  it('exist', () => {
    for (const text of [runbook, readme]) {
      for (const [, path] of text.matchAll(/`((?:deploy|docs|src|tests)\/[\w./-]*[\w/])`/g)) {
        expect(existsSync(join(ROOT, path!)), path).toBe(true);
      }
    }
    // deploy/README.md names files relative to deploy/.
    for (const [, path] of readme.matchAll(/^\| `([^`]+)` \|/gm)) expect(existsSync(join(DEPLOY, path!)), path).toBe(true);
  });

  it('run compiled programs the build emits from a source that exists', () => {
    const programs = [runbook, readme, readText('deploy/compose.yaml')].flatMap((text) =>
      [...text.matchAll(/\bnode (dist\/\S+\.js)/g)].map((match) => match[1]!),
    );
    expect(programs).toContain('dist/auth/token-cli.js');
    for (const program of programs) expect(existsSync(join(ROOT, sourceOf(program))), program).toBe(true);
  });
});
