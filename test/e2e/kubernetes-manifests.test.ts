import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IService } from 'kubernetes-models/v1/Service';
import { REPO_ROOT } from '../../setup/repo-root';
import { containerOf, type DeploymentObject, type KubeObject, named, ofKind, orthancConfigOf, OVERLAYS, render, validateObject } from '../support/kubernetes';

// Every overlay under deploy/kubernetes rendered by kubectl's kustomize and checked against the
// Kubernetes schemas (the kubernetes-models packages) and against what the gate's own Nginx does.

type IngressObject = IIngress & KubeObject;
const AUTH_SERVER = 'pacsgate-auth-server';
const ORTHANC = 'pacsgate-orthanc';
const ANNOTATION = 'nginx.ingress.kubernetes.io/';
/** The ingress-nginx controller's pods, as its Helm chart labels them, in its namespace. */
const INGRESS_CONTROLLER = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } };

/** What the template's auth_request subrequest calls, and the reply header it takes the user from. */
function templateVerify(): { path: string; userHeader: string } {
  const template = readFileSync(join(REPO_ROOT, 'nginx', 'pacsgate.conf.template'), 'utf8');
  const block = /location = \/_verify \{([^}]*)\}/.exec(template)?.[1] ?? '';
  const path = /proxy_pass http:\/\/[^/\s]+(\/\S*);/.exec(block)?.[1];
  const userVariable = /auth_request_set \$verified_user \$upstream_http_(\w+);/.exec(template)?.[1];
  if (!path || !userVariable) throw new Error('the template has no /_verify proxy_pass or verified user');
  return { path, userHeader: userVariable.replace(/_/g, '-') };
}

const rendered = Object.fromEntries(OVERLAYS.map((overlay) => [overlay, render(join('overlays', overlay))])) as Record<(typeof OVERLAYS)[number], KubeObject[]>;
const orthancBackends = (ingress: IngressObject) =>
  (ingress.spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? []).filter((path) => path.backend.service?.name === ORTHANC);

it('the schemas catch a broken object: a string port, a missing container name, a bad enum', () => {
  const deployment = structuredClone(named<DeploymentObject>(rendered['high-availability'], 'Deployment', AUTH_SERVER));
  expect(() => validateObject(deployment)).not.toThrow();
  const stringPort = structuredClone(deployment);
  (containerOf(stringPort).ports![0] as { containerPort: unknown }).containerPort = '3000';
  expect(() => validateObject(stringPort)).toThrow(/containerPort must be integer/);
  const nameless = structuredClone(deployment);
  delete (containerOf(nameless) as { name?: string }).name;
  expect(() => validateObject(nameless)).toThrow(/must have required property name/);
  const ingress = structuredClone(named<IngressObject>(rendered['high-availability'], 'Ingress', 'pacsgate-pacs'));
  (ingress.spec!.rules![0].http!.paths[0] as { pathType: string }).pathType = 'Sometimes';
  expect(() => validateObject(ingress)).toThrow(/pathType must be equal to one of the allowed values/);
  expect(() => validateObject({ apiVersion: 'example.org/v1', kind: 'Gadget', metadata: { name: 'x' } })).toThrow(/no schema here/);
});

