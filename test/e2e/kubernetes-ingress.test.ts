import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { StackChild } from '../../scripts/stack/child';
import { findFreePort } from '../../scripts/stack/ports';
import { waitUntilHealthy } from '../../scripts/stack/probe';
import { NGINX_BINARY } from '../../scripts/stack/start-stack';
import { type ChildServer, startAuthServer } from '../support/built-server';
import { makeSmallDicom } from '../support/dicom';
import { renderIngressNginx } from '../support/ingress-nginx';
import { type KubeObject, ofKind, orthancConfigOf, podEnvironment, render } from '../support/kubernetes';
import { type ShippedOrthanc, startShippedOrthanc } from '../support/shipped-orthanc';
import { ADMIN_PASSWORD } from '../support/test-app';
import { dicomTag } from '../support/two-studies';

// The single-node overlay's Ingresses as ingress-nginx renders their annotations (test/support/
// ingress-nginx.ts), run by a real Nginx in front of the real auth server (configured from the
// overlay's ConfigMap and *_FILE secrets) and Orthanc (from its orthanc.json): the annotations must
// make the gate the template makes.

const objects = render(join('overlays', 'single-node'));
let work: string;
let orthanc: ShippedOrthanc;
let authServer: ChildServer;
let nginx: StackChild;
let gate: string;

async function accessToken(username: string, canEditResource: boolean): Promise<string> {
  const issued = await fetch(`${gate}/auth/generate-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: username, username, password: ADMIN_PASSWORD, canEditResource, createUserIfNotExists: true }),
  });
  expect(issued.status).toBe(200);
  const { token } = (await issued.json()) as { token: string };
  const exchanged = await fetch(`${gate}/auth/generate-access-token`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  expect(exchanged.status).toBe(200);
  return exchanged.headers.get('authorization')!;
}

async function authToken(username: string): Promise<string> {
  const issued = await fetch(`${gate}/auth/generate-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: username, username, password: ADMIN_PASSWORD, canEditResource: false, createUserIfNotExists: true }),
  });
  return ((await issued.json()) as { token: string }).token;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pacsgate-ingress-'));
  chmodSync(work, 0o755);
  const [secrets, configDir, nginxDir] = ['secrets', 'config', 'nginx'].map((name) => join(work, name));
  for (const dir of [secrets, configDir, nginxDir]) mkdirSync(dir);
  writeFileSync(join(secrets, 'admin-password-hash'), bcrypt.hashSync(ADMIN_PASSWORD, 4));
  writeFileSync(join(secrets, 'session-secret'), 'a-session-secret-of-at-least-32-characters');

  const port = await findFreePort();
  gate = `http://127.0.0.1:${port}`;
  orthanc = await startShippedOrthanc(orthancConfigOf(objects));
  authServer = await startAuthServer(configDir, podEnvironment(objects, secrets, { PACSGATE_PUBLIC_URL: `http://localhost:${port}`, PACSGATE_ORTHANC_URL: orthanc.url }));
  const conf = join(nginxDir, 'nginx.conf');
  const services = { 'pacsgate-auth-server': authServer.url, 'pacsgate-orthanc': orthanc.url };
  writeFileSync(conf, renderIngressNginx(ofKind<IIngress & KubeObject>(objects, 'Ingress'), { dir: nginxDir, port, services }));
  nginx = StackChild.start('nginx', NGINX_BINARY, ['-p', nginxDir, '-c', conf], process.env, () => undefined);
  await waitUntilHealthy(nginx, `${gate}/auth/healthz`, 20_000);
}, 180_000);

afterAll(async () => {
  await nginx?.stop();
  await authServer?.stop();
  await orthanc?.stop();
  rmSync(work, { recursive: true, force: true });
});

it('sends /auth/ to the auth server without the prefix, and refuses /auth/verify from outside in every spelling', async () => {
  expect((await fetch(`${gate}/auth/healthz`)).status).toBe(200);
  // The sign-in page returns only to the public URL's origin (http://localhost:<port> here).
  const publicUrl = `http://localhost:${new URL(gate).port}`;
  expect((await fetch(`${gate}/auth/sign-in?return_uri=${encodeURIComponent(`${publicUrl}/app/explorer.html`)}`)).status).toBe(200);
  for (const path of ['/auth/verify', '/auth/VERIFY', '/auth/%76erify', '/auth//verify', '/auth/./verify']) {
    expect(`${path} ${(await fetch(`${gate}${path}`, { headers: { 'X-Original-URI': '/system' } })).status}`).toBe(`${path} 403`);
  }
});

