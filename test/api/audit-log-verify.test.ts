import { api, exchange, generateToken, issueSession, presentToken, revoke, tokenOf, uniqueUsername, verify } from '../support/api';
import { familyOf, ScopedTokenSigner } from '../../bench/scoped-tokens';
import { resignedWithOurKey } from '../support/forge';
import { createTestApp, type TestApp, VIEWER_ORIGIN } from '../support/test-app';

const PACS_ORIGIN = 'https://pacs.example.org';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('audit log: refused /verify requests', () => {
  const t = createTestApp({ PACSGATE_AUDIT_REFUSED_PER_SECOND: '1000' });
  afterAll(() => t.cleanup());

  const refusalOf = async (headers: Record<string, string>) => {
    t.audit.clear();
    await verify(t, { 'X-Original-URI': '/dicom-web/studies', ...headers });
    return t.audit.of('verify.refused')[0];
  };

  it.each([
    ['no token at all', () => Promise.resolve({}), 401, 'no-token'],
    ['an unreadable token', () => Promise.resolve(bearer('not-a-jwt')), 401, 'malformed'],
    ['a refresh token', async (f: TestApp) => bearer((await issueSession(f)).refreshToken), 401, 'invalid'],
    ['a token re-signed with changed claims', async (f: TestApp) => bearer(resignedWithOurKey((await issueSession(f)).accessToken, f.keyring, { iss: 'https://elsewhere' })), 401, 'invalid'],
    ['a revoked token', async (f: TestApp) => {
      const { accessToken } = await issueSession(f);
      await revoke(f, accessToken);
      return bearer(accessToken);
    }, 401, 'revoked'],
    ['a spent auth token in the query', async (f: TestApp) => {
      const authToken = await generateToken(f);
      await exchange(f, authToken);
      return { 'X-Original-URI': `/app/explorer.html?token=${authToken}` };
    }, 401, 'query-token-unusable'],
    ['a cookie write from a foreign page', async (f: TestApp) => ({ Cookie: `pacsgate_token=${(await issueSession(f, { canEditResource: true })).accessToken}`, 'X-Original-Method': 'DELETE', Origin: 'https://evil.example' }), 403, 'untrusted-origin'],
  ] as const)('says why it refused %s', async (_name, headers, status, reason) => {
    expect(await refusalOf(await headers(t))).toMatchObject({ status, reason });
  });

  it('says when the token expired', async () => {
    const { accessToken } = await issueSession(t);
    t.clock.advanceSeconds(t.config.ttl.accessToken);
    expect(await refusalOf(bearer(accessToken))).toMatchObject({ status: 401, reason: 'expired' });
  });

  it('says when a viewer’s token comes from another site', async () => {
    const username = uniqueUsername('viewer');
    await generateToken(t, { username, userPassword: 'pw' });
    const signed = await api(t).post('/sign-user').send({ username, password: 'pw', referer: `${VIEWER_ORIGIN}/` });
    const accessToken = String((await presentToken(t, '/generate-access-token', tokenOf(signed), VIEWER_ORIGIN)).headers.authorization).slice(7);
    expect(await refusalOf({ ...bearer(accessToken), Origin: 'https://other.example' })).toMatchObject({ reason: 'wrong-audience' });
  });

  it('names the user refused a write with a read-only token, and the method and URI', async () => {
    const { accessToken, username } = await issueSession(t, { canEditResource: false });
    expect(await refusalOf({ ...bearer(accessToken), 'X-Original-Method': 'DELETE', 'X-Original-URI': '/studies/abc' })).toEqual({
      event: 'verify.refused', status: 403, reason: 'read-only', method: 'DELETE', uri: '/studies/abc', username,
    });
  });

  it('keeps the token out of a refused query URI', async () => {
    const refusal = await refusalOf({ 'X-Original-URI': '/app/explorer.html?token=forged.token.value&lang=en' });
    expect(refusal.uri).toBe('/app/explorer.html?token=[redacted]&lang=en');
  });

  it('logs no allowed request unless the access log is on', async () => {
    t.audit.clear();
    expect((await verify(t, bearer((await issueSession(t)).accessToken))).status).toBe(204);
    expect(t.audit.of('access')).toEqual([]);
  });
});

describe('audit log: a flood of invalid tokens', () => {
  const t = createTestApp();
  afterAll(() => t.cleanup());

  it('writes at most the per-second limit of lines and one count for the rest', async () => {
    for (let i = 0; i < 200; i += 1) await verify(t, bearer(`garbage-${i}`));
    expect(t.audit.of('verify.refused')).toHaveLength(t.config.audit.refusedPerSecond);
    t.clock.advanceSeconds(1);
    await verify(t, {});
    expect(t.audit.of('verify.refused-suppressed')).toEqual([expect.objectContaining({ count: 200 - t.config.audit.refusedPerSecond })]);
  });
});

describe('access log (PACSGATE_ACCESS_LOG=true)', () => {
  const t = createTestApp({ PACSGATE_ACCESS_LOG: 'true' });
  afterAll(() => t.cleanup());

  it('answers who opened which study: user, method and URI of every allowed request', async () => {
    const { accessToken, username } = await issueSession(t);
    t.audit.clear();
    await verify(t, { ...bearer(accessToken), 'X-Original-URI': '/dicom-web/studies/1.2.3/series', 'X-Original-Method': 'GET', Origin: PACS_ORIGIN });
    await verify(t, { 'X-Original-URI': `/app/explorer.html?token=${accessToken}` });
    expect(t.audit.of('access')).toEqual([
      { event: 'access', username, method: 'GET', uri: '/dicom-web/studies/1.2.3/series' },
      { event: 'access', username, method: 'GET', uri: '/app/explorer.html?token=[redacted]' },
    ]);
  });

  it('names the share link (its id, the tokens\' family) on every line of a link visitor, allowed or refused', async () => {
    const A = '1.2.826.0.1.3680043.8.498.1';
    const B = '1.2.826.0.1.3680043.8.498.2';
    // A session's family stands for the link's id: revoking it is what DELETE /auth/share/<id> does.
    const session = await issueSession(t);
    const link = familyOf(session.accessToken);
    const signer = new ScopedTokenSigner(t.app.services.codec, t.config.issuer);
    const visitor = bearer(signer.access({ scope: [A], family: link }));
    t.audit.clear();
    await verify(t, { ...visitor, 'X-Original-URI': `/dicom-web/studies/${A}/series` });
    await verify(t, { ...bearer(signer.share({ scope: [A], family: link })), 'X-Original-URI': `/dicom-web/studies/${B}` });
    await revoke(t, session.accessToken);
    await verify(t, { ...visitor, 'X-Original-URI': `/dicom-web/studies/${A}/series` });
    expect(t.audit.of('access')).toEqual([{ event: 'access', username: 'link-maker', share: link, method: 'GET', uri: `/dicom-web/studies/${A}/series` }]);
    expect(t.audit.of('verify.refused')).toEqual([
      { event: 'verify.refused', status: 403, reason: 'out-of-scope', method: 'GET', uri: `/dicom-web/studies/${B}`, share: link },
      { event: 'verify.refused', status: 401, reason: 'revoked', method: 'GET', uri: `/dicom-web/studies/${A}/series`, share: link },
    ]);
  });
});
