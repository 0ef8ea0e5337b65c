import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STOW_CONTENT_TYPE, stowStream } from '../support/dicom';
import { stow } from '../support/dicomweb';
import { bearer, GateResponse } from '../support/gate-client';
import { familyOf, ScopedTokenSigner, stackSigner } from '../../bench/scoped-tokens';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken } from '../support/tokens';
import { dicomTag, makeInstanceOf, StoredStudy, storeStudy } from '../support/two-studies';
import { FRAMES, formsOfA, formsOfB, JSON_DICOM, rows } from '../support/scoped-url-forms';

// A link scoped to study A, through the real Nginx and Orthanc, with study B (another patient)
// beside it: every URL form reaches A, every form naming B (or nothing, or everything) is a 403
// with the gate's own body. Tokens are signed with the stack's key as share links sign them.
const FORBIDDEN_BODY = '{"message":"This token does not allow this request"}\n';

let gate: TestStack;
let workDir: string;
let signer: ScopedTokenSigner;
let editToken: string;
let family: string;
let a: StoredStudy;
let b: StoredStudy;
/** A read link's own token (share, no PIN), used as Bearer. */
let readLink: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-scoped-'));
  // The auth cache off (the default is 1 s): revocation is measured against /verify itself here.
  gate = await startTestStack({ authCacheSeconds: 0 });
  editToken = await issueAccessToken(gate.client, { username: 'scoped-editor', canEdit: true });
  a = await storeStudy(gate.client, workDir, { name: 'Alpha^Anna', id: 'SCOPE-ALPHA' }, editToken);
  b = await storeStudy(gate.client, workDir, { name: 'Beta^Bert', id: 'SCOPE-BETA' }, editToken);
  signer = stackSigner(gate.settings.configDir, gate.settings.publicUrl);
  family = familyOf(await issueAccessToken(gate.client, { username: 'scoped-family', canEdit: false }));
  readLink = signer.share({ scope: [a.studyUid], family });
}, 120000);

