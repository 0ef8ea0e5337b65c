import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { configLayout } from '../../auth-server/src/config-files';
import { launchChromium } from '../support/browser';
import { makeCtLikeSeries, type TestSeries } from '../../bench/viewer/ct-like-series';
import { stow } from '../support/dicomweb';
import { bearer } from '../support/gate-client';
import { startTestStack, TEST_ADMIN_PASSWORD, TestStack } from '../support/test-stack';
import { issueAccessToken, issueAuthToken } from '../support/tokens';
import { eventually } from '../support/built-cli';
import { adminBasic, shareThroughGate } from '../support/gate-share';
import { type BrowserLog, described, dismissNotices, expectRenderedSlice, watch } from '../support/ohif-page';

const patient = { name: 'Viewer^Ct', id: 'E2E-OHIF-CT' };
/** How OHIF's study list writes that name. */
const LISTED_AS = 'Viewer, Ct';
/** Study B, of another patient: a share link of the series' study must never reach it. */
const otherPatient = { name: 'Other^Bea', id: 'E2E-OHIF-OTHER' };
const reader = { username: 'e2e-ohif-reader', canEdit: false, userPassword: 'Ohif-Reader-Passw0rd' };
const SLICES = 20;

let gate: TestStack;
let browser: Browser;
let context: BrowserContext;
let workDir: string;
let series: TestSeries;
let editToken: string;
let studyB: TestSeries & { orthancId: string };

const refused = (log: BrowserLog) => log.responses.filter(({ status }) => status === 401 || status === 403 || status >= 500);

async function signIn(page: Page): Promise<void> {
  await page.waitForURL(`${gate.settings.publicUrl}/auth/sign-in?**`, { waitUntil: 'commit' });
  await page.fill('#username', reader.username);
  await page.fill('#password', reader.userPassword);
  await page.click('button[type=submit]');
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-viewer-'));
  browser = await launchChromium();
  gate = await startTestStack();
  series = makeCtLikeSeries(workDir, patient, SLICES);
  editToken = await issueAccessToken(gate.client, { username: 'e2e-ohif-uploader', canEdit: true });
  for (const file of series.files) expect((await stow(gate.client, file, editToken)).status).toBe(200);
  await issueAuthToken(gate.client, reader);
  // Made like A: with a bare img2dcm capture stored beside it, OHIF's study list showed no study at all.
  const other = makeCtLikeSeries(workDir, otherPatient, 1);
  expect((await stow(gate.client, other.files[0], editToken)).status).toBe(200);
  studyB = { ...other, orthancId: await orthancStudyId(other.studyUid) };
}, 120000);

beforeEach(async () => {
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(30000);
});

afterEach(() => context?.close());

/** Orthanc's id of a study, looked up with an editor's token ('' once it is gone). */
async function orthancStudyId(studyUid: string): Promise<string> {
  const response = await gate.client.send('POST', '/tools/lookup', { headers: bearer(editToken), body: studyUid });
  const found = JSON.parse(response.text) as { ID: string; Type: string }[];
  return found.find((resource) => resource.Type === 'Study')?.ID ?? '';
}

afterAll(async () => {
  await browser?.close();
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

it('signs in from /viewer/, lists the patient, opens the study and renders a slice, with no request refused and no token in a URL', async () => {
  const page = await context.newPage();
  const log = watch(page);
  await page.goto(`${gate.settings.publicUrl}/viewer/`);
  await signIn(page);
  await page.waitForURL(`${gate.settings.publicUrl}/viewer/`, { waitUntil: 'commit' });
  await page.getByText(LISTED_AS).first().click();
  await page.getByText(patient.id).first().waitFor();
  await page.getByRole('button', { name: 'Basic Viewer' }).click();
  await page.waitForURL(`${gate.settings.publicUrl}/viewer/viewer?**`, { waitUntil: 'commit' });
  expect(new URL(page.url()).searchParams.get('StudyInstanceUIDs')).toBe(series.studyUid);
  await expectRenderedSlice(browser, page);
  const screenshots = process.env.PACSGATE_SCREENSHOT_DIR ?? workDir;
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'ohif-through-gate.png') });
  expect(refused(log)).toEqual([]);
  expect(log.cspViolations).toEqual([]);
  expect(log.committedUrls.filter((url) => /[?&]token=/.test(url))).toEqual([]);
  // The one URL that held a token is sign-in's redirect to the landing, which spent it: OHIF never saw one.
  expect(log.responses.filter(({ url }) => /[?&]token=/.test(url)).map(({ url, status }) => `${status} ${new URL(url).pathname}`)).toEqual(['303 /auth/viewer/']);
}, 240000);

it('sends a viewer link opened without a token to the sign-in page, and back to that study after signing in', async () => {
  const page = await context.newPage();
  const studyPage = `${gate.settings.publicUrl}/viewer/viewer?StudyInstanceUIDs=${series.studyUid}`;
  const first = await page.goto(studyPage);
  expect(first?.status()).toBe(200);
  expect(page.url()).toMatch(new RegExp(`^${gate.settings.publicUrl}/auth/sign-in\\?`));
  await signIn(page);
  await page.waitForURL(studyPage, { waitUntil: 'commit' });
  await page.getByText('CT-like series').first().waitFor({ timeout: 60000 });
}, 120000);

