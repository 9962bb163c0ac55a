// A small, exact subset of `kustomize build`, enough for deploy/k8s/, so the
// tests can check what `kubectl apply -k` would send without a kustomize binary.
// It implements what the kustomizations use and throws on anything else, so a new
// field in a kustomization fails the tests instead of being silently ignored:
//   - resources: YAML files, and directories built as kustomizations of their own;
//   - components (kind: Component), applied in order to what has accumulated;
//   - configMapGenerator / secretGenerator: literals, envs files, files; behavior
//     create or merge; options labels and disableNameSuffixHash;
//   - patches: JSON 6902 (add, replace, remove) with a kind/name target (each an
//     anchored regular expression, as in kustomize), and
//     strategic merge limited to maps (a ConfigMap's data), lists rejected;
//   - namespace, labels (metadata only: no selectors, no templates), images
//     (newName, newTag);
//   - the content-hash suffix of generated ConfigMaps and Secrets, and the
//     rewriting of the references to them in pod templates.
// Order as in kustomize's KustTarget: resources, components, generators, then the
// transformers patches → namespace → labels → images; hashes and references last.
// tests/e2e/deploy/kustomize-build.test.ts compares its output with `kubectl kustomize`
// wherever kubectl is installed.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface Accumulated {
  object: K8sObject;
  /** A generated ConfigMap or Secret that gets the content-hash name suffix at the end. */
  hashed: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'labels', 'resources', 'components', 'configMapGenerator', 'secretGenerator', 'patches', 'images']);
const GENERATOR_FIELDS = new Set(['name', 'behavior', 'literals', 'envs', 'files', 'options']);
const GENERATOR_OPTIONS = new Set(['labels', 'disableNameSuffixHash']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'ClusterSecretStore',
  'ClusterExternalSecret',
]);
/** Kinds whose pod template kustomize's images and name-reference transformers walk, by path to the pod spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

/** `kustomize build dir`: the objects it prints, in build order (kubectl sorts them by kind). */
export function kustomizeBuild(dir: string): K8sObject[] {
  const accumulated = accumulate(resolve(dir), 'Kustomization', []);
  return finish(accumulated);
}

function accumulate(dir: string, kind: 'Kustomization' | 'Component', accumulated: Accumulated[]): Accumulated[] {
  const file = join(dir, 'kustomization.yaml');
  const k = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const declared = (k.kind as string | undefined) ?? 'Kustomization';
  if (declared !== kind) throw new Error(`${file}: expected kind ${kind}, found ${declared}`);
  for (const field of Object.keys(k)) {
    if (!FIELDS.has(field)) throw new Error(`${file}: "${field}" is outside this kustomize subset`);
  }

  for (const entry of (k.resources as string[] | undefined) ?? []) {
    const path = resolve(dir, entry);
    // A directory is a kustomization built on its own; its output joins this one's.
    const added = statSync(path).isDirectory() ? accumulate(path, 'Kustomization', []) : readObjects(path).map((object) => ({ object, hashed: false }));
    for (const resource of added) add(accumulated, resource, file);
  }
  for (const entry of (k.components as string[] | undefined) ?? []) {
    accumulated = accumulate(resolve(dir, entry), 'Component', accumulated);
  }

  generate(dir, file, 'ConfigMap', k.configMapGenerator, accumulated);
  generate(dir, file, 'Secret', k.secretGenerator, accumulated);

  for (const patch of (k.patches as Record<string, unknown>[] | undefined) ?? []) applyPatch(dir, file, patch, accumulated);
  if (typeof k.namespace === 'string') setNamespace(k.namespace, accumulated);
  for (const entry of (k.labels as Record<string, unknown>[] | undefined) ?? []) addLabels(file, entry, accumulated);
  for (const image of (k.images as Record<string, string>[] | undefined) ?? []) setImage(file, image, accumulated);
  return accumulated;
}

