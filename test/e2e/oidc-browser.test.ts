import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { EDITOR } from '../support/oidc-provider';
import { type OidcHarness, PROVIDER_NAME, startOidcHarness } from '../support/oidc-harness';

/** A stand-in viewer: any path answers a page, so the browser can land on the return_uri. */
async function startStubViewer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>viewer</title><p>viewer</p>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Chromium signs in with the provider from the sign-in page. The app is served over plain http on
 * `localhost`, the one host where Chromium keeps our Secure cookies without TLS.
 */
describe('"Sign in with" in a real browser', () => {
  let viewer: Awaited<ReturnType<typeof startStubViewer>>;
  let h: OidcHarness;
  let browser: Browser;

  beforeAll(async () => {
    // One after the other: when one fails, afterAll still closes the others.
    viewer = await startStubViewer();
    browser = await launchChromium();
    h = await startOidcHarness({ publicUrl: (port) => `http://localhost:${port}`, env: { PACSGATE_ALLOWED_ORIGINS: viewer.origin } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    viewer?.server.close();
  });

  it('clicks "Sign in with …", logs in at the provider and lands on the viewer with a token that opens the PACS', async () => {
    const returnUri = `${viewer.origin}/viewer/?study=1.2.3`;
    const responseType = JSON.stringify({ type: 'authToken', returnParams: { study: '1.2.3' } });
    const page = await browser.newPage();
    await page.goto(`${h.publicUrl}/auth/sign-in?return_uri=${encodeURIComponent(returnUri)}&response_type=${encodeURIComponent(responseType)}`);

    await page.getByRole('link', { name: `Sign in with ${PROVIDER_NAME}` }).click();
    await page.locator('input[name="login"]').fill(EDITOR.sub);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.origin === viewer.origin);

    const landed = new URL(page.url());
    expect(landed.pathname).toBe('/viewer/');
    expect(landed.searchParams.get('study')).toBe('1.2.3');
    expect(JSON.parse(landed.searchParams.get('state') ?? '')).toEqual({ context: 'zhiva_auth', state: '', params: { study: '1.2.3' } });
    const authToken = landed.searchParams.get('token') ?? '';

    const local = `http://127.0.0.1:${h.server.port}/auth`;
    const exchanged = await fetch(`${local}/generate-access-token`, { method: 'POST', headers: { authorization: `Bearer ${authToken}`, origin: viewer.origin } });
    expect(exchanged.status).toBe(200);
    const accessToken = exchanged.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';

    const verified = await fetch(`${local}/verify`, {
      headers: { authorization: `Bearer ${accessToken}`, origin: viewer.origin, 'x-original-uri': '/dicom-web/studies', 'x-original-method': 'POST' },
    });
    expect(verified.status).toBe(204);
    expect(verified.headers.get('x-auth-request-user')).toBe('editor');
  });
});
