import type { UserRecord } from '../../../auth-server/src/store/store';
import { SCOPED_TOKEN_MARK } from '../../../auth-server/src/tokens/codec';
import { addUser, authTokenFor, nowOf, pairFor } from '../../support/domain';
import { hs256WithPublicKey, headerOf, resignedWithOurKey, signedWithForeignKey, tamperedToken, unsignedToken } from '../../support/forge';
import { useTestApp } from '../../support/test-app';

describe('TokenCodec', () => {
  const t = useTestApp();
  const codec = t.app.services.codec;
  let user: UserRecord;
  let accessToken: string;
  let refreshToken: string;
  beforeAll(async () => {
    user = await addUser(t, { username: 'codec', name: 'Codec User', canEditResource: true });
    ({ accessToken, refreshToken } = await pairFor(t, user));
  });

  it('signs RS256 with the current kid in the header', () => {
    expect(headerOf(accessToken)).toEqual({ alg: 'RS256', typ: 'JWT', kid: t.keyring.current.kid });
  });

  it('decodes its own token of the expected type with every claim', () => {
    const decoded = codec.decode(accessToken, 'access', nowOf(t));
    expect(decoded).toEqual({
      ok: true,
      claims: expect.objectContaining({ type: 'access', username: 'codec', name: 'Codec User', canEditResource: true, sub: String(user.id), iss: 'https://pacs.example.org/auth' }),
    });
  });

  it('refuses a token of another type', () => {
    expect(codec.decode(refreshToken, 'access', nowOf(t))).toEqual({ ok: false, failure: 'invalid' });
    expect(codec.decode(accessToken, 'refresh', nowOf(t))).toEqual({ ok: false, failure: 'invalid' });
  });

  describe('scoped tokens', () => {
    const base = { jti: 'j', iss: 'https://pacs.example.org/auth', name: 'Link', username: 'admin', canEditResource: false, fam: 'share-1' };
    const share = () => codec.sign<'share'>({ ...base, type: 'share', sub: 'share:share-1', iat: nowOf(t), exp: nowOf(t) + 60, scope: ['1.2.3'], pin: false });
    const scopedAccess = () => codec.sign<'access'>({ ...base, type: 'access', sub: 'share:share-1', iat: nowOf(t), exp: nowOf(t) + 60, scope: ['1.2.3'] });

    it('signs a share token and a scoped access token with typ pacsgate-scoped, an unscoped one with typ JWT', () => {
      expect(headerOf(share())).toEqual({ alg: 'RS256', typ: 'pacsgate-scoped', kid: t.keyring.current.kid });
      expect(headerOf(scopedAccess())).toEqual({ alg: 'RS256', typ: 'pacsgate-scoped', kid: t.keyring.current.kid });
      expect(headerOf(accessToken).typ).toBe('JWT');
    });

    it('decodes a share token only as a share token, with its scope', () => {
      expect(codec.decode(share(), 'share', nowOf(t))).toEqual({ ok: true, claims: expect.objectContaining({ type: 'share', scope: ['1.2.3'], fam: 'share-1', pin: false }) });
      expect(codec.decode(share(), 'access', nowOf(t))).toEqual({ ok: false, failure: 'invalid' });
    });

    it('starts every scoped token with the mark Nginx keys its cache by; no unscoped token holds it', () => {
      expect(share().startsWith(SCOPED_TOKEN_MARK)).toBe(true);
      expect(scopedAccess().startsWith(SCOPED_TOKEN_MARK)).toBe(true);
      expect(`${accessToken}${refreshToken}`).not.toContain(SCOPED_TOKEN_MARK);
    });

    it('keeps the scope of a scoped access token', () => {
      expect(codec.decode(scopedAccess(), 'access', nowOf(t))).toEqual({ ok: true, claims: expect.objectContaining({ scope: ['1.2.3'] }) });
    });
  });

  it('tells an expired token apart', async () => {
    const token = await authTokenFor(t, user);
    expect(codec.decode(token, 'auth', nowOf(t) + t.config.ttl.authToken)).toEqual({ ok: false, failure: 'expired' });
    expect(codec.decode(token, 'auth', nowOf(t) + t.config.ttl.authToken - 1).ok).toBe(true);
  });

  it.each([
    ['a tampered payload', () => tamperedToken(accessToken, { canEditResource: false })],
    ['a foreign key reusing our kid', () => signedWithForeignKey(accessToken)],
    ['HS256 with our public key as secret', () => hs256WithPublicKey(accessToken, t.keyring)],
    ['another issuer, signed with our key', () => resignedWithOurKey(accessToken, t.keyring, { iss: 'https://evil.example/auth' })],
    ['no type claim, signed with our key', () => resignedWithOurKey(accessToken, t.keyring, { type: undefined })],
  ])('refuses %s as invalid', (_name, forge) => {
    expect(codec.decodeAny(forge(), nowOf(t))).toEqual({ ok: false, failure: 'invalid' });
  });

  it.each([
    ['alg none', () => unsignedToken(accessToken)],
    ['an unknown kid', () => signedWithForeignKey(accessToken, {}, 'someone-elses-key')],
    ['a token without a header', () => 'not-a-jwt'],
    ['an over-long token', () => `${accessToken}${'A'.repeat(9000)}`],
  ])('refuses %s', (_name, forge) => {
    expect(codec.decodeAny(forge(), nowOf(t)).ok).toBe(false);
  });
});
