import fc from 'fast-check';
import { canonicalUri } from '../../../auth-server/src/pacs-routes/canonical-uri';
import { fakesMethod, isReadPost, isWrite } from '../../../auth-server/src/pacs-routes/read-posts';
import { FAKED_METHODS, LISTED_WRITES, ORTHANC_ID, PATH_TRICKS, READ_POST_URIS } from '../../support/pacs-routes';

const ID = ORTHANC_ID;
const tableUris = READ_POST_URIS;

/** More writes than the issue lists, and spellings only the unit level cares about. */
const WRITES: [string, string][] = [
  ...LISTED_WRITES,
  ...PATH_TRICKS,
  ...FAKED_METHODS,
  ['POST', `/instances/${ID}/export`],
  ['POST', '/tools/bulk-delete'],
  ['POST', '/tools/bulk-modify'],
  ['POST', '/tools/create-dicom'],
  ['POST', '/dicom-web/servers/other/stow'],
  ['PUT', '/tools/find'],
  ['PATCH', '/tools/find'],
  ['POST', `/patients/${ID.toUpperCase()}/archive`],
  ['POST', '/patients/../archive'],
  ['POST', '/patients/abc/archive'],
  ['POST', `/instances/${ID}/archive`],
  ['POST', `/patients/${ID}/archive/x`],
];

describe('the read-POST table', () => {
  it.each(tableUris)('reads POST %s', (uri) => {
    expect(isWrite('POST', uri)).toBe(false);
    expect(isWrite('post', `${uri}?ignored=1`)).toBe(false);
  });

  it.each(WRITES)('takes %s %s for a write', (method, uri) => {
    expect(isWrite(method, uri)).toBe(true);
  });

  it.each(['GET', 'HEAD', 'OPTIONS', 'get'])('reads %s requests that fake no method', (method) => {
    expect(isWrite(method, `/patients/${ID}?_=123&expand&PatientName=Doe%5E*`)).toBe(false);
  });

  it('matches only whole routes with a real Orthanc id', () => {
    expect(isReadPost(canonicalUri(`/studies/${ID}/media`)!)).toBe(true);
    expect(isReadPost(canonicalUri('/studies/0946fcb6/media')!)).toBe(false);
    expect(isReadPost(canonicalUri('/tools')!)).toBe(false);
  });

  it('never reads a POST whose path is not in the table, however it is spelled', () => {
    const tablePaths = new Set(tableUris);
    fc.assert(
      fc.property(fc.webPath(), fc.constantFrom('', '?a=1', '?%41=1'), (path, query) => {
        const uri = canonicalUri(`${path}${query}`);
        fc.pre(uri === null || !tablePaths.has(uri.path));
        expect(isWrite('POST', `${path}${query}`)).toBe(true);
      }),
    );
  });

  it('takes any table route with a path trick spliced in for a write', () => {
    const trick = fc.constantFrom('/..', '/.', '/', '%2e%2e/', '%2F', '\\', '/x/..');
    fc.assert(
      fc.property(fc.constantFrom(...tableUris), trick, fc.nat(), (uri, text, at) => {
        const index = 1 + (at % uri.length);
        expect(isWrite('POST', `${uri.slice(0, index)}${text}${uri.slice(index)}`)).toBe(true);
      }),
    );
  });
});

describe('fakesMethod', () => {
  it('sees no fake without a query or with plain keys', () => {
    expect(fakesMethod('/patients')).toBe(false);
    expect(fakesMethod('/patients?expand=true&since=0&_=1&_methods=x')).toBe(false);
  });

  it('sees _method and any percent-encoded key', () => {
    expect(fakesMethod('/patients?_method')).toBe(true);
    expect(fakesMethod('/patients?x=%5F&%5f%6d%65%74%68%6f%64=PUT')).toBe(true);
  });
});
