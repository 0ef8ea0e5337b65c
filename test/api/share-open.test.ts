import { epochSeconds } from '../../auth-server/src/clock';
import type { CreatedLink } from '../../auth-server/src/share/create-link';
import { api, setCookie, setCookieValue, verify } from '../support/api';
import { claimsOf, headerOf } from '../support/forge';
import { openForm, postForm } from '../support/forms';
import { createShare, openPath, PATIENT_A, useShareFixture } from '../support/share';

const f = useShareFixture();
const now = () => epochSeconds(f.t.clock);
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

const open = (link: CreatedLink) => api(f.t).get(openPath(link)).set('User-Agent', FIREFOX);

/** Opens the PIN page of `link` and submits `pin`, as a browser would. */
async function submitPin(link: CreatedLink, pin: string) {
  const form = await openForm(f.t, openPath(link));
  return postForm(f.t, '/open', form, { token: link.token, pin });
}

describe('GET /open/<token> of a link without a PIN', () => {
  it('sets an HttpOnly Secure SameSite=Lax cookie and sends the browser (303) to the viewer on the study, with no token in the URL', async () => {
    const link = await createShare(f.t, { study: f.studyA });
    const res = await open(link);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/viewer/viewer?StudyInstanceUIDs=${f.studyA}`);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(setCookie(res, 'pacsgate_token')).toMatch(/; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const browserToken = setCookieValue(res, 'pacsgate_token') as string;
    expect(res.headers.location).not.toContain(browserToken);
    expect(res.headers.location).not.toContain(link.token);
    expect(headerOf(browserToken).typ).toBe('pacsgate-scoped');
    expect(claimsOf(browserToken)).toMatchObject({ type: 'access', fam: link.id, sub: `share:${link.id}`, scope: [f.studyA], canEditResource: false, exp: now() + f.t.config.ttl.accessToken });
  });

  it('gives a browser token that ends with the link when the link ends first', async () => {
    const link = await createShare(f.t, { study: f.studyA, expiresIn: 600 });
    const browserToken = setCookieValue(await open(link), 'pacsgate_token') as string;
    expect(claimsOf(browserToken).exp).toBe(now() + 600);
    expect(setCookie(await open(link), 'pacsgate_token')).toContain('Max-Age=600;');
  });

  it('sends a link to several studies to the viewer on all of them', async () => {
    const link = await createShare(f.t, { studies: [f.studyA, f.studyB], canEditResource: true });
    const res = await open(link);
    expect(res.headers.location).toBe(`/viewer/viewer?StudyInstanceUIDs=${f.studyA},${f.studyB}`);
    expect(claimsOf(setCookieValue(res, 'pacsgate_token') as string)).toMatchObject({ scope: [f.studyA, f.studyB], canEditResource: true });
  });

  it('counts each opening and audits it with the address and the browser family, never the token', async () => {
    const link = await createShare(f.t, { study: f.studyA });
    await open(link);
    await open(link);
    expect(await f.t.store.shareLinks.find(link.id)).toMatchObject({ uses: 2, lastUsedAt: now() });
    const opened = f.t.audit.of('share.opened').filter((event) => event.id === link.id);
    expect(opened).toHaveLength(2);
    expect(opened[0]).toEqual({ event: 'share.opened', id: link.id, ip: expect.any(String), userAgent: 'Firefox' });
  });

  it('gives a cookie /verify accepts (scope enforcement is /verify’s own)', async () => {
    const link = await createShare(f.t, { study: f.studyA });
    const browserToken = setCookieValue(await open(link), 'pacsgate_token') as string;
    expect((await verify(f.t, { Cookie: `pacsgate_token=${browserToken}`, 'X-Original-URI': `/dicom-web/studies/${f.studyA}/series` })).status).toBe(204);
  });
});

describe('GET /open/<token> that cannot open', () => {
  const expectErrorPage = (res: { status: number; type: string; text: string }, status: number, words: RegExp) => {
    expect(res.status).toBe(status);
    expect(res.type).toBe('text/html');
    expect(res.text).toMatch(words);
    expect(res.text).toContain('href="../static/style.css"');
  };

  it('shows an error page for an expired link, and sets no cookie', async () => {
    const link = await createShare(f.t, { study: f.studyA, expiresIn: 60 });
    f.t.clock.advanceSeconds(60);
    const res = await open(link);
    expectErrorPage(res, 410, /has expired/);
    expect(setCookie(res, 'pacsgate_token')).toBeUndefined();
  });

  it('shows an error page for a token that is no share token', async () => {
    expectErrorPage(await api(f.t).get('/open/not-a-token'), 400, /not valid/);
    const link = await createShare(f.t, { study: f.studyA });
    const browserToken = setCookieValue(await open(link), 'pacsgate_token') as string;
    expectErrorPage(await api(f.t).get(`/open/${browserToken}`), 400, /not valid/);
  });

  it('says nothing of the study or patient on an error page', async () => {
    const link = await createShare(f.t, { study: f.studyA, expiresIn: 60 });
    f.t.clock.advanceSeconds(60);
    const res = await open(link);
    expect(res.text).not.toContain(f.studyA);
    expect(res.text).not.toContain('Alpha');
  });
});

describe('a link with a PIN', () => {
  it('shows a PIN page that says nothing of the study or patient, and sets no token cookie', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '2468', label: 'For Dr. Who' });
    const res = await open(link);
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="pin"');
    for (const secret of [f.studyA, PATIENT_A.name, PATIENT_A.id, 'Alpha', 'Dr. Who']) expect(res.text).not.toContain(secret);
    expect(setCookie(res, 'pacsgate_token')).toBeUndefined();
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // The form posts to /open (one level up): the token leaves the address bar with the first request.
    expect(res.text).toContain('action="../open"');
    // …and from the history: its script swaps the page's entry for the form's address.
    expect(res.text).toContain('<script src="../static/forget-link.js"></script>');
    expect((await api(f.t).get('/static/forget-link.js')).text).toContain('history.replaceState(null, \'\', form.action)');
  });

  it('answers the PIN page address without a token (reload, back button) with a page that says to open the link again', async () => {
    const res = await api(f.t).get('/open');
    expect(res.status).toBe(400);
    expect(res.type).toBe('text/html');
    expect(res.text).toMatch(/Open the link you were given again/);
  });

  it('opens with the right PIN: 303 to the viewer with the cookie', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '2468' });
    const res = await submitPin(link, '2468');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/viewer/viewer?StudyInstanceUIDs=${f.studyA}`);
    expect(claimsOf(setCookieValue(res, 'pacsgate_token') as string)).toMatchObject({ fam: link.id, scope: [f.studyA] });
    expect((await f.t.store.shareLinks.find(link.id))?.uses).toBe(1);
  });

  it('answers a wrong PIN with the PIN page again, counted and audited', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '2468' });
    const res = await submitPin(link, '1111');
    expect(res.status).toBe(401);
    expect(res.text).toContain('Wrong PIN');
    expect(res.text).toContain('action="open"');
    expect(setCookie(res, 'pacsgate_token')).toBeUndefined();
    expect(await f.t.store.shareLinks.find(link.id)).toMatchObject({ failedPins: 1, locked: false, uses: 0 });
    expect(f.t.audit.of('share.pin-failed').at(-1)).toEqual({ event: 'share.pin-failed', id: link.id, ip: expect.any(String), failures: 1 });
  });

  it('locks the link at the fifth wrong PIN: then even the right PIN is refused', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '2468' });
    const form = await openForm(f.t, openPath(link));
    for (let attempt = 1; attempt <= 4; attempt++) expect((await postForm(f.t, '/open', form, { token: link.token, pin: '0000' })).status).toBe(401);
    const fifth = await postForm(f.t, '/open', form, { token: link.token, pin: '0000' });
    expect(fifth.status).toBe(403);
    expect(fifth.text).toContain('locked');
    expect(f.t.audit.of('share.locked').at(-1)).toMatchObject({ id: link.id });
    const right = await postForm(f.t, '/open', form, { token: link.token, pin: '2468' });
    expect(right.status).toBe(403);
    expect(setCookie(right, 'pacsgate_token')).toBeUndefined();
    expect((await open(link)).status).toBe(403);
    expect(await f.t.store.shareLinks.find(link.id)).toMatchObject({ failedPins: 5, locked: true, uses: 0 });
  });

  it('counts parallel guesses one by one: a burst cannot get past five', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '2468' });
    const form = await openForm(f.t, openPath(link));
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => postForm(f.t, '/open', form, { token: link.token, pin: String(1000 + i) })));
    expect(guesses.filter((res) => res.status === 401)).toHaveLength(4);
    expect(guesses.filter((res) => res.status === 403)).toHaveLength(8);
    expect((await f.t.store.shareLinks.find(link.id))?.failedPins).toBe(5);
  });

  it('does not count a PIN that is not 4 to 12 digits', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '2468' });
    const res = await submitPin(link, 'abc');
    expect(res.status).toBe(400);
    expect((await f.t.store.shareLinks.find(link.id))?.failedPins).toBe(0);
  });

  it('refuses a PIN form without its CSRF pair (403), without counting it', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '2468' });
    const form = await openForm(f.t, openPath(link));
    const noCookie = await api(f.t).post('/open').type('form').send({ _csrf: form.csrfToken, token: link.token, pin: '2468' });
    expect(noCookie.status).toBe(403);
    const noField = await api(f.t).post('/open').type('form').set('Cookie', form.cookie).send({ token: link.token, pin: '2468' });
    expect(noField.status).toBe(403);
    const forged = await api(f.t).post('/open').type('form').set('Cookie', form.cookie).send({ _csrf: 'forged', token: link.token, pin: '2468' });
    expect(forged.status).toBe(403);
    for (const res of [noCookie, noField, forged]) expect(setCookie(res, 'pacsgate_token')).toBeUndefined();
    expect(await f.t.store.shareLinks.find(link.id)).toMatchObject({ failedPins: 0, uses: 0 });
  });

  it('answers a PIN form with missing or odd fields with 400, never 500', async () => {
    const link = await createShare(f.t, { study: f.studyA, pin: '2468' });
    const form = await openForm(f.t, openPath(link));
    const odd: Record<string, string>[] = [{ pin: '2468' }, { token: link.token }, { token: 'garbage', pin: '2468' }, { token: link.token, pin: '2468', extra: 'x' }];
    for (const fields of odd) {
      expect((await postForm(f.t, '/open', form, fields)).status).toBe(400);
    }
  });
});

describe('wrong PINs from one address', () => {
  const limited = useShareFixture({ PACSGATE_SIGN_IN_ATTEMPTS: '3' });

  it('count against PACSGATE_SIGN_IN_ATTEMPTS across links: then 429, whatever the PIN', async () => {
    const links = [await createShare(limited.t, { study: limited.studyA, pin: '1111' }), await createShare(limited.t, { study: limited.studyA, pin: '2222' })];
    const forms = [await openForm(limited.t, openPath(links[0])), await openForm(limited.t, openPath(links[1]))];
    const tryPin = (i: number, pin: string) => postForm(limited.t, '/open', forms[i], { token: links[i].token, pin });
    expect((await tryPin(0, '9999')).status).toBe(401);
    expect((await tryPin(1, '9999')).status).toBe(401);
    expect((await tryPin(0, '1111')).status).toBe(303);
    expect((await tryPin(1, '9999')).status).toBe(401);
    const limitedOut = await tryPin(1, '2222');
    expect(limitedOut.status).toBe(429);
    expect(limitedOut.headers['retry-after']).toMatch(/^\d+$/);
  });
});
