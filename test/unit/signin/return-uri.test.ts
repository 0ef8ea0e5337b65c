import { BadRequest } from '../../../auth-server/src/errors';
import { AllowedOrigins } from '../../../auth-server/src/origins/allowed-origins';
import { parseSignInTarget, viewerRedirect } from '../../../auth-server/src/signin/return-uri';

describe('sign-in target', () => {
  const origins = new AllowedOrigins(['https://viewer.example.org']);
  const returnUri = 'https://viewer.example.org/callback?keep=1';

  it('sends the token and the zhiva state back to the return URI', () => {
    const target = parseSignInTarget(origins, returnUri, JSON.stringify({ type: 'authToken', returnParams: { study: '1.2.3' } }));
    const url = new URL(viewerRedirect(target, 'the-token'));
    expect(url.origin + url.pathname).toBe('https://viewer.example.org/callback');
    expect(url.searchParams.get('keep')).toBe('1');
    expect(url.searchParams.get('token')).toBe('the-token');
    expect(JSON.parse(url.searchParams.get('state') ?? '')).toEqual({ context: 'zhiva_auth', state: '', params: { study: '1.2.3' } });
  });

  it('echoes empty params when response_type is absent', () => {
    const url = new URL(viewerRedirect(parseSignInTarget(origins, returnUri, undefined), 'the-token'));
    expect(JSON.parse(url.searchParams.get('state') ?? '')).toEqual({ context: 'zhiva_auth', state: '', params: {} });
  });

  it.each([
    ['a foreign return_uri', 'https://evil.example/callback', undefined],
    ['no return_uri', undefined, undefined],
    ['a return_uri given twice', [returnUri, returnUri], undefined],
    ['response_type that is not JSON', returnUri, '{type:authToken'],
    ['response_type with params that are not an object', returnUri, JSON.stringify({ type: 'authToken', returnParams: 'x' })],
    ['response_type of another type', returnUri, JSON.stringify({ type: 'code' })],
    ['response_type given twice', returnUri, ['{}', '{}']],
  ])('refuses %s', (_why, uri, responseType) => {
    expect(() => parseSignInTarget(origins, uri, responseType)).toThrow(BadRequest);
  });
});
