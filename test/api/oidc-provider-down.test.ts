import bcrypt from 'bcrypt';
import { findFreePort } from '../../scripts/stack/ports';
import { submitForm } from '../support/forms';
import { EDITOR } from '../support/oidc-provider';
import { type OidcHarness, PROVIDER_NAME, startOidcHarness, VIEWER_RETURN_URI, viewerParams } from '../support/oidc-harness';
import { VIEWER_ORIGIN } from '../support/test-app';

const UNAVAILABLE = new RegExp(`Signing in with ${PROVIDER_NAME} is not possible right now`);

describe('OpenID Connect sign-in while the provider is down', () => {
  let h: OidcHarness;

  beforeAll(async () => {
    // An issuer on a port nothing listens on: discovery fails at the first sign-in.
    h = await startOidcHarness({ env: { PACSGATE_OIDC_ISSUER: `http://127.0.0.1:${await findFreePort()}` } });
  });
  afterAll(() => h.close());

  it('shows an error page with a way back, and the password form still signs in', async () => {
    const tab = h.tab();
    const failed = await tab.get(h.startUrl());
    expect(failed.status).toBe(502);
    expect(failed.body).toMatch(UNAVAILABLE);
    expect(failed.body).toContain('href="../static/style.css"');
    const back = /id="back-to-sign-in" href="([^"]+)"/.exec(failed.body)?.[1].replace(/&amp;/g, '&') as string;
    expect(back).toBe(`${h.publicUrl}/auth/sign-in?return_uri=${encodeURIComponent(VIEWER_RETURN_URI)}`);

    const signInPage = await tab.get(back);
    expect(signInPage.status).toBe(200);
    expect(signInPage.body).toContain(`Sign in with ${PROVIDER_NAME}`);
    await h.t.store.users.upsert({ username: 'local', name: 'Local User', canEditResource: false, passwordHash: bcrypt.hashSync('local password', 4), oidcIssuer: null, oidcSubject: null }, 0);
    const signInPath = `/sign-in?return_uri=${encodeURIComponent(VIEWER_RETURN_URI)}`;
    const signedIn = await submitForm(h.t, signInPath, '/sign-in', { return_uri: VIEWER_RETURN_URI, username: 'local', password: 'local password' });
    expect(signedIn.status).toBe(303);
    expect(new URL(signedIn.headers.location).origin).toBe(VIEWER_ORIGIN);
  });
});

describe('OpenID Connect sign-in when the provider goes down during the flow', () => {
  let h: OidcHarness;

  beforeAll(async () => {
    h = await startOidcHarness();
  });
  afterAll(() => h.close());

  it('shows an error page when the code cannot be exchanged', async () => {
    viewerParams(await h.signIn(EDITOR.sub));
    const tab = h.tab();
    const callback = await h.providerAnswer(tab, await h.authorizationUrl(tab), EDITOR.sub);
    await h.provider.stop();

    const page = await tab.get(callback);
    expect(page.status).toBe(502);
    expect(page.body).toMatch(UNAVAILABLE);
    expect(page.location).toBeUndefined();
  });
});

