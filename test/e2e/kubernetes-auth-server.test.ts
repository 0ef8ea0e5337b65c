import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { type ChildServer, startAuthServer } from '../support/built-server';
import { containerOf, type DeploymentObject, named, podEnvironment, render } from '../support/kubernetes';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { ADMIN_PASSWORD } from '../support/test-app';

// The high-availability overlay's auth server pod, run on this machine: its ConfigMap and its
// Secret's files (database URL included) start the real server on a real PostgreSQL 15, and the
// paths its probes ask answer as the kubelet needs.

const objects = render(join('overlays', 'high-availability'));
let work: string;
let postgres: TestPostgres;
let server: ChildServer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pacsgate-kube-auth-'));
  const secrets = join(work, 'secrets');
  mkdirSync(secrets);
  postgres = await startPostgres();
  writeFileSync(join(secrets, 'admin-password-hash'), bcrypt.hashSync(ADMIN_PASSWORD, 4));
  writeFileSync(join(secrets, 'session-secret'), 'a-session-secret-of-at-least-32-characters');
  writeFileSync(join(secrets, 'database-url'), await postgres.createDatabase('pacsgate'));
  server = await startAuthServer(join(work, 'config'), podEnvironment(objects, secrets, { PACSGATE_PUBLIC_URL: 'https://pacs.example.org' }));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await postgres?.destroy();
  rmSync(work, { recursive: true, force: true });
});

it('starts on the PostgreSQL its database-url file names, and the probes’ paths answer 200', async () => {
  const container = containerOf(named<DeploymentObject>(objects, 'Deployment', 'pacsgate-auth-server'));
  for (const probe of [container.livenessProbe, container.readinessProbe]) {
    expect((await fetch(`${server.url}${probe!.httpGet!.path}`)).status).toBe(200);
  }
  const issued = await fetch(`${server.url}/generate-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Kube', username: 'kube-user', password: ADMIN_PASSWORD, canEditResource: false, createUserIfNotExists: true }),
  });
  expect(issued.status).toBe(200);
  // The user is in PostgreSQL, not in a SQLite file of the config dir.
  const tables = await postgres.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'", [], 'pacsgate');
  expect(tables.map((table) => table.name)).toContain('users');
  expect(await postgres.query("SELECT 1 FROM users WHERE username = 'kube-user'", [], 'pacsgate')).toHaveLength(1);
});

it('answers /readyz 503 once its database stops, while /healthz stays 200', async () => {
  await postgres.stop();
  const container = containerOf(named<DeploymentObject>(objects, 'Deployment', 'pacsgate-auth-server'));
  expect((await fetch(`${server.url}${container.readinessProbe!.httpGet!.path}`)).status).toBe(503);
  expect((await fetch(`${server.url}${container.livenessProbe!.httpGet!.path}`)).status).toBe(200);
});
