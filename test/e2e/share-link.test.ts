import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configLayout } from '../../auth-server/src/config-files';
import { eventually } from '../support/built-cli';
import { adminBasic, openThroughGate, shareThroughGate } from '../support/gate-share';
import { startTestStack, type TestStack } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';
import { type StoredStudy, storeStudy } from '../support/two-studies';

// Share links through the real Nginx, auth server and Orthanc: what a browser given a link does.
let gate: TestStack;
let workDir: string;
let study: StoredStudy;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-share-e2e-'));
  // Auth cache off: revocation within 1 s is the promise without it (scoped-auth-cache.test.ts covers it on).
  gate = await startTestStack({ accessLog: true, authCacheSeconds: 0 });
  const editToken = await issueAccessToken(gate.client, { username: 'share-editor', canEdit: true });
  study = await storeStudy(gate.client, workDir, { name: 'Share^Sam', id: 'SHARE-E2E' }, editToken);
}, 90_000);

afterAll(async () => {
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const seriesOf = (cookie: string) => gate.client.get(`/dicom-web/studies/${study.studyUid}/series`, { Cookie: cookie });

it('opens a link: 303 to the viewer with a Lax cookie that reaches the study in Orthanc', async () => {
  const link = await shareThroughGate(gate.client, { study: study.studyUid });
  expect(link.url.startsWith(`${gate.settings.publicUrl}/auth/open/`)).toBe(true);
  const { response, cookie } = await openThroughGate(gate.client, link);
  expect(response.status).toBe(303);
  expect(response.headers.location).toBe(`/viewer/viewer?StudyInstanceUIDs=${study.studyUid}`);
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(cookie).toBeDefined();
  const series = await seriesOf(cookie as string);
  expect(series.status).toBe(200);
  expect(series.text).toContain(study.seriesUid);
});

it('opens a link with a PIN through the PIN form, whose action Nginx routes to the auth server', async () => {
  const link = await shareThroughGate(gate.client, { study: study.studyUid, pin: '924613' });
  const wrong = await openThroughGate(gate.client, link, '000000');
  expect(wrong.response.status).toBe(401);
  expect(wrong.cookie).toBeUndefined();
  const right = await openThroughGate(gate.client, link, '924613');
  expect(right.response.status).toBe(303);
  expect((await seriesOf(right.cookie as string)).status).toBe(200);
});

it('refuses every browser that opened a link within a second of DELETE /auth/share/<id>', async () => {
  const link = await shareThroughGate(gate.client, { study: study.studyUid });
  const { cookie } = await openThroughGate(gate.client, link);
  expect((await seriesOf(cookie as string)).status).toBe(200);
  const deleted = await gate.client.send('DELETE', `/auth/share/${link.id}`, { headers: adminBasic() });
  expect(deleted.status).toBe(204);
  await eventually(async () => (await seriesOf(cookie as string)).status, (status) => status === 401, 1000);
  expect((await openThroughGate(gate.client, link)).response.status).toBe(410);
});

it('keeps share tokens out of Nginx’s access log', async () => {
  const link = await shareThroughGate(gate.client, { study: study.studyUid });
  await openThroughGate(gate.client, link);
  const log = await eventually(() => readFileSync(configLayout(gate.settings.configDir).nginxAccessLog, 'utf8'), (text) => text.includes('/auth/open/-'));
  expect(log).not.toContain(link.token);
  expect(log).not.toContain(link.token.split('.')[2]);
});