describe.each(OVERLAYS)('the %s overlay', (overlay) => {
  const objects = rendered[overlay];
  const authServer = named<DeploymentObject>(objects, 'Deployment', AUTH_SERVER);
  const orthanc = named<DeploymentObject>(objects, 'Deployment', ORTHANC);

  it('renders objects that are all valid against the Kubernetes schemas, in the pacsgate namespace', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) {
      validateObject(object);
      if (object.kind !== 'Namespace') expect(`${object.kind} ${object.metadata.name} in ${object.metadata.namespace}`).toBe(`${object.kind} ${object.metadata.name} in pacsgate`);
    }
  });

  it('sends every path to Orthanc through the verify route, as the template’s auth_request does', () => {
    const { path, userHeader } = templateVerify();
    const service = named<IService & KubeObject>(objects, 'Service', AUTH_SERVER);
    const verifyUrl = `http://${AUTH_SERVER}.${service.metadata.namespace}.svc.cluster.local:${service.spec!.ports![0].port}${path}`;
    const toOrthanc = ofKind<IngressObject>(objects, 'Ingress').filter((ingress) => orthancBackends(ingress).length > 0);
    expect(toOrthanc.map((ingress) => ingress.metadata.name).sort()).toEqual(['pacsgate-pacs', 'pacsgate-pacs-pages']);
    for (const ingress of toOrthanc) {
      const annotations = ingress.metadata.annotations ?? {};
      expect(annotations[`${ANNOTATION}auth-url`]).toBe(verifyUrl);
      // Only with a method does ingress-nginx send X-Original-URI, which /verify decides on.
      expect(annotations[`${ANNOTATION}auth-method`]).toBe('GET');
      const passed = annotations[`${ANNOTATION}auth-response-headers`].split(',').map((name) => name.trim().toLowerCase());
      expect(passed).toEqual(expect.arrayContaining([userHeader, 'authorization', 'cookie', 'x-http-method-override']));
      expect(annotations[`${ANNOTATION}auth-cache-key`]).toBeUndefined();
      expect(annotations[`${ANNOTATION}auth-snippet`]).toBeUndefined();
    }
    const pages = named<IngressObject>(objects, 'Ingress', 'pacsgate-pacs-pages').metadata.annotations!;
    expect(pages[`${ANNOTATION}auth-signin`]).toBe('https://$host/auth/sign-in');
    expect(pages[`${ANNOTATION}auth-signin-redirect-param`]).toBe('return_uri');
  });

  it('routes /auth/ to the auth server with the prefix stripped, and refuses /auth/verify from outside', () => {
    const auth = named<IngressObject>(objects, 'Ingress', 'pacsgate-auth');
    const authPath = auth.spec!.rules![0].http!.paths[0];
    expect(authPath.backend.service?.name).toBe(AUTH_SERVER);
    expect(auth.metadata.annotations?.[`${ANNOTATION}rewrite-target`]).toBe('/$2');
    const routed = (uri: string) => new RegExp(`^${authPath.path}`, 'i').exec(uri)?.[2];
    expect(routed('/auth/sign-in')).toBe('sign-in');

    const internal = named<IngressObject>(objects, 'Ingress', 'pacsgate-auth-internal');
    const internalPath = internal.spec!.rules![0].http!.paths[0].path!;
    expect(internal.metadata.annotations?.[`${ANNOTATION}denylist-source-range`].split(',').map((range) => range.trim())).toEqual(['0.0.0.0/0', '::/0']);
    // ingress-nginx tries this host's regex paths longest first.
    expect(internalPath.length).toBeGreaterThan(authPath.path!.length);
    for (const uri of ['/auth/verify', '/auth/VERIFY', '/auth/verify/']) expect(new RegExp(`^${internalPath}`, 'i').test(uri)).toBe(true);
    for (const uri of ['/auth/sign-in', '/auth/verifying', '/auth/token']) expect(new RegExp(`^${internalPath}`, 'i').test(uri)).toBe(false);
  });

  it('holds no secret value: no Secret object, no secret in a ConfigMap, secrets only as files named by *_FILE', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    for (const configMap of ofKind<KubeObject & { data?: Record<string, string> }>(objects, 'ConfigMap')) {
      for (const [key, value] of Object.entries(configMap.data ?? {})) {
        expect(`${key}`).not.toMatch(/PASSWORD|SECRET|DATABASE_URL$|KEY$/);
        expect(`${key}: ${value}`).not.toMatch(/"Password"|ConnectionUri|postgres(ql)?:\/\/[^@\s]+@/i);
      }
    }
    for (const deployment of ofKind<DeploymentObject>(objects, 'Deployment')) {
      const pod = deployment.spec!.template.spec!;
      const secretVolumes = new Set((pod.volumes ?? []).filter((volume) => volume.secret).map((volume) => volume.name));
      const container = containerOf(deployment);
      const secretMounts = (container.volumeMounts ?? []).filter((mount) => secretVolumes.has(mount.name));
      expect(secretMounts.every((mount) => mount.readOnly)).toBe(true);
      expect(container.envFrom?.some((source) => source.secretRef) ?? false).toBe(false);
      for (const variable of container.env ?? []) {
        expect(`${variable.name} ${variable.valueFrom?.secretKeyRef ? 'from a Secret' : ''}`).toBe(`${variable.name} `);
        const inSecret = secretMounts.some((mount) => variable.value?.startsWith(`${mount.mountPath}/`));
        expect(`${variable.name}: ${inSecret}`).toBe(`${variable.name}: ${variable.name.endsWith('_FILE')}`);
      }
    }
    expect(containerOf(authServer).env?.map((variable) => variable.name)).toEqual(expect.arrayContaining(['PACSGATE_ADMIN_PASSWORD_HASH_FILE', 'PACSGATE_SESSION_SECRET_FILE']));
  });

  it('probes the auth server: liveness on /healthz, readiness on /readyz, on its port', () => {
    const container = containerOf(authServer);
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    const config = named<KubeObject & { data: Record<string, string> }>(objects, 'ConfigMap', AUTH_SERVER).data;
    expect(container.ports).toEqual([{ name: 'http', containerPort: Number(config.PACSGATE_PORT) }, { name: 'metrics', containerPort: Number(config.PACSGATE_METRICS_PORT) }]);
  });

  it('has Prometheus scrape the metrics listener, one port everywhere, and lets only Prometheus reach it', () => {
    const config = named<KubeObject & { data: Record<string, string> }>(objects, 'ConfigMap', AUTH_SERVER).data;
    const metricsPort = config.PACSGATE_METRICS_PORT;
    expect(config.PACSGATE_METRICS_HOST).toBe('0.0.0.0');
    expect(authServer.spec!.template.metadata?.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': metricsPort, 'prometheus.io/path': '/metrics' });
    const policy = named<INetworkPolicy & KubeObject>(objects, 'NetworkPolicy', AUTH_SERVER);
    expect(policy.spec!.podSelector.matchLabels).toEqual(authServer.spec!.template.metadata!.labels);
    const byPort = Object.fromEntries(policy.spec!.ingress!.map((rule) => [rule.ports!.map((port) => port.port).join(','), rule.from]));
    expect(Object.keys(byPort).sort()).toEqual([config.PACSGATE_PORT, metricsPort].map(Number).sort().map(String));
    expect(byPort[metricsPort]).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    expect(byPort[config.PACSGATE_PORT]).toEqual([INGRESS_CONTROLLER]);
    // No Service and no Ingress leads to it.
    for (const service of ofKind<IService & KubeObject>(objects, 'Service')) expect(service.spec!.ports!.map((port) => port.targetPort)).not.toContain('metrics');
  });

  it('runs every pod non-root on a read-only root filesystem, no capabilities, seccomp RuntimeDefault, with requests and limits', () => {
    for (const deployment of [authServer, orthanc]) {
      const pod = deployment.spec!.template.spec!;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      const container = containerOf(deployment);
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
      // Where it must write, it writes to a volume.
      const mounts = Object.fromEntries((container.volumeMounts ?? []).map((mount) => [mount.mountPath, mount]));
      expect(mounts['/tmp']?.readOnly).toBeFalsy();
    }
    const authMounts = containerOf(authServer).volumeMounts ?? [];
    expect(authMounts.find((mount) => mount.mountPath === '/var/lib/pacsgate')?.readOnly).toBeFalsy();
  });

  it('lets only the ingress controller and the auth server reach Orthanc', () => {
    const policies = ofKind<INetworkPolicy & KubeObject>(objects, 'NetworkPolicy').filter((policy) => policy.spec?.podSelector.matchLabels?.['app.kubernetes.io/name'] === ORTHANC);
    expect(policies).toHaveLength(1);
    const [rule] = policies[0].spec!.ingress!;
    expect(policies[0].spec!.ingress).toHaveLength(1);
    expect(policies[0].spec!.policyTypes).toEqual(['Ingress']);
    expect(rule.ports).toEqual([{ port: containerOf(orthanc).ports![0].containerPort, protocol: 'TCP' }]);
    expect(rule.from).toEqual([INGRESS_CONTROLLER, { podSelector: { matchLabels: authServer.spec!.template.metadata!.labels } }]);
  });

  it('has Services whose selectors match their pods and whose ports name a container port', () => {
    for (const service of ofKind<IService & KubeObject>(objects, 'Service')) {
      const deployment = ofKind<DeploymentObject>(objects, 'Deployment').find((candidate) => Object.entries(service.spec!.selector!).every(([key, value]) => candidate.spec!.template.metadata?.labels?.[key] === value));
      expect(deployment?.metadata.name).toBe(service.metadata.name);
      const portNames = (containerOf(deployment!).ports ?? []).map((port) => port.name);
      for (const port of service.spec!.ports!) expect(portNames).toContain(port.targetPort);
    }
  });
});

