import { api, bodyOf, generateToken, issueSession, revoke } from '../support/api';
import { signedWithForeignKey } from '../support/forge';
import { useTestApp } from '../support/test-app';

describe('POST /pacs-auth (Orthanc authorization plugin)', () => {
  const t = useTestApp();
  const ask = (tokenValue: unknown, method = 'get') =>
    api(t).post('/pacs-auth').send({ 'dicom-uid': '1.2.3', level: 'study', method, 'orthanc-id': 'abc', 'token-key': 'authorization', 'token-value': tokenValue, uri: '/studies/abc' });
  const DENIED = { granted: false, validity: 0 };

  it('grants a GET for a valid access token, briefly', async () => {
    const { accessToken } = await issueSession(t);
    const res = await ask(`Bearer ${accessToken}`);
    expect(res.status).toBe(200);
    expect(bodyOf(res).granted).toBe(true);
    expect(bodyOf(res).validity).toBeGreaterThan(0);
    expect(bodyOf(res).validity).toBeLessThanOrEqual(60);
  });

  it('grants a write to an editor and refuses it to a read-only user', async () => {
    const editor = await issueSession(t, { canEditResource: true });
    const reader = await issueSession(t, { canEditResource: false });
    expect(bodyOf(await ask(editor.accessToken, 'delete')).granted).toBe(true);
    expect((await ask(reader.accessToken, 'post')).body).toEqual(DENIED);
  });

  it.each([
    ['an auth token', async () => generateToken(t)],
    ['a refresh token', async () => (await issueSession(t)).refreshToken],
    ['a forged token', async () => signedWithForeignKey((await issueSession(t)).accessToken)],
    ['garbage', () => Promise.resolve('garbage')],
    ['no token', () => Promise.resolve(undefined)],
    ['a token that is not a string', () => Promise.resolve(42)],
    [
      'a revoked token',
      async () => {
        const { accessToken } = await issueSession(t);
        await revoke(t, accessToken);
        return accessToken;
      },
    ],
    [
      'an expired token',
      async () => {
        const { accessToken } = await issueSession(t);
        t.clock.advanceSeconds(86400);
        return accessToken;
      },
    ],
  ])('answers 200 granted:false for %s', async (_case, token) => {
    const res = await ask(await token());
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DENIED);
  });

  it.each([
    ['malformed JSON', '{"token-value": '],
    ['a JSON string', '"token"'],
    ['an oversized body', JSON.stringify({ 'token-value': 'x'.repeat(100_000) })],
  ])('answers 200 granted:false for %s', async (_case, body) => {
    const res = await api(t).post('/pacs-auth').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DENIED);
  });
});
