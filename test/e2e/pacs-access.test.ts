import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configLayout } from '../../auth-server/src/config-files';
import { ORTHANC_USER } from '../../auth-server/src/orthanc/credential';
import { basicAuthorization } from '../../setup/nginx-config';
import { makeLargeDicom, makeSmallDicom } from '../support/dicom';
import { stow, studiesOf, STUDY_INSTANCE_UID } from '../support/dicomweb';
import { bearer } from '../support/gate-client';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken, issueAuthToken } from '../support/tokens';

const VIEWER = 'https://viewer.pacsgate.test';
const jane = { name: 'Doe^Jane', id: 'E2E-JANE' };
const refused = { name: 'Refused^Upload', id: 'E2E-REFUSED' };

let gate: TestStack;
let workDir: string;
let editToken: string;
let readToken: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-dicom-'));
  gate = await startTestStack({ allowedOrigins: [VIEWER] });
  editToken = await issueAccessToken(gate.client, { username: 'e2e-editor', canEdit: true });
  readToken = await issueAccessToken(gate.client, { username: 'e2e-reader', canEdit: false });
}, 60000);

afterAll(async () => {
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('without a token', () => {
  it.each(['/system', '/studies', '/dicom-web/studies', '/app/explorer.html'])('answers 401 on %s', async (path) => {
    const response = await gate.client.get(path);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toEqual({ message: expect.any(String) });
  });

  it('sends a browser navigation to sign in, coming back to the page it wanted', async () => {
    const response = await gate.client.get('/app/explorer.html', { Accept: 'text/html,application/xhtml+xml' });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${gate.settings.publicUrl}/auth/sign-in?return_uri=${gate.settings.publicUrl}/app/explorer.html`);
  });

  it('hides the auth subrequest endpoint from outside, even with a valid token', async () => {
    const response = await gate.client.get('/auth/verify', bearer(readToken));
    expect(response.status).toBe(404);
  });

  it("does not take Orthanc's own credential for a token", async () => {
    const password = readFileSync(configLayout(gate.settings.configDir).orthancNginxPassword, 'utf8').trim();
    const response = await gate.client.get('/system', { Authorization: basicAuthorization(ORTHANC_USER, password) });
    expect(response.status).toBe(401);
  });
});

describe('DICOMweb through the gate', () => {
  it('stores a STOW-RS upload made with an edit token', async () => {
    const response = await stow(gate.client, makeSmallDicom(workDir, jane), editToken);
    expect(response.status).toBe(200);
    expect(await studiesOf(gate.client, jane.id, readToken)).toHaveLength(1);
  });

  it('refuses the same upload with a read-only token (403) and stores nothing', async () => {
    const response = await stow(gate.client, makeSmallDicom(workDir, refused), readToken);
    expect(response.status).toBe(403);
    expect(await studiesOf(gate.client, refused.id, editToken)).toEqual([]);
  });

  it('serves QIDO-RS and WADO-RS to a read-only token', async () => {
    const [study] = await studiesOf(gate.client, jane.id, readToken);
    const studyUid = study[STUDY_INSTANCE_UID].Value?.[0] as string;
    const metadata = await gate.client.get(`/dicom-web/studies/${studyUid}/metadata`, { ...bearer(readToken), Accept: 'application/dicom+json' });
    expect(metadata.status).toBe(200);
    expect(metadata.text).toContain(jane.id);
    const instances = await gate.client.get(`/dicom-web/studies/${studyUid}`, { ...bearer(readToken), Accept: 'multipart/related; type="application/dicom"' });
    expect(instances.status).toBe(200);
    expect(instances.body.includes(Buffer.from('DICM'))).toBe(true);
  });

  it('passes a 200 MB upload through to Orthanc', async () => {
    const large = { name: 'Large^Upload', id: 'E2E-LARGE' };
    const response = await stow(gate.client, makeLargeDicom(workDir, large, 200 * 1024 * 1024), editToken);
    expect(response.status).toBe(200);
    expect(await studiesOf(gate.client, large.id, readToken)).toHaveLength(1);
  }, 120000);

  it('answers QIDO with absolute URLs on the public address', async () => {
    const [study] = await studiesOf(gate.client, jane.id, readToken);
    expect(study['00081190'].Value?.[0]).toMatch(new RegExp(`^${gate.settings.publicUrl}/dicom-web/studies/`));
  });
});

describe('?token= links', () => {
  it('opens the explorer with an auth token in the query, then lets the cookie alone through', async () => {
    const authToken = await issueAuthToken(gate.client, { username: 'e2e-link', canEdit: false });
    const first = await gate.client.get(`/app/explorer.html?token=${authToken}`);
    expect(first.status).toBe(200);
    const cookie = (first.headers['set-cookie'] ?? []).find((value) => value.startsWith('pacsgate_token='));
    expect(cookie).toMatch(/HttpOnly/i);
    const pair = cookie!.split(';')[0];
    expect((await gate.client.get('/patients', { Cookie: pair })).status).toBe(200);
    expect((await gate.client.get(`/dicom-web/studies?PatientID=${jane.id}`, { Cookie: pair })).status).toBe(200);
    expect((await gate.client.get('/patients')).status).toBe(401);
  });

  it('keeps the token out of what Orthanc sees and still answers the query', async () => {
    const studies = await gate.client.get(`/dicom-web/studies?token=${readToken}&PatientID=${jane.id}`);
    expect(studies.status).toBe(200);
    expect(JSON.parse(studies.text)).toHaveLength(1);
  });
});

describe('CORS for viewers', () => {
  const preflight = (origin: string) =>
    gate.client.send('OPTIONS', '/dicom-web/studies', {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });

  it('answers an allowed origin\'s preflight without a token', async () => {
    const response = await preflight(VIEWER);
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(VIEWER);
    expect(response.headers['access-control-allow-headers']).toBe('authorization');
  });

  it('gives another origin no CORS headers', async () => {
    expect((await preflight('https://elsewhere.test')).headers['access-control-allow-origin']).toBeUndefined();
    const response = await gate.client.get('/patients', { ...bearer(readToken), Origin: 'https://elsewhere.test' });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets an allowed origin read PACS responses, and 401s, with credentials', async () => {
    for (const headers of [{ ...bearer(readToken), Origin: VIEWER }, { Origin: VIEWER }]) {
      const response = await gate.client.get('/patients', headers);
      expect(response.headers['access-control-allow-origin']).toBe(VIEWER);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
    }
  });
});

describe('transport', () => {
  it('redirects plain HTTP to the HTTPS public URL', async () => {
    const location = await new Promise<string | undefined>((resolve, reject) => {
      request(`http://127.0.0.1:${gate.settings.httpPort}/system?x=1`, (res) => {
        res.resume();
        resolve(res.statusCode === 301 ? res.headers.location : `status ${res.statusCode}`);
      }).on('error', reject).end();
    });
    expect(location).toBe(`${gate.settings.publicUrl}/system?x=1`);
  });

  it.each([['TLSv1.2', true], ['TLSv1.3', true], ['TLSv1.1', false]] as const)('answers a %s handshake: %s', async (version, accepted) => {
    const handshake = new Promise<string>((resolve, reject) => {
      // SECLEVEL=0 lets this client offer TLS 1.1 at all, so the refusal is the server's.
      const socket = connect({ host: '127.0.0.1', port: gate.settings.httpsPort, minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0', rejectUnauthorized: false }, () => {
        resolve(socket.getProtocol() ?? '');
        socket.end();
      });
      socket.once('error', reject);
    });
    if (accepted) await expect(handshake).resolves.toBe(version);
    else await expect(handshake).rejects.toThrow();
  });

  it('limits the rate of requests to the auth service', async () => {
    const statuses = await Promise.all(Array.from({ length: 100 }, () => gate.client.get('/auth/healthz').then((response) => response.status)));
    expect(statuses).toContain(429);
  });

  it('sends HSTS', async () => {
    const response = await gate.client.get('/system');
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  });
});
