import { AllowedOrigins } from '../../auth-server/src/origins/allowed-origins';

describe('AllowedOrigins', () => {
  const origins = new AllowedOrigins(['https://viewer.example.org', 'https://*.clinic.example', 'http://localhost:3001']);

  it.each([
    'https://viewer.example.org',
    'HTTPS://Viewer.Example.ORG',
    'https://ward-3.clinic.example',
    'http://localhost:3001',
  ])('matches %s', (origin) => {
    expect(origins.matches(origin)).toBe(true);
  });

  it.each([
    ['two labels for one *', 'https://a.b.clinic.example'],
    ['a dotted name smuggled into *', 'https://evil.com.clinic.example'],
    ['no label for *', 'https://clinic.example'],
    ['an empty label for *', 'https://.clinic.example'],
    ['a suffix', 'https://viewer.example.org.evil.com'],
    ['a fragment trick', 'https://evil.com#viewer.example.org'],
    ['a query trick', 'https://evil.com?https://viewer.example.org'],
    ['credentials trick', 'https://viewer.example.org@evil.com'],
    ['a look-alike prefix', 'https://evil-viewer.example.org'],
    ['another scheme', 'http://viewer.example.org'],
    ['another port', 'https://viewer.example.org:8443'],
    ['a trailing path', 'https://viewer.example.org/'],
    ['the null origin', 'null'],
    ['an empty origin', ''],
    ['no origin', undefined],
  ])('does not match %s', (_why, origin) => {
    expect(origins.matches(origin)).toBe(false);
  });

  describe('allowedUrl', () => {
    it('accepts an absolute URL on an allowed origin, path and query kept', () => {
      expect(origins.allowedUrl('https://ward-3.clinic.example/viewer/callback?x=1')?.toString()).toBe('https://ward-3.clinic.example/viewer/callback?x=1');
    });

    it.each([
      'https://viewer.example.org@evil.com/callback',
      'https://user:secret@viewer.example.org/callback',
      'https://evil.com#viewer.example.org',
      'https://evil.com\\@viewer.example.org',
      'https://evil.com/https://viewer.example.org',
      '//viewer.example.org/callback',
      '/callback',
      'javascript:alert(document.domain)//viewer.example.org',
      'data:text/html,https://viewer.example.org',
      `https://viewer.example.org/${'a'.repeat(2048)}`,
      '',
      undefined,
    ])('refuses %s', (candidate) => {
      expect(origins.allowedUrl(candidate)).toBeUndefined();
    });
  });
});
