import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configLayout } from '../../auth-server/src/config-files';
import { REPO_ROOT } from '../../setup/repo-root';
import { AUTH_SERVER_NODE_ARGS } from '../../scripts/stack/start-stack';

/** The variables of docs/operator-interface.md (shared with operators and packagers). */
const OPERATOR_VARIABLES = [
  'PACSGATE_HOST', 'PACSGATE_PORT', 'PACSGATE_CONFIG_DIR', 'PACSGATE_PUBLIC_URL', 'PACSGATE_ALLOWED_ORIGINS',
  'PACSGATE_ADMIN_PASSWORD_HASH', 'PACSGATE_AUTH_TOKEN_TTL', 'PACSGATE_ACCESS_TOKEN_TTL', 'PACSGATE_REFRESH_TOKEN_TTL',
  'PACSGATE_OIDC_ISSUER', 'PACSGATE_OIDC_CLIENT_ID', 'PACSGATE_OIDC_CLIENT_SECRET', 'PACSGATE_OIDC_EDITOR_GROUPS',
  'PACSGATE_OIDC_GROUPS_CLAIM', 'PACSGATE_LOG_LEVEL', 'PACSGATE_HTTPS_PORT', 'PACSGATE_ORTHANC_HTTP_PORT', 'PACSGATE_DICOM_PORT',
];
const SECRET_VARIABLES = ['PACSGATE_ADMIN_PASSWORD_HASH', 'PACSGATE_OIDC_CLIENT_SECRET', 'PACSGATE_ORTHANC_PASSWORD'];

interface Service {
  profiles?: string[];
  image?: string;
  build?: { context: string; dockerfile: string };
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  secrets?: (string | { source: string; target: string })[];
}

const composeText = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText) as { services: Record<string, Service>; volumes: Record<string, unknown>; secrets: Record<string, { file: string }> };
const operationsDoc = readFileSync(join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
/** The gate itself: the services outside any profile (`--profile keycloak` adds a demo, docs/oidc.md). */
const gateServices = Object.fromEntries(Object.entries(compose.services).filter(([, service]) => !service.profiles));

it('has the three services of the gate', () => {
  expect(Object.keys(gateServices).sort()).toEqual(['auth-server', 'nginx', 'orthanc']);
});

it('publishes only Nginx (HTTPS, HTTP redirect) and the DICOM port, on the documented variables', () => {
  const published = Object.fromEntries(Object.entries(gateServices).map(([name, service]) => [name, service.ports ?? []]));
  expect(published).toEqual({
    nginx: ['${PACSGATE_HTTPS_PORT:-8443}:443', '${PACSGATE_HTTP_PORT:-8080}:80'],
    'auth-server': [],
    orthanc: ['${PACSGATE_DICOM_PORT:-4242}:4242'],
  });
});

it('keeps the database and the Orthanc storage in named volumes', () => {
  expect(Object.keys(compose.volumes).sort()).toEqual(['orthanc-storage', 'pacsgate-db']);
  const authServer = compose.services['auth-server'];
  expect(authServer.volumes).toEqual([`pacsgate-db:${authServer.environment?.PACSGATE_CONFIG_DIR}`]);
  expect(compose.services.orthanc.volumes).toEqual(['orthanc-storage:/var/lib/orthanc/db']);
});

it('passes secrets as files, never as values in the environment', () => {
  for (const secret of Object.values(compose.secrets)) expect(secret.file).toMatch(/^\$\{PACSGATE_CONFIG_DIR:-\.\/data\}\//);
  const environment = compose.services['auth-server'].environment ?? {};
  for (const name of SECRET_VARIABLES) expect(environment[name]).toBeUndefined();
  expect(environment.PACSGATE_ADMIN_PASSWORD_HASH_FILE).toBe('/run/secrets/admin_password_hash');
});

it('uses only variables of the operator interface (or their _FILE forms) and of docs/operations.md', () => {
  const used = new Set(composeText.match(/PACSGATE_[A-Z_]+/g));
  const documented = new Set([...OPERATOR_VARIABLES, ...SECRET_VARIABLES.map((name) => `${name}_FILE`), ...(operationsDoc.match(/PACSGATE_[A-Z_]+/g) ?? [])]);
  expect([...used].filter((name) => !documented.has(name))).toEqual([]);
});

it('builds the auth server from a multi-stage Dockerfile that runs as a non-root user', () => {
  const build = compose.services['auth-server'].build;
  expect(build).toEqual({ context: '.', dockerfile: 'auth-server/Dockerfile' });
  const dockerfile = readFileSync(join(REPO_ROOT, build!.dockerfile), 'utf8');
  expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
  expect(dockerfile).toMatch(/^USER (?!root)\S+/m);
});

it('starts the auth server with the Node options of the stack runner, in the image and in npm start', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'auth-server', 'Dockerfile'), 'utf8');
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
  expect(cmd).toEqual(['node', ...AUTH_SERVER_NODE_ARGS, 'dist/auth-server/src/main.js']);
  const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(scripts.start).toBe(['node', ...AUTH_SERVER_NODE_ARGS, 'dist/auth-server/src/main.js'].join(' '));
});

it('mounts the files setup writes, where setup writes them', () => {
  const layout = configLayout('${PACSGATE_CONFIG_DIR:-./data}');
  expect(Object.fromEntries(Object.entries(compose.secrets).map(([name, secret]) => [name, secret.file]))).toEqual({
    admin_password_hash: layout.adminPasswordHash,
    nginx_conf: layout.dockerNginxConfig,
    orthanc_json: layout.dockerOrthancConfig,
    orthanc_password: layout.orthancNginxPassword,
    tls_cert: layout.tlsCert,
    tls_key: layout.tlsKey,
  });
});
