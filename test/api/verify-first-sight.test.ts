import { generateToken, issueSession, setCookieValue, verify } from '../support/api';
import { signedWithForeignKey } from '../support/forge';
import { useTestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const inQuery = (token: string) => ({ 'X-Original-URI': `/app/explorer.html?token=${encodeURIComponent(token)}` });

/**
 * A token's signature is checked (RSA) on its first sight only, wherever it is presented: a flood
 * repeating one token costs lookups. Counted by watching the codec the verifier uses, not by time.
 */
describe('GET /verify checks each token text once', () => {
  const t = useTestApp();
  const decodes = jest.spyOn(t.app.services.codec, 'decodeAny');
  // Every spend runs in a store transaction (with the transaction's own repositories): counting those counts spends.
  const spends = jest.spyOn(t.store, 'transaction');
  beforeEach(() => {
    decodes.mockClear();
    spends.mockClear();
  });

  it.each([
    ['in ?token=', inQuery],
    ['in Authorization', bearer],
  ])('checks a forged token repeated %s once', async (_where, present) => {
    const forged = signedWithForeignKey((await issueSession(t)).accessToken);
    decodes.mockClear();
    for (let i = 0; i < 5; i++) expect((await verify(t, present(forged))).status).toBe(401);
    expect(decodes).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['in ?token=', inQuery],
    ['in Authorization', bearer],
  ])('checks a refresh token repeated %s once', async (_where, present) => {
    const { refreshToken } = await issueSession(t);
    decodes.mockClear();
    for (let i = 0; i < 5; i++) expect((await verify(t, present(refreshToken))).status).toBe(401);
    expect(decodes).toHaveBeenCalledTimes(1);
  });

  it('spends an explorer link with one check, and refuses it again with neither a check nor a store write', async () => {
    const authToken = await generateToken(t);
    decodes.mockClear();
    const first = await verify(t, inQuery(authToken));
    expect(first.status).toBe(204);
    expect(decodes).toHaveBeenCalledTimes(1);
    expect(spends).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 3; i++) expect((await verify(t, inQuery(authToken))).status).toBe(401);
    expect(decodes).toHaveBeenCalledTimes(1);
    expect(spends).toHaveBeenCalledTimes(1);
    // The cookie it set still opens the PACS, its access token checked once too.
    const cookie = `pacsgate_token=${setCookieValue(first, 'pacsgate_token') ?? ''}`;
    for (let i = 0; i < 3; i++) expect((await verify(t, { ...inQuery(authToken), Cookie: cookie })).status).toBe(204);
    expect(decodes).toHaveBeenCalledTimes(2);
  });

  it('still spends an explorer link from ?token= after the same token was refused in Authorization', async () => {
    const authToken = await generateToken(t);
    expect((await verify(t, bearer(authToken))).status).toBe(401);
    expect((await verify(t, inQuery(authToken))).status).toBe(204);
    expect(decodes).toHaveBeenCalledTimes(1);
  });
});
