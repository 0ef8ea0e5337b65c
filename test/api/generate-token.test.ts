import { api, bodyOf, exchange, generateToken, generateTokenBody, presentToken, tokenOf, uniqueUsername } from '../support/api';
import { claimsOf, headerOf } from '../support/forge';
import { useTestApp } from '../support/test-app';

describe('POST /generate-token', () => {
  const t = useTestApp();
  const post = (body: unknown) => api(t).post('/generate-token').send(body as object);

  it('creates the user and answers a one-off auth token with the contract’s claims', async () => {
    const username = uniqueUsername('radiologist');
    const res = await post(generateTokenBody({ username, name: 'Dr. Ada', canEditResource: true }));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(bodyOf(res))).toEqual(['token']);
    const token = tokenOf(res);
    expect(headerOf(token)).toMatchObject({ alg: 'RS256', kid: t.keyring.current.kid });
    const claims = claimsOf(token);
    expect(claims).toMatchObject({
      type: 'auth',
      name: 'Dr. Ada',
      username,
      canEditResource: true,
      tokenServer: 'https://pacs.example.org/auth/generate-access-token',
      refreshServer: 'https://pacs.example.org/auth/refresh-token',
      pacs: 'https://pacs.example.org/dicom-web',
      iss: 'https://pacs.example.org/auth',
    });
    expect(claims.exp).toBe(Number(claims.iat) + 86400);
    expect(claims.aud).toBeUndefined();
    expect(await t.store.users.findByUsername(username)).toMatchObject({ name: 'Dr. Ada', canEditResource: true });
  });

  it('makes a read-only user when canEditResource is absent', async () => {
    const { canEditResource: _dropped, ...body } = generateTokenBody();
    expect(claimsOf(tokenOf(await post(body))).canEditResource).toBe(false);
  });

  it('overwrites an existing user when createUserIfNotExists is true', async () => {
    const username = uniqueUsername();
    await generateToken(t, { username, name: 'Before', canEditResource: true });
    const token = await generateToken(t, { username, name: 'After', canEditResource: false });
    expect(claimsOf(token)).toMatchObject({ name: 'After', canEditResource: false });
    expect(await t.store.users.findByUsername(username)).toMatchObject({ name: 'After', canEditResource: false });
  });

  it.each([
    ['absent', undefined],
    ['false', false],
  ])('answers "User already exists" for an existing user when createUserIfNotExists is %s', async (_case, flag) => {
    const username = uniqueUsername();
    await generateToken(t, { username, name: 'Kept' });
    const res = await post({ ...generateTokenBody({ username, name: 'Changed' }), createUserIfNotExists: flag });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'User already exists' });
    expect((await t.store.users.findByUsername(username))?.name).toBe('Kept');
  });

  it('answers "User doesn\'t exists" for a new user without createUserIfNotExists, creating nobody', async () => {
    const username = uniqueUsername();
    const res = await post({ ...generateTokenBody({ username }), createUserIfNotExists: false });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: "User doesn't exists" });
    expect(await t.store.users.findByUsername(username)).toBeUndefined();
  });

  it('answers "Invalid admin password" for a wrong admin password, creating nobody', async () => {
    const username = uniqueUsername();
    const res = await post({ ...generateTokenBody({ username }), password: 'not the admin password' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid admin password' });
    expect(await t.store.users.findByUsername(username)).toBeUndefined();
  });

  it.each([
    ['Name not valid', 'an empty name', { name: '' }],
    ['Name not valid', 'a blank name', { name: '   ' }],
    ['Name not valid', 'a name with control characters', { name: 'Ada\u0000' }],
    ['Name not valid', 'a name that is not a string', { name: 42 }],
    ['username not valid', 'a username with spaces', { username: 'ada lovelace' }],
    ['username not valid', 'an empty username', { username: '' }],
    ['username not valid', 'a username starting with a dot', { username: '.ada' }],
    ['Invalid data', 'no admin password', { password: undefined }],
    ['Invalid data', 'canEditResource that is not a boolean', { canEditResource: 'yes' }],
    ['Invalid data', 'createUserIfNotExists that is not a boolean', { createUserIfNotExists: 1 }],
    ['Invalid data', 'a user password over bcrypt’s 72 bytes', { userPassword: 'é'.repeat(37) }],
    ['Invalid data', 'an unknown field', { isAdmin: true }],
  ])('answers "%s" for %s', async (message, _case, change) => {
    const res = await post({ ...generateTokenBody(), ...change });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message });
  });

  it('gives a token that the exchange accepts once', async () => {
    const token = await generateToken(t);
    await exchange(t, token);
    expect((await presentToken(t, '/generate-access-token', token)).status).toBe(403);
  });
});
