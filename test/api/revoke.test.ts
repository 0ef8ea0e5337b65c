import { api, generateToken, issueSession, presentToken, revoke, verify } from '../support/api';
import { signedWithForeignKey } from '../support/forge';
import { useTestApp } from '../support/test-app';

describe('POST /revoke', () => {
  const t = useTestApp();
  const opens = async (accessToken: string) => (await verify(t, { Authorization: `Bearer ${accessToken}` })).status;

  it('revokes the family of an access token: it stops opening the PACS and its refresh token stops working', async () => {
    const session = await issueSession(t);
    const res = await revoke(t, session.accessToken);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await opens(session.accessToken)).toBe(401);
    expect((await presentToken(t, '/refresh-token', session.refreshToken)).status).toBe(403);
  });

  it('revokes the family of a refresh token, access token included', async () => {
    const session = await issueSession(t);
    expect((await revoke(t, session.refreshToken)).status).toBe(200);
    expect(await opens(session.accessToken)).toBe(401);
  });

  it('makes an unspent auth token unusable', async () => {
    const authToken = await generateToken(t);
    expect((await revoke(t, authToken)).status).toBe(200);
    expect((await presentToken(t, '/generate-access-token', authToken)).status).toBe(403);
  });

  it('accepts a form-encoded body with token_type_hint (RFC 7009)', async () => {
    const session = await issueSession(t);
    const res = await api(t).post('/revoke').type('form').send({ token: session.accessToken, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(await opens(session.accessToken)).toBe(401);
  });

  it('answers 200 for garbage, a forged token and an already revoked one, changing nothing', async () => {
    const session = await issueSession(t);
    for (const token of ['garbage', signedWithForeignKey(session.accessToken)]) expect((await revoke(t, token)).status).toBe(200);
    expect(await opens(session.accessToken)).toBe(204);
    await revoke(t, session.accessToken);
    expect((await revoke(t, session.accessToken)).status).toBe(200);
  });

  it.each([
    ['an empty JSON body', (req: ReturnType<typeof api>) => req.post('/revoke').send({})],
    ['an empty form', (req: ReturnType<typeof api>) => req.post('/revoke').type('form').send('')],
    ['an empty token', (req: ReturnType<typeof api>) => req.post('/revoke').send({ token: '' })],
    ['a token that is not a string', (req: ReturnType<typeof api>) => req.post('/revoke').send({ token: 7 })],
    ['no body at all', (req: ReturnType<typeof api>) => req.post('/revoke')],
  ])('answers 400 with a JSON message for %s', async (_case, send) => {
    const res = await send(api(t));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String) });
  });
});
