import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configLayout } from '../../auth-server/src/config-files';
import { ORTHANC_USER } from '../../auth-server/src/orthanc/credential';
import { basicAuthorization } from '../../setup/nginx-config';
import { makeSmallDicom } from '../support/dicom';
import { stow, studiesOf } from '../support/dicomweb';
import { bearer } from '../support/gate-client';
import { FETCH_ONCE_SCRIPT, withTestNamespace } from '../support/netns';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';

const patient = { name: 'Closed^Gate', id: 'E2E-CLOSED' };
const intruder = { name: 'Unknown^Modality', id: 'E2E-INTRUDER' };

let gate: TestStack;
let workDir: string;
let editToken: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-dicom-'));
  gate = await startTestStack();
  editToken = await issueAccessToken(gate.client, { username: 'e2e-closed', canEdit: true });
  expect((await stow(gate.client, makeSmallDicom(workDir, patient), editToken)).status).toBe(200);
}, 60000);

afterAll(async () => {
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

interface FetchResult {
  status?: number;
  body?: string;
  error?: string;
}

it("gives a client on another address nothing from Orthanc's HTTP port, even with Orthanc's credential", async () => {
  const password = readFileSync(configLayout(gate.settings.configDir).orthancNginxPassword, 'utf8').trim();
  await withTestNamespace(async (namespace) => {
    const fetchOnce = async (url: string, authorization = '') => JSON.parse(await namespace.runNode(FETCH_ONCE_SCRIPT, [url, authorization])) as FetchResult;
    // The namespace does reach this host: the gate answers it.
    expect((await fetchOnce(`https://${namespace.hostAddress}:${gate.settings.httpsPort}/auth/healthz`)).status).toBe(200);
    const orthanc = `http://${namespace.hostAddress}:${gate.settings.orthancHttpPort}`;
    for (const attempt of [await fetchOnce(`${orthanc}/patients`), await fetchOnce(`${orthanc}/patients`, basicAuthorization(ORTHANC_USER, password))]) {
      expect(attempt.status).not.toBe(200);
      expect(attempt.body ?? '').not.toMatch(/[0-9a-f]{8}-[0-9a-f]{8}/);
    }
  });
});

it('refuses a C-STORE from a modality nobody registered', async () => {
  const dicom = makeSmallDicom(workDir, intruder);
  const storescu = await new Promise<number>((resolve) => {
    execFile('storescu', ['-aet', 'INTRUDER', '-aec', 'PACSGATE', '127.0.0.1', String(gate.settings.dicomPort), dicom], { timeout: 15000 }, (error) =>
      resolve(error ? Number(error.code ?? 1) : 0));
  });
  expect(storescu).not.toBe(0);
  expect(await studiesOf(gate.client, intruder.id, editToken)).toEqual([]);
});

it('with the auth server down, a valid token gets no PACS data once Nginx’s cached allow has expired', async () => {
  expect((await gate.client.get('/patients', bearer(editToken))).status).toBe(200);
  await gate.stack.authServer.stop();
  // The auth cache (1 s by default) may answer /patients from its allow for up to 2 s: the documented
  // trade-off, as for a revocation. No stale answer is ever used once it expires.
  for (const waited = Date.now(); (await gate.client.get('/patients', bearer(editToken))).status === 200; ) {
    expect(Date.now() - waited).toBeLessThan(30_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const path of ['/patients', '/dicom-web/studies', `/app/explorer.html?token=${editToken}`]) {
    const response = await gate.client.get(path, bearer(editToken));
    expect(response.status).toBe(503);
    expect(response.text).not.toContain(patient.id);
  }
});
