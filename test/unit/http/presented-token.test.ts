import fc from 'fast-check';
import { authorizationToken, cookieToken, queryToken, TOKEN_COOKIE, tokenSetCookie } from '../../../auth-server/src/http/presented-token';

/** A JWT-shaped text: base64url parts joined by dots. */
const jwtLike = fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), { minLength: 3, maxLength: 3 }).map((parts) => parts.join('.'));
/** "bearer" in any mix of letter cases. */
const bearerScheme = fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }).map((upper) => [...'bearer'].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

describe('authorizationToken', () => {
  it('reads the token after "Bearer" in any letter case, after any run of spaces or tabs', () => {
    fc.assert(
      fc.property(bearerScheme, fc.stringMatching(/^[ \t]{1,4}$/), jwtLike, (scheme, gap, token) => {
        expect(authorizationToken(`${scheme}${gap}${token}`)).toBe(token);
      }),
    );
  });

  it('reads a bare token as the token', () => {
    fc.assert(fc.property(jwtLike, (token) => expect(authorizationToken(token)).toBe(token)));
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and spaces', 'Bearer   '],
  ])('finds no token in %s', (_why, header) => {
    expect(authorizationToken(header)).toBeUndefined();
  });

  it('does not take another scheme for Bearer', () => {
    expect(authorizationToken('Basic YWRtaW46cw==')).toBe('Basic YWRtaW46cw==');
    expect(authorizationToken('Bearerx.y.z')).toBe('Bearerx.y.z');
  });
});

describe('queryToken', () => {
  it.each([
    ['/app/explorer.html?token=a.b.c', 'a.b.c'],
    ['/dicom-web/studies?limit=10&token=a.b.c&offset=0', 'a.b.c'],
    ['/x?token=first&token=second', 'first'],
    ['/x?token=a%2Eb.c', 'a.b.c'],
  ])('reads %s', (uri, token) => {
    expect(queryToken(uri)).toBe(token);
  });

  it.each([undefined, '/system', '/x?', '/x?token=', '/x?tokens=a.b.c', '/x#token=a.b.c'])('finds no token in %s', (uri) => {
    expect(queryToken(uri)).toBeUndefined();
  });
});

describe('cookieToken', () => {
  it.each([
    [`${TOKEN_COOKIE}=a.b.c`, 'a.b.c'],
    [`other=1; ${TOKEN_COOKIE}=a.b.c; last=2`, 'a.b.c'],
    [`other=1;${TOKEN_COOKIE}=a.b.c`, 'a.b.c'],
    [`${TOKEN_COOKIE}=first; ${TOKEN_COOKIE}=second`, 'first'],
  ])('reads %s', (header, token) => {
    expect(cookieToken(header)).toBe(token);
  });

  it.each([undefined, '', 'other=1', `x${TOKEN_COOKIE}=a.b.c`, `${TOKEN_COOKIE}=`])('finds no token in %s', (header) => {
    expect(cookieToken(header)).toBeUndefined();
  });

  it('reads back what tokenSetCookie writes', () => {
    fc.assert(fc.property(jwtLike, (token) => expect(cookieToken(tokenSetCookie(token, 60).split(';')[0])).toBe(token)));
  });
});

describe('tokenSetCookie', () => {
  it('sets an HttpOnly, Secure, SameSite=Strict cookie for the whole host with a lifetime in seconds', () => {
    const attributes = tokenSetCookie('a.b.c', 3600).split('; ');
    expect(attributes[0]).toBe(`${TOKEN_COOKIE}=a.b.c`);
    expect(attributes.slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=3600', 'Path=/', 'SameSite=Strict', 'Secure']);
  });
});