export function readObjects(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]!.message}`);
      return document.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

function id(object: K8sObject): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function add(accumulated: Accumulated[], resource: Accumulated, file: string): void {
  if (accumulated.some((existing) => id(existing.object) === id(resource.object))) {
    throw new Error(`${file}: ${id(resource.object)} is already in the build`);
  }
  accumulated.push(resource);
}

// ---- generators ----

function generate(dir: string, file: string, kind: 'ConfigMap' | 'Secret', generators: unknown, accumulated: Accumulated[]): void {
  for (const generator of (generators as Record<string, unknown>[] | undefined) ?? []) {
    for (const field of Object.keys(generator)) {
      if (!GENERATOR_FIELDS.has(field)) throw new Error(`${file}: generator field "${field}" is outside this subset`);
    }
    const options = (generator.options as Record<string, unknown> | undefined) ?? {};
    for (const option of Object.keys(options)) {
      if (!GENERATOR_OPTIONS.has(option)) throw new Error(`${file}: generator option "${option}" is outside this subset`);
    }
    const name = generator.name as string;
    const data = generatorData(dir, generator);
    const encoded = kind === 'Secret' ? mapValues(data, kyamlBase64) : data;
    const behavior = (generator.behavior as string | undefined) ?? 'create';
    const existing = accumulated.find((resource) => resource.object.kind === kind && resource.object.metadata.name === name);

    if (behavior === 'merge') {
      if (!existing) throw new Error(`${file}: ${kind} ${name} to merge into does not exist`);
      existing.object.data = { ...(existing.object.data as Record<string, string>), ...encoded };
      continue;
    }
    if (behavior !== 'create') throw new Error(`${file}: generator behavior "${behavior}" is outside this subset`);
    const labels = options.labels as Record<string, string> | undefined;
    const object: K8sObject = {
      apiVersion: 'v1',
      kind,
      metadata: { name, ...(labels ? { labels: { ...labels } } : {}) },
      ...(kind === 'Secret' ? { type: 'Opaque' } : {}),
      data: encoded,
    };
    add(accumulated, { object, hashed: options.disableNameSuffixHash !== true }, file);
  }
}

function generatorData(dir: string, generator: Record<string, unknown>): Record<string, string> {
  const data: Record<string, string> = {};
  const put = (key: string, value: string) => {
    if (key in data) throw new Error(`generator ${generator.name as string}: key ${key} given twice`);
    data[key] = value;
  };
  for (const literal of (generator.literals as string[] | undefined) ?? []) {
    const [key, value] = splitAssignment(literal);
    put(key, value);
  }
  for (const envFile of (generator.envs as string[] | undefined) ?? []) {
    for (const [key, value] of parseEnvFile(readFileSync(resolve(dir, envFile), 'utf8'))) put(key, value);
  }
  for (const entry of (generator.files as string[] | undefined) ?? []) {
    const [key, path] = entry.includes('=') ? splitAssignment(entry) : [basename(entry), entry];
    put(key, readFileSync(resolve(dir, path), 'utf8'));
  }
  return data;
}

/** kustomize's env files: `KEY=VALUE` per line, `#` comments, the key left-trimmed, the value kept verbatim (quotes too). */
export function parseEnvFile(text: string): [string, string][] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, '').replace(/^\s+/, ''))
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      // A bare KEY takes its value from kustomize's own environment: not reproducible, so refused.
      if (!line.includes('=')) throw new Error(`env line without "=": ${line}`);
      return splitAssignment(line);
    });
}

