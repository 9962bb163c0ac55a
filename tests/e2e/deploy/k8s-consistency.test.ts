// The built manifests agree with each other and with Baton: ports, selectors,
// probes, autoscaling, disruption budget, network policy, configuration and
// secret keys, commands, security settings and shutdown timing, for the API and
// for each agent's worker. Checked on what `kubectl apply -k` would send (the
// overlays' builds), not on the raw files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, ROLES } from '../../../src/config.js';
import { parseKeyRing } from '../../../src/privacy/key-ring.js';
import { asKind, type Container, type Kind, type Manifest, type PodSpec } from './support/kinds.js';
import { containers, kustomizeBuild, podSpec, readObjects, type K8sObject } from './support/kustomize.js';
import { BATON_METRICS } from './support/metrics.js';
import { queryProblems } from './support/query-check.js';
import { DEPLOY, NODE_ENVIRONMENT, ROOT, declaredEnvironment, nodeCommandFor, readYaml, sourceOf } from './support/repo.js';
import { selects } from './support/selectors.js';
import { SHUTDOWN_GRACE_MS } from '../../../src/http/shutdown.js';
import { JOB_BATCH_SIZE } from '../../../src/jobs/job-batches.js';

const build = (path: string) => kustomizeBuild(join(DEPLOY, 'k8s', path));
const OVERLAYS = { dev: build('overlays/dev'), production: build('overlays/production') };
const MIGRATE = { dev: build('overlays/dev/migrate'), production: build('overlays/production/migrate') };
type Overlay = keyof typeof OVERLAYS;
const overlays = Object.keys(OVERLAYS) as Overlay[];

