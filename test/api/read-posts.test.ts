import { api, issueSession, verify } from '../support/api';
import { useTestApp } from '../support/test-app';
import { FAKED_METHODS, LISTED_WRITES, ORTHANC_ID, PATH_TRICKS, READ_POST_URIS } from '../support/pacs-routes';

const ID = ORTHANC_ID;
const READS = READ_POST_URIS;
const WRITES = [...LISTED_WRITES, ...PATH_TRICKS, ...FAKED_METHODS];

describe('read POSTs at /verify', () => {
  const t = useTestApp();
  const ask = (token: string, method: string, uri: string) => verify(t, { Authorization: `Bearer ${token}`, 'X-Original-Method': method, 'X-Original-URI': uri });

  it.each(READS)('lets a read-only token POST %s', async (uri) => {
    const { accessToken } = await issueSession(t, { canEditResource: false });
    expect((await ask(accessToken, 'POST', uri)).status).toBe(204);
  });

  it.each(WRITES)('refuses a read-only token %s %s (403)', async (method, uri) => {
    const { accessToken } = await issueSession(t, { canEditResource: false });
    const res = await ask(accessToken, method, uri);
    expect(res.status).toBe(403);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each(WRITES)('lets an editor %s %s', async (method, uri) => {
    const { accessToken } = await issueSession(t, { canEditResource: true });
    expect((await ask(accessToken, method, uri)).status).toBe(204);
  });

  it('refuses a read POST carried by the cookie from a page it does not trust, as any POST', async () => {
    const { accessToken } = await issueSession(t, { canEditResource: false });
    const cookie = { Cookie: `pacsgate_token=${accessToken}`, 'X-Original-Method': 'POST', 'X-Original-URI': '/tools/find' };
    expect((await verify(t, { ...cookie, Origin: 'https://evil.example' })).status).toBe(403);
    expect((await verify(t, { ...cookie, Origin: 'https://pacs.example.org' })).status).toBe(204);
  });

  it("refuses a cookie's GET that fakes a DELETE from a page it does not trust, even an editor's", async () => {
    const { accessToken } = await issueSession(t, { canEditResource: true });
    const res = await verify(t, { Cookie: `pacsgate_token=${accessToken}`, 'X-Original-URI': `/studies/${ID}?_method=DELETE`, Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });
});

describe('read POSTs at /pacs-auth (the Orthanc authorization plugin)', () => {
  const t = useTestApp();
  const granted = async (token: string, body: Record<string, unknown>): Promise<boolean> => {
    const res = await api(t).post('/pacs-auth').send({ 'token-key': 'authorization', 'token-value': `Bearer ${token}`, ...body });
    return (res.body as { granted: boolean }).granted;
  };
  const system = (method: string, uri: string) => ({ level: 'system', method, uri });

  it.each(READS.filter((uri) => uri.startsWith('/tools/')))('grants a read-only token POST %s', async (uri) => {
    const { accessToken } = await issueSession(t, { canEditResource: false });
    expect(await granted(accessToken, system('post', uri))).toBe(true);
  });

  it.each(WRITES.filter(([method, uri]) => method !== 'GET' && !uri.includes(ID)))('refuses a read-only token %s %s', async (method, uri) => {
    const { accessToken } = await issueSession(t, { canEditResource: false });
    expect(await granted(accessToken, system(method.toLowerCase(), uri))).toBe(false);
  });

  it('refuses a POST on a resource, which it cannot tell an archive from a modify by', async () => {
    const { accessToken } = await issueSession(t, { canEditResource: false });
    expect(await granted(accessToken, { level: 'study', method: 'post', 'orthanc-id': ID, 'dicom-uid': '1.2.3', uri: '/tools/find' })).toBe(false);
  });
});
