import fc from 'fast-check';
import { browserTokenExpiry, DEFAULT_SHARE_SECONDS, scopeCovers, shareLifetime, viewerPath } from '../../../auth-server/src/share/rules';

const uid = fc.array(fc.integer({ min: 1, max: 99999 }), { minLength: 2, maxLength: 6 }).map((parts) => parts.join('.'));
const seconds = fc.integer({ min: 1, max: 10 * 365 * 86400 });

describe('shareLifetime', () => {
  it('is a week unless asked otherwise, never past the maximum', () => {
    expect(shareLifetime(undefined, 30 * 86400)).toBe(DEFAULT_SHARE_SECONDS);
    expect(shareLifetime(undefined, 86400)).toBe(86400);
    fc.assert(fc.property(seconds, seconds, (requested, max) => shareLifetime(requested, max) === Math.min(requested, max)));
  });
});

describe('browserTokenExpiry', () => {
  it('never outlives the link nor an access token', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2e9 }), seconds, seconds, (now, accessTtl, linkLeft) => {
        const exp = browserTokenExpiry(now, accessTtl, now + linkLeft);
        return exp <= now + linkLeft && exp <= now + accessTtl && (exp === now + linkLeft || exp === now + accessTtl);
      }),
    );
  });
});

describe('scopeCovers', () => {
  it('lets an unscoped editor share anything', () => {
    fc.assert(fc.property(fc.array(uid), (studies) => scopeCovers(undefined, studies)));
  });

  it('lets a scoped editor share exactly the studies within the scope', () => {
    fc.assert(
      fc.property(fc.uniqueArray(uid, { minLength: 1 }), fc.array(uid, { minLength: 1 }), (scope, studies) =>
        scopeCovers(scope, studies) === studies.every((study) => scope.includes(study)),
      ),
    );
  });

  it('refuses a study outside the scope, even beside one inside', () => {
    expect(scopeCovers(['1.2.3'], ['1.2.3', '1.2.4'])).toBe(false);
    expect(scopeCovers([], ['1.2.3'])).toBe(false);
    // Prefixes are no match: 1.2.3 does not cover 1.2.34.
    expect(scopeCovers(['1.2.3'], ['1.2.34'])).toBe(false);
  });
});

describe('viewerPath', () => {
  it('names the studies in one comma-separated StudyInstanceUIDs parameter, nothing else', () => {
    expect(viewerPath(['1.2.3'])).toBe('/viewer/viewer?StudyInstanceUIDs=1.2.3');
    fc.assert(
      fc.property(fc.array(uid, { minLength: 1, maxLength: 5 }), (studies) => {
        const url = new URL(viewerPath(studies), 'https://pacs.example.org');
        return url.pathname === '/viewer/viewer' && [...url.searchParams.keys()].join() === 'StudyInstanceUIDs' && url.searchParams.get('StudyInstanceUIDs') === studies.join(',');
      }),
    );
  });
});
