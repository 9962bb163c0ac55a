// The Kubernetes API's own types (kubernetes-models and the CRD models of the
// Prometheus Operator and External Secrets) for the kinds the checks read, so a
// check that reads `spec.template.spec.containers` reads it by the schema's names.
import type { IExternalSecret, ISecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1';
import type { IPodMonitor, IPrometheusRule, IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { IDeployment, IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IIngress, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer, IPodSpec, ISecret, IService } from 'kubernetes-models/v1';
import type { K8sObject } from './kustomize.js';

/**
 * A type with every field present, all the way down. The checks read fields they
 * expect the manifests to set: a missing one makes the read throw and the check
 * fail, as its assertion would; a misspelt or mistyped one does not compile.
 */
export type Present<T> = T extends readonly (infer Item)[] ? Present<Item>[] : T extends object ? { [Key in keyof T]-?: Present<T[Key]> } : T;

interface Kinds {
  ConfigMap: IConfigMap;
  Deployment: IDeployment;
  ExternalSecret: IExternalSecret;
  HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
  Ingress: IIngress;
  Job: IJob;
  NetworkPolicy: INetworkPolicy;
  PodDisruptionBudget: IPodDisruptionBudget;
  PodMonitor: IPodMonitor;
  PrometheusRule: IPrometheusRule;
  Secret: ISecret;
  SecretStore: ISecretStore;
  Service: IService;
  ServiceMonitor: IServiceMonitor;
  StatefulSet: IStatefulSet;
}

export type Kind = keyof Kinds;
export type Manifest<K extends Kind> = Present<Kinds[K]>;
export type PodSpec = Present<IPodSpec>;
export type Container = Present<IContainer>;

/** `object` read as the kind it says it is; anything else (or nothing) fails the check. */
export function asKind<K extends Kind>(object: K8sObject | undefined, kind: K): Manifest<K> {
  if (object?.kind !== kind) throw new Error(`expected a ${kind}, found ${object ? `a ${object.kind}` : 'nothing'}`);
  return object as unknown as Manifest<K>;
}
