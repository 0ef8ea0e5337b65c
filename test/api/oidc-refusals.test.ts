import type { Page } from '../support/http-tab';
import { EDITOR, READER } from '../support/oidc-provider';
import { type OidcHarness, PROVIDER_NAME, startOidcHarness, VIEWER_RETURN_URI } from '../support/oidc-harness';

/** An error page of ours: the status, the message, a way back, and no token anywhere. */
function expectErrorPage(page: Page, status: number, message: RegExp): void {
  expect(page.status).toBe(status);
  expect(page.location).toBeUndefined();
  expect(page.body).toMatch(message);
  expect(page.body).not.toMatch(/token=/);
}

const NOT_VERIFIED = /This sign-in could not be completed/;

/** Runs a sign-in that must end on the "could not be completed" page; `reason` is what the log says about why. */
async function refused(h: OidcHarness, signIn: () => Promise<Page>): Promise<{ page: Page; reason: string }> {
  const mark = h.logs.lines.length;
  const failuresBefore = h.t.audit.of('sign-in.failed').length;
  const page = await signIn();
  expectErrorPage(page, 403, NOT_VERIFIED);
  expect(h.t.audit.of('sign-in.failed')).toHaveLength(failuresBefore + 1);
  return { page, reason: h.logs.lines.slice(mark).join('') };
}

const backLink = (page: Page) => /id="back-to-sign-in" href="([^"]+)"/.exec(page.body)?.[1].replace(/&amp;/g, '&');

