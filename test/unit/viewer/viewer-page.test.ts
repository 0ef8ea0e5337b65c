import fc from 'fast-check';
import { viewerPage } from '../../../auth-server/src/viewer/viewer-page';

it('keeps the viewer page and its study, and drops the token and the sign-in state', () => {
  expect(viewerPage('/viewer/viewer?StudyInstanceUIDs=1.2.3&token=abc&state=%7B%7D')).toBe('/viewer/viewer?StudyInstanceUIDs=1.2.3');
  expect(viewerPage('/viewer/?token=abc')).toBe('/viewer/');
  expect(viewerPage('/viewer?token=abc')).toBe('/viewer/');
  expect(viewerPage('/viewer/segmentation?StudyInstanceUIDs=1.2,3.4&token=a&token=b')).toBe('/viewer/segmentation?StudyInstanceUIDs=1.2%2C3.4');
});

it('sends anything that is not a plain path under /viewer/ to the study list', () => {
  for (const url of ['/viewer/../auth/token', '/viewer/%2e%2e/x', '//evil.example/viewer/', '/viewer//x', '/viewer/.hidden', '/viewerx', '/viewer/a%2Fb']) {
    expect(viewerPage(`${url}?token=t`)).toBe('/viewer/');
  }
});

it('always answers a same-origin path under /viewer/ with no token or state, for any landing URL', () => {
  fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.webQueryParameters(), (path, query) => {
    const page = viewerPage(`/viewer/${path}?${query}&token=secret&state=x`);
    const url = new URL(page, 'https://gate.example');
    expect(url.origin).toBe('https://gate.example');
    expect(page.startsWith('/viewer/')).toBe(true);
    expect(url.searchParams.has('token')).toBe(false);
    expect(url.searchParams.has('state')).toBe(false);
  }));
});
