import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { makeSmallDicom } from '../support/dicom';
import { stow, studiesOf } from '../support/dicomweb';
import { startTestStack, TEST_ADMIN_PASSWORD, TestStack } from '../support/test-stack';
import { exchangeForAccessToken, issueAccessToken, issueAuthToken } from '../support/tokens';

const VIEWER = 'https://viewer.pacsgate.test';
const patient = { name: 'Explorer^Patient', id: 'E2E-EXPLORER' };

let gate: TestStack;
let browser: Browser;
let context: BrowserContext;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-browser-'));
  // One after the other: when the second fails, afterAll still closes the first.
  browser = await launchChromium();
  gate = await startTestStack({ allowedOrigins: [VIEWER] });
  const editToken = await issueAccessToken(gate.client, { username: 'e2e-uploader', canEdit: true });
  expect((await stow(gate.client, makeSmallDicom(workDir, patient), editToken)).status).toBe(200);
}, 60000);

beforeEach(async () => {
  // The test certificate is self-signed; each test starts without cookies.
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  context.setDefaultTimeout(10000);
});

afterEach(() => context?.close());

afterAll(async () => {
  await browser?.close();
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

it('issues a token on /auth/token whose explorer link opens Orthanc Explorer listing the patient', async () => {
  const page = await context.newPage();
  await page.goto(`${gate.settings.publicUrl}/auth/token`);
  await page.fill('#name', 'Doctor Browser');
  await page.fill('#username', 'e2e-browser');
  await page.fill('#adminPassword', TEST_ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.click('#explorer-link');
  await page.waitForURL(`${gate.settings.publicUrl}/app/explorer.html**`);
  await page.goto(`${gate.settings.publicUrl}/app/explorer.html#find-patients`);
  await page.getByText(patient.id).first().waitFor();
  // jQuery Mobile fades pages in: wait for the fade to end before the picture.
  await page.waitForFunction("!document.documentElement.classList.contains('ui-mobile-viewport-transitioning')");
  await page.waitForTimeout(400);
  const screenshots = process.env.PACSGATE_SCREENSHOT_DIR ?? workDir;
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'explorer-through-gate.png') });
});

it('signs a viewer user in and sends the browser back to the return_uri with token and state', async () => {
  await issueAuthToken(gate.client, { username: 'e2e-viewer-user', canEdit: false, userPassword: 'Viewer-Passw0rd-1' });
  await context.route(`${VIEWER}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>viewer</p>' }));
  const page = await context.newPage();
  const responseType = JSON.stringify({ type: 'authToken', returnParams: { studyUid: '1.2.3' } });
  await page.goto(`${gate.settings.publicUrl}/auth/sign-in?return_uri=${encodeURIComponent(`${VIEWER}/callback`)}&response_type=${encodeURIComponent(responseType)}`);
  await page.fill('#username', 'e2e-viewer-user');
  await page.fill('#password', 'Viewer-Passw0rd-1');
  await page.click('button[type=submit]');
  await page.waitForURL(`${VIEWER}/callback?**`);
  const landed = new URL(page.url());
  expect(JSON.parse(landed.searchParams.get('state') ?? '')).toEqual({ context: 'zhiva_auth', state: '', params: { studyUid: '1.2.3' } });
  const token = landed.searchParams.get('token') ?? '';
  expect(token.split('.')).toHaveLength(3);
  // The viewer then spends it for an access token that opens the PACS.
  const accessToken = await exchangeForAccessToken(gate.client, token, { Origin: VIEWER });
  expect(await studiesOf(gate.client, patient.id, accessToken)).toHaveLength(1);
});

it('sends a browser without a token from the explorer to sign in, and back into the explorer', async () => {
  await issueAuthToken(gate.client, { username: 'e2e-explorer-user', canEdit: false, userPassword: 'Explorer-Passw0rd-1' });
  const page = await context.newPage();
  const signIn = await page.goto(`${gate.settings.publicUrl}/app/explorer.html`);
  expect(page.url()).toMatch(new RegExp(`^${gate.settings.publicUrl}/auth/sign-in\\?`));
  expect(signIn?.status()).toBe(200);
  await page.fill('#username', 'e2e-explorer-user');
  await page.fill('#password', 'Explorer-Passw0rd-1');
  await page.click('button[type=submit]');
  await page.waitForURL(`${gate.settings.publicUrl}/app/explorer.html?**`);
  await page.goto(`${gate.settings.publicUrl}/app/explorer.html#find-patients`);
  await page.getByText(patient.id).first().waitFor();
});
