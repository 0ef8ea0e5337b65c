import jwt from 'jsonwebtoken';
import type { AuthTokenClaims } from '../../auth-server/src/tokens/claims';
import { expectStatus } from '../support/api';
import { openForm, postForm } from '../support/forms';
import { EDITOR, READER } from '../support/oidc-provider';
import { type OidcHarness, PROVIDER_NAME, startOidcHarness, VIEWER_RETURN_URI, viewerParams } from '../support/oidc-harness';
import { ADMIN_PASSWORD, VIEWER_ORIGIN } from '../support/test-app';

const authClaims = (token: string) => jwt.decode(token) as AuthTokenClaims;

describe('OpenID Connect sign-in, full authorization-code flow against a real provider', () => {
  let h: OidcHarness;

  beforeAll(async () => {
    h = await startOidcHarness();
  });
  afterAll(() => h.close());

  it('shows "Sign in with <provider>" on the sign-in page, carrying the viewer target', async () => {
    const page = await h.tab().get(`${h.publicUrl}/auth/sign-in?return_uri=${encodeURIComponent(VIEWER_RETURN_URI)}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Sign in with ${PROVIDER_NAME}`);
    const href = /id="oidc-sign-in" href="([^"]+)"/.exec(page.body)?.[1].replace(/&amp;/g, '&');
    expect(new URL(href as string, page.url).toString()).toBe(h.startUrl());
  });

  it('gives an editor-group member an auth token that can edit, for the viewer origin, with the viewer state', async () => {
    const responseType = JSON.stringify({ type: 'authToken', returnParams: { study: '1.2.3' } });
    const tab = h.tab();
    const page = await h.loginAt(tab, await h.authorizationUrl(tab, h.startUrl(VIEWER_RETURN_URI, responseType)), EDITOR.sub);

    const { token, state } = viewerParams(page);
    expect(page.location?.pathname).toBe('/viewer/index.html');
    expect(page.location?.searchParams.get('study')).toBe('1.2.3');
    expect(state).toEqual({ context: 'zhiva_auth', state: '', params: { study: '1.2.3' } });
    expect(authClaims(token)).toMatchObject({ type: 'auth', username: 'editor', name: 'Eda Editor', canEditResource: true, aud: VIEWER_ORIGIN });
  });

  it('gives a reader an auth token that cannot edit', async () => {
    const { token } = viewerParams(await h.signIn(READER.sub));
    expect(authClaims(token)).toMatchObject({ username: 'reader', canEditResource: false, aud: VIEWER_ORIGIN });
  });

  it('audits the sign-in with the method and the username', async () => {
    h.t.audit.clear();
    await h.signIn(READER.sub);
    expect(h.t.audit.of('sign-in.succeeded')).toEqual([expect.objectContaining({ method: 'oidc', via: 'page', username: 'reader' })]);
  });

  it('stores the user by issuer and subject', async () => {
    await h.signIn(EDITOR.sub);
    const user = await h.t.store.users.findByOidcIdentity(h.provider.issuer, EDITOR.sub);
    expect(user).toMatchObject({ username: 'editor', name: 'Eda Editor', canEditResource: true, passwordHash: null });
  });

  it('asks for the code with the registered redirect URI, a state and a fresh nonce every time, whatever the request headers say', async () => {
    const first = await h.authorizationUrl(h.tab());
    const second = await h.authorizationUrl(h.tab(), h.startUrl());
    const forged = await h.tab().get(h.startUrl(), { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' });

    expect(first.origin).toBe(h.provider.issuer);
    expect(Object.fromEntries(first.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'pacsgate',
      redirect_uri: `${h.publicUrl}/auth/oidc/callback`,
      scope: 'openid profile email',
    });
    expect(first.searchParams.get('state')).toMatch(/^[\w-]{32}$/);
    expect(first.searchParams.get('nonce')?.length).toBeGreaterThanOrEqual(20);
    expect(second.searchParams.get('nonce')).not.toBe(first.searchParams.get('nonce'));
    expect(second.searchParams.get('state')).not.toBe(first.searchParams.get('state'));
    expect(forged.location?.searchParams.get('redirect_uri')).toBe(`${h.publicUrl}/auth/oidc/callback`);
  });

  it('keeps the flow in a short-lived HttpOnly, Secure, SameSite=Lax cookie on the OIDC path only, and clears it at the callback', async () => {
    const tab = h.tab();
    const authorizationUrl = await h.authorizationUrl(tab);
    const attributes = tab.jar.attributesOf('pacsgate.oidc') ?? '';
    expect(attributes.split('; ')).toEqual(expect.arrayContaining(['Max-Age=600', 'Path=/auth/oidc', 'HttpOnly', 'Secure', 'SameSite=Lax']));
    expect(tab.jar.header(new URL(`${h.publicUrl}/auth/sign-in`))).toBeUndefined();

    viewerParams(await h.loginAt(tab, authorizationUrl, READER.sub));
    expect(tab.jar.has('pacsgate.oidc')).toBe(false);
  });

  it('uses UserInfo for the groups when the ID token does not carry them', async () => {
    const before = (await h.provider.requests())['/me'] ?? 0;
    viewerParams(await h.signIn(EDITOR.sub));
    expect((await h.provider.requests())['/me']).toBe(before + 1);
  });
});

describe('OpenID Connect sign-in with the groups in the ID token', () => {
  let h: OidcHarness;

  beforeAll(async () => {
    h = await startOidcHarness({ idTokenCarriesClaims: true });
  });
  afterAll(() => h.close());

  it('reads the groups from the ID token and does not call UserInfo', async () => {
    const { token } = viewerParams(await h.signIn(EDITOR.sub));
    expect(authClaims(token).canEditResource).toBe(true);
    expect((await h.provider.requests())['/me']).toBeUndefined();
  });
});

describe('OpenID Connect users on the admin /token page', () => {
  let h: OidcHarness;

  beforeAll(async () => {
    h = await startOidcHarness();
  });
  afterAll(() => h.close());

  async function issueOnTokenPage(username: string, canEdit: boolean): Promise<string> {
    const fields = { name: 'Rey Reader', username, adminPassword: ADMIN_PASSWORD, ...(canEdit && { canEditResource: 'on' }) };
    const confirm = expectStatus(await postForm(h.t, '/token', await openForm(h.t, '/token'), fields), 200);
    expect(confirm.text).toContain('already exists');
    const issued = expectStatus(await postForm(h.t, '/token', await openForm(h.t, '/token'), { ...fields, confirmOverwrite: 'on' }), 200);
    return /<textarea id="token"[^>]*>([^<]+)<\/textarea>/.exec(issued.text)?.[1] ?? '';
  }

  it('issues tokens for an OIDC-known user, keeps the provider identity, and the groups decide again at the next sign-in', async () => {
    viewerParams(await h.signIn(READER.sub));

    const adminToken = await issueOnTokenPage('reader', true);
    expect(authClaims(adminToken)).toMatchObject({ username: 'reader', canEditResource: true });
    expect(await h.t.store.users.findByUsername('reader')).toMatchObject({ oidcIssuer: h.provider.issuer, oidcSubject: READER.sub, canEditResource: true });

    const { token } = viewerParams(await h.signIn(READER.sub));
    expect(authClaims(token)).toMatchObject({ username: 'reader', canEditResource: false });
    expect(await h.t.store.users.findByUsername('reader')).toMatchObject({ oidcSubject: READER.sub, canEditResource: false });
  });
});
