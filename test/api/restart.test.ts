import { exchange, generateToken, issueSession, presentToken, refresh, revoke, verify } from '../support/api';
import { createTestApp, type TestApp } from '../support/test-app';

describe('after a restart on the same config dir', () => {
  const first = createTestApp();
  let second: TestApp;
  const before = {} as {
    session: Awaited<ReturnType<typeof issueSession>>;
    spentLink: string;
    unspent: string;
    revoked: Awaited<ReturnType<typeof issueSession>>;
  };
  beforeAll(async () => {
    before.session = await issueSession(first);
    before.spentLink = await generateToken(first);
    expect((await verify(first, { 'X-Original-URI': `/app/explorer.html?token=${before.spentLink}` })).status).toBe(204);
    before.unspent = await generateToken(first);
    before.revoked = await issueSession(first);
    await revoke(first, before.revoked.accessToken);
    await first.close();
    second = first.restart();
  });
  afterAll(async () => {
    await second.close();
    await first.cleanup();
  });

  it('signs with the same key', () => {
    expect(second.keyring.current.kid).toBe(first.keyring.current.kid);
  });

  it('still verifies an access token issued before', async () => {
    expect((await verify(second, { Authorization: `Bearer ${before.session.accessToken}` })).status).toBe(204);
  });

  it('still refuses an auth token spent before, by exchange and by link', async () => {
    expect((await presentToken(second, '/generate-access-token', before.session.authToken)).status).toBe(403);
    expect((await verify(second, { 'X-Original-URI': `/app/explorer.html?token=${before.spentLink}` })).status).toBe(401);
  });

  it('still exchanges an auth token issued but not spent before', async () => {
    await exchange(second, before.unspent);
  });

  it('keeps a revoked family revoked', async () => {
    expect((await verify(second, { Authorization: `Bearer ${before.revoked.accessToken}` })).status).toBe(401);
    expect((await presentToken(second, '/refresh-token', before.revoked.refreshToken)).status).toBe(403);
  });

  it('still rotates a refresh token issued before, and still catches its reuse', async () => {
    const rotated = await refresh(second, before.session.refreshToken);
    expect((await presentToken(second, '/refresh-token', before.session.refreshToken)).status).toBe(403);
    expect((await verify(second, { Authorization: `Bearer ${rotated.accessToken}` })).status).toBe(401);
  });
});