it("opens the viewer from the admin page's result, signed in as that read-only user, whose writes are refused", async () => {
  const page = await context.newPage();
  const log = watch(page);
  await page.goto(`${gate.settings.publicUrl}/auth/token`);
  await page.fill('#name', 'Doctor Viewer');
  await page.fill('#username', 'e2e-ohif-admin-page');
  await page.fill('#adminPassword', TEST_ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.click('#viewer-link');
  await page.waitForURL(`${gate.settings.publicUrl}/viewer/`, { waitUntil: 'commit' });
  await page.getByText(LISTED_AS).first().waitFor({ timeout: 60000 });
  expect(log.committedUrls.filter((url) => /[?&]token=/.test(url))).toEqual([]);
  // Forged with the page's own credentials (its cookie), as a script in the viewer could.
  const upload = await page.evaluate(`fetch('/dicom-web/studies', { method: 'POST', headers: { 'Content-Type': 'multipart/related; type="application/dicom"; boundary=x' }, body: '--x--' }).then((r) => r.status)`);
  const remove = await page.evaluate(`fetch('/studies/${await orthancStudyId(series.studyUid)}', { method: 'DELETE' }).then((r) => r.status)`);
  expect([upload, remove]).toEqual([403, 403]);
  expect(await orthancStudyId(series.studyUid)).not.toBe('');
}, 120000);

it('serves the viewer files to anyone with their types, cache rules, gzip and its own CSP, and its page only with a token', async () => {
  const { publicUrl } = gate.settings;
  const signInFirst = await gate.client.get(`/viewer/viewer?StudyInstanceUIDs=${series.studyUid}`, { Accept: 'text/html' });
  expect([signInFirst.status, signInFirst.headers.location]).toEqual([302, `${publicUrl}/auth/sign-in?return_uri=${publicUrl}/auth/viewer/viewer%3FStudyInstanceUIDs%3D${series.studyUid}`]);
  expect((await gate.client.get('/viewer/', { Accept: 'application/json' })).status).toBe(401);
  expect((await gate.client.get('/viewer/index.html')).status).toBe(301);

  const appConfig = await gate.client.get('/viewer/app-config.js');
  expect([appConfig.status, appConfig.headers['content-type'], appConfig.headers['cache-control']]).toEqual([200, 'application/javascript', 'no-cache']);
  expect(appConfig.text).toContain('"qidoRoot": "/dicom-web"');
  expect(appConfig.text).not.toMatch(/https?:\/\//);
  const viewerCsp = appConfig.headers['content-security-policy'];
  expect(viewerCsp).toContain("'wasm-unsafe-eval'");
  expect(viewerCsp).toContain("connect-src 'self'");

  const files = readdirSync(configLayout(gate.settings.configDir).viewerDir);
  const named = (pattern: RegExp) => `/viewer/${files.find((name) => pattern.test(name))}`;
  const bundle = await gate.client.get(named(/^app\.bundle\.[0-9a-f]{16}\.js$/), { 'Accept-Encoding': 'gzip' });
  expect([bundle.status, bundle.headers['content-type'], bundle.headers['content-encoding']]).toEqual([200, 'application/javascript', 'gzip']);
  expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  const wasm = await gate.client.get(named(/^[0-9a-f]{16}\.wasm$/));
  expect([wasm.status, wasm.headers['content-type']]).toEqual([200, 'application/wasm']);
  const font = await gate.client.get(named(/\.woff2$/));
  expect([font.status, font.headers['content-type']]).toEqual([200, 'font/woff2']);

  // The auth pages keep their own, stricter policy.
  const signInPage = await gate.client.get(`/auth/sign-in?return_uri=${encodeURIComponent(`${publicUrl}/auth/viewer/`)}`);
  expect(signInPage.headers['content-security-policy']).not.toContain('wasm-unsafe-eval');
});

it('spends a token found in a viewer URL into a Lax HttpOnly cookie and sends the browser on without it', async () => {
  const { publicUrl } = gate.settings;
  const token = await issueAuthToken(gate.client, { username: 'e2e-ohif-link', canEdit: false });
  const asked = await gate.client.get(`/viewer/viewer?StudyInstanceUIDs=${series.studyUid}&token=${token}`, { Accept: 'text/html' });
  const landing = `/auth/viewer/viewer?StudyInstanceUIDs=${series.studyUid}&token=${token}`;
  expect([asked.status, asked.headers.location]).toEqual([302, landing]);
  const landed = await gate.client.get(landing, { Accept: 'text/html' });
  expect([landed.status, landed.headers.location]).toEqual([303, `${publicUrl}/viewer/viewer?StudyInstanceUIDs=${series.studyUid}`]);
  const cookie = landed.headers['set-cookie']?.[0] ?? '';
  expect(cookie).toMatch(/^pacsgate_token=[^;]+; Max-Age=\d+; Path=\/; [^]*HttpOnly; Secure; SameSite=Lax$/);
  const viewerPage = await gate.client.get(`/viewer/viewer?StudyInstanceUIDs=${series.studyUid}`, { Accept: 'text/html', Cookie: cookie.split(';')[0] });
  expect([viewerPage.status, viewerPage.headers['cache-control']]).toEqual([200, 'no-cache']);
  expect(viewerPage.text).toContain('src="/viewer/pacsgate-inline-1.js"');
  // Spent: the same link in another browser goes to sign in, and back to the same page.
  const again = await gate.client.get(landing, { Accept: 'text/html' });
  expect([again.status, again.headers.location]).toEqual([303, `${publicUrl}/auth/sign-in?return_uri=${encodeURIComponent(`${publicUrl}/auth/viewer/viewer?StudyInstanceUIDs=${series.studyUid}`)}`]);
});

describe('a read link of the series study opened in OHIF', () => {
  /** Fetched by the page itself, with its own credentials (the scoped cookie), as a script in the viewer could. */
  const statusFromPage = (page: Page, path: string) => page.evaluate<number>(`fetch(${JSON.stringify(path)}).then((r) => r.status)`);

  it.each([
    ['without a PIN', undefined],
    ['with a PIN typed on its page', '482913'],
  ])('%s: lands on the study, renders it, keeps tokens out of URLs and study B out of reach, and stops within seconds of revocation', async (_, pin) => {
    const { publicUrl } = gate.settings;
    const link = await shareThroughGate(gate.client, { study: series.studyUid, ...(pin && { pin }) });
    const page = await context.newPage();
    const log = watch(page);
    await page.goto(link.url);
    if (pin) {
      await page.fill('#pin', pin);
      await page.click('button[type=submit]');
    }
    const studyPage = `${publicUrl}/viewer/viewer?StudyInstanceUIDs=${series.studyUid}`;
    await page.waitForURL(studyPage, { waitUntil: 'commit' });
    await expectRenderedSlice(browser, page);
    // The header's patient panel, collapsed to "Patient", names the study's patient once opened.
    await dismissNotices(page);
    await page.getByText('Patient', { exact: true }).click();
    await page.getByText(LISTED_AS).first().waitFor();
    expect(await page.getByText(otherPatient.id).count()).toBe(0);
    expect(await page.getByText('Other, Bea').count()).toBe(0);

    // The link's own address is the only URL that ever held the token, and no history entry keeps it:
    // with a PIN, the PIN page's script replaced its entry with the form's address.
    expect(page.url()).toBe(studyPage);
    const holdsToken = (url: string) => url.includes(link.token) || /[?&]token=/.test(url);
    const { entries } = await (await context.newCDPSession(page)).send('Page.getNavigationHistory');
    const history = entries.map(({ url }) => url);
    expect(history.filter(holdsToken)).toEqual([]);
    if (pin) expect(history).toContain(`${publicUrl}/auth/open`);
    expect(history.slice(history.indexOf(studyPage)).filter(holdsToken)).toEqual([]);
    expect(log.committedUrls.filter(holdsToken)).toEqual(pin ? [link.url] : []);

    // OHIF may ask for things outside the scope (refused with 403), but never goes unauthenticated or breaks the gate.
    expect(described(log.responses.filter(({ status }) => status === 401 || status >= 500))).toEqual([]);
    const forged = [
      `/dicom-web/studies/${studyB.studyUid}/metadata`,
      `/dicom-web/studies/${studyB.studyUid}/series/${studyB.seriesUid}/metadata`,
      `/dicom-web/studies?StudyInstanceUID=${studyB.studyUid}`,
      `/dicom-web/studies?StudyInstanceUID=${series.studyUid},${studyB.studyUid}`,
      `/dicom-web/studies?PatientID=${otherPatient.id}`,
      '/dicom-web/studies',
      '/patients',
      `/studies/${studyB.orthancId}`,
    ];
    expect(await Promise.all(forged.map((path) => statusFromPage(page, path)))).toEqual(forged.map(() => 403));
    const studyA = `/dicom-web/studies/${series.studyUid}/series`;
    expect(await statusFromPage(page, studyA)).toBe(200);

    // The study list asks for every study: refused, so it lists no study, B least of all.
    const listed = page.waitForResponse((response) => new URL(response.url()).pathname === '/dicom-web/studies');
    await page.goto(`${publicUrl}/viewer/`);
    expect([page.url(), (await listed).status()]).toEqual([`${publicUrl}/viewer/`, 403]);
    expect(await page.getByText('Other, Bea').count()).toBe(0);

    const revoked = await gate.client.send('DELETE', `/auth/share/${link.id}`, { headers: adminBasic() });
    expect(revoked.status).toBe(204);
    await eventually(() => statusFromPage(page, studyA), (status) => status === 401 || status === 403, 5000);
  }, 240000);
});
