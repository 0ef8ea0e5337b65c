import fc from 'fast-check';
import { canonicalUri } from '../../../auth-server/src/pacs-routes/canonical-uri';

const SEGMENT_CHARS = "ABCXYZabcxyz0189._~!$&'()*+,;=:@-";
const segment = fc.string({ unit: fc.constantFrom(...SEGMENT_CHARS), minLength: 1, maxLength: 8 }).filter((s) => s !== '.' && s !== '..');
const canonicalPath = fc.array(segment, { maxLength: 6 }).map((segments) => `/${segments.join('/')}`);
/** Splices `insert` into a canonical path at a segment boundary or inside a segment. */
const pathWith = (insert: fc.Arbitrary<string>) =>
  fc.tuple(canonicalPath, insert, fc.nat()).map(([path, text, at]) => {
    const index = 1 + (at % path.length);
    return `${path.slice(0, index)}${text}${path.slice(index)}`;
  });

describe('canonicalUri', () => {
  it('splits a canonical path into its segments and decodes the query', () => {
    const uri = canonicalUri('/dicom-web/studies/1.2.3/series?includefield=0020000D&limit=5&includefield=x+y%2Fz');
    expect(uri?.path).toBe('/dicom-web/studies/1.2.3/series');
    expect(uri?.segments).toEqual(['dicom-web', 'studies', '1.2.3', 'series']);
    expect(uri?.query).toEqual(
      new Map([
        ['includefield', ['0020000D', 'x y/z']],
        ['limit', ['5']],
      ]),
    );
  });

  it('reads the root, a key without a value and skips empty pairs', () => {
    expect(canonicalUri('/')).toEqual({ path: '/', segments: [], query: new Map() });
    expect(canonicalUri('/app/explorer.html?a&&b=&')?.query).toEqual(
      new Map([
        ['a', ['']],
        ['b', ['']],
      ]),
    );
  });

  it.each([
    ['a dot-dot segment', '/tools/find/../instances'],
    ['a dot segment', '/tools/./find'],
    ['an encoded dot-dot', '/tools/find/%2e%2e/instances'],
    ['an encoded slash', '/tools%2Ffind'],
    ['any escape in the path', '/studies/%41'],
    ['a double slash at the start', '//tools/find'],
    ['a double slash inside', '/tools//find'],
    ['a trailing slash', '/tools/find/'],
    ['a backslash', '/tools\\find'],
    ['a fragment', '/tools/find#x'],
    ['no leading slash', 'tools/find'],
    ['an absolute URL', 'http://pacs/tools/find'],
    ['the empty string', ''],
    ['a raw space', '/tools/find me'],
    ['a non-ASCII character', '/patients/é'],
    ['an encoded query key', '/studies?%74oken=x'],
    ['a faked method', '/studies/x?_method=DELETE'],
    ['a malformed escape in a value', '/studies?a=%zz'],
    ['an escape that is not UTF-8', '/studies?a=%ff'],
  ])('refuses %s', (_what, uri) => {
    expect(canonicalUri(uri)).toBeNull();
  });

  it('gives back any canonical path unchanged, split on its slashes', () => {
    fc.assert(
      fc.property(canonicalPath, (path) => {
        const uri = canonicalUri(path);
        expect(uri?.path).toBe(path);
        expect(uri && `/${uri.segments.join('/')}`).toBe(path);
      }),
    );
  });

  it('keeps the path of a canonical path with any query of plain keys', () => {
    const query = fc.array(fc.tuple(segment.map((s) => s.replace(/[&=%+#]/g, 'k')), fc.string({ maxLength: 6 })), { maxLength: 4 });
    fc.assert(
      fc.property(canonicalPath, query, (path, pairs) => {
        const raw = `${path}?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
        const uri = canonicalUri(raw);
        expect(uri?.path).toBe(path);
        for (const [k, v] of pairs) expect(uri?.query.get(k)).toContain(v);
      }),
    );
  });

  it.each([
    ['a dot-dot segment', '/../'],
    ['a dot segment', '/./'],
    ['a double slash', '//'],
    ['a percent sign', '%'],
    ['a backslash', '\\'],
  ])('refuses any path with %s spliced in', (_what, text) => {
    fc.assert(fc.property(pathWith(fc.constant(text)), (path) => expect(canonicalUri(path)).toBeNull()));
  });

  it('refuses any path ending in a slash but the root', () => {
    fc.assert(
      fc.property(
        canonicalPath.filter((p) => p !== '/'),
        (path) => expect(canonicalUri(`${path}/`)).toBeNull(),
      ),
    );
  });
});