it('answers 401 without a token on the API, and sends a browser on Orthanc Explorer’s pages to sign in and back', async () => {
  expect((await fetch(`${gate}/system`)).status).toBe(401);
  expect((await fetch(`${gate}/dicom-web/studies`)).status).toBe(401);
  const page = await fetch(`${gate}/app/explorer.html`, { headers: { Accept: 'text/html' }, redirect: 'manual' });
  expect(page.status).toBe(302);
  // `https://$host`: the name the browser asked for, on the default port.
  expect(page.headers.get('location')).toBe(`https://127.0.0.1/auth/sign-in?return_uri=${gate}/app/explorer.html`);
});

it('lets a valid access token through to Orthanc, and a token in the query sets the cookie through the Ingress', async () => {
  const reader = await accessToken('ingress-reader', false);
  const system = await fetch(`${gate}/system`, { headers: { Authorization: reader } });
  expect(system.status).toBe(200);
  expect(((await system.json()) as { Name: string }).Name).toBe('pacsgate');
  const withQueryToken = await fetch(`${gate}/app/explorer.html?token=${await authToken('ingress-explorer')}`, { redirect: 'manual' });
  expect(withQueryToken.status).toBe(200);
  expect(withQueryToken.headers.get('set-cookie')).toMatch(/^pacsgate_token=[^;]+;.*HttpOnly/i);
});

it('keeps a read-only token from writing, also when it asks Orthanc to run a GET as a DELETE', async () => {
  const editor = await accessToken('ingress-editor', true);
  const reader = await accessToken('ingress-reader-2', false);
  const stored = await fetch(`${gate}/instances`, { method: 'POST', headers: { Authorization: editor }, body: readFileSync(makeSmallDicom(work, { name: 'Ingress^Ivy', id: 'ING-IVY' })) });
  expect(stored.status).toBe(200);
  const { ID: id } = (await stored.json()) as { ID: string };
  expect((await fetch(`${gate}/instances/${id}`, { method: 'DELETE', headers: { Authorization: reader } })).status).toBe(403);
  // /verify judges a GET and allows it; Orthanc would run the header's DELETE, but never gets it.
  expect((await fetch(`${gate}/instances/${id}`, { headers: { Authorization: reader, 'X-HTTP-Method-Override': 'DELETE' } })).status).toBe(200);
  expect((await fetch(`${orthanc.url}/instances/${id}`)).status).toBe(200);
});

it('gives a share link’s visitor its study and nothing else: /verify decides on the URI the Ingress sends, not on one the client forges', async () => {
  const editor = await accessToken('ingress-sharer', true);
  const file = makeSmallDicom(work, { name: 'Ingress^Sam', id: 'ING-SAM' });
  const stored = await fetch(`${gate}/instances`, { method: 'POST', headers: { Authorization: editor }, body: readFileSync(file) });
  const { ParentStudy: studyId } = (await stored.json()) as { ParentStudy: string };
  // The auth server finds the study in Orthanc itself (PACSGATE_ORTHANC_URL, Orthanc's HTTP authentication off).
  const link = await fetch(`${gate}/auth/share`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: ADMIN_PASSWORD, study: dicomTag(file, 'StudyInstanceUID') }),
  });
  expect(link.status).toBe(201);
  const opened = await fetch(`${gate}/auth/open/${((await link.json()) as { token: string }).token}`, { redirect: 'manual' });
  expect(opened.status).toBe(303);
  const cookie = opened.headers.get('set-cookie')!.split(';')[0];
  expect((await fetch(`${gate}/studies/${studyId}`, { headers: { Cookie: cookie } })).status).toBe(200);
  expect((await fetch(`${gate}/patients`, { headers: { Cookie: cookie } })).status).toBe(403);
  expect((await fetch(`${gate}/patients`, { headers: { Cookie: cookie, 'X-Original-URI': `/studies/${studyId}` } })).status).toBe(403);
});

it('fails closed when the auth server is down: nothing reaches Orthanc', async () => {
  const reader = await accessToken('ingress-reader-3', false);
  await authServer.stop();
  expect((await fetch(`${gate}/system`, { headers: { Authorization: reader } })).status).toBe(500);
});
