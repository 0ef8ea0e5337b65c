import { api, exchange, uniqueUsername } from '../support/api';
import { claimsOf } from '../support/forge';
import { openForm, postForm, submitForm } from '../support/forms';
import { ADMIN_PASSWORD, useTestApp } from '../support/test-app';

/** The auth token shown on the "Token issued" page. */
const shownToken = (html: string) => /<textarea id="token"[^>]*>([^<]+)<\/textarea>/.exec(html)?.[1] ?? '';

describe('/token page', () => {
  const t = useTestApp();
  const issue = (fields: Record<string, string>) => submitForm(t, '/token', '/token', { name: 'Page User', adminPassword: ADMIN_PASSWORD, ...fields });

  it('shows the admin form: name, username, can-edit checkbox, optional user password, admin password', async () => {
    const { page } = await openForm(t, '/token');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    for (const field of ['name="name"', 'name="username"', 'type="checkbox" name="canEditResource"', 'name="userPassword" type="password"', 'name="adminPassword" type="password"']) {
      expect(page.text).toContain(field);
    }
  });

  it('issues a one-off token for a new user and shows it with a copy button and the explorer link', async () => {
    const username = uniqueUsername('page');
    const res = await issue({ username, canEditResource: 'on' });
    expect(res.status).toBe(200);
    const token = shownToken(res.text);
    expect(claimsOf(token)).toMatchObject({ type: 'auth', username, name: 'Page User', canEditResource: true });
    expect(res.text).toContain(`href="https://pacs.example.org/auth/explorer?token=${token}"`);
    expect(res.text).toMatch(/<button type="button" class="copy" data-copy="token"/);
    await exchange(t, token);
  });

  it('makes a read-only user when the box is not ticked', async () => {
    const res = await issue({ username: uniqueUsername() });
    expect(claimsOf(shownToken(res.text)).canEditResource).toBe(false);
  });

  it('asks to confirm before overwriting an existing user, and changes nothing until then', async () => {
    const username = uniqueUsername('existing');
    await issue({ username, name: 'Original', canEditResource: 'on' });
    const res = await issue({ username, name: 'Replacement' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('already exists');
    expect(res.text).toContain('name="confirmOverwrite"');
    expect(shownToken(res.text)).toBe('');
    expect(await t.store.users.findByUsername(username)).toMatchObject({ name: 'Original', canEditResource: true });
  });

  it('overwrites the user once confirmed', async () => {
    const username = uniqueUsername('overwritten');
    await issue({ username, name: 'Original', canEditResource: 'on' });
    const res = await issue({ username, name: 'Replacement', confirmOverwrite: 'on' });
    expect(claimsOf(shownToken(res.text))).toMatchObject({ name: 'Replacement', canEditResource: false });
    expect(await t.store.users.findByUsername(username)).toMatchObject({ name: 'Replacement', canEditResource: false });
  });

  it('sets a user password the user can then sign in with, kept when an overwrite gives none', async () => {
    const username = uniqueUsername('with-password');
    await issue({ username, userPassword: 'first password' });
    await issue({ username, confirmOverwrite: 'on' });
    expect((await api(t).post('/sign-user').send({ username, password: 'first password' })).status).toBe(200);
  });

  it.each([
    ['a wrong admin password', { adminPassword: 'wrong' }, 'Invalid admin password'],
    ['an invalid username', { username: 'has spaces' }, 'Enter a username'],
    ['an empty name', { name: '' }, 'Enter the user’s name'],
  ])('shows a 400 page with the form again for %s, issuing nothing', async (_case, fields, message) => {
    const username = uniqueUsername('refused');
    const res = await issue({ username, ...fields });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain(message);
    expect(res.text).toContain('<form method="post" action="token"');
    expect(shownToken(res.text)).toBe('');
    expect(await t.store.users.findByUsername(username)).toBeUndefined();
  });

  it('never echoes the passwords back into the page', async () => {
    const form = await openForm(t, '/token');
    const res = await postForm(t, '/token', form, { name: 'Echo', username: 'has spaces', userPassword: 'user-secret-123', adminPassword: 'admin-secret-456' });
    expect(res.text).not.toContain('user-secret-123');
    expect(res.text).not.toContain('admin-secret-456');
  });
});

describe('/token page with PACSGATE_AUTH_TOKEN_TTL=600', () => {
  const t = useTestApp({ PACSGATE_AUTH_TOKEN_TTL: '600' });

  it('states the validity the tokens it issues really have, not a fixed 24 hours', async () => {
    const { page } = await openForm(t, '/token');
    expect(page.text).toContain('valid 10 minutes or until first used');
    expect(page.text).not.toContain('24 hours');
  });
});