describe('replicas', () => {
  it('single node: one auth server on its SQLite volume, one Orthanc on its files, each replaced by Recreate', () => {
    const objects = rendered['single-node'];
    for (const name of [AUTH_SERVER, ORTHANC]) {
      const deployment = named<DeploymentObject>(objects, 'Deployment', name);
      expect(deployment.spec!.replicas).toBe(1);
      expect(deployment.spec!.strategy?.type).toBe('Recreate');
      const claims = deployment.spec!.template.spec!.volumes!.filter((volume) => volume.persistentVolumeClaim).map((volume) => volume.persistentVolumeClaim!.claimName);
      expect(claims).toHaveLength(1);
      named(objects, 'PersistentVolumeClaim', claims[0]);
    }
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('high availability: two or more of each, an HPA on CPU from two, PodDisruptionBudgets, no volume a replica owns', () => {
    const objects = rendered['high-availability'];
    // One shared folder, the auth servers' signing keys: every replica mounts it, and may write to it.
    const claims = ofKind<KubeObject & { spec: { accessModes: string[] } }>(objects, 'PersistentVolumeClaim');
    expect(claims.map((claim) => [claim.metadata.name, claim.spec.accessModes])).toEqual([['pacsgate-signing-keys', ['ReadWriteMany']]]);
    const keysVolume = named<DeploymentObject>(objects, 'Deployment', AUTH_SERVER).spec!.template.spec!.volumes!.find((volume) => volume.persistentVolumeClaim);
    expect(keysVolume?.persistentVolumeClaim?.claimName).toBe('pacsgate-signing-keys');
    expect(containerOf(named<DeploymentObject>(objects, 'Deployment', AUTH_SERVER)).volumeMounts).toContainEqual({ name: keysVolume!.name, mountPath: '/var/lib/pacsgate/signing-keys' });
    for (const name of [AUTH_SERVER, ORTHANC]) {
      const deployment = named<DeploymentObject>(objects, 'Deployment', name);
      expect(deployment.spec!.replicas).toBeGreaterThanOrEqual(2);
      expect(deployment.spec!.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
      const budget = named<IPodDisruptionBudget & KubeObject>(objects, 'PodDisruptionBudget', name);
      expect(budget.spec!.minAvailable).toBe(1);
      expect(budget.spec!.selector).toEqual(deployment.spec!.selector);
    }
    const autoscaler = named<IHorizontalPodAutoscaler & KubeObject>(objects, 'HorizontalPodAutoscaler', AUTH_SERVER);
    expect(autoscaler.spec!.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: AUTH_SERVER });
    expect(autoscaler.spec!.minReplicas).toBeGreaterThanOrEqual(2);
    expect(autoscaler.spec!.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    const authServer = named<DeploymentObject>(objects, 'Deployment', AUTH_SERVER);
    expect(containerOf(authServer).env?.find((variable) => variable.name === 'PACSGATE_DATABASE_URL_FILE')?.value).toBe('/run/secrets/pacsgate/database-url');
  });

  it('high availability: every Orthanc on the one PostgreSQL index and storage, unlocked, its password a file in /run/secrets', () => {
    const objects = rendered['high-availability'];
    const orthanc = named<DeploymentObject>(objects, 'Deployment', ORTHANC);
    expect(orthancConfigOf(objects).PostgreSQL).toMatchObject({ EnableIndex: true, EnableStorage: true, Lock: false });
    expect(containerOf(orthanc).volumeMounts).toContainEqual({ name: 'secrets', mountPath: '/run/secrets', readOnly: true });
  });
});
