import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { makeSmallDicom } from '../support/dicom';
import { stow } from '../support/dicomweb';
import { bearer, type GateResponse } from '../support/gate-client';
import { startTestStack, TestStack } from '../support/test-stack';
import { issueAccessToken, issueAuthToken } from '../support/tokens';

// Issue 15 on the real stack, with Nginx's auth cache on (1 s, the default): every refusal below
// comes right after allowed reads and read POSTs of the same token, inside the cache window.
const jane = { name: 'Lookup^Jane', id: 'E2E-LOOKUP-JANE' };
const john = { name: 'Lookup^John', id: 'E2E-LOOKUP-JOHN' };

let gate: TestStack;
let browser: Browser;
let workDir: string;
let editToken: string;
let readToken: string;
const studyIds: Record<string, string> = {};

const asReader = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  gate.client.send(method, path, {
    headers: { ...bearer(readToken), 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined && { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    rawPath: true,
  });

/** What Orthanc holds, as an editor sees it: every instance and every study with its tags. */
async function orthancContent(): Promise<unknown> {
  const [instances, studies] = await Promise.all(['/instances', '/studies?expand'].map((path) => gate.client.get(path, bearer(editToken))));
  return { instances: (JSON.parse(instances.text) as string[]).sort(), studies: JSON.parse(studies.text) as unknown };
}

/** The DICOM instances of a zip Orthanc made (a media zip's DICOMDIR left out), unpacked with Info-ZIP's unzip. */
function dicomFilesIn(zip: GateResponse): Buffer[] {
  const dir = mkdtempSync(join(workDir, 'zip-'));
  writeFileSync(join(dir, 'archive.zip'), zip.body);
  execFileSync('unzip', ['-q', join(dir, 'archive.zip'), '-d', join(dir, 'out')]);
  return readdirSync(join(dir, 'out'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'DICOMDIR')
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)))
    .filter((file) => file.subarray(128, 132).toString('latin1') === 'DICM');
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacsgate-read-posts-'));
  browser = await launchChromium();
  gate = await startTestStack({ authCacheSeconds: 1 });
  editToken = await issueAccessToken(gate.client, { username: 'e2e-post-editor', canEdit: true });
  readToken = await issueAccessToken(gate.client, { username: 'e2e-post-reader', canEdit: false });
  for (const patient of [jane, john]) {
    expect((await stow(gate.client, makeSmallDicom(workDir, patient), editToken)).status).toBe(200);
    const found = await gate.client.postJson('/tools/find', { Level: 'Study', Query: { PatientID: patient.id } }, bearer(editToken));
    studyIds[patient.id] = (JSON.parse(found.text) as string[])[0];
  }
}, 90000);