describe('OpenID Connect sign-in refusals', () => {
  let h: OidcHarness;

  beforeAll(async () => {
    h = await startOidcHarness({
      users: [
        EDITOR,
        READER,
        { sub: 'sub-unicode', name: 'Jürgen', preferred_username: 'jürgen', groups: ['pacs-editors'] },
        { sub: 'sub-squatter', name: 'Not The Admin', preferred_username: 'taken', email: 'taken@example.org' },
        { sub: 'sub-local-name', name: 'Local Clash', preferred_username: 'localuser', email: 'localuser@example.org' },
      ],
    });
  });
  afterEach(() => h.provider.tamperIdTokens(null));
  afterAll(() => h.close());

  it('refuses a return_uri that is not allowed before the provider is contacted', async () => {
    const before = await h.provider.requests();
    const page = await h.tab().get(h.startUrl('https://evil.example/steal'));
    expectErrorPage(page, 400, /not on the allowed list/);
    expect(page.setCookies).toEqual([]);
    expect(await h.provider.requests()).toEqual(before);
  });

  it('refuses a callback whose state was tampered with', async () => {
    const tab = h.tab();
    const authorizationUrl = await h.authorizationUrl(tab);
    const { page, reason } = await refused(h, () => h.loginAt(tab, withParam(authorizationUrl, 'state', 'x'.repeat(32)), EDITOR.sub));
    expect(reason).toContain('state parameter does not match the state cookie');
    expect(backLink(page)).toBe(`${h.publicUrl}/auth/sign-in?return_uri=${encodeURIComponent(VIEWER_RETURN_URI)}`);
  });

  it('refuses a callback that arrives in a browser that did not start the flow', async () => {
    const authorizationUrl = await h.authorizationUrl(h.tab());
    expect((await refused(h, () => h.loginAt(h.tab(), authorizationUrl, EDITOR.sub))).reason).toContain('no valid state cookie');
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const tab = h.tab();
    const authorizationUrl = withParam(await h.authorizationUrl(tab), 'nonce', 'a-nonce-the-attacker-chose');
    expect((await refused(h, () => h.loginAt(tab, authorizationUrl, EDITOR.sub))).reason).toContain('ID token contains invalid nonce');
    expect(await h.t.store.users.findByOidcIdentity(h.provider.issuer, EDITOR.sub)).toBeUndefined();
  });

  it('refuses an ID token without a nonce', async () => {
    await h.provider.tamperIdTokens({ claims: { nonce: null } });
    expect((await refused(h, () => h.signIn(EDITOR.sub))).reason).toContain('ID token contains invalid nonce');
  });

  it('refuses an ID token from another issuer, even when signed with the provider key', async () => {
    await h.provider.tamperIdTokens({ claims: { iss: 'https://other-issuer.example' } });
    expect((await refused(h, () => h.signIn(EDITOR.sub))).reason).toContain('ID token not issued by expected OpenID provider');
  });

  it('refuses an ID token for another client', async () => {
    await h.provider.tamperIdTokens({ claims: { aud: 'another-client' } });
    expect((await refused(h, () => h.signIn(EDITOR.sub))).reason).toContain('ID token not intended for this relying party');
  });

  it('refuses an ID token the provider did not sign', async () => {
    await h.provider.tamperIdTokens({ foreignKey: true });
    expect((await refused(h, () => h.signIn(EDITOR.sub))).reason).toContain('ID token refused: invalid signature');
    expect(await h.t.store.users.findByOidcIdentity(h.provider.issuer, EDITOR.sub)).toBeUndefined();
  });

  it('refuses an answer that names another issuer (RFC 9207)', async () => {
    const tab = h.tab();
    const callback = await h.providerAnswer(tab, await h.authorizationUrl(tab), EDITOR.sub);
    expect(callback.searchParams.get('iss')).toBe(h.provider.issuer);
    expect((await refused(h, () => tab.get(withParam(callback, 'iss', 'https://other-issuer.example')))).reason).toContain('answer from issuer https://other-issuer.example');
  });

  it('refuses to finish the same flow twice: the state cookie is cleared and the code is spent', async () => {
    const tab = h.tab();
    const authorizationUrl = await h.authorizationUrl(tab);
    const stateCookie = tab.jar.header(new URL(`${h.publicUrl}/auth/oidc/callback`)) as string;
    const callback = await h.providerAnswer(tab, authorizationUrl, READER.sub);
    expect((await tab.get(callback)).status).toBe(303);

    expect((await refused(h, () => tab.get(callback))).reason).toContain('no valid state cookie');
    expect((await refused(h, () => tab.get(callback, { cookie: stateCookie }))).reason).toContain('the provider refused the code');
  });

  it('says the sign-in was cancelled when the user aborts at the provider', async () => {
    const tab = h.tab();
    const form = await tab.follow(await h.authorizationUrl(tab));
    const abort = /href="([^"]*\/abort)"/.exec(form.body)?.[1] as string;
    h.t.audit.clear();
    const page = await tab.follow(new URL(abort, form.url));
    expectErrorPage(page, 403, new RegExp(`Signing in with ${PROVIDER_NAME} was cancelled or refused`));
    expect(backLink(page)).toContain('/auth/sign-in?return_uri=');
    expect(h.t.audit.of('sign-in.failed')).toEqual([expect.objectContaining({ method: 'oidc', via: 'page' })]);
  });

  it('only takes the provider answer at the callback', async () => {
    expectErrorPage(await h.tab().get(`${h.publicUrl}/auth/oidc/callback`), 400, /only takes the answer/);
  });

  it('refuses a provider username pacsgate cannot use, with a clear page', async () => {
    expectErrorPage(await h.signIn('sub-unicode'), 403, /has no username pacsgate can use/);
  });

  it('never takes over an existing account: it falls back to the e-mail, or refuses', async () => {
    const now = Math.floor(h.t.clock.now() / 1000);
    const local = { name: 'Local', canEditResource: true, passwordHash: null, oidcIssuer: null, oidcSubject: null };
    await h.t.store.users.upsert({ ...local, username: 'localuser' }, now);
    await h.t.store.users.upsert({ ...local, username: 'taken' }, now);
    await h.t.store.users.upsert({ ...local, username: 'taken@example.org' }, now);

    const fallback = await h.signIn('sub-local-name');
    expect(fallback.status).toBe(303);
    expect((await h.t.store.users.findByOidcIdentity(h.provider.issuer, 'sub-local-name'))?.username).toBe('localuser@example.org');
    expect(await h.t.store.users.findByUsername('localuser')).toMatchObject({ oidcSubject: null, canEditResource: true });

    expectErrorPage(await h.signIn('sub-squatter'), 403, /The username taken already belongs to another pacsgate account/);
    expect(await h.t.store.users.findByUsername('taken')).toMatchObject({ name: 'Local', oidcSubject: null });
  });
});

function withParam(url: URL, name: string, value: string): URL {
  const changed = new URL(url);
  changed.searchParams.set(name, value);
  return changed;
}

