import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { REPO_ROOT } from '../../setup/repo-root';

export const KUBERNETES_DIR = join(REPO_ROOT, 'deploy', 'kubernetes');
export const OVERLAYS = ['single-node', 'high-availability'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** One rendered object, as kubectl prints it: typed loosely, each test reads the fields it checks. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** `kubectl kustomize` of a directory under deploy/kubernetes (Debian's kubernetes-client, or any kubectl). */
export function render(dir: string): KubeObject[] {
  const result = spawnSync('kubectl', ['kustomize', join(KUBERNETES_DIR, dir)], { encoding: 'utf8' });
  if (result.error) throw new Error(`kubectl: ${result.error.message} (sh scripts/install-system-deps.sh --for-tests installs it)`);
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout).map((document) => document.toJS() as KubeObject).filter(Boolean);
}

type Model = new (data: never) => { validate(): void };

/** The schema of each kind the manifests may hold; any other kind is refused by `validateObject`. */
const MODELS: Record<string, Model> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** Throws, naming the object and the fields, when it breaks its kind's schema (types, required fields, formats, enums). */
export function validateObject(object: KubeObject): void {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`${object.kind} ${object.metadata.name}: no schema here for ${object.apiVersion}/${object.kind}`);
  try {
    new Model(object as never).validate();
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`, { cause: error });
  }
}

export const ofKind = <T = KubeObject>(objects: KubeObject[], kind: string): T[] => objects.filter((object) => object.kind === kind) as T[];

export function named<T = KubeObject>(objects: KubeObject[], kind: string, name: string): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as T;
}

export type DeploymentObject = IDeployment & KubeObject;

/** The one container of a Deployment's pods (each of ours has one). */
export function containerOf(deployment: DeploymentObject) {
  const containers = deployment.spec?.template.spec?.containers ?? [];
  if (containers.length !== 1) throw new Error(`${deployment.metadata.name}: ${containers.length} containers`);
  return containers[0];
}

/** The orthanc.json an overlay's Orthanc pods read: the ConfigMap their `config` volume names. */
export function orthancConfigOf(objects: KubeObject[]): Record<string, unknown> {
  const orthanc = named<DeploymentObject>(objects, 'Deployment', 'pacsgate-orthanc');
  const name = orthanc.spec?.template.spec?.volumes?.find((volume) => volume.name === 'config')?.configMap?.name;
  if (!name) throw new Error('pacsgate-orthanc mounts no config ConfigMap');
  return JSON.parse(named<KubeObject & { data: Record<string, string> }>(objects, 'ConfigMap', name).data['orthanc.json']) as Record<string, unknown>;
}

/**
 * The auth server's environment as its pod has it, for a server on this machine: the ConfigMap,
 * the *_FILE variables pointing into `secretsDir` (standing for the mounted Secret), then `overrides`.
 * Its own address, port, config dir and metrics listener are left to the caller.
 */
export function podEnvironment(objects: KubeObject[], secretsDir: string, overrides: Record<string, string>): Record<string, string> {
  const config = { ...named<KubeObject & { data: Record<string, string> }>(objects, 'ConfigMap', 'pacsgate-auth-server').data };
  for (const local of ['PACSGATE_HOST', 'PACSGATE_PORT', 'PACSGATE_CONFIG_DIR', 'PACSGATE_METRICS_HOST', 'PACSGATE_METRICS_PORT']) delete config[local];
  const container = containerOf(named<DeploymentObject>(objects, 'Deployment', 'pacsgate-auth-server'));
  const secretMount = container.volumeMounts?.find((mount) => mount.name === 'secrets')?.mountPath;
  if (!secretMount) throw new Error('pacsgate-auth-server mounts no secrets volume');
  const files = Object.fromEntries((container.env ?? []).map((variable) => [variable.name, (variable.value ?? '').replace(secretMount, secretsDir)]));
  return { ...config, ...files, ...overrides };
}