afterAll(async () => {
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const leaksNothing = (response: GateResponse) => {
  expect(response.text).toBe(FORBIDDEN_BODY);
  for (const secret of [b.patient.id, b.patient.name, b.studyUid, b.sopUid]) expect(response.text).not.toContain(secret);
};

describe('a read link (its share token as Bearer)', () => {
  it.each(rows(formsOfA))('reaches A by %s', async (_name, path, headers) => {
    const response = await gate.client.send('GET', path(a, b), { headers: { ...bearer(readLink), ...headers }, rawPath: true });
    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);
    expect(response.text).not.toContain(b.patient.id);
  });

  it.each(rows(formsOfB))('is refused, 403 and nothing leaked, for %s', async (_name, path, headers) => {
    const response = await gate.client.send('GET', path(a, b), { headers: { ...bearer(readLink), ...headers }, rawPath: true });
    expect(response.status).toBe(403);
    leaksNothing(response);
  });

  it.each([
    ['POST /tools/find', '/tools/find', '{"Level":"Study","Query":{}}'],
    ['POST /tools/lookup', '/tools/lookup', ''],
  ])('is refused %s', async (_name, path, body) => {
    const response = await gate.client.send('POST', path, { headers: bearer(readLink), body: body || b.studyUid });
    expect(response.status).toBe(403);
    leaksNothing(response);
  });

  it('reaches A with the token in ?token= and as a scoped access token in the cookie', async () => {
    expect((await gate.client.get(`/dicom-web/studies/${a.studyUid}/metadata?token=${readLink}`, JSON_DICOM)).status).toBe(200);
    expect((await gate.client.get(`/dicom-web/studies/${b.studyUid}/metadata?token=${readLink}`, JSON_DICOM)).status).toBe(403);
    const cookie = { Cookie: `pacsgate_token=${signer.access({ scope: [a.studyUid], family })}` };
    expect((await gate.client.get(`/studies/${a.orthanc.study}`, cookie)).status).toBe(200);
    expect((await gate.client.get(`/studies/${b.orthanc.study}`, cookie)).status).toBe(403);
  });

  it('is refused everywhere when the link has a PIN', async () => {
    const pinned = signer.share({ scope: [a.studyUid], family, pin: true });
    expect((await gate.client.get(`/dicom-web/studies/${a.studyUid}/metadata`, { ...bearer(pinned), ...JSON_DICOM })).status).toBe(401);
  });
});

async function stored(sopUid: string): Promise<boolean> {
  const response = await gate.client.send('POST', '/tools/lookup', { headers: bearer(editToken), body: sopUid });
  return (JSON.parse(response.text) as unknown[]).length > 0;
}

describe('writes through a link', () => {
  it('refuses every write of a read link and stores nothing', async () => {
    const file = makeInstanceOf(workDir, 'read-link-upload', a);
    const attempts = [
      await stow(gate.client, file, readLink),
      await gate.client.send('POST', `/dicom-web/studies/${a.studyUid}`, { headers: bearer(readLink), body: 'x' }),
      await gate.client.send('POST', '/instances', { headers: bearer(readLink), body: 'x' }),
      await gate.client.send('DELETE', `/studies/${a.orthanc.study}`, { headers: bearer(readLink) }),
      await gate.client.send('PUT', `/studies/${a.orthanc.study}/metadata/1024`, { headers: bearer(readLink), body: 'x' }),
      await gate.client.send('POST', `/studies/${a.orthanc.study}/anonymize`, { headers: bearer(readLink), body: '{}' }),
      await gate.client.send('POST', `/studies/${a.orthanc.study}/modify`, { headers: bearer(readLink), body: '{}' }),
    ];
    expect(attempts.map((response) => response.status)).toEqual(attempts.map(() => 403));
    expect(await stored(dicomTag(file, 'SOPInstanceUID'))).toBe(false);
    expect((await gate.client.get(`/studies/${a.orthanc.study}`, bearer(editToken))).status).toBe(200);
  });

  it('stores a new instance of A sent by STOW-RS to A through a read-write link', async () => {
    const writeLink = signer.share({ scope: [a.studyUid], family, canEdit: true });
    const file = makeInstanceOf(workDir, 'write-link-a', a);
    const response = await gate.client.send('POST', `/dicom-web/studies/${a.studyUid}`, stowOf(file, writeLink));
    expect(response.status).toBe(200);
    expect(await stored(dicomTag(file, 'SOPInstanceUID'))).toBe(true);
  });

  it('refuses, and stores nothing of, an instance of B or of a new study sent through a read-write link', async () => {
    const writeLink = signer.share({ scope: [a.studyUid], family, canEdit: true });
    const ofB = makeInstanceOf(workDir, 'write-link-b', b);
    const ofNewStudy = makeInstanceOf(workDir, 'write-link-new', { studyUid: '1.2.826.0.1.3680043.8.498.999', patient: { name: 'New^Study', id: 'SCOPE-NEW' } });
    // Into A's STOW URL: the gate lets it by (A is in scope) and Orthanc refuses another study's instance.
    for (const file of [ofB, ofNewStudy]) {
      const intoA = await gate.client.send('POST', `/dicom-web/studies/${a.studyUid}`, stowOf(file, writeLink));
      expect(intoA.status).toBe(409);
      expect(await stored(dicomTag(file, 'SOPInstanceUID'))).toBe(false);
    }
    // Anywhere else: the gate refuses it.
    expect((await gate.client.send('POST', `/dicom-web/studies/${b.studyUid}`, stowOf(ofB, writeLink))).status).toBe(403);
    expect((await stow(gate.client, ofNewStudy, writeLink)).status).toBe(403);
    expect((await gate.client.send('POST', '/instances', { headers: { ...bearer(writeLink), 'Content-Type': 'application/dicom' }, body: 'not read' })).status).toBe(403);
    for (const file of [ofB, ofNewStudy]) expect(await stored(dicomTag(file, 'SOPInstanceUID'))).toBe(false);
  });
});

function stowOf(file: string, token: string) {
  return { headers: { ...bearer(token), 'Content-Type': STOW_CONTENT_TYPE, Accept: 'application/dicom+json' }, stream: stowStream(file) };
}

/** Polls until `request` answers `status` or the deadline passes; returns how long it took, or null. */
async function refusedWithin(request: () => Promise<GateResponse>, status: number, deadlineMs: number): Promise<number | null> {
  const start = Date.now();
  do {
    if ((await request()).status === status) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() - start < deadlineMs);
  return null;
}

describe('revocation and expiry (no auth cache)', () => {
  it('refuses a revoked link, and every token minted from it, within 1 s', async () => {
    const linkFamily = familyOf(await issueAccessToken(gate.client, { username: 'scoped-revoked', canEdit: false }));
    const link = signer.share({ scope: [a.studyUid], family: linkFamily });
    const browser = signer.access({ scope: [a.studyUid], family: linkFamily });
    const read = (token: string) => () => gate.client.get(`/studies/${a.orthanc.study}`, bearer(token));
    expect((await read(link)()).status).toBe(200);
    expect((await read(browser)()).status).toBe(200);
    expect((await gate.client.postJson('/auth/revoke', { token: link })).status).toBe(200);
    expect(await refusedWithin(read(link), 401, 1000)).not.toBeNull();
    expect(await refusedWithin(read(browser), 401, 1000)).not.toBeNull();
  });

  it('refuses a link once it expires, within 1 s of its expiry', async () => {
    const link = signer.share({ scope: [a.studyUid], family, lifetime: 2 });
    const read = () => gate.client.get(`/dicom-web/studies/${a.studyUid}/metadata`, { ...bearer(link), ...JSON_DICOM });
    expect((await read()).status).toBe(200);
    expect(await refusedWithin(read, 401, 3000)).not.toBeNull();
  });
});

describe('the Orthanc authorization plugin protocol (/auth/pacs-auth)', () => {
  const ask = (body: Record<string, unknown>) =>
    gate.client.postJson('/auth/pacs-auth', { method: 'get', 'token-key': 'authorization', 'token-value': `Bearer ${readLink}`, ...body });

  it('grants a scoped token its study, series and instance, and nothing of B nor the system', async () => {
    const granted = async (body: Record<string, unknown>) => (JSON.parse((await ask(body)).text) as { granted: boolean }).granted;
    expect(await granted({ level: 'study', 'orthanc-id': a.orthanc.study })).toBe(true);
    expect(await granted({ level: 'series', 'orthanc-id': a.orthanc.series })).toBe(true);
    expect(await granted({ level: 'instance', 'orthanc-id': a.orthanc.instance })).toBe(true);
    expect(await granted({ level: 'study', 'orthanc-id': b.orthanc.study })).toBe(false);
    expect(await granted({ level: 'instance', 'orthanc-id': b.orthanc.instance })).toBe(false);
    expect(await granted({ level: 'system', uri: '/system' })).toBe(false);
    expect(await granted({ level: 'study', 'orthanc-id': a.orthanc.study, method: 'delete' })).toBe(false);
  });
});

// What Orthanc itself checks, asked with a full-access token (the gate lets everything through):
// the scope must not rest on it, but the report says what it does.
describe('what Orthanc 1.10 + DICOMweb check on their own', () => {
  it('answers 404 for a series of another study under a study’s path', async () => {
    expect((await gate.client.get(`/dicom-web/studies/${a.studyUid}/series/${b.seriesUid}/metadata`, { ...bearer(editToken), ...JSON_DICOM })).status).toBe(404);
  });

  it('answers 404 for an instance of another study under a study and series path', async () => {
    const response = await gate.client.get(`/dicom-web/studies/${a.studyUid}/series/${a.seriesUid}/instances/${b.sopUid}/frames/1`, { ...bearer(editToken), ...FRAMES });
    expect(response.status).toBe(404);
  });

  it('checks WADO-URI’s studyUID against the instance when it is given, and serves objectUID alone', async () => {
    expect((await gate.client.get(`/wado?requestType=WADO&studyUID=${a.studyUid}&objectUID=${b.sopUid}`, bearer(editToken))).status).not.toBe(200);
    expect((await gate.client.get(`/wado?requestType=WADO&objectUID=${b.sopUid}`, bearer(editToken))).status).toBe(200);
  });

  it('returns every study for a QIDO filter spelled otherwise, and for an empty one', async () => {
    for (const query of [`studyinstanceuid=${a.studyUid}`, 'StudyInstanceUID=']) {
      const studies = JSON.parse((await gate.client.get(`/dicom-web/studies?${query}`, { ...bearer(editToken), ...JSON_DICOM })).text) as unknown[];
      expect([query, studies.length]).toEqual([query, 2]);
    }
  });
});
