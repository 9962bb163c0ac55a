// Each Deployment of the production overlay, its container run here as its
// manifest says: its command, its literal environment and the ConfigMap's settings,
// with a throw-away database (and a free port) in place of the cluster's stores.
// It answers /health, the path of its readiness and startup probes, and /metrics,
// the path of its liveness probe and of Prometheus' scrapes, with the queue gauges
// the worker autoscalers read; it serves the API only in the API pods; and SIGTERM
// stops it cleanly within the pod's grace period. (No cluster here: the pods' processes are.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { TEST_DATA_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../../support/test-app.js';
import { asKind, type Container, type Manifest } from './support/kinds.js';
import { kustomizeBuild } from './support/kustomize.js';
import { QUEUE_NAMES, QUEUE_STATES } from './support/metrics.js';
import { DEPLOY, ROOT } from './support/repo.js';

const production = kustomizeBuild(join(DEPLOY, 'k8s/overlays/production'));
const deployments = production.filter((object) => object.kind === 'Deployment').map((object) => asKind(object, 'Deployment'));
const configMap = asKind(
  production.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('baton-config-')),
  'ConfigMap',
);
/** Settings that name the cluster (the Neo4j cluster, the pod's /tmp, all interfaces): this machine's instead. */
const CLUSTER_ONLY = new Set(['NEO4J_URL', 'DATA_DIR', 'HOST']);

function literalEnvironment(c: Container): Record<string, string> {
  return Object.fromEntries((c.env ?? []).filter((e) => 'value' in e).map((e) => [e.name, e.value]));
}

interface Running {
  url: string;
  log(): string;
  /** SIGTERM, as the kubelet stops a pod; resolves with the exit code and how long it took. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

function start(command: string[], env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      log += chunk;
      const line = log.split('\n').find((candidate) => candidate.includes('"msg":"Baton is listening"'));
      if (!line) return;
      resolve({
        url: (JSON.parse(line) as { url: string }).url,
        log: () => log,
        async stop() {
          const startedAt = performance.now();
          child.kill('SIGTERM');
          return { code: await exited, ms: performance.now() - startedAt };
        },
      });
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${log}`)));
  });
}

describe.each(deployments.map((deployment) => [deployment.metadata.name, deployment] as const))(
  '%s, run as its pod runs it',
  (name, deployment: Manifest<'Deployment'>) => {
    const spec = deployment.spec.template.spec;
    const main = spec.containers[0]!;
    const roles = literalEnvironment(main).BATON_ROLES!;
    let database: TestDatabase;
    let dataDir: string;
    let baton: Running;

    beforeAll(async () => {
      database = await createTestDatabase();
      dataDir = mkdtempSync(join(tmpdir(), 'baton-pod-'));
      const { DATABASE_URL: _admin, REDIS_URL: _redis, ...inherited } = process.env;
      const settings = Object.fromEntries(Object.entries(configMap.data).filter(([key]) => !CLUSTER_ONLY.has(key)));
      baton = await start(main.command, {
        ...inherited,
        ...settings,
        ...literalEnvironment(main),
        // What the Secret and the downward API give the pod, and a free port on loopback.
        JWT_SECRET: TEST_JWT_SECRET,
        DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY,
        SERVER_ID: `${name}-7d9f8b6c5-x2k4q`,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ...database.env,
      });
    });
    afterAll(async () => {
      await baton?.stop();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers its probes’ paths: /health with its pod’s name, /metrics', async () => {
      for (const probe of [main.readinessProbe!, main.startupProbe!, main.livenessProbe!]) {
        expect((await fetch(`${baton.url}${probe.httpGet!.path}`)).status, probe.httpGet!.path).toBe(200);
      }
      const health = (await (await fetch(`${baton.url}/health`)).json()) as { status: string; server_id: string };
      expect(health).toMatchObject({ status: 'healthy', server_id: `${name}-7d9f8b6c5-x2k4q` });
    });

    it('exposes every queue’s depth by state and its oldest job’s age, which the worker autoscalers read', async () => {
      const exposition = await (await fetch(`${baton.url}/metrics`)).text();
      for (const queue of QUEUE_NAMES) {
        for (const state of QUEUE_STATES)
          expect(exposition).toMatch(new RegExp(`^baton_queue_jobs\\{queue="${queue}",state="${state}",server_id="${name}-[^"]+"\\} \\d+$`, 'm'));
        expect(exposition).toMatch(new RegExp(`^baton_queue_oldest_job_age_seconds\\{queue="${queue}",server_id="${name}-[^"]+"\\} [\\d.]+$`, 'm'));
      }
    });

    it(roles === 'api' ? 'serves the API' : 'serves no API: it only works its queue', async () => {
      const response = await fetch(`${baton.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (roles === 'api') expect(response.status).not.toBe(404);
      else expect(response.status).toBe(404);
    });

    it('stops on SIGTERM with exit code 0, within the pod’s grace period', async () => {
      const { code, ms } = await baton.stop();
      expect(code, baton.log()).toBe(0);
      expect(ms).toBeLessThan(spec.terminationGracePeriodSeconds! * 1000);
      expect(baton.log()).toContain('"msg":"shutting down"');
    });
  },
);