function splitAssignment(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`not KEY=VALUE: ${text}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

// ---- patches ----

function applyPatch(dir: string, file: string, patch: Record<string, unknown>, accumulated: Accumulated[]): void {
  for (const field of Object.keys(patch)) {
    if (!['path', 'patch', 'target'].includes(field)) throw new Error(`${file}: patch field "${field}" is outside this subset`);
  }
  const text = typeof patch.path === 'string' ? readFileSync(resolve(dir, patch.path), 'utf8') : (patch.patch as string);
  const body = parse(text) as Json;
  const target = patch.target as Record<string, string> | undefined;
  for (const field of Object.keys(target ?? {})) {
    if (!['kind', 'name'].includes(field)) throw new Error(`${file}: patch target field "${field}" is outside this subset`);
  }

  if (Array.isArray(body)) {
    if (!target) throw new Error(`${file}: a JSON 6902 patch needs a target`);
    // kustomize applies a targeted patch to every match, and to none without complaint.
    for (const resource of select(accumulated, target)) applyJson6902(resource.object as unknown as JsonObject, body as JsonObject[]);
    return;
  }

  const smp = body as JsonObject;
  const metadata = smp.metadata as JsonObject;
  const own = { kind: smp.kind as string, name: metadata.name as string };
  const matches = select(accumulated, target ?? own);
  if (!target && matches.length === 0) throw new Error(`${file}: no ${own.kind} ${own.name} to patch`);
  for (const resource of matches) {
    const { apiVersion: _apiVersion, kind: _kind, ...rest } = smp;
    const { name: _name, ...metadataRest } = metadata;
    mergeMaps(resource.object as unknown as JsonObject, { ...rest, metadata: metadataRest }, own.kind);
  }
}

/** A patch target's kind and name are regular expressions kustomize anchors at both ends (`baton-(triage|engagement)`). */
function select(accumulated: Accumulated[], target: Record<string, string>): Accumulated[] {
  const matches = (pattern: string | undefined, value: string) => !pattern || new RegExp(`^(?:${pattern})$`).test(value);
  return accumulated.filter(({ object }) => matches(target.kind, object.kind) && matches(target.name, object.metadata.name));
}

/** Strategic merge restricted to maps: enough for a ConfigMap's data, and exact there. */
function mergeMaps(into: JsonObject, patch: JsonObject, path: string): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = into[key];
    if (value === null) delete into[key];
    else if (Array.isArray(value)) throw new Error(`strategic merge of the list ${path}.${key} is outside this subset: use a JSON 6902 patch`);
    else if (isObject(value) && isObject(current)) mergeMaps(current, value, `${path}.${key}`);
    else into[key] = structuredClone(value);
  }
}

function applyJson6902(document: JsonObject, operations: JsonObject[]): void {
  for (const operation of operations) {
    const op = operation.op as string;
    const tokens = (operation.path as string)
      .split('/')
      .slice(1)
      .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = tokens.pop()!;
    let parent: Json = document;
    for (const token of tokens) {
      parent = Array.isArray(parent) ? parent[Number(token)]! : isObject(parent) ? parent[token]! : undefined!;
      if (parent === undefined) throw new Error(`JSON patch ${op} ${operation.path as string}: no such path`);
    }
    const value = structuredClone(operation.value);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op === 'add') parent.splice(index, 0, value!);
      else if (op === 'replace' && index < parent.length) parent[index] = value!;
      else if (op === 'remove' && index < parent.length) parent.splice(index, 1);
      else throw new Error(`JSON patch ${op} ${operation.path as string} is outside this subset or misses`);
    } else if (isObject(parent)) {
      if (op === 'add') parent[last] = value!;
      else if (op === 'replace' && last in parent) parent[last] = value!;
      else if (op === 'remove' && last in parent) delete parent[last];
      else throw new Error(`JSON patch ${op} ${operation.path as string} is outside this subset or misses`);
    } else {
      throw new Error(`JSON patch ${op} ${operation.path as string}: parent is not a container`);
    }
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- namespace, labels, images ----

function setNamespace(namespace: string, accumulated: Accumulated[]): void {
  for (const { object } of accumulated) {
    if (object.kind === 'Namespace') object.metadata.name = namespace;
    else if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = namespace;
  }
}

function addLabels(file: string, entry: Record<string, unknown>, accumulated: Accumulated[]): void {
  for (const field of Object.keys(entry)) {
    if (field !== 'pairs') throw new Error(`${file}: labels field "${field}" (selectors, templates) is outside this subset`);
  }
  for (const { object } of accumulated) {
    object.metadata.labels = { ...object.metadata.labels, ...(entry.pairs as Record<string, string>) };
  }
}

function setImage(file: string, image: Record<string, string>, accumulated: Accumulated[]): void {
  for (const field of Object.keys(image)) {
    if (!['name', 'newName', 'newTag'].includes(field)) throw new Error(`${file}: images field "${field}" is outside this subset`);
  }
  for (const container of containers(accumulated.map((resource) => resource.object))) {
    const reference = parseImage(container.image as string);
    if (reference.name !== image.name) continue;
    const name = image.newName ?? reference.name;
    const tag = image.newTag ?? reference.tag;
    container.image = tag ? `${name}:${tag}` : name;
  }
}

function parseImage(image: string): { name: string; tag?: string } {
  if (image.includes('@')) throw new Error(`image digests are outside this subset: ${image}`);
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? { name: image.slice(0, colon), tag: image.slice(colon + 1) } : { name: image };
}

/** The pod spec of a workload object, or undefined. */
export function podSpec(object: K8sObject): JsonObject | undefined {
  const path = POD_SPEC_PATHS[object.kind];
  if (!path) return undefined;
  let node: unknown = object;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : undefined;
}

export function containers(objects: K8sObject[]): JsonObject[] {
  return objects.flatMap((object) => {
    const spec = podSpec(object);
    return spec
      ? ([...((spec.initContainers as JsonObject[] | undefined) ?? []), ...((spec.containers as JsonObject[] | undefined) ?? [])] as JsonObject[])
      : [];
  });
}

// ---- content hashes and references ----

function finish(accumulated: Accumulated[]): K8sObject[] {
  const renamed = new Map<string, string>();
  for (const { object, hashed } of accumulated) {
    if (!hashed) continue;
    const name = `${object.metadata.name}-${kustomizeHash(object)}`;
    renamed.set(id(object), name);
    object.metadata.name = name;
  }
  for (const { object } of accumulated) {
    const spec = podSpec(object);
    if (!spec) continue;
    const namespace = object.metadata.namespace ?? '';
    const rename = (kind: 'ConfigMap' | 'Secret', holder: JsonObject | undefined, field: string) => {
      if (!holder || typeof holder[field] !== 'string') return;
      const hashedName = renamed.get(`${kind}/${namespace}/${holder[field]}`);
      if (hashedName) holder[field] = hashedName;
    };
    for (const container of [...((spec.initContainers as JsonObject[] | undefined) ?? []), ...((spec.containers as JsonObject[] | undefined) ?? [])]) {
      for (const source of (container.envFrom as JsonObject[] | undefined) ?? []) {
        rename('ConfigMap', source.configMapRef as JsonObject | undefined, 'name');
        rename('Secret', source.secretRef as JsonObject | undefined, 'name');
      }
      for (const variable of (container.env as JsonObject[] | undefined) ?? []) {
        const from = variable.valueFrom as JsonObject | undefined;
        rename('ConfigMap', from?.configMapKeyRef as JsonObject | undefined, 'name');
        rename('Secret', from?.secretKeyRef as JsonObject | undefined, 'name');
      }
    }
    for (const volume of (spec.volumes as JsonObject[] | undefined) ?? []) {
      rename('ConfigMap', volume.configMap as JsonObject | undefined, 'name');
      rename('Secret', volume.secret as JsonObject | undefined, 'secretName');
      for (const source of ((volume.projected as JsonObject | undefined)?.sources as JsonObject[] | undefined) ?? []) {
        rename('ConfigMap', source.configMap as JsonObject | undefined, 'name');
        rename('Secret', source.secret as JsonObject | undefined, 'name');
      }
    }
    for (const pullSecret of (spec.imagePullSecrets as JsonObject[] | undefined) ?? []) rename('Secret', pullSecret, 'name');
  }
  return accumulated.map(({ object }) => object);
}

/**
 * kustomize's name suffix (api/hasher): sha256 of Go's JSON encoding of
 * {data, kind, name: "", type (Secrets)} with sorted keys, its first 10 hex digits
 * with 0 1 3 a e mapped to g h k m t (so the suffix never reads as a number).
 * The empty name matches kustomize v5 (kubectl 1.32's), checked against it.
 */
export function kustomizeHash(object: K8sObject): string {
  const encoded: Record<string, unknown> = { kind: object.kind, name: '', data: object.data ?? {} };
  if (object.kind === 'Secret') encoded.type = object.type ?? 'Opaque';
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex').slice(0, 10);
  return hex.replace(/[013ae]/g, (digit) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[digit]!);
}

/** encoding/json's output: sorted map keys, and <, >, & escaped as \u003c, \u003e, \u0026. */
function goJson(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${goJson(key)}:${goJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * kyaml's encodeBase64: base64 in lines of 70 characters, each followed by a
 * newline once the encoding reaches 70 characters (the API server's decoder skips
 * them). The secret's hash is computed over this text, newlines included.
 */
function kyamlBase64(value: string): string {
  const encoded = Buffer.from(value).toString('base64');
  if (encoded.length < 70) return encoded;
  return encoded
    .match(/.{1,70}/g)!
    .map((line) => `${line}\n`)
    .join('');
}

function mapValues(record: Record<string, string>, map: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
