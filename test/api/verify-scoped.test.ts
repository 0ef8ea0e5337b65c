import { api, issueSession, revoke, verify } from '../support/api';
import { familyOf, ScopedTokenSigner } from '../../bench/scoped-tokens';
import { type TestApp, useTestApp } from '../support/test-app';

// /verify and /pacs-auth with study-scoped tokens, Orthanc unreachable: what needs no lookup is
// decided at once, what needs one is refused with 503 (never allowed, never a hang or a 500).
const A = '1.2.826.0.1.3680043.8.498.1';
const B = '1.2.826.0.1.3680043.8.498.2';
const ORTHANC_ID = 'aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa';

/** Port 1 (tcpmux): nothing listens there, so every call is refused at once. */
const t: TestApp = useTestApp({ PACSGATE_ORTHANC_URL: 'http://127.0.0.1:1' });
const signer = new ScopedTokenSigner(t.app.services.codec, t.config.issuer);
let family: string;
let fullToken: string;

beforeAll(async () => {
  fullToken = (await issueSession(t, { canEditResource: true })).accessToken;
  family = familyOf(fullToken);
});

describe('scoped tokens on /verify', () => {
  const ask = (token: string, uri: string, method = 'GET') => verify(t, { Authorization: `Bearer ${token}`, 'X-Original-URI': uri, 'X-Original-Method': method });

  it('allows its study by DICOMweb and marks the allow as holding for this URI only', async () => {
    const res = await ask(signer.access({ scope: [A], family }), `/dicom-web/studies/${A}/series`);
    expect(res.status).toBe(204);
    expect(res.headers['x-pacsgate-scoped']).toBe('1');
  });

  it('refuses another study, a list and the system with 403', async () => {
    const token = signer.access({ scope: [A], family });
    for (const uri of [`/dicom-web/studies/${B}`, `/dicom-web/studies?StudyInstanceUID=${A},${B}`, '/system', '/patients', '/tools/find']) {
      expect([uri, (await ask(token, uri)).status]).toEqual([uri, 403]);
    }
  });

  it('answers 503 when the study of an Orthanc id cannot be looked up', async () => {
    const res = await ask(signer.access({ scope: [A], family }), `/studies/${ORTHANC_ID}/archive`);
    expect(res.status).toBe(503);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('lets a read-write scope STOW into its study only, and a read scope not at all', async () => {
    expect((await ask(signer.access({ scope: [A], family, canEdit: true }), `/dicom-web/studies/${A}`, 'POST')).status).toBe(204);
    expect((await ask(signer.access({ scope: [A], family, canEdit: true }), `/dicom-web/studies/${B}`, 'POST')).status).toBe(403);
    expect((await ask(signer.access({ scope: [A], family, canEdit: true }), '/instances', 'POST')).status).toBe(403);
    expect((await ask(signer.access({ scope: [A], family }), `/dicom-web/studies/${A}`, 'POST')).status).toBe(403);
  });

  it('takes a share token without PIN as access to its studies, in the header, the query or the cookie', async () => {
    const share = signer.share({ scope: [A], family });
    expect((await ask(share, `/dicom-web/studies/${A}/metadata`)).status).toBe(204);
    expect((await ask(share, `/dicom-web/studies/${B}/metadata`)).status).toBe(403);
    expect((await verify(t, { 'X-Original-URI': `/dicom-web/studies/${A}?token=${share}` })).status).toBe(204);
    expect((await verify(t, { 'X-Original-URI': `/dicom-web/studies/${B}?token=${share}` })).status).toBe(403);
    expect((await verify(t, { Cookie: `pacsgate_token=${share}`, 'X-Original-URI': `/dicom-web/studies/${A}` })).status).toBe(204);
  });

  it('refuses a share token whose link has a PIN, even for its own study', async () => {
    expect((await ask(signer.share({ scope: [A], family, pin: true }), `/dicom-web/studies/${A}`)).status).toBe(401);
  });

  it('refuses a scoped token once its family is revoked, though its decision for that URI is remembered', async () => {
    const session = await issueSession(t);
    const token = signer.access({ scope: [A], family: familyOf(session.accessToken) });
    // The second ask is answered by the scope memo (verify/scope-decisions.ts); revocation is checked before it.
    expect((await ask(token, `/dicom-web/studies/${A}`)).status).toBe(204);
    expect((await ask(token, `/dicom-web/studies/${A}`)).status).toBe(204);
    await revoke(t, token);
    expect((await ask(token, `/dicom-web/studies/${A}`)).status).toBe(401);
  });

  it('leaves a full token as it was: no scope check, no scoped mark', async () => {
    const res = await ask(fullToken, `/studies/${ORTHANC_ID}/archive`);
    expect(res.status).toBe(204);
    expect(res.headers['x-pacsgate-scoped']).toBeUndefined();
  });
});

describe('scoped tokens on /pacs-auth', () => {
  const askPlugin = (token: string, body: Record<string, unknown>) =>
    api(t).post('/pacs-auth').send({ method: 'get', 'token-key': 'authorization', 'token-value': `Bearer ${token}`, ...body });

  it.each([
    ['a system-level call', { level: 'system', uri: '/system' }],
    ['a patient', { level: 'patient', 'orthanc-id': ORTHANC_ID }],
    ['a resource without an id', { level: 'study' }],
    ['a study whose id cannot be looked up', { level: 'study', 'orthanc-id': ORTHANC_ID }],
    ['a write', { level: 'study', 'orthanc-id': ORTHANC_ID, method: 'delete' }],
  ])('never grants %s', async (_what, body) => {
    const res = await askPlugin(signer.access({ scope: [A], family, canEdit: true }), body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ granted: false, validity: 0 });
  });
});