function one<K extends Kind>(objects: K8sObject[], kind: K, name?: string): Manifest<K> {
  const found = objects.filter((object) => object.kind === kind && (!name || object.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return asKind(found[0], kind);
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

function container(spec: PodSpec, name: string): Container {
  const found = spec.containers.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

/** A probe's or Service's port (a name or a number) as the container port number it reaches. */
function portNumber(spec: PodSpec, port: string | number): number | undefined {
  if (typeof port === 'number') return port;
  return spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === port)?.containerPort;
}

const ENVIRONMENT = declaredEnvironment();
const PORTS = { api: 8080, adapter: 8766 };

/** Values of the right shape for baton-secrets in production, as Secrets Manager would hold them. */
const PRODUCTION_SECRET_SAMPLE = {
  JWT_SECRET: 'x'.repeat(48),
  DATA_ENCRYPTION_KEY: `k202612:${Buffer.alloc(32, 7).toString('base64')},k202606:${Buffer.alloc(32, 6).toString('base64')}`,
  DATABASE_URL: 'postgresql://baton:pw@baton.proxy-abc.us-west-2.rds.amazonaws.com:5432/baton?sslmode=verify-full',
  REDIS_URL: 'rediss://:token@master.baton.abc.usw2.cache.amazonaws.com:6379',
  NEO4J_PASSWORD: 'pw',
};

/** What baton-secrets holds in an overlay: the dev overlay's generated values, production's sample. */
function secretValues(overlay: Overlay): Record<string, string> {
  if (overlay === 'production') return PRODUCTION_SECRET_SAMPLE;
  const generated = asKind(
    OVERLAYS.dev.find((object) => object.kind === 'Secret' && object.metadata.name.startsWith('baton-secrets-')),
    'Secret',
  );
  return Object.fromEntries(Object.entries(generated.data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]));
}

function configMapOf(objects: K8sObject[]): Manifest<'ConfigMap'> {
  return asKind(
    objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('baton-config-')),
    'ConfigMap',
  );
}

/** A container's variables with literal values (not those from ConfigMaps, Secrets or fields). */
function literalEnvironment(c: Container): Record<string, string> {
  return Object.fromEntries((c.env ?? []).filter((e) => 'value' in e).map((e) => [e.name, e.value]));
}

describe.each(overlays)('overlay %s', (overlay) => {
  const objects = OVERLAYS[overlay];
  const deployment = one(objects, 'Deployment', 'baton-api');
  const pod = deployment.spec.template;
  const spec = pod.spec;
  const api = container(spec, 'api');
  const adapter = container(spec, 'adapter');
  const job = one(MIGRATE[overlay], 'Job', 'baton-migrate');

  it('runs the API and the adapter with the node commands of npm start and npm run sidecar, and the Job with npm run migrate', () => {
    expect(api.command).toEqual(nodeCommandFor('start'));
    expect(adapter.command).toEqual(nodeCommandFor('sidecar'));
    expect(container(job.spec.template.spec, 'migrate').command).toEqual(nodeCommandFor('migrate'));
    // Each runs a program the build emits (dist/ is compiled before the tests) from a source that exists.
    for (const command of [api.command, adapter.command, container(job.spec.template.spec, 'migrate').command]) {
      const program = command.at(-1)!;
      expect(existsSync(join(ROOT, program)), program).toBe(true);
      expect(existsSync(join(ROOT, sourceOf(program)))).toBe(true);
    }
  });

  it('listens where the containers say: PORT and SIDECAR_PORT match the container ports, the adapter calls the API on loopback', () => {
    const env = (c: Container) => Object.fromEntries((c.env ?? []).filter((e) => 'value' in e).map((e) => [e.name, e.value]));
    expect(api.ports).toEqual([{ name: 'http', containerPort: PORTS.api, protocol: 'TCP' }]);
    expect(adapter.ports).toEqual([{ name: 'adapter', containerPort: PORTS.adapter, protocol: 'TCP' }]);
    expect(env(api).PORT).toBe(String(PORTS.api));
    expect(env(adapter).SIDECAR_PORT).toBe(String(PORTS.adapter));
    expect(env(adapter).GRAPHQL_URL).toBe(`http://127.0.0.1:${PORTS.api}/graphql`);
  });

  it('has the Service select the API pods (not the Job) and target their container ports', () => {
    const service = one(objects, 'Service', 'baton-api');
    expect(matches(service.spec.selector, pod.metadata.labels)).toBe(true);
    expect(matches(service.spec.selector, job.spec.template.metadata.labels)).toBe(false);
    expect(matches(deployment.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    const targets = service.spec.ports.map((port) => [port.port, portNumber(spec, port.targetPort)]);
    expect(targets).toEqual([
      [PORTS.api, PORTS.api],
      [PORTS.adapter, PORTS.adapter],
    ]);
  });

  it('probes /health for readiness and startup on each container’s own port, and liveness without the database', () => {
    for (const [c, port] of [
      [api, PORTS.api],
      [adapter, PORTS.adapter],
    ] as const) {
      for (const probe of [c.readinessProbe, c.startupProbe]) {
        expect(probe.httpGet.path).toBe('/health');
        expect(portNumber(spec, probe.httpGet.port)).toBe(port);
      }
      // /metrics answers while the event loop runs, whatever the database does.
      expect(c.livenessProbe.httpGet.path).toBe('/metrics');
      expect(portNumber(spec, c.livenessProbe.httpGet.port)).toBe(port);
    }
  });

  it('routes /graphql and the signed delivery events to the API and /mcp and /api/v1 to the adapter, with WebSocket-length timeouts', () => {
    const ingress = one(objects, 'Ingress', 'baton');
    const service = one(objects, 'Service', 'baton-api');
    const routes = Object.fromEntries(
      ingress.spec.rules[0]!.http.paths.map((path) => {
        expect(path.backend.service.name).toBe(service.metadata.name);
        const port = service.spec.ports.find((p) => p.name === path.backend.service.port.name);
        return [path.path, port?.port];
      }),
    );
    expect(routes).toEqual({ '/graphql': PORTS.api, '/api/v1/events/deliveries': PORTS.api, '/mcp': PORTS.adapter, '/api/v1': PORTS.adapter });
    // Exact, so it wins over the /api/v1 prefix whatever the order.
    expect(ingress.spec.rules[0]!.http.paths.find((path) => path.path === '/api/v1/events/deliveries')?.pathType).toBe('Exact');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    const annotations = ingress.metadata.annotations;
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(ingress.spec.tls[0]!.hosts).toEqual([ingress.spec.rules[0]!.host]);
  });

  it('autoscales the Deployment on CPU, memory and WebSocket connections per pod', () => {
    const hpa = one(objects, 'HorizontalPodAutoscaler', 'baton-api');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual(overlay === 'production' ? [3, 30] : [1, 3]);
    const resource = (name: string) => hpa.spec.metrics.find((m) => m.type === 'Resource' && m.resource.name === name)?.resource.target;
    expect(resource('cpu')).toEqual({ type: 'Utilization', averageUtilization: 60 });
    expect(resource('memory')).toEqual({ type: 'Utilization', averageUtilization: 70 });
    const pods = hpa.spec.metrics.find((m) => m.type === 'Pods')?.pods;
    expect(pods).toEqual({ metric: { name: 'baton_websocket_connections_active' }, target: { type: 'AverageValue', averageValue: '100' } });
    // The HPA owns the replica count: a `replicas` in the Deployment would reset it on every apply.
    expect(deployment.spec.replicas).toBeUndefined();
    // Utilization is relative to requests: every container must request CPU and memory.
    for (const c of spec.containers) expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
  });

  it('budgets disruptions for exactly the API pods', () => {
    const pdb = one(objects, 'PodDisruptionBudget', 'baton-api');
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.maxUnavailable).toBe('25%');
  });

  it('lets in only the ingress controller and Prometheus, and out only DNS, PostgreSQL, Redis and Neo4j', () => {
    const policy = one(objects, 'NetworkPolicy', 'baton');
    expect(matches(policy.spec.podSelector.matchLabels, pod.metadata.labels)).toBe(true);
    expect(matches(policy.spec.podSelector.matchLabels, job.spec.template.metadata.labels)).toBe(true);
    // The whole selector (labels and expressions): the API pods and the Job's, and no worker's.
    expect(selects(policy.spec.podSelector, pod.metadata.labels)).toBe(true);
    expect(selects(policy.spec.podSelector, job.spec.template.metadata.labels)).toBe(true);
    const workerPods = objects
      .filter((object) => object.kind === 'Deployment' && object.metadata.name !== deployment.metadata.name)
      .map((object) => asKind(object, 'Deployment').spec.template.metadata.labels);
    expect(workerPods.length).toBe(4);
    for (const labels of workerPods) expect(selects(policy.spec.podSelector, labels)).toBe(false);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const sources = policy.spec.ingress.map((rule) => rule.from.map((peer) => peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']));
    expect(sources).toEqual([['ingress-nginx'], ['monitoring']]);
    for (const rule of policy.spec.ingress) {
      expect(rule.ports.map((p) => portNumber(spec, p.port))).toEqual([PORTS.api, PORTS.adapter]);
    }
    const egress = policy.spec.egress.flatMap((rule) => rule.ports.map((p) => `${p.port}/${p.protocol}`));
    expect(egress.sort()).toEqual(['53/TCP', '53/UDP', '5432/TCP', '6379/TCP', '7687/TCP']);
  });

  it('spreads the API pods over zones and nodes', () => {
    const keys = spec.topologySpreadConstraints.map((constraint) => {
      expect(constraint.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      return constraint.topologyKey;
    });
    expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  it('runs every Baton container non-root on a read-only root filesystem, with a writable /tmp, limits and the overlay image', () => {
    const image = one(objects, 'Deployment', 'baton-api').spec.template.spec.containers[0]!.image;
    expect(image).toBe(overlay === 'production' ? '111122223333.dkr.ecr.us-west-2.amazonaws.com/baton:0.1.0' : 'baton:dev');
    for (const workload of [deployment, job]) {
      const pSpec = podSpec(workload) as PodSpec;
      expect(pSpec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pSpec.automountServiceAccountToken).toBe(false);
      for (const c of containers([workload]) as Container[]) {
        expect(c.image).toBe(image);
        expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        const tmp = c.volumeMounts.find((mount) => mount.mountPath === '/tmp');
        expect(pSpec.volumes.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('drains before SIGTERM and gives Baton its shutdown grace before SIGKILL', () => {
    // The API and the sidecar give in-flight requests SHUTDOWN_GRACE_MS after SIGTERM (src/http/shutdown.ts).
    const grace = SHUTDOWN_GRACE_MS / 1000;
    const sleep = (c: Container) => {
      expect(c.lifecycle.preStop.exec.command[0]).toBe('sleep');
      return Number(c.lifecycle.preStop.exec.command[1]);
    };
    // The API outlives the adapter's drain, so the adapter's last calls find it listening.
    expect(sleep(api)).toBeGreaterThan(sleep(adapter));
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(sleep(api) + grace);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(sleep(adapter) + grace);
  });

  it('sets only environment variables Baton (or Node) reads', () => {
    const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('baton-config-'))!;
    for (const key of Object.keys(configMap.data as object)) expect(ENVIRONMENT.api, `ConfigMap key ${key}`).toContain(key);
    const names = (c: Container) => (c.env ?? []).map((e) => e.name);
    for (const name of [...names(api), ...names(container(job.spec.template.spec, 'migrate'))]) {
      expect(ENVIRONMENT.api.has(name) || NODE_ENVIRONMENT.has(name), `API env ${name}`).toBe(true);
    }
    for (const name of names(adapter)) expect(ENVIRONMENT.all.has(name) || NODE_ENVIRONMENT.has(name), `adapter env ${name}`).toBe(true);
    for (const name of ['SIDECAR_PORT', 'GRAPHQL_URL']) expect(ENVIRONMENT.all).toContain(name);
  });

  it('refers only to ConfigMaps and Secrets the overlay creates, or that the runbook creates first', () => {
    const created = new Set(
      [...objects, ...MIGRATE[overlay]].flatMap((object) => {
        if (object.kind === 'ConfigMap' || object.kind === 'Secret') return [`${object.kind}/${object.metadata.name}`];
        if (object.kind === 'ExternalSecret') return [`Secret/${asKind(object, 'ExternalSecret').spec.target.name}`];
        return [];
      }),
    );
    const optional = new Set<string>();
    const referenced = new Set<string>();
    for (const workload of [...objects, ...MIGRATE[overlay]]) {
      const pSpec = podSpec(workload) as PodSpec | undefined;
      if (!pSpec) continue;
      for (const c of containers([workload]) as Container[]) {
        for (const source of c.envFrom ?? []) {
          if (source.configMapRef) referenced.add(`ConfigMap/${source.configMapRef.name}`);
          if (source.secretRef) referenced.add(`Secret/${source.secretRef.name}`);
        }
        for (const variable of c.env ?? []) {
          if (variable.valueFrom?.configMapKeyRef) referenced.add(`ConfigMap/${variable.valueFrom.configMapKeyRef.name}`);
          if (variable.valueFrom?.secretKeyRef) referenced.add(`Secret/${variable.valueFrom.secretKeyRef.name}`);
        }
      }
      for (const volume of pSpec.volumes ?? []) {
        if (volume.configMap?.optional) optional.add(`ConfigMap/${volume.configMap.name}`);
        else if (volume.configMap) referenced.add(`ConfigMap/${volume.configMap.name}`);
      }
    }
    expect([...referenced].filter((ref) => !created.has(ref))).toEqual([]);
    // The RDS certificate bundle is optional: the runbook creates it before the first deploy.
    expect([...optional]).toEqual(overlay === 'production' ? ['ConfigMap/rds-ca-bundle'] : []);
  });

  it('provides every secret key the containers read, and a configuration loadConfig accepts', () => {
    const template = asKind(readObjects(join(DEPLOY, 'k8s/secret.template.yaml'))[0], 'Secret');
    const templateKeys = Object.keys(template.stringData).sort();
    const workers = objects.filter((object) => object.kind === 'Deployment' && object !== deployment);
    const read = (containers([deployment, job, ...workers]) as Container[]).flatMap((c) =>
      (c.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.valueFrom.secretKeyRef.key),
    );
    for (const key of read) expect(templateKeys).toContain(key);

    let secret: Record<string, string>;
    if (overlay === 'production') {
      const external = one(objects, 'ExternalSecret', 'baton-secrets');
      expect(external.spec.target).toEqual({ name: 'baton-secrets', creationPolicy: 'Owner' });
      expect(one(objects, 'SecretStore', external.spec.secretStoreRef.name).spec.provider.aws.service).toBe('SecretsManager');
      expect(external.spec.data.map((d) => d.secretKey).sort()).toEqual(templateKeys);
      // Values of the right shape, as Secrets Manager would hold them.
      secret = PRODUCTION_SECRET_SAMPLE;
    } else {
      const generated = asKind(
        objects.find((object) => object.kind === 'Secret' && object.metadata.name.startsWith('baton-secrets-')),
        'Secret',
      );
      secret = Object.fromEntries(Object.entries(generated.data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]));
      expect(Object.keys(secret).sort()).toEqual(templateKeys);
    }
    const configMap = asKind(
      objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('baton-config-')),
      'ConfigMap',
    );
    // NODE_ENV=production, as the image sets it (deploy/Dockerfile): DATA_ENCRYPTION_KEY is required there.
    const config = loadConfig({ ...configMap.data, ...secret, PORT: '8080', NODE_ENV: 'production' });
    expect(config.dataEncryptionKey).toBe(secret.DATA_ENCRYPTION_KEY);
    expect(() => parseKeyRing(config.dataEncryptionKey!)).not.toThrow();
    expect(config.databaseUrl).toBe(secret.DATABASE_URL);
    expect(config.neo4jUrl).toBe(configMap.data.NEO4J_URL);
    expect(config.jwtSecret).toBe(secret.JWT_SECRET);
  });
});

/** The workers, each with its own Deployment: every role but api (the agents, and delivery). */
const AGENT_ROLES = ROLES.filter((role) => role !== 'api');
/**
 * Each worker's HPA range. The specification's scaling plan gives the agents 5 to 50
 * pods ("Agent Orchestrator: 5 → 50 replicas"); production splits them by how much
 * work each agent gets (every lead is triaged and engaged, only campaign leads reach
 * optimization). Dev runs one of each, two under a backlog.
 */
const WORKER_REPLICAS: Record<Overlay, Record<string, [number, number]>> = {
  production: { triage: [2, 20], engagement: [2, 20], optimization: [1, 10], delivery: [1, 10] },
  dev: { triage: [1, 2], engagement: [1, 2], optimization: [1, 2], delivery: [1, 2] },
};
const WORKER_PORT = 8080;

describe.each(overlays)('overlay %s: the agents’ workers', (overlay) => {
  const objects = OVERLAYS[overlay];
  const api = one(objects, 'Deployment', 'baton-api');
  const job = one(MIGRATE[overlay], 'Job', 'baton-migrate');
  const workers = AGENT_ROLES.map((role) => ({ role, deployment: one(objects, 'Deployment', `baton-${role}`) }));
  const worker = (deployment: Manifest<'Deployment'>) => container(deployment.spec.template.spec, 'worker');

  it('gives every role of BATON_ROLES one Deployment: api to the API pods, each agent its own worker pods', () => {
    const deployments = objects.filter((object) => object.kind === 'Deployment').map((object) => asKind(object, 'Deployment'));
    const roles = deployments.map((deployment) => literalEnvironment(deployment.spec.template.spec.containers[0]!).BATON_ROLES);
    expect(roles.sort()).toEqual([...ROLES].sort());
    expect(literalEnvironment(container(api.spec.template.spec, 'api')).BATON_ROLES).toBe('api');
    for (const { role, deployment } of workers) {
      const labels = { 'app.kubernetes.io/name': 'baton', 'app.kubernetes.io/component': role };
      expect(deployment.metadata.labels).toMatchObject(labels);
      expect(deployment.spec.selector.matchLabels).toEqual(labels);
      expect(deployment.spec.template.metadata.labels).toMatchObject(labels);
      expect(deployment.spec.template.spec.containers.map((c) => c.name)).toEqual(['worker']);
      expect(literalEnvironment(worker(deployment)).BATON_ROLES).toBe(role);
    }
  });

  it('runs npm start’s program, listening on PORT, the container port named http', () => {
    for (const { deployment } of workers) {
      const c = worker(deployment);
      expect(c.command).toEqual(nodeCommandFor('start'));
      expect(existsSync(join(ROOT, c.command.at(-1)!))).toBe(true);
      expect(c.ports).toEqual([{ name: 'http', containerPort: WORKER_PORT, protocol: 'TCP' }]);
      expect(literalEnvironment(c).PORT).toBe(String(WORKER_PORT));
    }
  });

  it('probes /health for readiness and startup, and liveness on /metrics, on that port', () => {
    for (const { deployment } of workers) {
      const c = worker(deployment);
      const spec = deployment.spec.template.spec;
      for (const probe of [c.readinessProbe, c.startupProbe]) {
        expect(probe.httpGet.path).toBe('/health');
        expect(portNumber(spec, probe.httpGet.port)).toBe(WORKER_PORT);
      }
      expect(c.livenessProbe.httpGet.path).toBe('/metrics');
      expect(portNumber(spec, c.livenessProbe.httpGet.port)).toBe(WORKER_PORT);
    }
  });

  it('has no Service: nothing calls a worker, and the Ingress reaches only the API', () => {
    for (const service of objects.filter((object) => object.kind === 'Service').map((object) => asKind(object, 'Service'))) {
      for (const { deployment } of workers) expect(matches(service.spec.selector, deployment.spec.template.metadata.labels), service.metadata.name).toBe(false);
    }
    const ingress = one(objects, 'Ingress', 'baton');
    const backends = new Set(ingress.spec.rules.flatMap((rule) => rule.http.paths.map((path) => path.backend.service.name)));
    expect([...backends]).toEqual(['baton-api']);
  });

  it('autoscales each worker on its own queue: ready jobs per pod, the oldest job’s age, and CPU', () => {
    for (const { role, deployment } of workers) {
      const hpa = one(objects, 'HorizontalPodAutoscaler', `baton-${role}`);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual(WORKER_REPLICAS[overlay][role]);
      const queue = { matchLabels: { queue: role } };
      // Ready jobs are divided among the pods (AverageValue); the age is compared as it is (Value):
      // twice the target age asks for twice the pods.
      expect(hpa.spec.metrics.filter((metric) => metric.type === 'External').map((metric) => metric.external)).toEqual([
        { metric: { name: 'baton_queue_ready_jobs', selector: queue }, target: { type: 'AverageValue', averageValue: '20' } },
        { metric: { name: 'baton_queue_oldest_job_age_seconds', selector: queue }, target: { type: 'Value', value: '2' } },
      ]);
      expect(hpa.spec.metrics.filter((metric) => metric.type === 'Resource').map((metric) => metric.resource)).toEqual([
        { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      ]);
      expect(hpa.spec.metrics.length).toBe(3);
      // Up at once, down slowly: scaling down after a burst is cheap, but a sawtooth wastes pod starts.
      expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
      expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
      // The HPA owns the count; utilization is relative to requests.
      expect(deployment.spec.replicas).toBeUndefined();
      expect(Object.keys(worker(deployment).resources.requests).sort()).toEqual(['cpu', 'memory']);
    }
    if (overlay === 'production') {
      // The agents' share of the plan; the delivery worker (not an agent) scales on its own.
      const ranges = Object.entries(WORKER_REPLICAS.production)
        .filter(([role]) => role !== 'delivery')
        .map(([, range]) => range);
      expect([ranges.reduce((sum, [min]) => sum + min, 0), ranges.reduce((sum, [, max]) => sum + max, 0)]).toEqual([5, 50]);
    }
  });

  it('budgets disruptions for exactly each worker’s pods', () => {
    const pods = [api, ...workers.map(({ deployment }) => deployment)].map((deployment) => deployment.spec.template.metadata.labels);
    for (const { role, deployment } of workers) {
      const pdb = one(objects, 'PodDisruptionBudget', `baton-${role}`);
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      expect(pods.filter((labels) => selects(pdb.spec.selector, labels))).toEqual([deployment.spec.template.metadata.labels]);
      expect(pdb.spec.maxUnavailable).toBe('25%');
    }
  });

  it('lets into the workers only Prometheus, on the scrape port, and out only DNS, PostgreSQL, Redis and Neo4j', () => {
    const policy = one(objects, 'NetworkPolicy', 'baton-workers');
    const apiPolicy = one(objects, 'NetworkPolicy', 'baton');
    for (const { deployment } of workers) expect(selects(policy.spec.podSelector, deployment.spec.template.metadata.labels)).toBe(true);
    for (const labels of [api.spec.template.metadata.labels, job.spec.template.metadata.labels]) expect(selects(policy.spec.podSelector, labels)).toBe(false);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress.length).toBe(1);
    const [scrape] = policy.spec.ingress;
    expect(scrape!.from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      },
    ]);
    for (const { deployment } of workers) expect(scrape!.ports.map((p) => portNumber(deployment.spec.template.spec, p.port))).toEqual([WORKER_PORT]);
    expect(policy.spec.egress).toEqual(apiPolicy.spec.egress);
  });

  it('lets the delivery worker alone out to SMTP and HTTPS, where its transports are', () => {
    const policy = one(objects, 'NetworkPolicy', 'baton-delivery');
    const pods = [api, ...workers.map(({ deployment }) => deployment)].map((deployment) => deployment.spec.template.metadata.labels);
    expect(pods.filter((labels) => selects(policy.spec.podSelector, labels))).toEqual([
      one(objects, 'Deployment', 'baton-delivery').spec.template.metadata.labels,
    ]);
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.egress.flatMap((rule) => rule.ports.map((p) => `${p.port}/${p.protocol}`)).sort()).toEqual(['25/TCP', '443/TCP', '465/TCP', '587/TCP']);
  });

  it('spreads each worker over zones and nodes', () => {
    for (const { deployment } of workers) {
      const keys = deployment.spec.template.spec.topologySpreadConstraints.map((constraint) => {
        expect(constraint.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
        return constraint.topologyKey;
      });
      expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    }
  });

  it('runs the workers as the API runs: non-root, read-only root filesystem, writable /tmp, limits, the overlay image, no token', () => {
    const image = container(api.spec.template.spec, 'api').image;
    for (const { deployment } of workers) {
      const spec = deployment.spec.template.spec;
      expect(spec.securityContext).toEqual(api.spec.template.spec.securityContext);
      expect(spec.serviceAccountName).toBe(api.spec.template.spec.serviceAccountName);
      expect(spec.automountServiceAccountToken).toBe(false);
      const c = worker(deployment);
      expect(c.image).toBe(image);
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      const tmp = c.volumeMounts.find((mount) => mount.mountPath === '/tmp');
      expect(spec.volumes.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      // Node's heap stays under the memory limit, with room for what lives outside it.
      const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(literalEnvironment(c).NODE_OPTIONS!)![1]);
      const limit = String(c.resources.limits.memory);
      expect(limit).toMatch(/^\d+Mi$/);
      expect(heapMiB).toBeLessThan(Number.parseInt(limit, 10));
    }
  });

  it('stops taking jobs on SIGTERM and gets Baton’s shutdown grace before SIGKILL, with nothing to drain first', () => {
    for (const { deployment } of workers) {
      // No endpoint to leave, so no preStop sleep: SIGTERM at once, then Baton's grace and the running jobs' end.
      expect(worker(deployment).lifecycle).toBeUndefined();
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(SHUTDOWN_GRACE_MS / 1000);
    }
  });

  it('configures the workers from the API’s ConfigMap and Secret, and loadConfig gives each its one role', () => {
    const configMap = configMapOf(objects);
    for (const key of ['WORKER_CONCURRENCY', 'WORKER_HEARTBEAT_S', 'PROCESS_WAIT_MS']) expect(Object.keys(configMap.data)).toContain(key);
    // Roles are per Deployment, never shared.
    expect(Object.keys(configMap.data)).not.toContain('BATON_ROLES');
    const apiContainer = container(api.spec.template.spec, 'api');
    for (const { role, deployment } of workers) {
      const c = worker(deployment);
      expect(c.envFrom).toEqual(apiContainer.envFrom);
      for (const variable of c.env ?? []) expect(ENVIRONMENT.api.has(variable.name) || NODE_ENVIRONMENT.has(variable.name), variable.name).toBe(true);
      const config = loadConfig({ ...configMap.data, ...secretValues(overlay), ...literalEnvironment(c) });
      expect(config.roles).toEqual([role]);
      // Jobs held together are worked in batches: a pod holds enough to fill one.
      expect(config.workerConcurrency).toBeGreaterThanOrEqual(JOB_BATCH_SIZE);
      // Three heartbeats and a killed worker's jobs are handed back: the runbook says 15 s.
      expect(3 * config.workerHeartbeatMs).toBe(15_000);
    }
    expect(loadConfig({ ...configMap.data, ...secretValues(overlay), ...literalEnvironment(apiContainer) }).roles).toEqual(['api']);
  });
});

/** The prometheus-adapter chart's external rules (values.rules.external). */
interface ExternalRule {
  seriesQuery: string;
  resources: { overrides: { namespace: { resource: string } } };
  name: { matches: string; as: string };
  metricsQuery: string;
}

describe('external metrics for the worker HPAs', () => {
  const rules = readYaml<{ rules: { external: ExternalRule[] } }>('deploy/monitoring/prometheus-adapter-values.yaml').rules.external;

  it.each(overlays)('%s: are served by prometheus-adapter as the max, over the HPA’s namespace, of its queue’s series', (overlay) => {
    const objects = OVERLAYS[overlay];
    const hpas = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler').map((object) => asKind(object, 'HorizontalPodAutoscaler'));
    const external = hpas.flatMap((hpa) =>
      hpa.spec.metrics.filter((metric) => metric.type === 'External').map((metric) => ({ hpa, metric: metric.external.metric })),
    );
    expect(external.length).toBe(2 * AGENT_ROLES.length);
    for (const { hpa, metric } of external) {
      const rule = rules.find((candidate) => candidate.name.as === metric.name);
      expect(rule, metric.name).toBeDefined();
      const series = /^(\w+)\{/.exec(rule!.seriesQuery)![1]!;
      expect(BATON_METRICS[series]?.type).toBe('gauge');
      expect(rule!.name.matches).toBe(`^${series}$`);
      expect(queryProblems(rule!.seriesQuery)).toEqual([]);
      // The HPA's namespace is a label matcher: the overlays' namespaces never read each other's queues.
      expect(rule!.resources.overrides.namespace.resource).toBe('namespace');
      // The query the adapter sends for this HPA: its namespace and its selector as label matchers.
      const matchers = [`namespace="${hpa.metadata.namespace}"`, ...Object.entries(metric.selector.matchLabels).map(([key, value]) => `${key}="${value}"`)];
      const query = rule!.metricsQuery.replaceAll('<<.Series>>', series).replaceAll('<<.LabelMatchers>>', matchers.join(','));
      expect(queryProblems(query), query).toEqual([]);
      // Every Baton pod reports the queue's value: the max is the queue's, a sum would count it once per pod.
      expect(query).toMatch(new RegExp(`^max\\(${series}\\{[^}]*\\}\\) by \\(queue\\)$`));
      // The queue is the one the scaled Deployment's workers take jobs from.
      const target = one(objects, 'Deployment', hpa.spec.scaleTargetRef.name);
      expect(metric.selector.matchLabels).toEqual({ queue: literalEnvironment(target.spec.template.spec.containers[0]!).BATON_ROLES });
    }
    // Ready jobs only: the adapter's query keeps the state the metric is named after.
    expect(rules.find((rule) => rule.name.as === 'baton_queue_ready_jobs')!.metricsQuery).toContain('state="ready"');
  });
});

describe('secrets', () => {
  it('the Secret template holds no value, only the keys', () => {
    const template = asKind(readObjects(join(DEPLOY, 'k8s/secret.template.yaml'))[0], 'Secret');
    expect(template.data).toBeUndefined();
    expect(Object.keys(template.stringData).sort()).toEqual(['DATABASE_URL', 'DATA_ENCRYPTION_KEY', 'JWT_SECRET', 'NEO4J_PASSWORD', 'REDIS_URL']);
    for (const value of Object.values(template.stringData)) expect(value).toBe('');
  });

  it('the dev secrets are visibly development values, and agree with the dev stores’ credentials', () => {
    const dev = OVERLAYS.dev;
    const decode = (prefix: string) => {
      const secret = asKind(
        dev.find((object) => object.kind === 'Secret' && object.metadata.name.startsWith(prefix)),
        'Secret',
      );
      return Object.fromEntries(Object.entries(secret.data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]));
    };
    const app = decode('baton-secrets-');
    const stores = decode('baton-dev-stores-');
    expect(app.JWT_SECRET).toMatch(/^dev-only-/);
    expect(app.DATA_ENCRYPTION_KEY).toMatch(/^dev-only:/);
    expect(parseKeyRing(app.DATA_ENCRYPTION_KEY!).newest.id).toBe('dev-only');
    expect(new URL(app.DATABASE_URL!).password).toBe(stores.POSTGRES_PASSWORD);
    expect(stores.POSTGRES_PASSWORD).toMatch(/^dev-only-/);
    expect(stores.NEO4J_AUTH).toBe(`neo4j/${app.NEO4J_PASSWORD}`);
    // The URLs name the dev Services.
    const service = (name: string) => one(dev, 'Service', name).spec.ports[0]!.port;
    expect(new URL(app.DATABASE_URL!).port).toBe(String(service('postgres')));
    expect(new URL(app.REDIS_URL!).port).toBe(String(service('redis')));
  });

  it('production keeps no secret value in the repository', () => {
    const production = [...OVERLAYS.production, ...MIGRATE.production];
    expect(production.filter((object) => object.kind === 'Secret')).toEqual([]);
  });
});

describe('dev stores', () => {
  it('are StatefulSets with volume claim templates behind the Services the URLs name', () => {
    for (const name of ['postgres', 'redis', 'neo4j']) {
      const set = one(OVERLAYS.dev, 'StatefulSet', name);
      const service = one(OVERLAYS.dev, 'Service', name);
      expect(set.spec.serviceName).toBe(service.metadata.name);
      expect(matches(service.spec.selector, set.spec.template.metadata.labels)).toBe(true);
      expect(set.spec.volumeClaimTemplates.length).toBe(1);
      const mount = set.spec.template.spec.containers[0]!.volumeMounts.find((m) => m.name === set.spec.volumeClaimTemplates[0]!.metadata.name);
      expect(mount).toBeDefined();
    }
    const configMap = asKind(
      OVERLAYS.dev.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('baton-config-')),
      'ConfigMap',
    );
    expect(new URL(configMap.data.NEO4J_URL!).port).toBe(String(one(OVERLAYS.dev, 'Service', 'neo4j').spec.ports[0]!.port));
  });

  it('are applied on their own too, so the first migration Job finds PostgreSQL', () => {
    const stores = build('overlays/dev/stores').map((object) => `${object.kind}/${object.metadata.name}`);
    expect(stores).toContain('StatefulSet/postgres');
    expect(stores).toContain('Namespace/baton-dev');
  });
});

/** The prometheus-adapter chart's values this file sets (the chart's values.yaml has more). */
interface PrometheusAdapterValues {
  rules: { custom: { seriesQuery: string; resources: { overrides: { namespace: { resource: string }; pod: { resource: string } } }; name: { as: string } }[] };
}

describe('custom metric for the HPA', () => {
  it('is the metric prometheus-adapter serves', () => {
    const values = readYaml<PrometheusAdapterValues>('deploy/monitoring/prometheus-adapter-values.yaml');
    const rule = values.rules.custom[0]!;
    expect(rule.name.as).toBe('baton_websocket_connections_active');
    expect(rule.seriesQuery).toMatch(/^baton_websocket_connections_active\{/);
    expect(rule.resources.overrides.pod.resource).toBe('pod');
  });
});
