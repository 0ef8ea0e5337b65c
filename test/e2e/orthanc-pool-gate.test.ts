import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configLayout } from '../../auth-server/src/config-files';
import { basicAuthorization, ORTHANC_USER } from '../../auth-server/src/orthanc/credential';
import { StackChild } from '../../scripts/stack/child';
import { settingsOnFreePorts } from '../../scripts/stack/free-settings';
import { findFreePort } from '../../scripts/stack/ports';
import { waitUntilHealthy } from '../../scripts/stack/probe';
import { NGINX_BINARY } from '../../scripts/stack/start-stack';
import { writeLocalConfigs } from '../../setup/local-configs';
import { noQuestionsPrompter } from '../../setup/prompt';
import { runSetup } from '../../setup/run-setup';
import { type ChildServer, startAuthServer } from '../support/built-server';
import { makeSmallDicom } from '../support/dicom';
import { bearer, GateClient } from '../support/gate-client';
import { orthancConfigOf, render } from '../support/kubernetes';
import { type ShippedOrthanc, startShippedOrthanc } from '../support/shipped-orthanc';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { TEST_ADMIN_PASSWORD } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';

// Two Orthancs on one PostgreSQL behind the gate's own Nginx, both in PACSGATE_ORTHANC_SERVERS:
// each runs the gate's Orthanc configuration (setup's, its HTTP user only Nginx knows) with the
// PostgreSQL part of the high-availability overlay's orthanc.json. Whichever Orthanc Nginx picks,
// the archive is the same, and with one of them stopped the gate still serves everything.

/** What the overlay's file adds to a lone Orthanc's configuration to make it one of several. */
const POOL_SETTINGS = ['PostgreSQL', 'SaveJobs', 'DicomServerEnabled'];

let work: string;
let postgres: TestPostgres;
let orthancs: ShippedOrthanc[] = [];
let authServer: ChildServer;
let nginx: StackChild;
let client: GateClient;
let orthancAuthorization: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pacsgate-orthanc-pool-'));
  postgres = await startPostgres();
  await postgres.createDatabase('orthanc');
  const orthancPorts = await Promise.all([findFreePort(), findFreePort()]);
  const configDir = join(work, 'config');
  const settings = await settingsOnFreePorts(configDir, () => ({
    PACSGATE_ORTHANC_SERVERS: orthancPorts.map((port) => `127.0.0.1:${port}`).join(','),
    PACSGATE_AUTH_CACHE_SECONDS: '0',
  }));
  const layout = configLayout(configDir);
  await runSetup({ settings, yes: true, force: false, adminPassword: TEST_ADMIN_PASSWORD, prompter: noQuestionsPrompter, log: () => undefined });
  writeLocalConfigs(layout, settings, { accessLog: false });

  const overlay = orthancConfigOf(render(join('overlays', 'high-availability')));
  const gateOrthanc = JSON.parse(readFileSync(layout.orthancConfig, 'utf8')) as Record<string, unknown>;
  const pooled = { ...gateOrthanc, ...Object.fromEntries(POOL_SETTINGS.map((key) => [key, overlay[key]])) };
  orthancAuthorization = basicAuthorization(ORTHANC_USER, readFileSync(layout.orthancNginxPassword, 'utf8').trim());
  const local = { postgres, database: 'orthanc' };
  orthancs = await Promise.all(orthancPorts.map((port) => startShippedOrthanc(pooled, local, { port, healthHeaders: { Authorization: orthancAuthorization } })));

  // On the port setup wrote into Nginx's upstream (PACSGATE_PORT).
  authServer = await startAuthServer(configDir, { PACSGATE_PUBLIC_URL: settings.publicUrl, PACSGATE_ORTHANC_URL: orthancs[0].url, PACSGATE_AUTH_CACHE_SECONDS: '0' }, settings.authPort);
  nginx = StackChild.start('nginx', NGINX_BINARY, ['-p', layout.nginxRuntime, '-c', layout.nginxConfig, '-e', 'stderr'], process.env, () => undefined);
  await waitUntilHealthy(nginx, `https://127.0.0.1:${settings.httpsPort}/auth/healthz`, 20_000);
  client = new GateClient(settings.publicUrl, readFileSync(layout.tlsCert));
}, 180_000);

afterAll(async () => {
  client?.close();
  await nginx?.stop();
  await authServer?.stop();
  await Promise.all(orthancs.map((orthanc) => orthanc.stop()));
  await postgres?.destroy();
  rmSync(work, { recursive: true, force: true });
});

const stored: { id: string; bytes: Buffer }[] = [];

it('stores through the gate into one archive both Orthancs serve, whichever one Nginx picks', async () => {
  const editor = await issueAccessToken(client, { username: 'pool-editor', canEdit: true });
  for (let index = 0; index < 6; index++) {
    const bytes = readFileSync(makeSmallDicom(work, { name: `Pool^Gate${index}`, id: `POOL-GATE-${index}` }));
    const response = await client.send('POST', '/instances', { headers: bearer(editor), body: bytes });
    expect(response.status).toBe(200);
    stored.push({ id: (JSON.parse(response.text) as { ID: string }).ID, bytes });
  }
  for (const orthanc of orthancs) {
    const listed = (await (await fetch(`${orthanc.url}/instances`, { headers: { Authorization: orthancAuthorization } })).json()) as string[];
    expect(listed.sort()).toEqual(stored.map(({ id }) => id).sort());
  }
  const reader = await issueAccessToken(client, { username: 'pool-reader', canEdit: false });
  for (const { id, bytes } of [...stored, ...stored]) {
    const file = await client.send('GET', `/instances/${id}/file`, { headers: bearer(reader) });
    expect(file.status).toBe(200);
    expect(file.body.equals(bytes)).toBe(true);
  }
});

it('serves every instance through the gate with one Orthanc stopped', async () => {
  const reader = await issueAccessToken(client, { username: 'pool-reader-2', canEdit: false });
  await orthancs[1].stop();
  for (const { id, bytes } of [...stored, ...stored]) {
    const file = await client.send('GET', `/instances/${id}/file`, { headers: bearer(reader) });
    expect(`${id} ${file.status}`).toBe(`${id} 200`);
    expect(file.body.equals(bytes)).toBe(true);
  }
});