afterAll(async () => {
  await browser?.close();
  await gate?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('a read-only token', () => {
  it('finds a patient with POST /tools/find', async () => {
    const response = await asReader('POST', '/tools/find', { Level: 'Patient', Query: { PatientName: 'Lookup^Ja*' }, Expand: true });
    expect(response.status).toBe(200);
    expect((JSON.parse(response.text) as { MainDicomTags: { PatientID: string } }[]).map((p) => p.MainDicomTags.PatientID)).toEqual([jane.id]);
  });

  it('resolves a StudyInstanceUID with POST /tools/lookup', async () => {
    const study = JSON.parse((await asReader('GET', `/studies/${studyIds[jane.id]}`)).text) as { MainDicomTags: { StudyInstanceUID: string } };
    const response = await asReader('POST', '/tools/lookup', study.MainDicomTags.StudyInstanceUID);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual([expect.objectContaining({ ID: studyIds[jane.id], Type: 'Study' })]);
  });

  it('reads the content of a study with POST /tools/bulk-content', async () => {
    const response = await asReader('POST', '/tools/bulk-content', { Resources: [studyIds[jane.id]] });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual([expect.objectContaining({ ID: studyIds[jane.id] })]);
  });

  it('downloads a zip of two studies with POST /tools/create-archive, holding their instances', async () => {
    const response = await asReader('POST', '/tools/create-archive', { Resources: [studyIds[jane.id], studyIds[john.id]] });
    expect(response.status).toBe(200);
    const files = dicomFilesIn(response);
    expect(files).toHaveLength(2);
    for (const patient of [jane, john]) expect(files.some((file) => file.includes(patient.id))).toBe(true);
  });

  it.each(['archive', 'media'])('downloads one study with POST /studies/{id}/%s', async (kind) => {
    const response = await asReader('POST', `/studies/${studyIds[john.id]}/${kind}`, {});
    expect(response.status).toBe(200);
    const files = dicomFilesIn(response);
    expect(files).toHaveLength(1);
    expect(files[0].includes(john.id)).toBe(true);
  });

  describe('changes nothing in Orthanc', () => {
    let before: unknown;
    const dicom = () => readFileSync(makeSmallDicom(workDir, { name: 'Refused^Store', id: 'E2E-REFUSED-STORE' }));

    beforeAll(async () => {
      before = await orthancContent();
    });

    it.each([
      ['stores no instance with POST /instances', () => asReader('POST', '/instances', dicom(), { 'Content-Type': 'application/dicom' })],
      ['stores nothing through STOW-RS', () => stow(gate.client, makeSmallDicom(workDir, { name: 'Refused^Stow', id: 'E2E-REFUSED-STOW' }), readToken)],
      ['modifies no study', () => asReader('POST', `/studies/${studyIds[jane.id]}/modify`, { Replace: { PatientName: 'Changed' }, Force: true })],
      ['anonymizes no study', () => asReader('POST', `/studies/${studyIds[jane.id]}/anonymize`, {})],
      ['deletes no study', () => asReader('DELETE', `/studies/${studyIds[jane.id]}`)],
      ['deletes nothing in bulk', () => asReader('POST', '/tools/bulk-delete', { Resources: [studyIds[jane.id]] })],
      ['deletes nothing by faking DELETE in the query', () => asReader('GET', `/studies/${studyIds[jane.id]}?_method=DELETE`)],
      ['deletes nothing by faking DELETE in an encoded query key', () => asReader('GET', `/studies/${studyIds[jane.id]}?%5Fmethod=DELETE`)],
      ['stores nothing through /tools/find/../instances', () => asReader('POST', '/tools/find/../instances', dicom(), { 'Content-Type': 'application/dicom' })],
      ['stores nothing through /tools/find/%2e%2e/instances', () => asReader('POST', '/tools/find/%2e%2e/instances', dicom(), { 'Content-Type': 'application/dicom' })],
      ['reaches nothing through //tools/find', () => asReader('POST', '//tools/find', { Level: 'Study', Query: {} })],
      ['reaches nothing through /tools/find/', () => asReader('POST', '/tools/find/', { Level: 'Study', Query: {} })],
    ])('%s (403)', async (_what, attempt) => {
      // A read and a read POST of this token first, so a cached allow would be there to misuse.
      expect((await asReader('GET', '/system')).status).toBe(200);
      expect((await asReader('POST', '/tools/find', { Level: 'Study', Query: {} })).status).toBe(200);
      expect((await attempt()).status).toBe(403);
    });

    it('deletes nothing with X-HTTP-Method-Override: Nginx drops the header, Orthanc answers the GET', async () => {
      const response = await asReader('GET', `/studies/${studyIds[jane.id]}`, undefined, { 'X-HTTP-Method-Override': 'DELETE' });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toMatchObject({ ID: studyIds[jane.id] });
    });

    it("leaves Orthanc's content as it was", async () => {
      expect(await orthancContent()).toEqual(before);
    });
  });
});

it('lets a read-only user open Orthanc Explorer through the token link and find the patient on its Lookup page', async () => {
  const authToken = await issueAuthToken(gate.client, { username: 'e2e-lookup-user', canEdit: false });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    context.setDefaultTimeout(10000);
    const page = await context.newPage();
    await page.goto(`${gate.settings.publicUrl}/app/explorer.html?token=${authToken}`);
    await page.goto(`${gate.settings.publicUrl}/app/explorer.html#lookup`);
    await page.fill('#lookup-patient-name', 'Lookup^Jo*');
    const find = page.waitForResponse((response) => response.url().endsWith('/tools/find') && response.request().method() === 'POST');
    await page.click('#lookup-submit');
    expect((await find).status()).toBe(200);
    await page.locator('#lookup-result').getByText(john.name.replace('^', ' ')).or(page.locator('#lookup-result').getByText(john.name)).first().waitFor();
    expect(await page.locator('#lookup-result').getByText(jane.name.replace('^', ' ')).count()).toBe(0);
  } finally {
    await context.close();
  }
});
