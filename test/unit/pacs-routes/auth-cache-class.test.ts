import fc from 'fast-check';
import { isWrite } from '../../../auth-server/src/pacs-routes/read-posts';
import { PLAIN_READ } from '../../../setup/nginx-auth-cache';
import { FAKED_METHODS, LISTED_WRITES, PATH_TRICKS, READ_POST_URIS } from '../../support/pacs-routes';

// Nginx's map runs this PCRE on "$request_method $request_uri"; it uses nothing JS reads differently.
const plainRead = new RegExp(PLAIN_READ.slice(1));
const method = fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE');
const queryPart = fc.constantFrom('a=1', '_method=DELETE', '%5Fmethod=PUT', '_=1', 'x', 'q=%25', 'token=abc', 'k%41=1', '');
const uri = fc.tuple(fc.webPath(), fc.array(queryPart, { maxLength: 4 }), fc.boolean()).map(([path, parts, withQuery]) => `${path || '/'}${withQuery ? `?${parts.join('&')}` : ''}`);

describe("the auth cache's shared read class", () => {
  it('holds only requests that are reads for every token', () => {
    fc.assert(
      fc.property(method, uri, (m, u) => {
        if (plainRead.test(`${m} ${u}`)) expect(isWrite(m, u)).toBe(false);
      }),
    );
  });

  it('takes plain GETs of every kind a viewer sends', () => {
    for (const u of ['/dicom-web/studies?PatientID=X&limit=10', '/instances/abc/frames/1/preview', '/app/explorer.html?token=abc', '/patients?expand']) {
      expect(plainRead.test(`GET ${u}`)).toBe(true);
    }
  });

  it('leaves out every POST, read or not, every write and every faked method', () => {
    for (const [m, u] of [...READ_POST_URIS.map((u) => ['POST', u]), ...LISTED_WRITES, ...PATH_TRICKS, ...FAKED_METHODS]) {
      expect(plainRead.test(`${m} ${u}`)).toBe(false);
    }
  });
});
