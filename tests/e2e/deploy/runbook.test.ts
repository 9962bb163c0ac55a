// docs/runbook.md and deploy/README.md name things that exist: the paths they
// mention, the kustomizations they apply, and the objects, namespaces and label
// selectors their kubectl commands use are those the manifests define. A renamed
// Deployment or moved overlay fails here instead of during an incident.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asKind } from './support/kinds.js';
import { kustomizeBuild, type K8sObject } from './support/kustomize.js';
import { DEPLOY, ROOT, readText, sourceOf } from './support/repo.js';

const runbook = readText('docs/runbook.md');
const readme = readText('deploy/README.md');
const commands = [...runbook.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) => block[1]!).join('\n');

const BUILDS: Record<string, K8sObject[]> = Object.fromEntries(
  ['overlays/production', 'overlays/production/migrate', 'overlays/dev', 'overlays/dev/migrate', 'overlays/dev/stores'].map((path) => [
    `deploy/k8s/${path}`,
    kustomizeBuild(join(DEPLOY, 'k8s', path)),
  ]),
);
const everything = Object.values(BUILDS).flat();

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
      ...[...commands.matchAll(/\b(?:get|describe|patch|delete|annotate) (hpa|job|externalsecret|deployment) ([a-z0-9-]+)/g)].map((m) => [m[1]!, m[2]!]),
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
      BUILDS['deploy/k8s/overlays/production']!.find((object) => object.kind === 'Deployment'),
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
