// Schema validation of Kubernetes objects with kubernetes-models (the API's
// OpenAPI schemas compiled to validators) and the CRD models of the Prometheus
// Operator and External Secrets. The model is picked by apiVersion and kind; an
// object of any other kind fails, so nothing reaches a cluster unvalidated.
//
// The compiled validators ignore fields the schema does not know, so a misspelt
// `readinessProbe` or `periodSecnds` would pass them. `unknownFields` closes that
// gap: it runs the same validator over a Proxy that records which keys the
// validator reads. A validator reads every property its schema declares and
// enumerates the keys of free-form maps (labels, data), so a key it never read
// is a key the schema does not have.
import * as externalSecrets from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import type { K8sObject } from './kustomize.js';

interface Model {
  prototype: { validate(this: unknown): void };
}

const MODELS: Record<string, Model> = {
  'v1/Namespace': core.Namespace,
  'v1/ServiceAccount': core.ServiceAccount,
  'v1/ConfigMap': core.ConfigMap,
  'v1/Secret': core.Secret,
  'v1/Service': core.Service,
  'apps/v1/Deployment': apps.Deployment,
  'apps/v1/StatefulSet': apps.StatefulSet,
  'batch/v1/Job': batch.Job,
  'autoscaling/v2/HorizontalPodAutoscaler': autoscaling.HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': policy.PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': networking.Ingress,
  'networking.k8s.io/v1/NetworkPolicy': networking.NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': monitoring.ServiceMonitor,
  'monitoring.coreos.com/v1/PodMonitor': monitoring.PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': monitoring.PrometheusRule,
  // The External Secrets Operator serves only external-secrets.io/v1 since v0.17;
  // the models package has v1beta1, whose schema v1 kept unchanged for the
  // fields used here (v1 was promoted from v1beta1 as is, no conversion webhook).
  // So v1 objects are validated with the v1beta1 model, under the v1beta1 apiVersion.
  'external-secrets.io/v1/ExternalSecret': externalSecrets.ExternalSecret,
  'external-secrets.io/v1/SecretStore': externalSecrets.SecretStore,
};

const VALIDATED_AS: Record<string, string> = {
  'external-secrets.io/v1': 'external-secrets.io/v1beta1',
};

export function modelFor(object: K8sObject): Model {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) throw new Error(`no model for ${object.apiVersion} ${object.kind} (${object.metadata?.name}): add one or do not deploy it`);
  return model;
}

/** Throws the validator's errors; returns the paths of fields the schema does not know. */
export function validateObject(object: K8sObject): string[] {
  const model = modelFor(object);
  const subject: Record<string, unknown> = { ...object, apiVersion: VALIDATED_AS[object.apiVersion] ?? object.apiVersion };
  if (object.kind === 'Secret' && object.data) {
    // kustomize writes long base64 values in lines of 70 characters; the API
    // server's decoder skips the newlines, the models' "byte" format does not.
    subject.data = Object.fromEntries(Object.entries(object.data as Record<string, string>).map(([key, value]) => [key, value.replaceAll('\n', '')]));
  }
  const read = new WeakMap<object, Set<string>>();
  const enumerated = new WeakSet<object>();
  const observe = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const keys = new Set<string>();
    read.set(value, keys);
    return new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') keys.add(key);
        return observe(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === 'string') keys.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
  };
  // The model's validate() runs the compiled schema on `this`: here the observed object.
  model.prototype.validate.call(observe(subject));

  const unknown: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`);
      return;
    }
    const keys = read.get(value);
    for (const [key, child] of Object.entries(value)) {
      if (!enumerated.has(value) && !keys?.has(key)) unknown.push(`${path}.${key}`);
      walk(child, `${path}.${key}`);
    }
  };
  walk(subject, '');
  return unknown;
}

export function nameOf(object: K8sObject): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}
