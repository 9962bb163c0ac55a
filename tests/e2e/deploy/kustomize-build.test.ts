// Every kustomization under deploy/k8s/ builds, and every object it produces is
// a valid Kubernetes (or CRD) object with no field its schema lacks. The build is
// tests/e2e/deploy/support/kustomize.ts, a kustomize subset; where kubectl is
// installed, its `kubectl kustomize` must produce exactly the same objects.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { asKind } from './support/kinds.js';
import { kustomizeBuild, type K8sObject } from './support/kustomize.js';
import { nameOf, validateObject } from './support/manifests.js';
import { DEPLOY } from './support/repo.js';

/** Every kustomization an operator applies (the runbook's commands), and the two bases. */
const KUSTOMIZATIONS = [
  'k8s/base',
  'k8s/migrate',
  'k8s/overlays/dev/stores',
  'k8s/overlays/dev/migrate',
  'k8s/overlays/dev',
  'k8s/overlays/production/migrate',
  'k8s/overlays/production',
];

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function byId(objects: K8sObject[]): Record<string, unknown> {
  return Object.fromEntries(objects.map((object) => [`${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`, sortedKeys(object)]));
}

describe.each(KUSTOMIZATIONS)('deploy/%s', (kustomization) => {
  const dir = join(DEPLOY, kustomization);

  it('builds into objects that pass their schemas with no unknown field', () => {
    const objects = kustomizeBuild(dir);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      let unknown: string[] = [];
      expect(() => (unknown = validateObject(object)), nameOf(object)).not.toThrow();
      expect(unknown, `${nameOf(object)}: fields the schema does not have`).toEqual([]);
    }
  });

  it.skipIf(!kubectl)('builds exactly what kubectl kustomize builds', () => {
    const output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
    const theirs = parseAllDocuments(output).map((document) => document.toJS() as K8sObject);
    expect(byId(kustomizeBuild(dir))).toEqual(byId(theirs));
  });
});

describe('the migration Job, the API Deployment and the worker Deployments', () => {
  it.each(['dev', 'production'])('%s: read the same ConfigMap (same content hash) and Secret', (overlay) => {
    const app = kustomizeBuild(join(DEPLOY, 'k8s/overlays', overlay));
    const migrate = kustomizeBuild(join(DEPLOY, 'k8s/overlays', overlay, 'migrate'));
    const configMap = (objects: K8sObject[]) => objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('baton-config-'));
    expect(configMap(app)).toBeDefined();
    // Applied separately, the two must not leave two configurations behind.
    expect(configMap(migrate)).toEqual(configMap(app));
    const envFrom = (objects: K8sObject[], kind: 'Job' | 'Deployment') =>
      objects.filter((object) => object.kind === kind).map((object) => asKind(object, kind).spec.template.spec.containers[0]!.envFrom);
    const [job, ...others] = envFrom(migrate, 'Job');
    expect(others).toEqual([]);
    const deployments = envFrom(app, 'Deployment');
    // The API and the three agent workers.
    expect(deployments.length).toBe(5);
    for (const deployment of deployments) expect(deployment).toEqual(job);
  });
});

describe('the checks themselves', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'baton-kustomize-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('report a field the schema does not have (a misspelt probe setting)', () => {
    const deployment = kustomizeBuild(join(DEPLOY, 'k8s/base')).find((object) => object.kind === 'Deployment')!;
    const probe: Record<string, unknown> = asKind(deployment, 'Deployment').spec.template.spec.containers[0]!.readinessProbe;
    probe.periodSecnds = probe.periodSeconds;
    expect(validateObject(deployment)).toEqual(['.spec.template.spec.containers[0].readinessProbe.periodSecnds']);
  });

  it('reject a kind they have no model for', () => {
    const object = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(() => validateObject(object)).toThrow(/no model for example.com\/v1 Widget/);
  });

  it('refuse a kustomization field outside the subset instead of ignoring it', () => {
    writeFileSync(join(scratch, 'kustomization.yaml'), 'replicas:\n  - name: baton-api\n    count: 5\n');
    expect(() => kustomizeBuild(scratch)).toThrow(/"replicas" is outside this kustomize subset/);
  });
});
